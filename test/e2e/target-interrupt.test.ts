import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, BIN, golive, tree } from '../helpers.js';
import { freePort, gone, pidsIn, startSpec } from './target-helpers.js';

// The service: healthy ops endpoints; /metrics hangs while the file `slow` exists, so a check is
// still busy when it is killed. It starts a setsid helper with its own output, as a real stack might.
const SERVER = `
const { createServer } = require('node:http');
const { existsSync, writeFileSync } = require('node:fs');
writeFileSync('server.pid', String(process.pid));
const json = (res, body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
createServer((req, res) => {
  if (req.url === '/health') return json(res, { status: 'ok' });
  if (req.url === '/version') return json(res, { version: 'v1.4.0' });
  if (req.url === '/status') return json(res, { status: 'operational' });
  if (req.url === '/metrics') {
    const answer = () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('# TYPE up gauge\\nup 1\\n# TYPE http_requests_total counter\\nhttp_requests_total{code="200"} 5\\n'); };
    if (existsSync('slow')) { writeFileSync('busy', ''); return void setTimeout(answer, 60000); }
    return answer();
  }
  res.writeHead(404); res.end();
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const START = `setsid sh -c 'echo $$ > helper.pid; exec sleep 120' >/dev/null 2>&1 < /dev/null &
exec node server.cjs
`;

// A spec golive validate has nothing to warn about, so the next check's stderr shows only what the kill left.
const spec = (port: number): string =>
  `${startSpec(port, `{ command: "sh start.sh", ready: /health, timeout: 15s, env: { PORT: "${port}" } }`)}roles:
  DevOps: alex@example.com
signoff:
  required: [DevOps]
`;

/** Starts `golive check`, waits until it is busy with the target (ready, and /metrics asked), and returns it. */
async function busyCheck(dir: string): Promise<{ pid: number; closed: Promise<void>; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'check'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  const deadline = Date.now() + 30_000;
  while (!existsSync(join(dir, 'busy'))) {
    if (Date.now() > deadline) throw new Error(`golive check never got busy:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(out).toMatch(/target ready in/);
  return { pid: child.pid as number, closed, output: () => out };
}

const runFolders = (dir: string): string[] => readdirSync(join(dir, '.golive', 'runs'));

/** A project whose check is busy with its started target: the check, the target's pids and the run folder. */
async function busyProject(): Promise<{
  dir: string;
  check: Awaited<ReturnType<typeof busyCheck>>;
  targetPids: number[];
  abandoned: string;
}> {
  const port = await freePort();
  const dir = tree({ 'golive.yaml': spec(port), 'server.cjs': SERVER, 'start.sh': START, slow: '' });
  const check = await busyCheck(dir);
  const [abandoned] = runFolders(dir);
  return { dir, check, targetPids: pidsIn(dir, ['server.pid', 'helper.pid']), abandoned: abandoned as string };
}

describe('golive check killed with SIGKILL', () => {
  it('does not leave the target running, and the next check removes the abandoned run folder', async () => {
    const { dir, check, targetPids, abandoned } = await busyProject();
    process.kill(check.pid, 'SIGKILL');
    await check.closed;
    // The watchdog ends the target's tree once golive is gone.
    expect(await gone(targetPids)).toEqual([]);

    rmSync(join(dir, 'slow'));
    const next = await golive(['check'], { cwd: dir });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/warning|in use/i);
    const folders = runFolders(dir);
    expect(folders).toHaveLength(1);
    expect(folders).not.toContain(abandoned);
  });

  it('cleans up a dead check whose watchdog died too: the next check stops its recorded processes first', async () => {
    const { dir, check, targetPids, abandoned } = await busyProject();
    const owner = JSON.parse(readFileSync(join(dir, '.golive', 'runs', abandoned, 'owner.json'), 'utf8'));
    // Both golive and its watchdog die at once (a kill of everything, an OOM killer): the target stays up…
    process.kill(owner.watchdog.pid, 'SIGKILL');
    process.kill(check.pid, 'SIGKILL');
    await check.closed;
    expect(targetPids.every(alive)).toBe(true);
    // …and a folder without owner.json is there too (another store's run, an older golive's): never touched.
    const legacy = join(dir, '.golive', 'runs', '20250101T000000Z-abcdef');
    mkdirSync(legacy);
    utimesSync(legacy, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));

    rmSync(join(dir, 'slow'));
    // The next check stops the dead run's processes (the port is free again), then starts its own target.
    const next = await golive(['check'], { cwd: dir });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(await gone(targetPids)).toEqual([]);
    expect(next.stderr).toMatch(/removed run folder/);
    expect(next.stderr).toMatch(/note: left 1 folder\(s\) in .* alone: .*\(20250101T000000Z-abcdef\)/);
    const folders = runFolders(dir).filter((f) => f !== '20250101T000000Z-abcdef');
    expect(existsSync(legacy)).toBe(true);
    expect(folders).toHaveLength(1);
    expect(folders).not.toContain(abandoned);
    const log = readFileSync(join(dir, '.golive', 'runs', folders[0] as string, 'target.log'), 'utf8');
    expect(log).not.toMatch(/EADDRINUSE/);
  });
});
