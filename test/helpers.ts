import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'golive.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real golive bin (the built dist) as a user would, with a clean environment. */
export function golive(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh temporary folder holding the given files (path → content). */
export function tree(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'golive-test-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts an HTTP server on 127.0.0.1, port 0. */
export async function serve(handler: Handler): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface OpsServerOptions {
  version?: string;
  metrics?: string;
  health?: number;
  requests?: string[];
}

/** A service with healthy ops endpoints; options break one of them. Records request lines and headers. */
export function opsHandler(o: OpsServerOptions = {}): Handler {
  return (req, res) => {
    o.requests?.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/health':
        return json(o.health ?? 200, { status: 'ok' });
      case '/version':
        return json(200, { version: o.version ?? 'v1.0.0' });
      case '/status':
        return json(200, { status: 'operational' });
      case '/metrics':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(
          o.metrics ?? '# TYPE up gauge\nup 1\n# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 5\n',
        );
      default:
        return json(404, { error: 'not found' });
    }
  };
}

/** A spec for a service at baseUrl; `extra` is appended verbatim (YAML). */
export function specYaml(baseUrl: string, extra = ''): string {
  return `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: ${baseUrl}
roles:
  PM: pat@example.com
  DevOps: alex@example.com
thresholds:
  ops.endpoints.failing: "== 0"
  ops.health.latency: "< 2s"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health, ops.version, ops.metrics, ops.status], thresholds: [ops.endpoints.failing] }
  - { id: AC-2, type: AC, title: Runbooks reviewed, attest: DevOps }
signoff:
  required: [PM, DevOps]
${extra}`;
}

/** True when the process runs; a zombie (killed, not yet reaped by its new parent) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Makes `dir` a git repository with one commit of everything in it, tagged `tag` when given. */
export function gitRepo(dir: string, tag?: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  if (tag) git('tag', tag);
}
