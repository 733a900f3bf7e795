import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tree } from '../helpers.js';
import { freePort } from '../servers/free-port.js';
import { check, metric, probe, rules } from './probe-helpers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** npm's http-server serving `dir` on a free loopback port. */
async function httpServer(dir: string): Promise<string> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'http-server', 'bin', 'http-server'), dir, '-p', String(port), '-a', '127.0.0.1', '-s'],
    { stdio: 'ignore' },
  );
  stops.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return url;
    } catch {
      if (Date.now() > deadline) throw new Error('http-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const SPA = `<!doctype html><html><head><title>Admin dashboard</title></head>
<body><div id="root"></div><p>Stack trace viewer · environment variables · Active connections: 3</p>
<script src="/app.js"></script></body></html>`;

describe('golive probe: exposure of sensitive paths', () => {
  it('finds the .env and .git/config a static file server (http-server) hands out, secrets redacted', async () => {
    const dir = tree({
      'index.html': '<html><body>site</body></html>',
      '.env': 'DATABASE_URL=postgres://app:pg-pass-9876@db/shop\nSTRIPE_SECRET_KEY=sk_live_abcdef123456\n',
      '.git/config': '[core]\n\trepositoryformatversion = 0\n\tbare = false\n',
    });
    const url = await httpServer(dir);
    const { code, ev, stdout } = await probe([url, '--only', 'exposure']);
    expect(code).toBe(1);
    expect(rules(ev)).toEqual(['exposure-env', 'exposure-git-config']);
    const env = ev.findings.find((f) => f.rule === 'exposure-env');
    expect(env?.severity).toBe('critical');
    expect(env?.location).toBe('GET /.env');
    expect(env?.evidence).toContain('DATABASE_URL=[redacted]');
    expect(stdout).not.toContain('pg-pass-9876');
    expect(stdout).not.toContain('sk_live_abcdef123456');
    expect(ev.findings.find((f) => f.rule === 'exposure-git-config')?.severity).toBe('high');
  });

  it('reports nothing on a single-page app that answers 200 with the same page everywhere', async () => {
    const requested: string[] = [];
    const url = await serve((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(SPA);
    });
    const { ev } = await probe([url, '--only', 'exposure']);
    expect(ev.findings).toEqual([]);
    expect(check(ev, 'security.exposure')?.status).toBe('pass');
    expect(check(ev, 'security.exposure')?.summary).toMatch(/soft-404/);
    expect((ev.data?.exposure as { soft404: boolean }).soft404).toBe(true);
    // The baseline came first: random paths, then the sensitive ones.
    expect(requested[0]).toMatch(/^\/\.?golive-[0-9a-f]{12}/);
    expect(requested).toContain('/.env');
    expect(metric(ev, 'security.exposure.checked')).toBeGreaterThanOrEqual(16);
  });

  it('still finds a real admin page and a spec-declared path on such a server', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      if (req.url === '/admin') return res.end('<html><head><title>Admin</title></head><body>users: 42</body></html>');
      if (req.url === '/internal/dump') return res.end('BEGIN DUMP\nrow 1\n');
      return res.end(SPA);
    });
    const specDir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1
target: { baseUrl: "${url}" }
probes:
  security:
    run: [exposure]
    exposure:
      - { path: /internal/dump, match: "^BEGIN DUMP", severity: critical, title: internal dump is public }
`,
    });
    const { code, ev } = await probe(['-c', 'golive.yaml'], { cwd: specDir });
    expect(code).toBe(1);
    expect(ev.findings.map((f) => `${f.severity} ${f.location} ${f.title}`)).toEqual([
      'critical GET /internal/dump internal dump is public',
      'medium GET /admin admin page answers without authentication',
    ]);
  });
});

describe('golive probe: credentials', () => {
  it('never shows a --header credential, even when the target echoes it back', async () => {
    const url = await serve((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><script src="http://cdn.example/app.js?t=${token}"></script></html>`);
    });
    const r = await probe([url, '--only', 'headers', '--header', 'Authorization: Bearer tok-echo-4242']);
    const sri = r.ev.findings.find((f) => f.rule.startsWith('headers.sri-'));
    expect(sri?.evidence).toContain('?t=[redacted]');
    expect(r.stdout + r.stderr).not.toContain('tok-echo-4242');
  });
});

describe('golive probe: the graded page', () => {
  it('follows redirects on the same origin to the page a visitor lands on, and no further', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/') {
        res.writeHead(302, { location: '/app/' });
        return res.end();
      }
      if (req.url === '/app/') {
        res.writeHead(302, { location: '/app/home', 'content-security-policy': "default-src 'none'" });
        return res.end();
      }
      if (req.url === '/app/home') {
        res.writeHead(301, { location: 'http://elsewhere.invalid/' });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
    const { ev } = await probe([url, '--only', 'headers']);
    expect(seen).toEqual(['/', '/app/', '/app/home']);
    const obs = ev.data?.observatory as { tests: { name: string; result: string }[] };
    // The graded answer is the last one on this origin (no CSP there); the first hop decides the redirection test.
    expect(obs.tests.find((t) => t.name === 'content-security-policy')?.result).toBe('csp-not-implemented');
    expect(obs.tests.find((t) => t.name === 'redirection')?.result).toBe('redirection-not-to-https');
  });
});
