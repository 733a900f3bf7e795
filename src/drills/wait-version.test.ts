import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForVersion } from './wait-version.js';

/** A service whose /version answers, in turn, the listed versions (the last one repeats); /health is 200. */
async function flapping(versions: string[]): Promise<{ url: string; server: Server; polls: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    if (req.url === '/health') return void res.end('ok');
    const v = versions[Math.min(n++, versions.length - 1)];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ version: v }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, polls: () => n };
}

const opts = (url: string) => ({
  healthUrl: `${url}/health`,
  versionUrl: `${url}/version`,
  headers: {},
  want: 'v1.3.2',
  requestTimeoutMs: 1000,
  signal: new AbortController().signal,
  pollMs: 10,
});

describe('waitForVersion', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('counts only a stretch of good answers that holds: a flap back starts it over', async () => {
    const s = await flapping(['v1.4.0', 'v1.3.2', 'v1.4.0', 'v1.3.2']);
    server = s.server;
    const r = await waitForVersion({ ...opts(s.url), deadline: performance.now() + 5000, settleMs: 30 });
    expect(r.ok).toBe(true);
    // The stretch began at the 4th poll, after the flap back to v1.4.0 on the 3rd.
    expect(s.polls()).toBeGreaterThanOrEqual(5);
    expect(r.settledAt! - r.stableSince!).toBeGreaterThanOrEqual(30);
    expect(r.last).toBe('health HTTP 200, version v1.3.2');
  });

  it('gives up at the deadline, saying what it last saw', async () => {
    const s = await flapping(['v1.4.0']);
    server = s.server;
    const r = await waitForVersion({ ...opts(s.url), deadline: performance.now() + 100, settleMs: 0 });
    expect(r).toMatchObject({ ok: false, last: 'health HTTP 200, version v1.4.0' });
  });

  it('restarts the stretch when something else saw a bad answer inside it (probe traffic)', async () => {
    const s = await flapping(['v1.3.2']);
    server = s.server;
    let disturbances = 2;
    const seen: number[] = [];
    const r = await waitForVersion({
      ...opts(s.url),
      deadline: performance.now() + 5000,
      settleMs: 0,
      disturbedSince: (since) => {
        seen.push(since);
        return disturbances-- > 0 ? 'a probe request was answered by v1.4.0' : undefined;
      },
    });
    expect(r.ok).toBe(true);
    // Twice the stretch was broken and restarted from a later poll.
    expect(new Set(seen).size).toBeGreaterThanOrEqual(2);
    expect(r.stableSince).toBe(seen.at(-1));
  });

  it('stops early with the reason stopWhen gives, and waits for `ready` before counting', async () => {
    const s = await flapping(['v1.3.2']);
    server = s.server;
    const stopped = await waitForVersion({
      ...opts(s.url),
      deadline: performance.now() + 5000,
      settleMs: 0,
      stopWhen: () => 'the rollback command failed',
    });
    expect(stopped).toMatchObject({ ok: false, stoppedBy: 'the rollback command failed' });
    let ready = false;
    setTimeout(() => (ready = true), 50);
    const r = await waitForVersion({
      ...opts(s.url),
      deadline: performance.now() + 5000,
      settleMs: 0,
      ready: () => ready,
    });
    expect(r.ok).toBe(true);
    expect(ready).toBe(true);
  });
});
