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

/** The target evidence's summary in the report of the check run in dir. */
const targetSummary = (dir: string): string => {
  const report = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as {
    evidence: Array<{ collector: string; summary: string }>;
  };
  return report.evidence.find((e) => e.collector === 'target')?.summary ?? '';
};

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

  it('a command that starts the service in the background and returns is fine while what it started runs; it is stopped after', async () => {
    const port = await freePort();
    // The command leaves a server behind (setsid, listening a moment later) and exits 0.
    const server = `setTimeout(()=>require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1'),500)`;
    const dir = tree({
      'leave.sh': `setsid node -e "${server}" >/dev/null 2>&1 < /dev/null &\necho $! > left.pid\nexit 0\n`,
      'golive.yaml': startSpec(port, `{ command: "sh leave.sh", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.stderr).toMatch(/target ready in/);
    expect([0, 1], r.stdout + r.stderr).toContain(r.code); // the stand-in has no ops endpoints: NO-GO is fine
    // What it left behind belongs to the target's tree, and is stopped with it.
    expect(await gone(pidsIn(dir, ['left.pid']))).toEqual([]);
  });

  it('a command that exits 0 leaving nothing running fails, pointing at target.start.daemon', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(port, `{ command: "echo handed-over; exit 0", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /GL_TARGET_START_FAILED.*exited \(exit code 0\) before .* left no process of its own running/,
    );
    expect(r.stderr).toMatch(/hint: .*target\.start\.daemon: true/);
    expect(r.stderr).not.toMatch(/run the command by hand to see why it stops/);
  });

  it('target.start.daemon: the command hands the service over and exits 0; golive leaves it to target.stop.command', async () => {
    const port = await freePort();
    const server = `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`;
    const up = `env -u GOLIVE_TARGET_OWNER setsid node -e "${server}" >/dev/null 2>&1 < /dev/null &\necho $! > srv.pid\nsleep 0.3\nexit 0\n`;
    const daemon = (stop: string): string =>
      startSpec(port, `{ command: "sh up.sh", ready: /health, timeout: 10s, daemon: true }`).replace(
        /(\n {2}start: .*\n)/,
        `$1${stop}`,
      );
    // With a stop command: it runs after the check and the service is gone.
    const dir = tree({
      'up.sh': up,
      'golive.yaml': daemon('  stop: { command: "kill $(cat srv.pid) && echo stopped-by-stop-command" }\n'),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.stderr).toMatch(/target ready in/);
    expect([0, 1], r.stdout + r.stderr).toContain(r.code);
    expect(await gone(pidsIn(dir, ['srv.pid']))).toEqual([]);
    const [run] = readdirSync(join(dir, '.golive', 'runs'));
    expect(readFileSync(join(dir, '.golive', 'runs', run as string, 'target.log'), 'utf8')).toContain(
      'stopped-by-stop-command',
    );

    expect(targetSummary(dir)).toBe(
      'started with "sh up.sh", handed over to a supervisor; stopped by target.stop after the run',
    );

    // Without one, golive does not stop what the supervisor runs: that is the user's job.
    const keep = tree({ 'up.sh': up, 'golive.yaml': daemon('') });
    const k = await golive(['check'], { cwd: keep });
    expect(k.stderr).toMatch(/target ready in/);
    const [left] = pidsIn(keep, ['srv.pid']);
    expect(alive(left as number)).toBe(true);
    expect(targetSummary(keep)).toMatch(/handed over to a supervisor; not stopped by golive \(no target\.stop\)/);
    expect(targetSummary(keep)).not.toMatch(/stopped after the run/);

    // A stop command that fails is reported (stderr, the evidence, target.log), not hidden behind "stopped".
    process.kill(left as number, 'SIGKILL');
    expect(await gone([left as number])).toEqual([]);
    const failing = tree({
      'up.sh': up,
      'golive.yaml': daemon('  stop: { command: "echo cannot stop; exit 7" }\n'),
    });
    const f = await golive(['check'], { cwd: failing });
    expect([0, 1], f.stdout + f.stderr).toContain(f.code);
    expect(f.stderr).toMatch(/warning .*target\.stop\.command "echo cannot stop; exit 7" failed \(exit code 7\)/);
    expect(targetSummary(failing)).toMatch(
      /target\.stop\.command failed \(exit code 7\) after the run: the service may still be running/,
    );
    const [run2] = readdirSync(join(failing, '.golive', 'runs'));
    expect(readFileSync(join(failing, '.golive', 'runs', run2 as string, 'target.log'), 'utf8')).toMatch(
      /cannot stop\n.*target\.stop\.command .*failed \(exit code 7\)/,
    );
    const [still] = pidsIn(failing, ['srv.pid']);
    expect(alive(still as number)).toBe(true);
    process.kill(still as number, 'SIGKILL');
  });

  it('target.start.daemon: a handed-over service that never answers is not claimed stopped', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': startSpec(port, `{ command: "exit 0", ready: /health, timeout: 1s, daemon: true }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_NOT_READY.*did not answer 2xx\/3xx within 1s/);
    expect(r.stderr).not.toMatch(/the service was stopped/);
    expect(r.stderr).toMatch(/handed over to a supervisor; golive did not stop it \(no target\.stop\)/);
  });

  it('target.start.daemon: a command that does not exit is not ready, however the port answers', async () => {
    const port = await freePort();
    const server = `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`;
    const dir = tree({
      'golive.yaml': startSpec(
        port,
        `{ command: "node -e \\"${server}\\"", ready: /health, timeout: 2s, daemon: true }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_NOT_READY.*still running after 2s; with target\.start\.daemon it must exit/);
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
    // Nor the store or the .golive folder this check created.
    expect(existsSync(join(dir, '.golive'))).toBe(false);
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
    expect(r.stderr).toMatch(/GL_TARGET_START_FAILED.*failed \(exit code 7\)/);
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
    // A first check creates the store (two checks creating it at once race in its migration: not this test's subject).
    expect((await golive(['check'], { cwd: dir, env: { WHO: 'first' } })).code).toBe(3);
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
    const runs = join(dir, '.golive', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    const named = /(\S*last-target-\S+\.log)/.exec(r.stderr)?.[1];
    expect(named, r.stderr).toBeDefined();
    const log = readFileSync(named as string, 'utf8');
    expect(log).toContain('token=[redacted]');
    expect(log).not.toContain(secret);
  });
});
