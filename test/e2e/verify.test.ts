import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/model.js';
import { golive, serve, tree, type Handler } from '../helpers.js';

/** A service with a version endpoint and critical paths; `slowMs` delays /payments, `failPayments` makes it 500. */
function checkout(o: { version?: string; slowMs?: number; failPayments?: boolean; seen?: string[] } = {}): Handler {
  return (req, res) => {
    o.seen?.push(`${req.method} ${req.url} ${req.headers['x-team'] ?? ''}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/version') return json(200, { version: o.version ?? 'v1.4.0' });
    if (req.url === '/auth/login' && req.method === 'POST') return json(200, { token: 't0k3n' });
    if (req.url === '/payments' && req.method === 'POST') {
      const answer = () => (o.failPayments ? json(500, { error: 'down' }) : json(201, { id: 1 }));
      return o.slowMs ? void setTimeout(answer, o.slowMs) : answer();
    }
    return json(404, { error: 'not found' });
  };
}

const spec = (url: string, smoke = '') => `version: 1
service: checkout-api
release: v1.4.0
target:
  baseUrl: ${url}
  headers: { X-Team: checkout }
drills:
  smoke:
    requests:
      - { method: POST, path: /auth/login, json: { user: u1, password: pw }, expect: 200 }
      - { method: POST, path: /payments, json: { amount: 10 }, name: payment }
    rate: 5/s
    duration: 1s
${smoke}
`;

const evidenceOf = (dir: string): Evidence =>
  JSON.parse(readFileSync(join(dir, 'golive-report', 'drill.smoke', 'evidence.json'), 'utf8')) as Evidence;

describe('golive verify (post-deployment smoke test)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('passes when the critical paths meet the post-deployment targets, and says so', async () => {
    const seen: string[] = [];
    const srv = await serve(checkout({ seen }));
    close = srv.close;
    const dir = tree({ 'golive.yaml': spec(srv.url) });
    const r = await golive(['verify'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /✔ drill\.smoke: \d+ requests on 2 critical paths · error rate 0\.00 % · p95 .* post-deployment targets met/,
    );
    expect(r.stdout).toMatch(/✔ drill\.smoke\.version\s+GET \/version reports v1\.4\.0/);
    expect(r.stdout).toMatch(/✔ drill\.smoke\.error_rate\s+error rate 0\.00 % \(0 of \d+\), target < 0\.1%/);
    expect(r.stdout).toMatch(/✔ drill\.smoke\.payment\s+payment: \d+ requests, 0 errors/);
    const ev = evidenceOf(dir);
    const requests = ev.metrics.find((m) => m.name === 'drill.smoke.requests')?.value ?? 0;
    // Low and bounded: 5 iterations/s for 1 s, two requests each.
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(12);
    expect(ev.metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(['drill.smoke.latency.p95', 'drill.smoke.error_rate', 'drill.smoke.payment.latency.p95']),
    );
    // Each iteration runs the paths in order, with the target headers.
    expect(seen.filter((l) => l.startsWith('POST')).slice(0, 2)).toEqual([
      'POST /auth/login checkout',
      'POST /payments checkout',
    ]);
  });

  it('exits 1 when p95 misses the 200 ms target', async () => {
    const srv = await serve(checkout({ slowMs: 300 }));
    close = srv.close;
    const dir = tree({ 'golive.yaml': spec(srv.url) });
    const r = await golive(['verify'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✖ drill\.smoke\.latency\s+p95 \d+(\.\d+)? ms, target < 200ms/);
    expect(r.stdout).toMatch(/failing: drill\.smoke\.latency/);
  });

  it('exits 1 when a critical path fails, naming it; the targets can be set in the spec', async () => {
    const srv = await serve(checkout({ failPayments: true }));
    close = srv.close;
    const dir = tree({ 'golive.yaml': spec(srv.url, '    maxErrorRate: 60%\n    maxP95: 1s') });
    const r = await golive(['verify', '--json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = JSON.parse(r.stdout) as Evidence;
    expect(ev.status).toBe('fail');
    // Half the requests fail: under the 60 % allowed, but the payment path itself fails.
    expect(ev.checks.find((c) => c.id === 'drill.smoke.error_rate')?.status).toBe('pass');
    expect(ev.checks.find((c) => c.id === 'drill.smoke.payment')).toMatchObject({ status: 'fail' });
    expect(ev.checks.find((c) => c.id === 'drill.smoke.post_auth_login')).toMatchObject({ status: 'pass' });
  });

  it('exits 1 when the target reports another version than the release', async () => {
    const srv = await serve(checkout({ version: 'v1.3.2' }));
    close = srv.close;
    const dir = tree({ 'golive.yaml': spec(srv.url) });
    const r = await golive(['verify'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ drill\.smoke\.version\s+GET \/version reports v1\.3\.2, expected v1\.4\.0/);
  });

  it('names itself in a flag error', async () => {
    const r = await golive(['verify', '--bogus'], { cwd: tree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive verify: Unknown option '--bogus'/);
    expect(r.stderr).toMatch(/usage: golive verify \[-c FILE\]/);
  });

  it('exits 2 with a hint when the spec has no drills.smoke', async () => {
    const dir = tree({
      'golive.yaml': 'version: 1\nservice: s\nrelease: v1\ntarget: { baseUrl: "http://127.0.0.1:9" }\n',
    });
    const r = await golive(['verify'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_SPEC_INVALID.*does not configure drill\.smoke/);
    expect(r.stderr).toMatch(/hint:/);
  });
});
