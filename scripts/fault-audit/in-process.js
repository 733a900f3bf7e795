// The parent side of runner.js: a few runner processes, each running one case at a time,
// killed (with anything they started) and replaced when a case overruns its time bound.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, golive, pool, workDir } from './harness.js';

const RUNNER = fileURLToPath(new URL('./runner.js', import.meta.url));

class Runner {
  constructor() {
    this.pending = undefined;
    this.child = undefined;
    this.ready = undefined;
  }

  start() {
    const home = join(workDir(), 'runner');
    mkdirSync(home, { recursive: true });
    const child = fork(RUNNER, [DIST], {
      cwd: home,
      // Its own process group: a hung case is ended with everything it started.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
    });
    let stderr = '';
    child.on('error', () => {}); // a dead runner shows as its 'exit'; the case it had is settled there
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.once('message', (m) => (m.ready ? resolve() : reject(new Error('runner did not start'))));
      child.once('exit', (code) => reject(new Error(`runner exited ${code} before it was ready: ${stderr}`)));
    });
    child.on('message', (m) => {
      if (!m.ready && this.pending && m.id === this.pending.id) this.settle(m);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.settle({
        id: this.pending?.id,
        crashed: `the process ended (${signal ?? `exit ${code}`}): ${stderr.slice(-400)}`,
      });
    });
    return this.ready;
  }

  settle(result) {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve({ stdout: '', stderr: '', ...result, ms: result.ms ?? Date.now() - p.started });
  }

  async run(msg, timeoutMs) {
    if (!this.child) await this.start();
    else await this.ready;
    return new Promise((resolve) => {
      const id = `${Date.now()}-${Math.random()}`;
      this.pending = { id, resolve, started: Date.now(), timer: undefined };
      this.pending.timer = setTimeout(() => {
        const child = this.child;
        this.settle({ id, hung: true, ms: timeoutMs });
        this.child = undefined;
        if (child) killGroup(child.pid);
      }, timeoutMs);
      this.child.send({ ...msg, id }, (e) => {
        if (e) this.settle({ id, crashed: `could not reach the runner: ${e.message}` });
      });
    });
  }

  stop() {
    if (this.child) killGroup(this.child.pid);
    this.child = undefined;
  }
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `fn(item, run)` over the items with `concurrency` runners; `run(msg)` sends one case
 * to this worker's runner and resolves with its result ({ code, stdout, stderr } for the CLI,
 * { result, … } for a load, plus `hung` or `crashed`).
 */
export async function withRunners(items, concurrency, timeoutMs, fn) {
  const runners = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => new Runner());
  const results = new Array(items.length);
  let next = 0;
  try {
    await Promise.all(
      runners.map(async (runner) => {
        while (next < items.length) {
          const i = next++;
          results[i] = await fn(items[i], (msg) => runner.run(msg, timeoutMs), i);
        }
      }),
    );
  } finally {
    for (const r of runners) r.stop();
  }
  return results;
}

/**
 * Runs `fn(item, cli)` over the items, where `cli(argv, { cwd, env })` runs one golive command:
 * in a runner through the library's `main` (the default, fast), or with `spawn` as a new
 * `node bin/golive.js` process (exactly what a user runs, slower). Same result shape either way.
 */
export function cliPool(items, { concurrency, timeoutMs, spawn }, fn) {
  if (spawn) {
    return pool(items, concurrency, (item, i) =>
      fn(item, (argv, { cwd, env = {} }) => golive(argv, { cwd, env, timeoutMs }), i),
    );
  }
  return withRunners(items, concurrency, timeoutMs, (item, run, i) =>
    fn(item, async (argv, { cwd, env = {} }) => ({ args: argv, ...(await run({ op: 'cli', argv, cwd, env })) }), i),
  );
}
