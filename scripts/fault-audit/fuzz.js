// Category 3: fuzzed specs. Valid specs (the bundled example and the `golive init`
// templates) mutated at random with a seeded PRNG, each loaded through the library's
// `loadProject` in a runner process. Handled: the spec loads, or golive refuses it with
// a GoliveError; never another exception, never a hang (the runner is killed after the bound).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, caseDir, firstLine, golive, prng, subSeed } from './harness.js';
import { withRunners } from './in-process.js';

/** Values that break parsers and validators: YAML specials, extreme numbers, odd text. */
const NASTY = [
  "''",
  '~',
  'null',
  '-1',
  '0',
  '1e400',
  '-0',
  '.nan',
  '.inf',
  'true',
  '[]',
  '{}',
  '[[[]]]',
  '"\\u0000"',
  `"${'x'.repeat(5000)}"`,
  '${FAULT_AUDIT_UNSET}',
  '${A:-${B:-c}}',
  '${}',
  '*nope',
  '&a x',
  '!!binary aGk=',
  '!!set { a, b }',
  '!!omap [a: 1]',
  '"\\ud800"',
  '"💥 ünïcödé"',
  '__proto__',
  'constructor',
  '0s',
  '1000h',
  '99999999999999999999',
  "'< 1e400ms'",
  "'< 0.1'",
  "'== -0'",
  "'<'",
  '"GET /x?a=${b}"',
  'BAD METHOD /x',
  '/',
  '"http://[::1"',
  '"http://user:pw@127.0.0.1:1"',
  '|\n  block',
  '>-\n  folded',
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'x', '', '"a b"', '0', '? complex'];
const CHARS = [
  ':',
  '{',
  '}',
  '[',
  ']',
  '-',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ',',
  '?',
  '\t',
  '\n',
  ' ',
  '\\',
  '$',
];

/** One mutation of the text, picked by the PRNG. */
function mutate(text, r) {
  const lines = text.split('\n');
  const li = r.int(lines.length);
  switch (r.int(9)) {
    case 0: // delete a line
      lines.splice(li, 1);
      return lines.join('\n');
    case 1: // duplicate a line
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 2: {
      // swap two lines
      const lj = r.int(lines.length);
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return lines.join('\n');
    }
    case 3: // re-indent a line
      lines[li] = r.pick(['', ' ', '  ', '    ', '\t']) + lines[li].trimStart();
      return lines.join('\n');
    case 4: // truncate the file
      return text.slice(0, r.int(text.length));
    case 5: {
      // insert a YAML-special character
      const at = r.int(text.length + 1);
      return text.slice(0, at) + r.pick(CHARS) + text.slice(at);
    }
    case 6: {
      // delete a character
      const at = r.int(text.length);
      return text.slice(0, at) + text.slice(at + 1);
    }
    case 7: {
      // replace a value with a nasty one
      const m = /^(\s*(?:- )?[^:#\n]+:)\s*(.+)$/.exec(lines[li]);
      if (m) lines[li] = `${m[1]} ${r.pick(NASTY)}`;
      else lines[li] = `${lines[li]} ${r.pick(NASTY)}`;
      return lines.join('\n');
    }
    default: {
      // rename a key
      const m = /^(\s*(?:- )?)([^:#\n]+)(:.*)$/.exec(lines[li]);
      if (m) lines[li] = `${m[1]}${r.pick(KEYS)}${m[3]}`;
      return lines.join('\n');
    }
  }
}

/** Case `i`: a source and 1–4 mutations, all from the case's own seed (reproducible alone). */
export function fuzzCase(sources, seed, i) {
  const r = prng(subSeed(seed, 'fuzz', i));
  const source = r.pick(sources);
  let text = source.text;
  const n = 1 + r.int(4);
  for (let k = 0; k < n; k++) text = mutate(text, r);
  return { source: source.name, text };
}

async function sources() {
  const dir = caseDir('fuzz/templates');
  const out = [
    {
      name: 'examples/checkout-api/golive.yaml',
      text: readFileSync(join(ROOT, 'examples/checkout-api/golive.yaml'), 'utf8'),
    },
  ];
  for (const template of ['web-service', 'minimal']) {
    const r = await golive(['init', '--template', template, '-c', `${template}.yaml`], { cwd: dir });
    if (r.code !== 0) throw new Error(`fault-audit: golive init --template ${template} exited ${r.code}: ${r.stderr}`);
    out.push({ name: `golive init --template ${template}`, text: readFileSync(join(dir, `${template}.yaml`), 'utf8') });
  }
  return out;
}

export async function runFuzz(ctx) {
  const specs = await sources();
  const count = ctx.fuzz;
  const tally = { valid: 0, refused: 0, unplacedProblems: 0 };
  let slowest = 0;
  const indices = Array.from({ length: count }, (_, i) => i);
  const cases = await withRunners(indices, ctx.concurrency, 10_000, async (i, run, _j) => {
    const { source, text } = fuzzCase(specs, ctx.seed, i);
    // One file per runner would do; one per case keeps a failing case on disk for --keep.
    const dir = caseDir(`fuzz/${i % 50}`, { 'golive.yaml': text });
    const r = await run({ op: 'load', file: join(dir, 'golive.yaml'), env: {} });
    slowest = Math.max(slowest, r.ms ?? 0);
    let reason;
    if (r.hung) reason = `hung: no answer within ${r.ms} ms`;
    else if (r.crashed) reason = `crashed: ${firstLine(r.crashed)}`;
    else if (r.result === 'foreign-error') reason = `threw a non-golive error: ${r.error}`;
    else if (r.result === 'valid') tally.valid++;
    else {
      tally.refused++;
      tally.unplacedProblems += r.unplaced ?? 0;
    }
    if (reason) ctx.log(`  ✗ fuzz #${i} (${source}): ${reason}`);
    return {
      id: `#${i}`,
      handled: reason === undefined,
      ...(reason
        ? {
            reason,
            source,
            reproduce: `node scripts/fault-audit.js --only fuzz --seed ${ctx.seed} --fuzz ${i + 1}`,
            text,
          }
        : {}),
    };
  });
  ctx.log(
    `  ${tally.valid} still valid, ${tally.refused} refused with a GoliveError (${tally.unplacedProblems} problems without a line:column); slowest ${Math.round(slowest)} ms`,
  );
  return {
    cases,
    summary: { seed: ctx.seed, sources: specs.map((s) => s.name), ...tally, slowestMs: Math.round(slowest) },
  };
}
