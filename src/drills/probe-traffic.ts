import { readVersion } from '../probes/ops.js';
import { freshGet } from './fresh-get.js';
import { sameVersion } from './wait-version.js';
import type { ProbeSample } from './timeline.js';

export interface ProbeTrafficOptions {
  /** Absolute URL probed (the version endpoint: each answer also says which release served it). */
  url: string;
  headers: Record<string, string>;
  /** Requests per second. */
  rate: number;
  timeoutMs: number;
  /** Hard cap on requests sent, whatever happens to `stop()`. */
  maxRequests: number;
  /** performance.now() of the drill's start; sample times are relative to it. */
  t0: number;
  signal: AbortSignal;
}

/**
 * Low, steady probe traffic during a drill: request i is sent at t0' + i/rate
 * (an absolute schedule, so a slow answer never delays the next send and a
 * stalled switch shows as errors, not as missing requests). Bounded by count
 * and by `stop()`; each request by its timeout.
 */
export class ProbeTraffic {
  readonly samples: ProbeSample[] = [];
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private sent = 0;
  private readonly start = performance.now();

  constructor(private readonly o: ProbeTrafficOptions) {
    this.tick();
  }

  private tick(): void {
    if (this.stopped || this.o.signal.aborted || this.sent >= this.o.maxRequests) return;
    const t = performance.now() - this.o.t0;
    const p = freshGet(this.o.url, { headers: this.o.headers, timeoutMs: this.o.timeoutMs }).then((r) => {
      const ok = r.status !== undefined && r.status >= 200 && r.status < 300;
      const version = ok ? readVersion({ url: this.o.url, headers: {}, body: r.body, ms: r.ms }) : undefined;
      this.samples.push({
        t,
        ms: r.ms,
        ok,
        ...(version !== undefined ? { version } : {}),
        ...(ok ? {} : { error: r.error ?? `HTTP ${r.status}` }),
      });
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
    this.sent++;
    const next = this.start + (this.sent * 1000) / this.o.rate;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - performance.now()));
  }

  /**
   * The first probe answer sent at or after `sinceMs` (ms since the drill
   * started) that failed or came from another version than `want`, described;
   * undefined when there is none. A settle period holds only if every answer in
   * it came from the version that should be live.
   */
  disturbedSince(sinceMs: number, want: string): string | undefined {
    const bad = this.samples.find(
      (s) => s.t >= sinceMs && (!s.ok || (s.version !== undefined && !sameVersion(s.version, want))),
    );
    if (!bad) return undefined;
    return bad.ok ? `a probe request was answered by ${bad.version}` : `a probe request failed (${bad.error})`;
  }

  /** Stops sending and waits for the requests on the wire (each bounded by its timeout). */
  async stop(): Promise<ProbeSample[]> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.inFlight]);
    return this.samples.sort((a, b) => a.t - b.t);
  }
}
