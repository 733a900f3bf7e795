// The small project the kill, tamper, secret and flag categories run golive on: a tiny
// Node HTTP service that golive starts itself (target.start), and a spec that touches
// every record table without a long load test or drill.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { caseDir, freePort, golive } from './harness.js';

/**
 * The service under test. Listens on 127.0.0.1:$PORT only. Prints its arguments and
 * APP_SECRET on start, as real services print their configuration: golive keeps that output
 * as an artifact, which the secret category checks for leaks. /orders needs the bearer token
 * in $ORDERS_TOKEN when one is set, so the auth probe has something to prove.
 */
export const SERVER = `import { createServer } from 'node:http';
const port = Number(process.env.PORT);
console.log('service starting', process.argv.slice(2).join(' '), process.env.APP_SECRET ?? '');
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};
createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/version') return json(res, 200, { version: process.env.VERSION ?? 'v1.0.0' });
  if (pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return res.end('# HELP up Whether the service is up.\\n# TYPE up gauge\\nup 1\\n');
  }
  if (pathname === '/orders' && process.env.ORDERS_TOKEN) {
    if (req.headers.authorization !== 'Bearer ' + process.env.ORDERS_TOKEN) return json(res, 401, { error: 'unauthorized' });
  }
  req.resume();
  json(res, 200, { ok: true, path: pathname });
}).listen(port, '127.0.0.1', () => console.log('listening on', port));
`;

/** Source with debug leftovers, so the repository scan reports findings (the findings and waivers tables). */
export const LEFTOVERS = `export function handler(req) {\n  console.log('debug', req);\n  debugger;\n  return 1;\n}\n`;

/**
 * The spec: golive starts the service, probes the ops endpoints, scans the folder and
 * needs one attestation and one sign-off. `extra` is appended (more sections); PORT
 * comes from the environment, so each project gets its own free port.
 */
export function projectSpec({ service = 'fault-audit', extra = '', start = 'node server.js', startExtra = '' } = {}) {
  return `version: 1
service: ${service}
release: v1.0.0
target:
  baseUrl: http://127.0.0.1:\${PORT}
  start: { command: "${start}", ready: /health, timeout: 20s${startExtra} }
roles:
  Tech Lead: lead@example.com
thresholds:
  ops.health.latency: '< 5000ms'
  ops.endpoints.failing: '== 0'
probes:
  ops: {}
scan:
  path: .
  forbidden: { include: ['src/**'] }
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health, ops.version], thresholds: [ops.health.latency, ops.endpoints.failing] }
  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: Tech Lead }
signoff:
  required: [Tech Lead]
${extra}`;
}

export function makeProject(name, { spec = projectSpec(), files = {} } = {}) {
  return caseDir(name, {
    'golive.yaml': spec,
    'server.js': SERVER,
    'package.json': '{ "type": "module", "private": true }\n',
    'src/handler.js': LEFTOVERS,
    ...files,
  });
}

/**
 * The whole flow a release goes through, so every record table has rows:
 * check → attest → waive one finding, accept another → amend a threshold → check →
 * sign off → decide (GO). Throws when a step does not do what it should: the
 * categories that start from this flow would measure nothing.
 */
export async function runFlow(dir, env) {
  const step = async (args, want) => {
    const r = await golive(args, { cwd: dir, env, timeoutMs: 90_000 });
    if (!want.includes(r.code)) {
      throw new Error(`fault-audit: flow step "golive ${args.join(' ')}" exited ${r.code}: ${r.stderr.slice(-600)}`);
    }
    return r;
  };
  await step(['check'], [1]);
  await step(
    ['attest', 'DoD-1', '--by', 'lee', '--role', 'Tech Lead', '--evidence', 'https://wiki.example.com/runbook'],
    [0],
  );
  const listed = JSON.parse((await step(['findings', '--json'], [0])).stdout).findings;
  if (listed.length < 2) throw new Error(`fault-audit: the flow needs two findings, the scan found ${listed.length}`);
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await step(
    [
      'waive',
      listed[0].fingerprint,
      '--reason',
      'debug helper is stripped by the build',
      '--by',
      'lee',
      '--expires',
      expires,
    ],
    [0],
  );
  await step(['accept', listed[1].fingerprint, '--reason', 'known, tracked in the backlog', '--by', 'lee'], [0]);
  await step(
    ['amend', 'threshold', 'ops.health.latency', '< 6000ms', '--reason', 'slow staging host', '--by', 'lee'],
    [0],
  );
  // An amendment records the change; the spec then says the same, or the next check refuses it.
  const file = join(dir, 'golive.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace("ops.health.latency: '< 5000ms'", "ops.health.latency: '< 6000ms'"),
  );
  await step(['check'], [0]);
  await step(['signoff', '--role', 'Tech Lead', '--by', 'lee', '--decision', 'go'], [0]);
  await step(['decide', '--by', 'lee'], [0]);
  return listed;
}

/**
 * Folds the write-ahead log into the database file, so the store is one file that a
 * case can copy (or edit) without a half of it staying behind in golive.db-wal.
 */
export function checkpoint(dbPath) {
  const db = new Database(dbPath);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

let seeded;
/**
 * One project that went through the whole flow, shared by the categories that start from a
 * filled store (flags, tamperings). Built once per audit: the flow costs several golive runs.
 */
export function seedProject() {
  seeded ??= (async () => {
    const port = await freePort();
    const env = { PORT: String(port) };
    const dir = makeProject('seed');
    const findings = await runFlow(dir, env);
    checkpoint(join(dir, '.golive', 'golive.db'));
    return { dir, env, findings };
  })();
  return seeded;
}

/** A copy of the seeded project (spec, service, sources and the store file) under `name`. */
export function copyProject(seed, name) {
  const dir = caseDir(name);
  for (const entry of ['golive.yaml', 'server.js', 'package.json', 'src']) {
    cpSync(join(seed.dir, entry), join(dir, entry), { recursive: true });
  }
  mkdirSync(join(dir, '.golive'));
  copyFileSync(join(seed.dir, '.golive', 'golive.db'), join(dir, '.golive', 'golive.db'));
  return dir;
}

const RECORD_TABLES = ['runs', 'attestations', 'waivers', 'amendments', 'signoffs', 'decisions', 'audit_log'];

/** Rows per record table, read-only: "did this command record anything?" without trusting file times. */
export function recordCounts(dbPath) {
  if (!existsSync(dbPath)) return undefined;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(RECORD_TABLES.map((t) => [t, db.prepare(`select count(*) as n from ${t}`).get().n]));
  } finally {
    db.close();
  }
}
