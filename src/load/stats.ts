import * as hdr from 'hdr-histogram-js';
import type { ErrorClass } from './connection.js';
import type { CacheStatus } from './response-parser.js';

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface TimelineRow {
  /** Second since the start. */
  t: number;
  /** Responses received (any status) that second; interrupted and timed-out requests are in `errors` only. */
  rps: number;
  errors: number;
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
  /** Most requests in flight during that second. */
  inFlight: number;
}

export interface RequestStats {
  requests: number;
  errors: number;
  latency: Percentiles;
}

/** The result of a load run: JSON-safe, with the histograms encoded so runs and segments can be merged exactly. */
export interface LoadResult {
  kind: 'golive-load-result';
  version: 1;
  target: string;
  executor: string;
  /** Open model: latency measured from the intended send time (coordinated omission corrected). */
  corrected: boolean;
  startedAt: string;
  durationMs: number;
  requests: number;
  ok: number;
  errors: number;
  errorRate: number;
  /** `invalid-request`: a value filled in from data or an extract would have broken the request line or a header; not sent. */
  errorClasses: Partial<Record<ErrorClass | 'status' | 'expectation' | 'invalid-request', number>>;
  statuses: Record<string, number>;
  dropped: number;
  /**
   * Requests cut before their response: in flight when the graceful stop ran
   * out, or at Ctrl-C. Each is also an error of class `interrupted`, with the
   * time it had waited as its latency (a lower bound, like a timeout's).
   */
  interrupted: number;
  /** Responses received (any status) per second of measured time: from the start to the last response or cut. */
  rps: number;
  /** Open model: arrivals scheduled per second of the window (sent or dropped): the rate asked for. */
  offeredRps?: number;
  /** From the start to the moment the run stopped admitting work (its duration, request count, an abort or Ctrl-C). */
  windowMs?: number;
  /** Open model: arrivals outstanding at the middle of the window and at its end (see behind.ts). */
  inFlightTrend?: { mid: number; end: number };
  /** Open model: why the run fell behind its offered rate, when it did (see behind.ts). */
  fallingBehind?: string;
  bytesIn: number;
  bytesOut: number;
  cache: { hits: number; misses: number; ratio: number | null };
  /** From the intended send time when `corrected`, else the same as serviceTime. */
  latency: Percentiles;
  /** From the actual send to the end of the response. */
  serviceTime: Percentiles;
  timeline: TimelineRow[];
  perRequest: Record<string, RequestStats>;
  histograms: { latency: string; serviceTime: string };
  /** Why the run stopped early, when it did. */
  stoppedBy?: string;
  /** Which share of a distributed test this is (`--segment i/n`). */
  segment?: { index: number; count: number };
  /** The segments a merged result was made from. */
  segments?: number;
  /** Weighted mix: iterations started per flow. */
  mix?: Record<string, number>;
  /** Requests sent again because the server closed the connection before reading them (not errors). */
  resent?: number;
}

const newHistogram = (digits = 3): hdr.Histogram =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: digits as 3,
  });

/** One second of the timeline; its percentiles (ms) are filled when the second closes. */
interface Second {
  requests: number;
  /** Requests that got a response (any status): the second's rate, as load.rps counts. */
  responses: number;
  errors: number;
  dropped: number;
  inFlight: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Accumulates measurements of one run; values are recorded in microseconds. */
export class LoadStats {
  readonly latency = newHistogram();
  readonly service = newHistogram();
  requests = 0;
  /** Requests that got a response, whatever its status. */
  responses = 0;
  ok = 0;
  errors = 0;
  dropped = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** performance.now() of the last recorded request. */
  lastDoneAt = 0;
  cacheHits = 0;
  cacheMisses = 0;
  readonly errorClasses: LoadResult['errorClasses'] = {};
  readonly statuses: Record<string, number> = {};
  private readonly seconds: Second[] = [];
  private readonly perRequest = new Map<string, { requests: number; errors: number; hist: hdr.Histogram }>();

  private cur: Second | undefined;
  private curIndex = -1;
  private curFrom = 0;
  private curTo = -1;
  /**
   * The open second's latencies. One histogram, reset when the second closes
   * and its row keeps three percentiles: memory stays flat however long the
   * run (a histogram kept per second would cost ~10 kB a second, 860 MB a day).
   */
  private readonly secondHist = newHistogram(2);

  /**
   * @param start performance.now() at the start of the run.
   * @param opts.serviceTime keep a separate service-time histogram (open model; in the closed model it equals latency).
   * @param opts.perRequest keep a histogram per request name (more than one distinct request).
   */
  constructor(
    private readonly start: number,
    private readonly opts: { serviceTime: boolean; perRequest: boolean; watchMs?: number[] } = {
      serviceTime: true,
      perRequest: true,
    },
  ) {
    this.watchUs = (opts.watchMs ?? []).map((ms) => ms * 1000);
    this.slower = this.watchUs.map(() => 0);
  }

  /** Latency bounds (µs) watched for abort-on-fail, and how many requests were slower than each. */
  private readonly watchUs: number[];
  readonly slower: number[];

  private second(at: number): Second {
    if (at >= this.curFrom && at < this.curTo) return this.cur as Second;
    const i = Math.max(0, Math.floor((at - this.start) / 1000));
    // Completions come in time order; a late one for a closed second is counted, not in its percentiles.
    if (i < this.curIndex) return this.secondAt(i);
    this.closeSecond();
    this.secondHist.reset();
    this.curIndex = i;
    this.curFrom = this.start + i * 1000;
    this.curTo = this.curFrom + 1000;
    this.cur = this.secondAt(i);
    return this.cur;
  }

