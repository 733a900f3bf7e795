import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, golive, serve, tree } from '../helpers.js';

/**
 * The end of a run against a target that cannot keep up: `/slow` answers after
 * 5 s; `/queue` serves one request at a time, 20 ms each (about 50 a second).
 * Each path counts what it received, per run tag (`?run=…`), so a test sees
 * how many requests golive really sent.
 */
const seen = new Map<string, number>();
let url = '';
let close: () => Promise<void>;
let queue = Promise.resolve();
beforeAll(async () => {
  const s = await serve((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const tag = u.searchParams.get('run') ?? '';
    seen.set(tag, (seen.get(tag) ?? 0) + 1);
    if (u.pathname === '/slow') return void setTimeout(() => res.end('slow'), 5000);
    if (u.pathname === '/queue') {
      queue = queue.then(() => new Promise<void>((r) => setTimeout(() => (res.end('ok'), r()), 20)));
      return;
    }
    res.end('ok');
  });
  url = s.url;
  close = s.close;
});
afterAll(() => close());

/** Runs golive and measures its wall time (a hang guard only, never a timing assertion). */
async function timed(args: string[]) {
  const t0 = Date.now();
  const r = await golive(args, { cwd: tree(), timeoutMs: 40_000 });
  return { ...r, wallMs: Date.now() - t0 };
}

describe('golive load stops at the end of its duration', () => {
  it('open model: sends nothing after -d, cuts what is in flight after --graceful-stop and counts it as interrupted', async () => {
    // 20 arrivals/s for 2 s on 10 connections, each held 5 s: 10 requests go out, 30 arrivals find no free
    // connection before the cut. They used to be sent after the end, 10 every 5 s, for 20 s.
    const r = await timed([
      'load',
      `${url}/slow?run=open`,
      '--rate',
      '20/s',
      '-d',
      '2s',
      '--graceful-stop',
      '1s',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(seen.get('open')).toBe(10);
    expect(result.interrupted).toBe(10);
    expect(result.errorClasses.interrupted).toBe(10);
    expect(result.dropped).toBe(30);
    expect(result.statuses).toEqual({});
    expect(result.rps).toBe(0);
    expect(result.offeredRps).toBe(20);
    expect(result.fallingBehind).toMatch(/30 arrivals dropped/);
    expect(r.wallMs).toBeLessThan(2000 + 1000 + 5000 + 3000); // duration + grace + start-up + slack
  });

  it('the default 5 s grace: the first responses come back, what went out after them is cut; rps is what was served', async () => {
    // The 10 responses come at 5 s; the arrivals that came due before the end and waited for a connection
    // take the freed connections, and are cut when the grace ends at 7 s.
    const r = await timed(['load', `${url}/slow?run=served`, '--rate', '20/s', '-d', '2s', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.statuses).toEqual({ 200: 10 });
    expect(result.interrupted).toBe(10);
    expect(result.dropped).toBe(20);
    expect(seen.get('served')).toBe(20);
    // Measured time runs to the cut (7 s), not the 2 s window: 10 responses in 7 s.
    expect(result.durationMs).toBeGreaterThanOrEqual(7000);
    expect(result.windowMs).toBe(2000);
    expect(result.rps).toBeLessThan(1.5);
    expect(result.rps).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/"fallingBehind": "20 arrivals dropped/);
    expect(r.wallMs).toBeLessThan(2000 + 5000 + 5000);
  });

  it('closed model and worker threads: no new request after -d, the rest cut after the grace', async () => {
    const closed = await timed([
      'load',
      `${url}/slow?run=closed`,
      '-c',
      '3',
      '-d',
      '1s',
      '--graceful-stop',
      '500ms',
      '--json',
    ]);
    expect(closed.code, closed.stderr).toBe(0);
    expect(seen.get('closed')).toBe(3);
    expect(JSON.parse(closed.stdout).interrupted).toBe(3);
    expect(closed.wallMs).toBeLessThan(1000 + 500 + 5000 + 3000);

    const workers = await timed([
      'load',
      `${url}/slow?run=workers`,
      '--rate',
      '20/s',
      '-c',
      '4',
      '-d',
      '1s',
      '-w',
      '2',
      '--graceful-stop',
      '500ms',
      '--json',
    ]);
    expect(workers.code, workers.stderr).toBe(0);
    const w = JSON.parse(workers.stdout);
    expect(seen.get('workers')).toBe(4);
    expect(w.interrupted).toBe(4);
    expect(w.dropped).toBe(16);
    expect(workers.wallMs).toBeLessThan(1000 + 500 + 5000 + 3000);
  });

  it('refuses a bad --graceful-stop', async () => {
    const r = await golive(['load', 'http://127.0.0.1:1/', '--graceful-stop', 'soon'], { cwd: tree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--graceful-stop: "soon" is not a duration/);
  });
});

/** Spawns golive and sends Ctrl-C `afterMs` after its first progress line (about 0.25 s into the run). */
function interruptAfter(args: string[], afterMs: number) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tree(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sentAt = 0;
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!timer && /req\/s/.test(stderr)) {
      timer = setTimeout(() => {
        sentAt = Date.now();
        child.kill('SIGINT');
      }, afterMs);
    }
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string; afterSigintMs: number }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, afterSigintMs: sentAt ? Date.now() - sentAt : Infinity });
    }),
  );
}

describe('Ctrl-C against a slow target', () => {
  it('during the run: stops at once, keeps the partial result, exits 3', async () => {
    const r = await interruptAfter(['load', `${url}/slow?run=sigint`, '--rate', '20/s', '-d', '10s', '--json'], 750);
    expect(r.code, r.stderr).toBe(3);
    const result = JSON.parse(r.stdout);
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.interrupted).toBeGreaterThan(0);
    expect(r.afterSigintMs).toBeLessThan(4000); // the responses would take 5 s
  });

  it('after the duration, while requests drain: still stops at once and exits 3', async () => {
    // A long grace, so only the interrupt can end the run before the 5 s responses.
    const r = await interruptAfter(
      ['load', `${url}/slow?run=late`, '--rate', '20/s', '-d', '1s', '--graceful-stop', '30s', '--json'],
      1750,
    );
    expect(r.code, r.stderr).toBe(3);
    const result = JSON.parse(r.stdout);
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.interrupted).toBe(10);
    expect(r.afterSigintMs).toBeLessThan(4000);
  });
});

describe('load.rps is the throughput achieved, not the rate asked for', () => {
  it('a target serving ~50/s driven at 200/s: rps well under the offered rate, the threshold fails, falling behind is said', async () => {
    const r = await timed([
      'load',
      `${url}/queue?run=rps`,
      '--rate',
      '200/s',
      '-d',
      '2s',
      '--graceful-stop',
      '1s',
      '--threshold',
      'load.rps >= 190',
      '--threshold',
      'load.offered_rps >= 190',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✖ load\.rps >= 190/);
    expect(r.stdout).toMatch(/✔ load\.offered_rps >= 190/);
    const achieved = Number(/requests \d+ {2}· {2}([\d.]+) req\/s/.exec(r.stdout)?.[1]);
    expect(achieved).toBeLessThan(120);
    expect(r.stdout).toMatch(/offered 200\.0\/s/);
    expect(r.stdout).toMatch(/falling behind/);
    expect(r.wallMs).toBeLessThan(2000 + 1000 + 5000 + 3000);
  });
});
