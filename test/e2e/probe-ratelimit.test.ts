import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { golive, serve, tree } from '../helpers.js';
import { check, metric, probe } from './probe-helpers.js';

/** A blog that counts every request it gets, and every record a POST creates. Never rate limited. */
const hits = new Map<string, number>();
let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await serve((req, res) => {
    const key = `${req.method} ${req.url}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'POST' ? '{"created":true}' : '[]');
    });
  });
});
afterAll(() => server.close());
beforeEach(() => hits.clear());

const spec = (publicRoutes: string, extra = '') => `version: 1
service: blog
release: v1.0.0
target: { baseUrl: "${server.url}" }
probes:
  security:
    run: [ratelimit]
    public: ${publicRoutes}
    burst: 12
    burstRate: 200/s
criteria:
  - { id: AC-1, type: AC, title: The security probes ran, evidence: [security] }
roles:
  QA Lead: kim@example.com
signoff:
  required: [QA Lead]
${extra}`;

describe('the rate-limit probe never writes unless a route opts in', () => {
  it('skips a POST route without allowWrites (not one request), bursts the GET route, and validate warns', async () => {
    const dir = tree({ 'golive.yaml': spec('[POST /posts, GET /posts]') });
    const v = await golive(['validate'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /golive\.yaml:\d+:\d+.*public route POST \/posts writes \(POST\): the rate-limit probe skips it.*\n.*allowWrites: true/,
    );

    const { code, ev, stderr } = await probe(['-c', 'golive.yaml'], { cwd: dir });
    expect(code, stderr).toBe(0); // GET /posts is not rate limited: a medium finding, below --fail-on high
    expect(hits.get('POST /posts')).toBeUndefined();
    expect(hits.get('GET /posts')).toBe(12);
    const rl = check(ev, 'security.ratelimit');
    expect(rl?.status).toBe('fail');
    expect(ev.findings.map((f) => f.location)).toEqual(['GET /posts']);
    expect(ev.findings[0]?.evidence).toMatch(/12 requests at up to 200\/s/);
    expect(metric(ev, 'security.ratelimit.requests')).toBe(12);
    // The plan of the burst is in the evidence, and the skipped route says why.
    expect(ev.data?.burst).toEqual({ count: 12, rate: '200/s' });
    const rows = ev.data?.ratelimit as { route: string; skipped?: string; burst?: unknown }[];
    expect(rows.find((r) => r.route === 'POST /posts')?.skipped).toMatch(/no request sent.*allowWrites: true/);
    expect(rows.find((r) => r.route === 'GET /posts')?.burst).toEqual({ count: 12, rate: '200/s' });
  });

  it('shows a check with only write routes as not checked, in the reports too', async () => {
    const dir = tree({ 'golive.yaml': spec('[POST /posts]') });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(hits.size).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const ev = json.evidence.find((e: { collector: string }) => e.collector === 'security');
    expect(check(ev, 'security.ratelimit')).toEqual({
      id: 'security.ratelimit',
      status: 'skipped',
      summary:
        "not checked: POST /posts writes, and a burst would change the target's data; add allowWrites: true to probe it",
    });
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(/security\.ratelimit.*not checked: POST \/posts writes/);
  });

  it('bursts a write route the spec opts in with allowWrites: true, at most burst times', async () => {
    const dir = tree({ 'golive.yaml': spec('[{ route: POST /posts, allowWrites: true }]') });
    const { ev, stderr } = await probe(['-c', 'golive.yaml'], { cwd: dir });
    expect(hits.get('POST /posts'), stderr).toBe(12);
    expect(ev.findings.map((f) => f.rule)).toEqual(['ratelimit.missing']);
    // Without a spec, --allow-writes opts the --public routes in; without it they are skipped.
    hits.clear();
    const only = ['--only', 'ratelimit', '--public', 'POST /posts', '--burst', '5'];
    await probe([server.url, ...only]);
    expect(hits.size).toBe(0);
    await probe([server.url, ...only, '--burst-rate', '100/s', '--allow-writes']);
    expect(hits.get('POST /posts')).toBe(5);
  });

  it('refuses a burst rate out of range, naming the place', async () => {
    const dir = tree({ 'golive.yaml': spec('[GET /posts]').replace('200/s', '5000/s') });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive\.yaml:10:\d+: the burst rate must be above 0 and at most 1000\/s/);
    expect(hits.size).toBe(0);
  });
});
