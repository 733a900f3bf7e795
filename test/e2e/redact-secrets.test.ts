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
