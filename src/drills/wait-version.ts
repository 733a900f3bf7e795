import { readVersion } from '../probes/ops.js';
import { freshGet } from './fresh-get.js';

export interface WaitVersionOptions {
  healthUrl: string;
  versionUrl: string;
  headers: Record<string, string>;
  /** The version that must answer (a leading `v` is ignored). */
  want: string;
  /** Give up at this performance.now(). */
  deadline: number;
  /** Must stay healthy on `want` this long to count. 0: the first good answer counts. */
  settleMs: number;
  requestTimeoutMs: number;
  signal: AbortSignal;
  /** Stop waiting early (e.g. the rollback command failed): returns its reason. */
  stopWhen?: () => string | undefined;
  /** Good answers count only once this is true (e.g. the command has finished). */
  ready?: () => boolean;
  /** Anything else seen since `since` (a performance.now()) that breaks the stretch, e.g. a probe answer from another version. */
  disturbedSince?: (since: number) => string | undefined;
  pollMs?: number;
}

export interface WaitVersionResult {
  ok: boolean;
  /** performance.now() of the first good answer of the stretch that held. */
  stableSince?: number;
  /** performance.now() when the stretch had held for the settle period. */
  settledAt?: number;
  /** What the last poll saw, for the failure message. */
  last: string;
  /** Set when stopWhen ended the wait, or on Ctrl-C. */
  stoppedBy?: string;
}

/**
 * Polls health and version until `want` answers healthy and keeps doing so for
 * the settle period. A bad answer inside the stretch starts it over: a
 * rollback that flaps back is not done.
 */
export async function waitForVersion(o: WaitVersionOptions): Promise<WaitVersionResult> {
  const pollMs = o.pollMs ?? 200;
  let stableSince: number | undefined;
  let last = 'no answer yet';
  for (;;) {
    if (o.signal.aborted) return { ok: false, last, stoppedBy: 'interrupted' };
    const stop = o.stopWhen?.();
    if (stop) return { ok: false, last, stoppedBy: stop };
    const at = performance.now();
    const [health, version] = await Promise.all([
      freshGet(o.healthUrl, { headers: o.headers, timeoutMs: o.requestTimeoutMs, signal: o.signal }),
      freshGet(o.versionUrl, { headers: o.headers, timeoutMs: o.requestTimeoutMs, signal: o.signal }),
    ]);
    const healthy = health.status !== undefined && health.status >= 200 && health.status < 300;
    const seen =
      version.status !== undefined && version.status >= 200 && version.status < 300
        ? readVersion({ url: o.versionUrl, headers: {}, body: version.body, ms: version.ms })
        : undefined;
    const good = healthy && seen !== undefined && sameVersion(seen, o.want);
    last = `health ${health.status !== undefined ? `HTTP ${health.status}` : (health.error ?? 'no answer')}, version ${
      seen ?? (version.status !== undefined ? `HTTP ${version.status}, none reported` : (version.error ?? 'no answer'))
    }`;
    if (good) stableSince ??= at;
    else stableSince = undefined;
    const disturbed = stableSince !== undefined ? o.disturbedSince?.(stableSince) : undefined;
    if (disturbed) {
      // Start the stretch again from this good answer: answers before it no longer count.
      last = `${last}; ${disturbed}`;
      stableSince = at;
      if (o.disturbedSince?.(at)) stableSince = undefined;
    }
    const now = performance.now();
    if (stableSince !== undefined && now - stableSince >= o.settleMs && (o.ready?.() ?? true)) {
      return { ok: true, stableSince, settledAt: now, last };
    }
    if (now >= o.deadline) return { ok: false, last };
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, o.deadline - now))));
  }
}

/** Versions compare without a leading `v` and surrounding space, as the ops probe does. */
export function sameVersion(a: string, b: string): boolean {
  const n = (v: string): string => v.trim().replace(/^v/i, '');
  return n(a) === n(b);
}
