import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { drillRedactor } from './redact.js';

/** One shell command a drill runs: deploy, rollback, backup, restore, verify, trigger … */
export interface CommandSpec {
  /** Shell command line (run with `sh -c`). */
  command: string;
  cwd: string;
  /** Extra environment, merged over the parent's. */
  env?: Record<string, string>;
  /** Killed (its whole process group) after this long. */
  timeoutMs: number;
  /** Aborts the command (Ctrl-C): the group is killed and the result says so. */
  signal?: AbortSignal;
  /**
   * The spec's secrets (`ctx.redact`). Output and command line always pass
   * through `drillRedactor` as well, which adds literal secrets, URL passwords
   * and `password=…` pairs.
   */
  redact?: (s: string) => string;
  /** When set, the (redacted) output is written here, whatever the outcome. */
  outputFile?: string;
  /** Output kept in memory at most (the start and the end are kept). Default 64 KiB. */
  maxOutputBytes?: number;
}

export interface CommandResult {
  /** The command line as it may be shown: redacted (see `CommandSpec.redact`). */
  command: string;
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  /** True when the command ran out of time and was killed. */
  timedOut: boolean;
  /** True when the command was interrupted (Ctrl-C). */
  interrupted: boolean;
  /** Set when the command could not be started at all. */
  spawnError?: string;
  durationMs: number;
  /** stdout and stderr interleaved, redacted, at most maxOutputBytes. */
  output: string;
  /** True when the command succeeded: exit 0, in time, not interrupted. */
  ok: boolean;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs a command in its own process group with a timeout, capturing its output.
 * A failing, hanging or unstartable command is a result, never an exception:
 * drills report it as a failed step. On timeout the whole group gets SIGTERM,
 * then SIGKILL after a grace period, so a command's children never outlive it.
 */
export function runCommand(spec: CommandSpec): Promise<CommandResult> {
  const started = performance.now();
  const max = spec.maxOutputBytes ?? 64 * 1024;
  const redact = drillRedactor(spec.redact);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let dropped = 0;
    let tail: Buffer[] = [];
    let tailSize = 0;
    const keep = (chunk: Buffer): void => {
      let b = chunk;
      if (size < max / 2) {
        const take = Math.min(b.length, max / 2 - size);
        chunks.push(b.subarray(0, take));
        size += take;
        if (take === b.length) return;
        b = b.subarray(take);
      }
      // Past the first half: keep a rolling tail of the last half.
      tail.push(b);
      tailSize += b.length;
      while (tailSize > max / 2) {
        const first = tail[0] as Buffer;
        const cut = Math.min(first.length, tailSize - max / 2);
        if (cut === first.length) tail.shift();
        else tail[0] = first.subarray(cut);
        tailSize -= cut;
        dropped += cut;
      }
    };
    let timedOut = false;
    let interrupted = false;
    let settled = false;
    const child = spawn(spec.command, {
      shell: true,
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, spec.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      stop();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    // Killed with golive (exit without cleanup): take the group along.
    const onExit = (): void => killGroup('SIGKILL');
    process.once('exit', onExit);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const finish = (exitCode: number | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      process.off('exit', onExit);
      // The group may still hold children that ignored the shell's exit.
      if (timedOut || interrupted) killGroup('SIGKILL');
      const head = Buffer.concat(chunks).toString('utf8');
      const rest = Buffer.concat(tail).toString('utf8');
      const text = redact(dropped > 0 ? `${head}\n… ${dropped} bytes of output left out …\n${rest}` : head + rest);
      tail = [];
      const shown = redact(spec.command);
      if (spec.outputFile) writeFileSync(spec.outputFile, `$ ${shown}\n${text}`);
      resolve({
        command: shown,
        exitCode,
        timedOut,
        interrupted,
        ...(spawnError !== undefined ? { spawnError } : {}),
        durationMs: performance.now() - started,
        output: text,
        ok: exitCode === 0 && !timedOut && !interrupted && spawnError === undefined,
      });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(code));
  });
}

/** One line describing how a command ended, for checks and timelines. */
export function describeCommandResult(r: CommandResult, timeoutMs: number): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.interrupted) return 'interrupted';
  if (r.timedOut) return `killed after its ${Math.round(timeoutMs / 1000)} s timeout`;
  if (r.exitCode !== 0) return `exited ${r.exitCode ?? 'by a signal'} after ${Math.round(r.durationMs)} ms`;
  return `succeeded in ${Math.round(r.durationMs)} ms`;
}
