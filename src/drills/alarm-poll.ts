import type { VerifySpec } from '../spec/drills-ops.js';
import { describeCommandResult, runCommand, type CommandResult } from './command.js';

/** What one verify poll saw, and (for the report) how the last attempt ended. */
export interface PollOutcome {
  /** True when the verify passed before the deadline. */
  ok: boolean;
  /** When the verify first passed. */
  at?: Date;
  attempts: number;
  /** How the last attempt ended, one line. */
  last: string;
  /** Captured output of the last command attempt (redacted). */
  output?: string;
}

export interface PollOptions {
  verify: VerifySpec;
  /** The drill id, put in $GOLIVE_DRILL_ID and in place of `{id}`. */
  id: string;
  deadline: number;
  intervalMs: number;
  commandTimeoutMs: number;
  cwd: string;
  env?: Record<string, string>;
  signal: AbortSignal;
  redact: (s: string) => string;
  now: () => Date;
}

/**
 * Polls a verify command (until it exits 0) or URL (until 2xx, with the text
 * when given) until the deadline. Bounded by the deadline: no attempt starts
 * after it and a command attempt never runs past it.
 */
export async function pollVerify(o: PollOptions): Promise<PollOutcome> {
  let attempts = 0;
  let last = 'not attempted';
  let output: string | undefined;
  while (!o.signal.aborted && Date.now() < o.deadline) {
    attempts++;
    const remaining = Math.max(1, o.deadline - Date.now());
    if (typeof o.verify === 'string') {
      const r: CommandResult = await runCommand({
        command: o.verify,
        cwd: o.cwd,
        env: { ...o.env, GOLIVE_DRILL_ID: o.id },
        timeoutMs: Math.min(o.commandTimeoutMs, remaining),
        signal: o.signal,
        redact: o.redact,
        maxOutputBytes: 16 * 1024,
      });
      last = `\`${o.redact(o.verify)}\` ${describeCommandResult(r, Math.min(o.commandTimeoutMs, remaining))}`;
      output = r.output;
      if (r.ok) return { ok: true, at: o.now(), attempts, last, output };
    } else {
      const url = o.verify.url.replaceAll('{id}', encodeURIComponent(o.id));
      const want = o.verify.contains?.replaceAll('{id}', o.id);
      try {
        const res = await fetch(url, {
          signal: AbortSignal.any([o.signal, AbortSignal.timeout(Math.min(10_000, remaining))]),
        });
        const body = await res.text();
        const has = want === undefined || body.includes(want);
        last = `GET ${o.redact(url)} → ${res.status}${want !== undefined && !has ? ' without the expected text' : ''}`;
        if (res.status >= 200 && res.status < 300 && has) return { ok: true, at: o.now(), attempts, last };
      } catch (e) {
        last = `GET ${o.redact(url)}: ${(e as Error).message}`;
      }
    }
    await sleep(Math.min(o.intervalMs, Math.max(0, o.deadline - Date.now())), o.signal);
  }
  return { ok: false, attempts, last, ...(output !== undefined ? { output } : {}) };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
