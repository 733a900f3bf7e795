import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedFromRows } from './data.js';
import { runLoad, validateLoadOptions, type LoadOptions, type LoadRequest } from './engine.js';

describe('the end of an open-model run', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('slow'), 300);
      else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const twoSteps = (): LoadOptions => ({
    baseUrl: url,
    requests: [
      { name: 'slow', method: 'GET', path: '/slow' },
      { name: 'fast', method: 'GET', path: '/fast' },
    ],
    iterate: true,
    executor: 'constant-arrival-rate',
    rate: 10,
    connections: 10,
    durationMs: 500,
    timeoutMs: 5000,
  });

  it('lets an iteration started before the end run all its steps', async () => {
    // Arrivals at 0, 100 … 400 ms; the first step takes 300 ms, so most second steps start after the end.
    const r = await runLoad(twoSteps());
    expect(r.perRequest.slow?.requests).toBe(5);
    expect(r.perRequest.fast?.requests).toBe(5);
    expect(r.errors).toBe(0);
  });

  it('admits the arrivals already due when its timer fires after the end (a busy machine)', async () => {
    const run = runLoad(twoSteps());
    // Block this thread past the end: the arrivals at 100 … 400 ms are due by the time a timer runs again.
    const until = Date.now() + 700;
    while (Date.now() < until) {
      // busy
    }
    const r = await run;
    expect(r.requests).toBe(10);
    expect(r.dropped).toBe(0);
  });
});

describe('the graceful stop, in every executor', () => {
  let server: Server;
  let url: string;
  /** Requests received per run tag: what the engine really sent. */
  const seen = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const tag = req.url ?? '';
      seen.set(tag, (seen.get(tag) ?? 0) + 1);
      setTimeout(() => res.end('late'), 5000);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  const stalled = (tag: string, o: Partial<LoadOptions>): LoadOptions => ({
    baseUrl: url,
    requests: [{ name: tag, method: 'GET', path: `/${tag}` }],
    executor: 'constant-connections',
    connections: 3,
    durationMs: 300,
    gracefulStopMs: 200,
    timeoutMs: 10_000,
    ...o,
  });

  it.each([
    ['constant-arrival-rate', { executor: 'constant-arrival-rate', rate: 20 }, 3],
    ['ramping-arrival-rate', { executor: 'ramping-arrival-rate', stages: [{ durationMs: 300, target: 40 }] }, 3],
    ['constant-connections', { executor: 'constant-connections' }, 3],
    [
      'ramping-connections',
      { executor: 'ramping-connections', startConnections: 3, stages: [{ durationMs: 300, target: 3 }] },
      3,
    ],
  ] as const)('%s: nothing new after the duration; what is in flight is cut after the grace', async (tag, o, sent) => {
    const t0 = performance.now();
    const r = await runLoad(stalled(tag, o as Partial<LoadOptions>));
    expect(seen.get(`/${tag}`)).toBe(sent);
    expect(r.interrupted).toBe(sent);
    expect(r.errorClasses.interrupted).toBe(sent);
    expect(r.stoppedBy).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(4000); // a hang guard: the responses take 5 s
  });

  it('an interrupt cuts at once, even after the duration, while the grace runs', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 600);
    const t0 = performance.now();
    const r = await runLoad(stalled('late-interrupt', { gracefulStopMs: 30_000, signal: controller.signal }));
    expect(r.stoppedBy).toBe('interrupted');
    expect(r.interrupted).toBe(3);
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('a grace of 0 cuts at the end of the duration', async () => {
    const r = await runLoad(stalled('no-grace', { gracefulStopMs: 0 }));
    expect(r.interrupted).toBe(3);
  });
});

describe('values filled in from data or extracts', () => {
  let server: Server;
  let url: string;
  /** Each request as the server saw it: its target and the headers it got. */
  const seen: Array<{ url: string; headers: Record<string, unknown> }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('percent-encode spaces in a path; CR/LF in a path or header value is an invalid-request error, never sent', async () => {
    const rows = [
      { sku: 'a b', tag: 'ok' },
      { sku: 'x\r\nHost: evil', tag: 'ok' },
      { sku: 'c', tag: 'v\r\nX-Injected: 1' },
      { sku: 'd', tag: 'nul\0' },
    ];
    const r = await runLoad({
      baseUrl: url,
      requests: [{ name: 'item', method: 'GET', path: '/items/${sku}', headers: { 'X-Tag': '${tag}' } }],
      iterate: true,
      data: feedFromRows(rows, 'unique'),
      executor: 'constant-connections',
      connections: 1,
      maxRequests: 4,
      timeoutMs: 5000,
    });
    expect(seen.map((s) => s.url)).toEqual(['/items/a%20b']);
    expect(seen.some((s) => 'x-injected' in s.headers || s.headers.host === 'evil')).toBe(false);
    expect(r.errorClasses['invalid-request']).toBe(3);
    expect(r.errors).toBe(3);
    expect(r.ok).toBe(1);
  });

  it('refuses a written path or header that would break the request, before sending', () => {
    const base = { baseUrl: url, executor: 'constant-connections', connections: 1, maxRequests: 1 } as const;
    const bad: LoadRequest[] = [
      { name: 'p', method: 'GET', path: '/a b' },
      { name: 'p', method: 'GET', path: '/a\r\nX: 1' },
      { name: 'h', method: 'GET', path: '/', headers: { 'Bad Name': 'v' } },
      { name: 'h', method: 'GET', path: '/', headers: { 'X-Ok': 'v\r\nX-Injected: 1' } },
    ];
    for (const req of bad)
      expect(() => validateLoadOptions({ ...base, requests: [req] }), JSON.stringify(req)).toThrow(
        /path: .*must start with \/|--header: .* is not a header/,
      );
  });
});
