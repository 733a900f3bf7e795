#!/usr/bin/env node
// Fault-injection and bad-input audit of golive: malformed specs, bad flags, fuzzed specs,
// runs killed with SIGKILL, tampered stores and planted secrets, each case judged handled or not.
// Runs the built CLI (bin/golive.js → dist/) as a user would; only loopback servers it starts
// itself see any traffic. Exit 0 when every case is handled, 1 when one is not, 2 for bad flags.
//
//   npm run build && node scripts/fault-audit.js [--quick] [--json FILE]   (docs/fault-audit.md)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, DIST, ROOT, cleanup, workDir } from './fault-audit/harness.js';

const CATEGORIES = ['specs', 'flags', 'fuzz', 'kills', 'tamper', 'secrets'];
const TITLES = {
  specs: 'malformed specs',
  flags: 'bad flags',
  fuzz: 'fuzzed specs',
  kills: 'runs killed (SIGKILL)',
  tamper: 'store tamperings',
  secrets: 'planted secrets',
};

const USAGE = `usage: node scripts/fault-audit.js [--quick] [--only ${CATEGORIES.join(',')}] [--fuzz N] [--kills N]
                                  [--seed N] [--concurrency N] [--spawn] [--json FILE] [--keep] [--verbose]`;

function usageError(message) {
  console.error(`fault-audit: ${message}\n${USAGE}`);
  process.exit(2);
}

let flags;
try {
  flags = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      fuzz: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
      spawn: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (e) {
  usageError(e.message);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

function count(name, value, fallback, min) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) usageError(`--${name}: "${value}" is not a whole number ≥ ${min}`);
  return n;
}

const quick = Boolean(flags.quick);
const opts = {
  seed: count('seed', flags.seed, 1, 0),
  fuzz: count('fuzz', flags.fuzz, quick ? 300 : 2000, 0),
  kills: count('kills', flags.kills, quick ? 4 : 20, 0),
  // Two cores shared with other work: two golive processes at once keeps the machine usable.
  concurrency: count('concurrency', flags.concurrency, 2, 1),
  quick,
  verbose: Boolean(flags.verbose),
  spawn: Boolean(flags.spawn),
};
const only = flags.only === undefined ? CATEGORIES : flags.only.split(',').map((s) => s.trim());
for (const c of only) if (!CATEGORIES.includes(c)) usageError(`--only: unknown category "${c}"`);

if (!existsSync(DIST)) usageError(`${DIST} is missing: run npm run build first`);

// Ctrl-C (or a kill) ends what the audit started and removes its temporary folders.
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\nfault-audit: ${sig}: stopping, cleaning up ${workDir()}`);
    cleanup({ keep: flags.keep });
    process.exit(130);
  });
}
process.on('exit', () => cleanup({ keep: flags.keep }));

const log = (line) => {
  if (line !== undefined) console.log(line);
};
const loaders = {
  specs: async () => (await import('./fault-audit/specs.js')).runSpecs,
  flags: async () => (await import('./fault-audit/flags.js')).runFlags,
  fuzz: async () => (await import('./fault-audit/fuzz.js')).runFuzz,
  kills: async () => (await import('./fault-audit/kills.js')).runKills,
  tamper: async () => (await import('./fault-audit/tamper.js')).runTamper,
  secrets: async () => (await import('./fault-audit/secrets.js')).runSecrets,
};

const started = Date.now();
const command = ['node', 'scripts/fault-audit.js', ...process.argv.slice(2)].join(' ');
console.log(
  `golive fault audit · ${command} · seed ${opts.seed} · ${BIN.replace(`${ROOT}/`, '')} at ${commitOf(ROOT)?.slice(0, 12) ?? 'an unknown commit'}`,
);
const report = {
  command,
  commit: commitOf(ROOT),
  seed: opts.seed,
  startedAt: new Date(started).toISOString(),
  categories: {},
};

/** The commit the figures belong to (undefined outside a git checkout). */
function commitOf(dir) {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

for (const name of only) {
  const t0 = Date.now();
  console.log(`\n${TITLES[name]} …`);
  const run = await loaders[name]();
  // In a runner a case costs milliseconds; a new Node process on a busy machine can take seconds.
  const ctx = { ...opts, timeoutMs: opts.spawn ? 20_000 : 10_000, log };
  let out;
  try {
    out = normalise(await run(ctx));
  } catch (e) {
    // A category that cannot even set up (its flow failed) is reported, not allowed to end the audit.
    console.log(`  ✗ ${name} could not run: ${e.message}`);
    out = { cases: [{ id: 'setup', handled: false, reason: `could not run: ${e.message}` }] };
  }
  const { cases, summary = {} } = out;
  const unhandled = cases.filter((c) => !c.handled);
  if (opts.verbose) for (const c of cases.filter((x) => x.handled)) console.log(`  ✔ ${c.id}`);
  const total = summary.total ?? cases.length;
  report.categories[name] = {
    title: TITLES[name],
    cases: total,
    handled: total - unhandled.length,
    unhandled: unhandled.length,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    ...summary,
    // Fuzzing keeps only the cases it could not handle: thousands of passes say nothing one by one.
    results: name === 'fuzz' ? unhandled : cases,
  };
  console.log(`  ${total - unhandled.length} of ${total} handled (${report.categories[name].seconds} s)`);
}

function normalise(out) {
  return Array.isArray(out) ? { cases: out } : out;
}

// ------------------------------------------------------------------ summary
const rows = Object.values(report.categories);
const width = Math.max(...rows.map((r) => r.title.length), 'category'.length);
const fmt = (a, b, c, d, e) =>
  `${a.padEnd(width)}  ${String(b).padStart(6)}  ${String(c).padStart(7)}  ${String(d).padStart(9)}  ${String(e).padStart(7)}`;
console.log(`\n${fmt('category', 'cases', 'handled', 'unhandled', 'seconds')}`);
for (const r of rows) console.log(fmt(r.title, r.cases, r.handled, r.unhandled, r.seconds));
const totals = rows.reduce(
  (t, r) => ({ cases: t.cases + r.cases, handled: t.handled + r.handled, unhandled: t.unhandled + r.unhandled }),
  { cases: 0, handled: 0, unhandled: 0 },
);
const seconds = Math.round((Date.now() - started) / 100) / 10;
console.log(fmt('total', totals.cases, totals.handled, totals.unhandled, seconds));

const failing = rows.flatMap((r) => r.results.filter((c) => !c.handled).map((c) => ({ category: r.title, ...c })));
if (failing.length) {
  console.log('\nunhandled:');
  for (const f of failing) console.log(`  ${f.category} · ${f.id}: ${f.reason}`);
}

report.totals = { ...totals, seconds };
if (flags.json) {
  const file = resolve(process.cwd(), flags.json);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}
process.exitCode = totals.unhandled > 0 ? 1 : 0;
