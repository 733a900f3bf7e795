import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, tree } from '../helpers.js';

/** Every file under `dir`, read as bytes (the SQLite database and its journal included). */
function allBytes(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allBytes(p));
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

function hits(dir: string, needles: string[]): string[] {
  return allBytes(dir).flatMap(({ path, bytes }) =>
    needles.filter((n) => bytes.includes(Buffer.from(n))).map((n) => `${path}: ${n}`),
  );
}

// Mixed case and a dash, so a metric-safe form of a request name (lowercase, `_`) is a different string.
const TOKEN = 'Zq7-Tk93wPxL'; // golive:allow (test value)
const OPAQUE = 'opq-58Hd2vKa'; // golive:allow (test value)
const TENANT = 'tenant-77Qe3'; // golive:allow (test value)
const forms = (v: string): string[] => [v, v.toLowerCase().replace(/[^a-z0-9]+/g, '_')];

let server: Awaited<ReturnType<typeof serve>>;
let port: string;
beforeAll(async () => {
  const ops = opsHandler();
  server = await serve((req, res) => {
    if (req.url?.startsWith('/x') || req.url?.startsWith('/y')) {
      res.setHeader('content-type', 'application/json');
      return res.end('{"ok":true}');
    }
    ops(req, res);
  });
  port = new URL(server.url).port;
});
afterAll(() => server.close());

const spec = `version: 1
service: shop
release: v1.0.0
secrets: [OPAQUE]
target:
  baseUrl: http://127.0.0.1:\${PORT}
  headers: { X-Tenant: "\${TENANT}" }
thresholds:
  load.error_rate: "< 1%"
probes:
  ops: {}
load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 20/s
      duration: 1s
      requests:
        - GET /x?k=\${TOKEN}
        - GET /y?v=\${OPAQUE}
drills:
  smoke:
    requests: ["GET /x?k=\${TOKEN}", "GET /y?v=\${OPAQUE}"]
    rate: 10/s
    duration: 1s
criteria:
  - { id: AC-1, type: AC, title: Load, thresholds: [load.error_rate] }
`;

describe('secrets in requests and the target URL', () => {
  it('keeps secrets used in request paths and headers out of the store, every report, the artifacts and stdout, and shows the target URL', async () => {
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir, env: { PORT: port, TOKEN, OPAQUE, TENANT } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const needles = [...forms(TOKEN), ...forms(OPAQUE), TENANT];
    expect(hits(join(dir, '.golive'), needles)).toEqual([]);
    expect(hits(join(dir, 'golive-report'), needles)).toEqual([]);
    for (const n of needles) expect(r.stdout + r.stderr).not.toContain(n);
    // The per-request metrics are there, with the secret masked in their names.
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const load = json.evidence.find((e: { collector: string }) => e.collector === 'load');
    expect(Object.keys(load.data.scenarios.browse.perRequest).sort()).toEqual([
      'GET /x?k=[redacted]',
      'GET /y?v=[redacted]',
    ]);
    expect(load.metrics.map((m: { name: string }) => m.name)).toContain('load.browse.get_x_k_redacted.latency.p95');
    // The port came from the environment, but the target is always shown.
    expect(r.stdout).toContain(`target http://127.0.0.1:${port}`);
    expect(json.run.baseUrl).toBe(`http://127.0.0.1:${port}/`.replace(/\/$/, ''));
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toContain(`http://127.0.0.1:${port}`);
    expect(md).not.toContain('127.0.0.1:[redacted]');
    const html = readFileSync(join(dir, 'golive-report', 'report.html'), 'utf8');
    expect(html).toContain(`http://127.0.0.1:${port}`);
  });
});

