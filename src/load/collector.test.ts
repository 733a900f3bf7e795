import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadScenario } from '../spec/schema.js';
import { scenarioOptions } from './collector.js';
import { runLoad } from './engine.js';

const scenario = (over: Partial<LoadScenario>): LoadScenario =>
  ({ executor: 'constant-arrival-rate', rate: '10/s', requests: ['GET /'], timeout: '5s', ...over }) as LoadScenario;

describe('scenario durations', () => {
  it('gives a ramp no default duration: it lasts as long as its stages', () => {
    const ramp = scenarioOptions(
      scenario({ executor: 'ramping-arrival-rate', rate: undefined, stages: [{ duration: '2m', target: '50/s' }] }),
      'http://127.0.0.1:1/',
      {},
    );
    expect(ramp.durationMs).toBeUndefined();
    const conns = scenarioOptions(
      scenario({ executor: 'ramping-connections', rate: undefined, stages: [{ duration: '2500ms', target: 4 }] }),
      'http://127.0.0.1:1/',
      {},
    );
    expect(conns.durationMs).toBeUndefined();
    // The constant executors keep their 10 s default.
    expect(scenarioOptions(scenario({}), 'http://127.0.0.1:1/', {}).durationMs).toBe(10_000);
  });

  it('passes a scenario gracefulStop to the engine, and leaves the engine default (5 s) otherwise', () => {
    expect(scenarioOptions(scenario({ gracefulStop: '1500ms' }), 'http://127.0.0.1:1/', {}).gracefulStopMs).toBe(1500);
    expect(scenarioOptions(scenario({}), 'http://127.0.0.1:1/', {}).gracefulStopMs).toBeUndefined();
  });
});

describe('ramp length against a duration', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const base = () => ({
    baseUrl: url,
    requests: [{ name: 'GET /', method: 'GET', path: '/', headers: {} }],
    timeoutMs: 5000,
  });

  it('a ramping-arrival-rate run lasts its stages, not a longer duration', async () => {
    const r = await runLoad({
      ...base(),
      executor: 'ramping-arrival-rate',
      stages: [{ durationMs: 500, target: 40 }],
      connections: 4,
      durationMs: 10_000,
    });
    expect(r.windowMs).toBe(500);
    expect(r.durationMs).toBeGreaterThanOrEqual(500);
    expect(r.errors).toBe(0);
  });

  it('a shorter duration cuts the ramp', async () => {
    const r = await runLoad({
      ...base(),
      executor: 'ramping-arrival-rate',
      stages: [{ durationMs: 60_000, target: 40 }],
      connections: 4,
      durationMs: 400,
    });
    expect(r.windowMs).toBe(400);
    expect(r.durationMs).toBeGreaterThanOrEqual(400);
  });

  it('a ramping-connections run stops at the end of its stages', async () => {
    const r = await runLoad({
      ...base(),
      executor: 'ramping-connections',
      stages: [{ durationMs: 500, target: 2 }],
      startConnections: 1,
      connections: 2,
      durationMs: 10_000,
    });
    expect(r.durationMs).toBeLessThan(2000);
    expect(r.timeline.length).toBe(1);
  });
});
