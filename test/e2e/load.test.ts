import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNet } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, ROOT, serve, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function stallingServer(stallMs: number, periodMs: number): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'test/fixtures/stalling-server.js')], {
    env: { ...process.env, STALL_MS: String(stallMs), PERIOD_MS: String(periodMs), LIFETIME_MS: '40000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => void child.kill());
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return `http://127.0.0.1:${port}/`;
}

describe('golive load', () => {
  it('corrects for coordinated omission: a 500 ms stall every 2 s gives a corrected p99 near 480 ms and a much lower service time', async () => {
    // The accuracy is the requirement: S − 0.01·P = 500 − 20 = 480 ms, within 10 %. A machine so
    // loaded that the server's own stalls were off by more than 5 % (or its loop lagged between
    // them) cannot show it; only then is the run repeated once, and the repeat must pass.
    const attempt = async () => {
      const url = await stallingServer(500, 2000);
      const r = await golive(['load', url, '--rate', '200/s', '-c', '2', '-d', '8s', '--json'], { cwd: tree() });
      expect(r.code, r.stderr).toBe(0);
      const server = (await (await fetch(`${url}stalls`)).json()) as { stalls: number[]; maxLagMs: number };
      const overloaded = server.stalls.some((ms) => Math.abs(ms - 500) > 25) || server.maxLagMs > 48;
      return { result: JSON.parse(r.stdout), overloaded, server };
    };
    const accurate = (p99: number) => p99 > 432 && p99 < 528;
    const first = await attempt();
    const { result, server } = !accurate(first.result.latency.p99) && first.overloaded ? await attempt() : first;
    const context = `server stalls ${JSON.stringify(server)}`;
    expect(result.corrected).toBe(true);
    expect(result.dropped).toBe(0);
    expect(result.requests).toBeGreaterThanOrEqual(1590);
    expect(result.latency.p99, context).toBeGreaterThan(432);
    expect(result.latency.p99, context).toBeLessThan(528);
    expect(result.serviceTime.p99).toBeLessThan(result.latency.p99 / 2);
  }, 60_000);

  it('labels a closed-model run as not corrected and counts statuses and errors', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      res.statusCode = n % 10 === 0 ? 500 : 200;
      res.end('x');
    });
    cleanups.push(s.close);
    const dir = tree();
    const r = await golive(
      ['load', `${s.url}/api`, '-c', '4', '-n', '200', '--threshold', 'load.error_rate < 1%', '--out', 'result.json'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/closed model: latency is service time, not corrected/);
    expect(r.stdout).toMatch(/✖ load.error_rate < 1%/);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(result.corrected).toBe(false);
    expect(result.requests).toBe(200);
    expect(result.statuses).toEqual({ 200: 180, 500: 20 });
    expect(result.errorClasses).toEqual({ status: 20 });
    expect(result.thresholds[0].outcome).toBe('fail');
  });

  it('counts garbage bytes and connections closed mid-response as errors, never a crash', async () => {
    const raw = createNet((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    cleanups.push(() => void raw.close());
    const garbage = createNet((socket) => socket.once('data', () => socket.end('garbage!\r\n\r\n')));
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    cleanups.push(() => void garbage.close());
    const dir = tree();
    for (const [server, cls] of [
      [raw, 'reset'],
      [garbage, 'protocol'],
    ] as const) {
      const port = (server.address() as { port: number }).port;
      const r = await golive(['load', `http://127.0.0.1:${port}/`, '-c', '2', '-n', '20', '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.requests).toBe(20);
      expect(result.errorClasses[cls]).toBe(20);
    }
  });

  it('refuses bad flags and an unreachable host before sending anything', async () => {
    const dir = tree();
    const bad = [
      [['load', 'not a url'], /is not an http\(s\) URL/],
      [['load', 'http://127.0.0.1:1/', '--rate', '10/x'], /--rate: "10\/x" is not a rate/],
      [['load', 'http://127.0.0.1:1/', '-d', '30x'], /--duration: "30x" is not a duration/],
      [['load', 'http://127.0.0.1:1/', '-c', '0'], /--connections/],
      [['load', 'http://127.0.0.1:1/', '--rate', '900000/s'], /more than one process can schedule/],
      [['load', 'http://127.0.0.1:1/', '--threshold', 'load.latency.p95 < 5 parsecs'], /unknown unit/],
      [['load', 'http://127.0.0.1:1/', '-H', 'nocolon'], /-H: "nocolon" is not a header/],
    ] as const;
    for (const [args, message] of bad) {
      const r = await golive([...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const port = await new Promise<number>((resolve) => {
      const s = createNet();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const unreachable = await golive(['load', `http://127.0.0.1:${port}/`, '-d', '1s'], { cwd: dir });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`127.0.0.1:${port} is unreachable`);
  });

  it('runs a test as segments in separate processes and merges them exactly', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    cleanups.push(s.close);
    const dir = tree();
    const seg = (i: number) =>
      golive(['load', `${s.url}/`, '-c', '3', '-n', '301', '--segment', `${i}/2`, '--out', `seg${i}.json`, '--json'], {
        cwd: dir,
      });
    const [one, two] = await Promise.all([seg(1), seg(2)]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(JSON.parse(one.stdout).requests).toBe(151);
    expect(JSON.parse(two.stdout).requests).toBe(150);
    const merged = await golive(
      ['load', 'merge', 'seg1.json', 'seg2.json', '--json', '--threshold', 'load.requests >= 301'],
      { cwd: dir },
    );
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout);
    expect(m.requests).toBe(301);
    expect(m.segments).toBe(2);
    expect(m.thresholds[0].outcome).toBe('pass');
    const missing = await golive(['load', 'merge', 'seg1.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/segment 2\/2 missing/);
    const bad = await golive(['load', 'merge', 'nope.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope.json: no such file/);
  });

  it('ramps the arrival rate through stages', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    cleanups.push(s.close);
    const r = await golive(['load', `${s.url}/`, '--stage', '2s:100/s', '--stage', '1s:100/s', '--json'], {
      cwd: tree(),
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.executor).toBe('ramping-arrival-rate');
    expect(result.corrected).toBe(true);
    expect(result.requests).toBe(200);
    // The window is the stages' length; measured time adds the last responses (a few ms).
    expect(result.windowMs).toBe(3000);
    expect(result.durationMs).toBeGreaterThanOrEqual(3000);
    // 0 → 100/s over 2 s, then 100/s: 25, 75 and 100 arrivals a second. The timeline counts
    // completions, and a late event loop moves some across a second boundary: the shape must
    // hold (each second about 10 % of the run's 200 requests from its plan), the total exactly.
    const perSecond = result.timeline.map((t: { rps: number }) => t.rps);
    expect(perSecond.reduce((a: number, b: number) => a + b, 0)).toBe(200);
    [25, 75, 100].forEach((want, i) =>
      expect(Math.abs((perSecond[i] ?? 0) - want), `second ${i}: ${perSecond}`).toBeLessThanOrEqual(20),
    );
    expect(perSecond[1]).toBeGreaterThan(perSecond[0] * 2);
    const both = await golive(['load', `${s.url}/`, '--stage', '2s:100/s', '--rate', '5'], { cwd: tree() });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --rate or --stage/);
  });

  it('stops early with --abort-on-fail once a threshold can no longer pass', async () => {
    const s = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('no');
    });
    cleanups.push(s.close);
    const r = await golive(
      [
        'load',
        `${s.url}/`,
        '--rate',
        '100/s',
        '-d',
        '20s',
        '--abort-on-fail',
        '--abort-after',
        '500ms',
        '--threshold',
        'load.errors < 5',
        '--json',
      ],
      { cwd: tree() },
    );
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.stoppedBy).toMatch(/abort-on-fail: load.errors < 5 can no longer pass/);
    expect(result.durationMs).toBeLessThan(3000);
    expect(result.thresholds[0].outcome).toBe('fail');
  });

  it('splits a run across worker threads and merges their histograms', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    cleanups.push(s.close);
    const closed = await golive(['load', `${s.url}/`, '-c', '4', '-n', '401', '-w', '2', '--json'], { cwd: tree() });
    expect(closed.code, closed.stderr).toBe(0);
    const c = JSON.parse(closed.stdout);
    expect(c.requests).toBe(401);
    expect(c.statuses).toEqual({ 200: 401 });
    const open = await golive(['load', `${s.url}/`, '--rate', '200/s', '-d', '2s', '-w', '2', '--json'], {
      cwd: tree(),
    });
    expect(open.code, open.stderr).toBe(0);
    const o = JSON.parse(open.stdout);
    expect(o.requests).toBe(400);
    expect(o.dropped).toBe(0);
    expect(o.corrected).toBe(true);
  });
});