// What the target prints goes to .golive/runs/<id>/target.log: it sees the whole environment.
const DB_PASSWORD = 'hunter22-Db9'; // golive:allow (test value)
const DEPLOY_TOKEN = 'dpl-7Hq2xZ41'; // golive:allow (test value)
const ADMIN_PW = 'adm1n-Pw55'; // golive:allow (test value)
const DB_URL_PW = 'xx12345-mysql'; // golive:allow (test value)
const QUERY_KEY = 'qk-5512aaZ'; // golive:allow (test value)
// Never used by the spec: a plain-word value under a strong name, and a password inside a URL.
const SMTP_PASSWORD = 'correcthorsebatterystaple'; // golive:allow (test value)
const ORDERS_DB_PW = 's3cretpw99'; // golive:allow (test value)
const API_KEY = '250000'; // as long as a secret may be, and the same text as a threshold and a criterion id

const printingServer = `const env = process.env;
console.log('db password ' + env.DB_PASSWORD + ' deploy token ' + env.DEPLOY_TOKEN);
console.log('database ' + env.DATABASE_URL + ' args ' + process.argv.slice(2).join(' '));
console.log('orders ' + env.ORDERS_DATABASE_URL + ' smtp ' + env.SMTP_PASSWORD);
require('http').createServer((q, s) => s.end('ok')).listen(Number(env.PORT), '127.0.0.1');
`;

const printingSpec = `version: 1
service: shop
release: v1.0.0
secrets: [DB_PASSWORD]
target:
  baseUrl: http://127.0.0.1:\${PORT}/?api_key=${QUERY_KEY}
  headers: { X-Api-Key: "\${API_KEY}" }
  start:
    command: node srv.js --admin \${ADMIN_PW}
    env: { DATABASE_URL: "\${DB}" }
    ready: /
    timeout: 20s
thresholds:
  ops.endpoints.failing: "< 250000"
probes:
  ops: { version: false, metrics: false, status: false }
criteria:
  - { id: AC-250000, type: AC, title: No failing endpoint, thresholds: [ops.endpoints.failing] }
`;

describe('secrets the target can print, and text the gate reads', () => {
  it('redacts declared and secret-named variables the spec never uses, credentials inside values, and keeps thresholds and ids', async () => {
    const dir = tree({ 'golive.yaml': printingSpec, 'srv.js': printingServer });
    const { freePort } = await import('../servers/free-port.js');
    const env = {
      PORT: String(await freePort()),
      DB_PASSWORD,
      DEPLOY_TOKEN,
      ADMIN_PW,
      API_KEY,
      DB: `mysql://root@db/shop?password=${DB_URL_PW}`,
      ORDERS_DATABASE_URL: `postgres://app:${ORDERS_DB_PW}@db/orders`,
      SMTP_PASSWORD,
    };
    const r = await golive(['check'], { cwd: dir, env, timeoutMs: 90_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const needles = [DB_PASSWORD, DEPLOY_TOKEN, ADMIN_PW, DB_URL_PW, QUERY_KEY, SMTP_PASSWORD, ORDERS_DB_PW];
    expect(hits(join(dir, '.golive'), needles)).toEqual([]);
    expect(hits(join(dir, 'golive-report'), needles)).toEqual([]);
    for (const n of needles) expect(r.stdout + r.stderr).not.toContain(n);

    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const runDir = join(dir, '.golive', 'runs', json.run.id);
    const log = readFileSync(join(runDir, 'target.log'), 'utf8');
    expect(log).toContain('db password [redacted] deploy token [redacted]');
    expect(log).toContain('database mysql://root@db/shop?password=[redacted] args --admin [redacted]');
    // Unused by the spec, but the target sees them: only the URL's password is masked, the rest is shown.
    expect(log).toContain('orders postgres://app:[redacted]@db/orders smtp [redacted]');
    // The target's origin and path are shown, its secret parameter is not.
    expect(json.run.baseUrl).toBe(`http://127.0.0.1:${env.PORT}/?api_key=[redacted]`);
    // API_KEY is a secret (a header value), but the threshold and criterion id written in the spec are kept whole.
    expect(json.evaluation.thresholds[0]).toMatchObject({ expr: '< 250000', outcome: 'pass' });
    expect(json.evaluation.criteria[0]).toMatchObject({ id: 'AC-250000', status: 'Met' });
    expect(json.run.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  });
});
