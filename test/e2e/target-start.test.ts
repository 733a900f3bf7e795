import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, golive, opsHandler, ROOT, serve, tree } from '../helpers.js';
import { freePort, gone, pidsIn, startSpec } from './target-helpers.js';

// A leftover server on the port (a staging instance from an earlier run), started once for the file.
let leftover: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  leftover = await serve(opsHandler());
});
afterAll(async () => {
  await leftover.close();
});

describe('target.start', () => {
  it('refuses to start when something already answers on the port, naming the port and the process', async () => {
    const port = Number(new URL(leftover.url).port);
    const dir = tree({
      'golive.yaml': startSpec(port, `{ command: "exit 3", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`GL_TARGET_PORT_IN_USE.*127\\.0\\.0\\.1:${port}`));
    // The OS tells who holds it: this test's own process.
    expect(r.stderr).toContain(`pid ${process.pid}`);
    expect(r.stderr).not.toMatch(/target ready/);
    expect(existsSync(join(dir, 'golive-report'))).toBe(false);
  });

  it('exits 3 when the start command exits before ready, and stops what it left behind', async () => {
    const port = await freePort();
    // The command leaves a server behind (it listens a moment later) and exits 0.
    const server = `setTimeout(()=>require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1'),500)`;
    const dir = tree({
      'leave.sh': `setsid node -e "${server}" >/dev/null 2>&1 < /dev/null &\necho $! > left.pid\nexit 0\n`,
      'golive.yaml': startSpec(port, `{ command: "sh leave.sh", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_START_FAILED.*exited \(exit code 0\) before/);
    expect(r.stderr).not.toMatch(/target ready/);
    // What it left behind belongs to the target's tree, and is stopped with it.
    expect(await gone(pidsIn(dir, ['left.pid']))).toEqual([]);
  });

  it('owns the whole process tree: setsid children, one holding stdout, one daemonized, are stopped and do not hold the check', async () => {
    const port = await freePort();
    const dir = tree({
      'start.sh': [
        // keeps the inherited stdout pipe open
        `setsid sh -c 'echo $$ > gc1.pid; exec sleep 120' &`,
        // its own output
        `setsid sh -c 'echo $$ > gc2.pid; exec sleep 120' >/dev/null 2>&1 < /dev/null &`,
        // double fork: reparented away from the shell at once
        `(setsid sh -c 'echo $$ > gc3.pid; exec sleep 120' >/dev/null 2>&1 < /dev/null &)`,
        // escapes every record (no marker, reparented at once) and keeps stdout: the check must not wait on it
        `(env -i setsid sh -c 'echo $$ > gc4.pid; exec sleep 120' &)`,
        `exec node ${join(ROOT, 'examples/checkout-api/server.js')}`,
        '',
      ].join('\n'),
      'golive.yaml': startSpec(
        port,
        `{ command: "sh start.sh", ready: /health, timeout: 15s, env: { PORT: "${port}" } }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await gone(pidsIn(dir, ['gc1.pid', 'gc2.pid', 'gc3.pid']))).toEqual([]);
    for (const pid of pidsIn(dir, ['gc4.pid'])) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('leaves no run folder and no report folder when the target is unreachable', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(port, '{ command: "exit 3", ready: /health, timeout: 10s }').replace(
        /\n {2}start: .*\n/,
        '\n',
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_UNREACHABLE/);
    const runs = join(dir, '.golive', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    expect(existsSync(join(dir, 'golive-report'))).toBe(false);
  });

  it('starts the service, keeps its output as an artifact, and stops it afterwards', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(
        port,
        `{ command: "node ${join(ROOT, 'examples/checkout-api/server.js')}", ready: /health, timeout: 15s, env: { PORT: "${port}" } }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/target ready in/);
    const runs = readdirSync(join(dir, '.golive', 'runs'));
    expect(runs).toHaveLength(1);
    expect(readFileSync(join(dir, '.golive', 'runs', runs[0] as string, 'target.log'), 'utf8')).toMatch(/listening on/);
    // The port is free again: the service was stopped.
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });

  it('exits 3 quoting the output when the start command exits at once', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(port, `{ command: "echo boom-from-service; exit 7", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_START_FAILED.*exited \(exit code 7\)/);
    expect(r.stderr).toContain('boom-from-service');
  });

  it('exits 3 after the timeout when the service never becomes ready, and kills its process group', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(
        port,
        `{ command: "sh -c 'echo $$ > child.pid; exec sleep 60' & wait", ready: /health, timeout: 1s }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_NOT_READY.*did not answer 2xx\/3xx within 1s; the service was stopped/);
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'golive-report', 'report.json'))).toBe(false);
  });

  it('two checks failing at once in one project each keep their own target output, where their error says', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(
        port,
        `{ command: "echo output-of-$W; exit 7", ready: /health, timeout: 10s, env: { W: "\${WHO}" } }`,
      ),
    });
    const [a, b] = await Promise.all(
      ['check-a', 'check-b'].map((who) => golive(['check'], { cwd: dir, env: { WHO: who } })),
    );
    for (const [r, who] of [
      [a, 'check-a'],
      [b, 'check-b'],
    ] as const) {
      expect(r?.code, r?.stderr).toBe(3);
      const named = /its full output is in (\S+)/.exec(r?.stderr ?? '')?.[1];
      expect(named, r?.stderr).toBeDefined();
      expect(readFileSync(named as string, 'utf8')).toBe(`output-of-${who}\n`);
    }
  });

  it('redacts values from the environment in the service output it keeps and quotes', async () => {
    const port = await freePort();
    const secret = 'tok-5be1d3a0c9f7'; // golive:allow (test value)
    const dir = tree({
      'golive.yaml': startSpec(
        port,
        `{ command: "echo token=$T; echo done; exit 7", ready: /health, timeout: 10s, env: { T: "\${MY_TOKEN}" } }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir, env: { MY_TOKEN: secret } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('token=[redacted]');
    expect(r.stderr).not.toContain(secret);
    // A check that could not complete leaves no run folder; the output is kept where the hint says.
    expect(readdirSync(join(dir, '.golive', 'runs'))).toEqual([]);
    const named = /(\S*last-target-\S+\.log)/.exec(r.stderr)?.[1];
    expect(named, r.stderr).toBeDefined();
    const log = readFileSync(named as string, 'utf8');
    expect(log).toContain('token=[redacted]');
    expect(log).not.toContain(secret);
  });
});
