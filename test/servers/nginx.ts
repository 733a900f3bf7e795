import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binary.js';
import { freePort } from './free-port.js';

export interface RunningNginx {
  url: string;
  port: number;
  /** Folder holding nginx.conf, html/, logs/. */
  dir: string;
  /** Rewrites the `server { … }` blocks and reloads nginx (SIGHUP), waiting until the new config answers. */
  reload(serverBlocks: string): Promise<void>;
  stop(): Promise<void>;
}

/** The nginx binary, or undefined (tests skip) — under CI=true a missing nginx throws. */
export const nginxBinary = (): string | undefined => findBinary('nginx');

/**
 * Starts Debian's nginx as the current user on a free loopback port: one
 * worker, in the foreground, everything (pid, logs, temp folders) inside a
 * fresh folder. `serverBlocks` is the inside of `http { }` after the common
 * settings; write `listen {{PORT}};` and `root {{ROOT}};` where the port and
 * the html folder belong. `files` are written under html/.
 */
export async function startNginx(
  serverBlocks: string,
  files: Record<string, string> = { 'index.html': 'ok' },
): Promise<RunningNginx> {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx is not installed (apt-get install -y nginx-light)');
  const dir = mkdtempSync(join(tmpdir(), 'golive-nginx-'));
  // Workers of an nginx started as root run as nobody: they must be able to read the html folder.
  chmodSync(dir, 0o755);
  const root = join(dir, 'html');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const write = (blocks: string): void => {
    writeFileSync(
      conf,
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
  default_type text/html;
  ${blocks.replaceAll('{{PORT}}', `127.0.0.1:${port}`).replaceAll('{{ROOT}}', root)}
}
`,
    );
  };
  write(serverBlocks);
  const child = spawn(bin, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, () => (child.exitCode !== null ? `nginx exited: ${stderr}${readLog(dir)}` : undefined));
  return {
    url,
    port,
    dir,
    async reload(blocks: string) {
      write(blocks);
      // A reload starts new workers and lets the old ones finish their connections: an old
      // worker can still answer (a kept-alive connection) with the old config. Wait until every
      // worker that was there before the signal has exited, so the next request sees the new one.
      const before = childPids(child.pid as number);
      child.kill('SIGHUP');
      const until = Date.now() + 10_000;
      while (before.some((pid) => childPids(child.pid as number).includes(pid))) {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readLog(dir)}`);
        if (Date.now() > until) throw new Error(`nginx kept its old workers ${before.join(', ')} after a reload`);
        await new Promise((r) => setTimeout(r, 25));
      }
      await waitUntilUp(url, () => (child.exitCode !== null ? `nginx exited: ${stderr}${readLog(dir)}` : undefined));
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The pids whose parent is `parent`, from /proc (nginx's workers are its master's children). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(name));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

async function waitUntilUp(url: string, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const why = failed();
    if (why) throw new Error(why);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
