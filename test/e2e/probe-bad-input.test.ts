import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, golive, tree } from '../helpers.js';
import { freePort } from '../servers/free-port.js';
import { check, probe } from './probe-helpers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

async function listen(server: Server, sockets: Set<Socket> = new Set()): Promise<string> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('golive probe: bad targets', () => {
  it('turns a target answering garbage bytes into "error" results, exit 3, never a crash', async () => {
    const url = await listen(
      createServer((s) => {
        s.on('error', () => undefined);
        s.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x47, 0x41, 0x52, 0x42, 0x41, 0x47, 0x45, 0x0d, 0x0a]));
      }),
    );
    const { code, ev, stderr } = await probe([url, '--public', 'GET /login', '--param', '/search:q']);
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(3);
    expect(ev.status).toBe('error');
    for (const c of ev.checks) expect(c.status, c.id).toBe('error');
    expect(check(ev, 'security.headers')?.summary).toMatch(/not an HTTP answer|connection reset|socket hang up/);
  });

  it('gives up on a target that never answers after the timeout of each request', async () => {
    const url = await listen(createServer((s) => s.on('error', () => undefined)));
    const { code, ev } = await probe([url, '--timeout', '300ms', '--only', 'headers,exposure']);
    expect(code).toBe(3);
    expect(check(ev, 'security.headers')?.summary).toMatch(/no answer within 300 ms/);
  });

  it('stops sending once the time budget of the run is spent', async () => {
    const url = await listen(createServer((s) => s.on('error', () => undefined)));
    const { code, ev } = await probe([url, '--timeout', '10s', '--max-duration', '1s', '--only', 'headers,exposure']);
    expect(code).toBe(3);
    expect(check(ev, 'security.exposure')?.summary).toMatch(/time budget of the run spent|no answer within/);
    expect(JSON.stringify(ev.checks)).toMatch(/time budget of the run spent/);
  });

  it('stops on Ctrl-C and still prints what it has, exit 3', async () => {
    const url = await listen(createServer((s) => s.on('error', () => undefined)));
    const child = spawn(process.execPath, [BIN, 'probe', url, '--json', '--timeout', '60s'], {
      cwd: tree(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('security: headers: GET /')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(3);
    const ev = JSON.parse(stdout) as { summary: string; checks: { summary: string }[] };
    expect(ev.summary).toMatch(/interrupted/);
  });

  it('reads only a bounded prefix of a huge body', async () => {
    let written = 0;
    const sockets = new Set<Socket>();
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => {
        // At most 1 GiB, so the test itself is bounded even if the probe kept reading.
        while (written < 1024 ** 3 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const url = await listen(server as unknown as Server, sockets);
    const { code, ev } = await probe([url, '--only', 'headers,cookies']);
    expect([0, 1]).toContain(code);
    expect(check(ev, 'security.headers')?.status).not.toBe('error');
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('exits 3 naming host:port when nothing listens', async () => {
    const port = await freePort();
    const r = await golive(['probe', `http://127.0.0.1:${port}`], { cwd: tree() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/GL_TARGET_UNREACHABLE/);
  });

  it('refuses bad flags with exit 2 naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['http://127.0.0.1:1', '--fail-on', 'nope'], /--fail-on/],
      [['http://127.0.0.1:1', '--param', 'search'], /--param/],
      [['http://127.0.0.1:1', '--burst', '9999'], /--burst/],
      [['http://127.0.0.1:1', '--only', 'headers,bogus'], /--only.*bogus/],
      [['http://127.0.0.1:1', '--timeout', '5'], /--timeout/],
      [['http://127.0.0.1:1', '--protected', 'orders'], /--protected/],
      [['ftp://127.0.0.1/'], /not an http\(s\) URL/],
      [['http://127.0.0.1:1', '-c', 'golive.yaml'], /not both/],
      [['--burst', '10'], /need a URL/],
    ];
    for (const [args, message] of cases) {
      const r = await golive(['probe', ...args], { cwd: tree() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toMatch(/hint:/);
    }
  });

  it('refuses a spec whose exposure matcher is not a regular expression, before any traffic', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1
target: { baseUrl: "http://127.0.0.1:1" }
probes:
  security:
    exposure: [{ path: /x, match: "(" }]
    protected: [{ route: GET /admin, roles: [admn] }]
    credentials: { admin: { Authorization: "Bearer x" } }
`,
    });
    const r = await golive(['probe', '-c', 'golive.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/probes\.security\.exposure\[0\]\.match/);
    expect(r.stderr).toMatch(/probes\.security\.protected\[0\]\.roles: role "admn" has no credentials/);
  });
});
