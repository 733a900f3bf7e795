import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type LoadOptions } from './engine.js';

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
