import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoliveError } from '../errors.js';
import { parseDuration } from './duration.js';
import { readOwner, writeOwner } from './owner.js';
import { portOwner } from './port-owner.js';
import { hasProc, procInfo, procRef, psStart } from './proc.js';
import { hostPort, tryConnect } from './reachable.js';
import { endTree, groupAlive, killTreeNow, liveMembers, MARKER_ENV, type TreeRecord } from './tree.js';

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
  /**
   * The run folder's owner.json (see owner.ts): the target's processes are recorded there as they
   * appear, and a watchdog ends them if golive dies without stopping them. Without it, neither.
   */
  ownerFile?: string;
  /** Host:port pairs that must be free before the start. Default: the ready URL's. */
  ports?: ReadonlyArray<{ host: string; port: number }>;
  /**
   * The command hands the service to a supervisor and returns: it must exit 0 before the service
   * counts as ready, and what it handed over is not stopped by golive (see `stopCommand`). Default false.
   */
  daemon?: boolean;
  /** Shell command run at stop, before the owned processes are ended (same cwd and env). Default none. */
  stopCommand?: string;
  /** Milliseconds the stop command may run. Default 30 000. */
  stopTimeoutMs?: number;
}

export interface StartedTarget {
  pid: number;
  /** Last lines the service printed; kept for error messages. */
  tail(): string;
  /** Stops every process of the target: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<StopOutcome>;
}

/** What stopping the target did, for the evidence and a warning. */
export interface StopOutcome {
  /** The command handed the service to a supervisor (target.start.daemon): golive did not end it itself. */
  handedOver: boolean;
  /** How `target.stop.command` ended, when there is one. */
  stopCommand?: StopCommandResult;
}

/** How `target.stop.command` ended: `failure` is set when it did not exit 0 in time. */
export interface StopCommandResult {
  command: string;
  failure?: string;
}

const GRACE_MS = 3000;
const POLL_MS = 100;
/** How often the tree is walked for new processes once the service is ready. */
const RECORD_MS = 2000;
const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));

/**
 * Starts the service under test the way Playwright's webServer does, and owns
 * what it starts. It refuses when something already listens on the port (that
 * answer would not be the started service's); spawns the command in its own
 * session; polls the ready URL until it answers 2xx/3xx while the command still
 * runs; records every process of the tree as it appears (descendants, setsid'd
 * ones, ones carrying the marker in their environment); and stops them all
 * afterwards, without waiting on output pipes a grandchild may hold. A command
 * that exits before it is ready, or a service that is not ready in time, is a
 * GoliveError (exit 3) that quotes the last lines of its output; the tree is
 * stopped either way.
 */
