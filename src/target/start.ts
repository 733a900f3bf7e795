import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { GoliveError } from '../errors.js';
import { parseDuration } from './duration.js';

/** How to start the service under test; mirrors the spec's `target.start`. */
export interface StartOptions {
  /** Shell command that starts the service. */
  command: string;
  /** Absolute URL that answers 2xx/3xx once the service is ready. */
  readyUrl: string;
  /** Milliseconds to wait for readiness. */
  timeoutMs: number;
  /** Working folder for the command. */
  cwd: string;
  /** Environment for the command (merged over the parent's). */
  env?: Record<string, string>;
  /** File that receives the command's stdout and stderr. */
  logFile: string;
  /** Aborts the wait (Ctrl-C). */
  signal?: AbortSignal;
  /** Applied to every line of output before it is kept (removes values that came from the environment). */
  redact?: (s: string) => string;
}

export interface StartedTarget {
  pid: number;
  /** Last lines the service printed; kept for error messages. */
  tail(): string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

const GRACE_MS = 3000;
const POLL_MS = 100;

/**
 * Starts the service under test the way Playwright's webServer does: spawn the
 * command in its own process group, poll the ready URL until it answers 2xx/3xx,
 * and stop the whole group afterwards. A command that exits before it is ready,
 * or a service that is not ready in time, is a GoliveError (exit 3) that quotes
 * the last lines of its output; the process group is stopped either way.
 */
export async function startTarget(opts: StartOptions): Promise<StartedTarget> {
  const log = createWriteStream(opts.logFile);
  const child = spawn(opts.command, {
    shell: true,
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const redact = opts.redact ?? ((t: string) => t);
  let partial = '';
  // Whole lines only, so a secret split across two chunks is still redacted.
  const keep = (chunk: Buffer): void => {
    const text = partial + chunk.toString('utf8');
    const cut = text.lastIndexOf('\n') + 1;
    partial = text.slice(cut);
    if (cut === 0) return;
    const done = redact(text.slice(0, cut));
    log.write(done);
    lines.push(...done.split('\n').filter(Boolean));
    if (lines.length > 20) lines.splice(0, lines.length - 20);
  };
  const flush = (): void => {
    if (partial) keep(Buffer.from('\n'));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited: { code: number | null; signal: string | null } | undefined;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((res) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      res();
    });
    child.on('error', (err) => {
      spawnError = err;
      exited ??= { code: null, signal: null };
      res();
    });
  });

  // If golive itself exits without stopping the target (a second Ctrl-C), the group must not outlive it.
  const killOnExit = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killOnExit);
  const tail = (): string => {
    flush();
    return lines.slice(-10).join('\n');
  };
  const stop = once(async () => {
    await stopGroup(child, exitPromise, () => exited !== undefined, log, flush);
    process.off('exit', killOnExit);
  });
  const deadline = Date.now() + opts.timeoutMs;

  try {
    for (;;) {
      if (opts.signal?.aborted)
        throw new GoliveError('GL_INTERRUPTED', 'interrupted while waiting for the service to start');
      if (spawnError) {
        throw new GoliveError(
          'GL_TARGET_START_FAILED',
          `could not run start command "${opts.command}": ${spawnError.message}`,
          {
            hint: 'check target.start.command and target.start.cwd',
          },
        );
      }
      if (exited) {
        const how = exited.code !== null ? `exit code ${exited.code}` : `signal ${exited.signal}`;
        throw new GoliveError(
          'GL_TARGET_START_FAILED',
          `start command "${opts.command}" exited (${how}) before ${opts.readyUrl} was ready${tail() ? `; its last output:\n${indent(tail())}` : ''}`,
          { hint: 'run the command by hand to see why it stops; its full output is in ' + opts.logFile },
        );
      }
      if (await answers(opts.readyUrl)) break;
      if (Date.now() >= deadline) {
        throw new GoliveError(
          'GL_TARGET_NOT_READY',
          `${opts.readyUrl} did not answer 2xx/3xx within ${opts.timeoutMs / 1000}s; the service was stopped${tail() ? `. Its last output:\n${indent(tail())}` : ''}`,
          { hint: 'raise target.start.timeout, or check target.start.ready and target.baseUrl' },
        );
      }
      await Promise.race([sleep(POLL_MS), exitPromise]);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid: child.pid ?? -1, tail, stop };
}

/** Resolves the spec's `ready` (a path or a full URL) against the base URL. */
export function readyUrlFor(baseUrl: string, ready: string): string {
  return /^https?:\/\//.test(ready) ? ready : new URL(ready, baseUrl).toString();
}

export function startOptionsFromSpec(
  start: {
    command: string;
    ready: string;
    timeout: string;
    cwd?: string | undefined;
    env?: Record<string, string> | undefined;
  },
  baseUrl: string,
  specDir: string,
  logFile: string,
  signal?: AbortSignal,
  redact?: (s: string) => string,
): StartOptions {
  return {
    command: start.command,
    readyUrl: readyUrlFor(baseUrl, start.ready),
    timeoutMs: parseDuration(start.timeout),
    cwd: resolve(specDir, start.cwd ?? '.'),
    ...(start.env ? { env: start.env } : {}),
    logFile,
    ...(signal ? { signal } : {}),
    ...(redact ? { redact } : {}),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

async function stopGroup(
  child: ChildProcess,
  exitPromise: Promise<void>,
  hasExited: () => boolean,
  log: WriteStream,
  flush: () => void,
): Promise<void> {
  const kill = (sig: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  const groupAlive = (): boolean => {
    try {
      if (child.pid) process.kill(-child.pid, 0);
      return child.pid !== undefined;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + GRACE_MS;
  kill('SIGTERM');
  if (!hasExited()) {
    const timer = setTimeout(() => kill('SIGKILL'), GRACE_MS);
    await exitPromise;
    clearTimeout(timer);
  }
  // Children of the shell may outlive it, still cleaning up after SIGTERM (a proxy stopping its
  // upstreams): give the whole group the rest of the grace period, then make sure it is gone.
  while (groupAlive() && Date.now() < deadline) await sleep(25);
  kill('SIGKILL');
  flush();
  await new Promise<void>((res) => log.end(res));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
const indent = (s: string): string =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
