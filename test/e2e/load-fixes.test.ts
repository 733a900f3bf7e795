import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { golive, ROOT, serve, tree } from '../helpers.js';

/** Review fixes of the load engine (issue 10): one server for the file, counting what reaches it. */
let url: string;
let seen: string[] = [];
let close: () => Promise<void>;
beforeAll(async () => {
  const s = await serve((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  url = s.url;
  close = s.close;
});
afterAll(() => close());

describe('golive load range-checks the share a --segment runs, not the whole test', () => {
  it('a rate above one process is accepted when the segments split it, and refused with the count it needs when not', async () => {
    const ok = await golive(['load', `${url}/`, '--rate', '400000/s', '--segment', '1/4', '-n', '8', '--json'], {
      cwd: tree(),
    });
    expect(ok.code, ok.stderr).toBe(0);
    const r = JSON.parse(ok.stdout);
    expect(r.segment).toEqual({ index: 1, count: 4 });
    expect(r.requests).toBe(2);

    const few = await golive(['load', `${url}/`, '--rate', '900000/s', '--segment', '1/4', '-n', '8'], { cwd: tree() });
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/--rate: "900000\/s" must be .* per process \(4 segments: at most 800000\/s in all\)/);
    expect(few.stderr).toMatch(/n of at least 5/);
  });

  it('connections and stage targets grow with the segment count too', async () => {
    const c = await golive(['load', `${url}/`, '-c', '40000', '--segment', '2/2', '-n', '2', '--json'], {
      cwd: tree(),
    });
    expect(c.code, c.stderr).toBe(0);
    const stage = await golive(
      ['load', `${url}/`, '--stage', '100ms:300000/s', '--segment', '1/2', '-n', '2', '--json'],
      {
        cwd: tree(),
      },
    );
    expect(stage.code, stage.stderr).toBe(0);
    const one = await golive(['load', `${url}/`, '--stage', '100ms:300000/s', '-n', '2'], { cwd: tree() });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--stage: "300000\/s" must be at most 200000\/s per process/);
  });
});

describe('an open-model run stopped by its request count', () => {
  it('ends its window at the next arrival’s time, so the offered rate is the rate asked for', async () => {
    for (const n of [1, 5]) {
      const run = await golive(['load', `${url}/`, '--rate', '10/s', '-n', String(n), '--json'], { cwd: tree() });
      expect(run.code, run.stderr).toBe(0);
      const r = JSON.parse(run.stdout);
      expect(r.requests).toBe(n);
      expect(r.windowMs).toBeCloseTo(n * 100, 6);
      expect(r.offeredRps).toBeCloseTo(10, 6);
      expect(r.rps).toBeLessThanOrEqual(10 + 1e-9);
    }
  });
});

describe('Ctrl-C before the load starts (during the reachability check)', () => {
  /** The CLI in-process (built dist, so worker threads load), with Ctrl-C already pressed. */
  async function interruptedRun(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { main } = (await import(`${ROOT}/dist/cli/main.js`)) as {
      main: (o: { argv: string[]; io: CliIo }) => Promise<number>;
    };
    const controller = new AbortController();
    controller.abort();
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      cwd: tree(),
      isTTY: false,
      now: () => new Date(),
      signal: controller.signal,
    };
    const code = await main({ argv: args, io });
    return { code, out, err };
  }

  for (const workers of ['1', '2']) {
    it(`with -w ${workers}, sends nothing, reports an interrupted run and exits 3`, async () => {
      seen = [];
      const r = await interruptedRun(['load', `${url}/interrupted`, '-d', '60s', '-c', '2', '-w', workers, '--json']);
      expect(r.code, r.err).toBe(3);
      const result = JSON.parse(r.out);
      expect(result.stoppedBy).toBe('interrupted');
      expect(result.requests).toBe(0);
      expect(seen.filter((s) => s.includes('/interrupted'))).toEqual([]);
    });
  }
});

describe('request lines and headers cannot be broken by what is written', () => {
  it('-H names must be tokens and values free of CR/LF', async () => {
    for (const h of ['Bad Name: v', 'X(y): v', 'X-Ok: a\r\nX-Injected: 1', 'X-Ok: a\nb']) {
      const r = await golive(['load', `${url}/`, '-H', h, '-n', '1'], { cwd: tree() });
      expect(r.code, JSON.stringify(h)).toBe(2);
      expect(r.stderr).toMatch(/-H: .* (is not a header name|must not contain CR, LF or NUL)/);
    }
  });

  it('the spec: a path with a space or CR/LF and bad header names or values are refused at file:line:column', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: x
release: v1
target:
  baseUrl: http://127.0.0.1:1
  headers: { "X-T": "a\\r\\nb" }
load:
  scenarios:
    a:
      executor: constant-arrival-rate
      rate: 10/s
      duration: 1s
      requests:
        - { method: GET, path: "/a b" }
        - { method: GET, path: "/x\\r\\nHost: evil" }
        - { method: GET, path: /ok, headers: { "Bad Name": v } }
        - { method: GET, path: /ok, headers: { X-Ok: "v\\nX-Injected: 1" } }
`,
    });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/golive\.yaml:6:\d+: a header value must not contain CR, LF or NUL/);
    expect(out).toMatch(/golive\.yaml:14:\d+: expected a path starting with \/, without spaces or CR\/LF/);
    expect(out).toMatch(/golive\.yaml:15:\d+: expected a path starting with \/, without spaces or CR\/LF/);
    expect(out).toMatch(/golive\.yaml:16:\d+: expected a header name/);
    expect(out).toMatch(/golive\.yaml:17:\d+: a header value must not contain CR, LF or NUL/);
  });
});