export async function startTarget(opts: StartOptions): Promise<StartedTarget> {
  await assertPortsFree(opts.ports ?? [hostPort(opts.readyUrl)]);
  const log = createWriteStream(opts.logFile);
  const marker = randomBytes(12).toString('hex');
  const child = spawn(opts.command, {
    shell: true,
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, [MARKER_ENV]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const tree: TreeRecord = { root: child.pid ?? -1, marker, members: [] };
  const rootRef = child.pid !== undefined ? procRef(child.pid) : undefined;
  if (rootRef) tree.members.push(rootRef);
  else if (child.pid !== undefined && !hasProc()) {
    const started = psStart(child.pid);
    if (started) tree.rootStarted = started;
  }
  // Record the tree now, before the watchdog exists: it reads what is recorded.
  const persist = recorder(opts.ownerFile, tree);
  persist();
  const watchdog = child.pid !== undefined && opts.ownerFile ? startWatchdog(opts.ownerFile) : undefined;
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

  // New processes are recorded while the target runs, so one that is reparented away later is still known.
  const recording = setInterval(() => {
    if (liveMembers(tree, { marker: false })) persist();
  }, RECORD_MS);
  recording.unref();
  // If golive itself exits without stopping the target (a second Ctrl-C), the tree must not outlive it.
  const killOnExit = (): void => {
    if (child.pid) killTreeNow(tree, exited === undefined);
  };
  process.on('exit', killOnExit);
  const tail = (): string => {
    flush();
    return lines.slice(-10).join('\n');
  };
  // daemon: once the command exited 0, what it started belongs to the supervisor it handed the service to.
  let handedOver = false;
  const handOver = (): void => {
    handedOver = true;
    clearInterval(recording);
    process.off('exit', killOnExit);
    disown(opts.ownerFile);
  };
  const env = { ...process.env, ...opts.env };
  const stop = once(async () => {
    clearInterval(recording);
    let stopCommand: StopCommandResult | undefined;
    if (opts.stopCommand) {
      const timeoutMs = opts.stopTimeoutMs ?? 30_000;
      const failure = await runStopCommand(opts.stopCommand, opts.cwd, env, keep, timeoutMs);
      stopCommand = { command: opts.stopCommand, ...(failure ? { failure } : {}) };
      // Kept with the target's output, so target.log says why the service may still run.
      flush();
      if (failure) keep(Buffer.from(`[golive] target.stop.command "${opts.stopCommand}" failed (${failure})\n`));
    }
    if (child.pid !== undefined && !handedOver) await endTree(tree, GRACE_MS, true);
    // A grandchild that left the group may still hold the pipes: never wait on them.
    child.stdout?.destroy();
    child.stderr?.destroy();
    await within(exitPromise, GRACE_MS);
    flush();
    await new Promise<void>((res) => log.end(res));
    process.off('exit', killOnExit);
    if (!handedOver) persist(); // a handed-over target stays out of the owner file
    watchdog?.release();
    return { handedOver, ...(stopCommand ? { stopCommand } : {}) };
  });
  const deadline = Date.now() + opts.timeoutMs;
  let lastRecorded = 0;

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
      if (exited && !handedOver) {
        const how = exited.code !== null ? `exit code ${exited.code}` : `signal ${exited.signal}`;
        const output = tail() ? `; its last output:\n${indent(tail())}` : '';
        if (exited.code !== 0) {
          throw new GoliveError(
            'GL_TARGET_START_FAILED',
            `start command "${opts.command}" failed (${how}) before ${opts.readyUrl} was ready${output}`,
            { hint: `run the command by hand to see why it fails; its full output is in ${opts.logFile}` },
          );
        }
        if (opts.daemon) handOver();
        else if (!treeAlive(tree)) {
          throw new GoliveError(
            'GL_TARGET_START_FAILED',
            `start command "${opts.command}" exited (${how}) before ${opts.readyUrl} was ready, and left no process of its own running${output}`,
            {
              hint: `a command that hands the service to a supervisor and returns (docker compose up -d, pm2 start) needs target.start.daemon: true, and target.stop.command to stop it; otherwise its full output is in ${opts.logFile}`,
            },
          );
        }
      }
      if (Date.now() - lastRecorded >= POLL_MS * 3 && liveMembers(tree, { marker: false })) {
        lastRecorded = Date.now();
        persist();
      }
      // Only an answer while a process the command started still runs is its answer (the port was
      // free before the start); a daemon command must first have handed the service over.
      const ours = opts.daemon ? handedOver : running(child) || treeAlive(tree);
      if (ours && (await answers(opts.readyUrl))) break;
      if (Date.now() >= deadline) {
        const still = opts.daemon && !handedOver && exited === undefined;
        throw new GoliveError(
          'GL_TARGET_NOT_READY',
          still
            ? `start command "${opts.command}" was still running after ${opts.timeoutMs / 1000}s; with target.start.daemon it must exit once the service is handed over; it was stopped${tail() ? `. Its last output:\n${indent(tail())}` : ''}`
            : `${opts.readyUrl} did not answer 2xx/3xx within ${opts.timeoutMs / 1000}s; ${stoppedHow(handedOver, opts.stopCommand)}${tail() ? `. Its last output:\n${indent(tail())}` : ''}`,
          {
            hint: still
              ? 'remove target.start.daemon for a command that runs the service itself, or raise target.start.timeout'
              : 'raise target.start.timeout, or check target.start.ready and target.baseUrl',
          },
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
    daemon?: boolean | undefined;
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
    ...(start.daemon ? { daemon: true } : {}),
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

/** Refuses to start a target whose port already answers: the ready URL would measure whatever holds it. */
async function assertPortsFree(ports: ReadonlyArray<{ host: string; port: number }>): Promise<void> {
  const seen = new Set<string>();
  for (const { host, port } of ports) {
    const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    if (seen.has(where)) continue;
    seen.add(where);
    if ((await tryConnect(host, port, 1000)) !== undefined) continue;
    const who = portOwner(port);
    throw new GoliveError(
      'GL_TARGET_PORT_IN_USE',
      `${where} already answers before the target was started${who ? `: ${who} listens there` : ''}`,
      {
        hint: 'stop that process (a leftover staging instance?), or remove target.start from golive.yaml to check the service already running there',
      },
    );
  }
}

/**
 * Whether any process of the target's tree still runs: descendants, its session and group, and
 * those carrying the marker seen so far. Without /proc, whether its process group has members.
 */
function treeAlive(tree: TreeRecord): boolean {
  const live = hasProc() ? liveMembers(tree, { marker: true }) : undefined;
  return live ? live.length > 0 : tree.root > 0 && groupAlive(tree.root);
}

/** Takes the target out of the owner file: neither the watchdog nor a later check may end a supervisor's processes. */
function disown(ownerFile: string | undefined): void {
  const rec = ownerFile ? readOwner(ownerFile) : undefined;
  if (!ownerFile || !rec) return;
  const { target: _target, ...rest } = rec;
  writeOwner(ownerFile, rest);
}

/** What became of a target that was not ready, as the error says it: only what golive did. */
function stoppedHow(handedOver: boolean, stopCommand: string | undefined): string {
  if (!handedOver) return 'the service was stopped';
  return stopCommand
    ? 'it was handed over to a supervisor; target.stop.command is run to stop it'
    : 'it was handed over to a supervisor; golive did not stop it (no target.stop)';
}

/**
 * Runs `target.stop.command`, its output kept with the target's (redacted); killed (its group) after
 * the timeout. Returns why it failed (exit code, signal, timeout, spawn error), or undefined after exit 0.
 */
async function runStopCommand(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  out: (chunk: Buffer) => void,
  timeoutMs: number,
): Promise<string | undefined> {
  const child = spawn(command, { shell: true, cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', out);
  child.stderr?.on('data', out);
  const done = new Promise<string | undefined>((res) => {
    child.on('exit', (code, signal) =>
      res(code === 0 ? undefined : code !== null ? `exit code ${code}` : `signal ${signal}`),
    );
    child.on('error', (e) => res(`could not run: ${e.message}`));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), timeoutMs)));
  let failure = await Promise.race([done, timedOut]);
  if (failure === 'timeout') {
    failure = `still running after ${timeoutMs / 1000}s (target.stop.timeout); it was killed`;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  clearTimeout(timer);
  child.stdout?.destroy();
  child.stderr?.destroy();
  return failure;
}

/** Whether the started command is still running (a zombie, not yet reaped, is not). */
function running(child: ChildProcess): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  const info = procInfo(child.pid);
  return info ? !info.zombie : true;
}

/** Writes the tree into the owner file (keeping what else it says); a no-op without one. */
function recorder(ownerFile: string | undefined, tree: TreeRecord): () => void {
  let last = '';
  return () => {
    if (!ownerFile) return;
    const now = JSON.stringify(tree);
    if (now === last) return;
    const rec = readOwner(ownerFile);
    if (!rec) return;
    last = now;
    writeOwner(ownerFile, { ...rec, target: tree });
  };
}

/**
 * Starts the watchdog (watchdog.ts) in a session of its own, its stdin a pipe from
 * this process, and records it in the owner file. Absent when golive runs from
 * its sources (no built watchdog.js next to this file).
 */
function startWatchdog(ownerFile: string): { release(): void } | undefined {
  if (!existsSync(WATCHDOG)) return undefined;
  const dog = spawn(process.execPath, [WATCHDOG, ownerFile], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  dog.on('error', () => {});
  dog.stdin?.on('error', () => {});
  // Neither the watchdog nor its pipe keeps golive alive.
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const ref = dog.pid !== undefined ? procRef(dog.pid) : undefined;
  const rec = readOwner(ownerFile);
  if (rec && ref) writeOwner(ownerFile, { ...rec, watchdog: ref });
  return {
    release: () => {
      dog.stdin?.end('release\n');
    },
  };
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/** Waits for p, at most ms, without a timer left behind to keep the process alive. */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((res) => (timer = setTimeout(res, ms)))]);
  clearTimeout(timer);
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
const indent = (s: string): string =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
