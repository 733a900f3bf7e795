import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../spec/load.js';
import { problemsOf } from './test-helpers.js';
import { smokeOptions, smokeTargets } from './smoke.js';

const spec = (smoke: string) =>
  loadSpecText(
    `version: 1
service: shop
release: v1.4.0
target: { baseUrl: "http://127.0.0.1:8080", headers: { X-Team: checkout } }
drills:
  smoke: ${smoke}
`,
    'golive.yaml',
    {},
  ).spec;

describe('smoke test plan', () => {
  it('defaults to the post-deployment targets of the launch plan: error rate < 0.1 %, p95 < 200 ms', () => {
    const s = spec('{ requests: ["GET /health"] }');
    expect(smokeTargets(s)).toEqual({ maxErrorRate: 0.001, maxP95Ms: 200 });
    expect(s.drills?.smoke).toMatchObject({ rate: '5/s', duration: '5s', checkVersion: true });
  });

  it('is a short constant-arrival-rate run of the requests in order, with the target headers', () => {
    const s = spec(
      '{ requests: ["GET /products", { method: POST, path: /auth/login, json: { user: u }, expect: 200 }], rate: 2/s, duration: 3s, maxErrorRate: 1%, maxP95: 500ms }',
    );
    const o = smokeOptions(s, { 'X-Team': 'checkout' }, '.');
    expect(o).toMatchObject({ executor: 'constant-arrival-rate', rate: 2, durationMs: 3000, iterate: true });
    expect(o.requests.map((r) => `${r.method} ${r.path} ${r.expectStatus ?? ''}`)).toEqual([
      'GET /products ',
      'POST /auth/login 200',
    ]);
    expect(o.requests[1]?.headers).toMatchObject({ 'X-Team': 'checkout', 'Content-Type': 'application/json' });
    expect(smokeTargets(s)).toEqual({ maxErrorRate: 0.01, maxP95Ms: 500 });
  });

  it('refuses a smoke rate above 50/s', () => {
    expect(problemsOf(() => spec('{ requests: ["GET /"], rate: 200/s }'))).toMatch(
      /drills\.smoke\.rate: the smoke rate must be between 0 and 50\/s/,
    );
  });
});