  /** Writes the open second's percentiles into its row (the histogram is kept until the next second opens). */
  private closeSecond(): void {
    const s = this.cur;
    if (!s || this.secondHist.totalCount === 0) return;
    s.p50 = this.secondHist.getValueAtPercentile(50) / 1000;
    s.p95 = this.secondHist.getValueAtPercentile(95) / 1000;
    s.p99 = this.secondHist.getValueAtPercentile(99) / 1000;
  }

  private secondAt(i: number): Second {
    let s = this.seconds[i];
    if (!s) {
      for (let k = this.seconds.length; k <= i; k++)
        this.seconds[k] = { requests: 0, responses: 0, errors: 0, dropped: 0, inFlight: 0, p50: 0, p95: 0, p99: 0 };
      s = this.seconds[i] as Second;
    }
    return s;
  }

  /** One finished request. Times are performance.now() milliseconds. */
  record(
    name: string,
    intendedAt: number,
    sentAt: number,
    doneAt: number,
    status: number | undefined,
    error: string | undefined,
    cache: CacheStatus,
    bytesIn: number,
  ): void {
    const latencyUs = Math.min(60_000_000, Math.max(1, Math.round((doneAt - intendedAt) * 1000)));
    this.latency.recordValue(latencyUs);
    for (let k = 0; k < this.watchUs.length; k++)
      if (latencyUs > (this.watchUs[k] as number)) (this.slower[k] as number)++;
    if (this.opts.serviceTime)
      this.service.recordValue(Math.min(60_000_000, Math.max(1, Math.round((doneAt - sentAt) * 1000))));
    this.requests++;
    if (doneAt > this.lastDoneAt) this.lastDoneAt = doneAt;
    this.bytesIn += bytesIn;
    if (status !== undefined) {
      this.responses++;
      this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    }
    if (cache === 'hit') this.cacheHits++;
    else if (cache === 'miss') this.cacheMisses++;
    const sec = this.second(doneAt);
    sec.requests++;
    if (status !== undefined) sec.responses++;
    if (sec === this.cur) this.secondHist.recordValue(latencyUs);
    let per = this.perRequest.get(name);
    if (!per) {
      per = { requests: 0, errors: 0, hist: this.opts.perRequest ? newHistogram() : this.latency };
      this.perRequest.set(name, per);
    }
    per.requests++;
    if (this.opts.perRequest) per.hist.recordValue(latencyUs);
    if (error) {
      this.errors++;
      sec.errors++;
      per.errors++;
      const cls = error as keyof LoadResult['errorClasses'];
      this.errorClasses[cls] = (this.errorClasses[cls] ?? 0) + 1;
    } else this.ok++;
  }

  drop(intendedAt: number): void {
    this.dropped++;
    this.second(intendedAt).dropped++;
  }

  inFlight(at: number, n: number): void {
    const s = this.second(at);
    if (n > s.inFlight) s.inFlight = n;
  }

  /** Responses received in the second before `at` (as load.rps counts), and its p99 in ms: for live progress. */
  recent(at: number): { rps: number; p99: number } {
    const s = this.seconds[Math.floor((at - this.start) / 1000) - 1];
    if (!s || !s.requests) return { rps: 0, p99: 0 };
    return { rps: s.responses, p99: s === this.cur ? this.secondHist.getValueAtPercentile(99) / 1000 : s.p99 };
  }

  result(meta: {
    target: string;
    executor: string;
    corrected: boolean;
    startedAt: string;
    durationMs: number;
    windowMs?: number;
    offeredRps?: number;
    inFlightTrend?: { mid: number; end: number };
    stoppedBy?: string;
    mix?: Record<string, number>;
    resent?: number;
  }): LoadResult {
    this.closeSecond();
    const seconds = this.seconds.filter((_, i) => i * 1000 < meta.durationMs + 1000);
    return {
      kind: 'golive-load-result',
      version: 1,
      ...meta,
      requests: this.requests,
      ok: this.ok,
      errors: this.errors,
      errorRate: this.requests ? this.errors / this.requests : 0,
      errorClasses: this.errorClasses,
      statuses: this.statuses,
      dropped: this.dropped,
      interrupted: this.errorClasses.interrupted ?? 0,
      rps: meta.durationMs > 0 ? (this.responses / meta.durationMs) * 1000 : 0,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      cache: {
        hits: this.cacheHits,
        misses: this.cacheMisses,
        ratio: this.cacheHits + this.cacheMisses ? this.cacheHits / (this.cacheHits + this.cacheMisses) : null,
      },
      latency: percentiles(this.latency),
      serviceTime: percentiles(this.opts.serviceTime ? this.service : this.latency),
      timeline: seconds.map((s, t) => ({
        t,
        rps: s.responses,
        errors: s.errors,
        dropped: s.dropped,
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        inFlight: s.inFlight,
      })),
      perRequest: Object.fromEntries(
        [...this.perRequest].map(([k, v]) => [
          k,
          { requests: v.requests, errors: v.errors, latency: percentiles(v.hist) },
        ]),
      ),
      histograms: {
        latency: hdr.encodeIntoCompressedBase64(this.latency),
        serviceTime: hdr.encodeIntoCompressedBase64(this.service),
      },
    };
  }
}

export function percentiles(h: hdr.Histogram): Percentiles {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}
