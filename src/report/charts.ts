import * as hdr from 'hdr-histogram-js';
import type { LoadResult, Percentiles } from '../load/stats.js';

/**
 * The data behind the HTML report's charts: pure functions from evidence data
 * to `ChartSpec`s. A spec is JSON that the page's script hands to uPlot; it
 * carries numbers and labels only, so the renderer decides nothing in the
 * browser but layout and colour.
 */

/** A colour of the report's chart palette; the page maps it to `--chart-<name>` (light and dark). */
export type ChartColor = 'blue' | 'amber' | 'red' | 'green' | 'crimson' | 'purple' | 'grey';

export interface ChartSeries {
  label: string;
  color: ChartColor;
  /** One value per x; `null` leaves a gap (e.g. a second with no request). */
  values: Array<number | null>;
  /** Unit shown after a value in the legend: 'ms', 'req/s', '/s'. */
  unit: string;
  /** Plot against the right-hand axis instead of the left. Default false. */
  right?: boolean;
  /** Dashed line. Default false. */
  dash?: boolean;
}

/** A shaded span of the x axis (a drill phase). */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
  ok: boolean;
}

/** A labelled vertical line (e.g. where the reported version changed). */
export interface ChartMarker {
  at: number;
  label: string;
}

export interface ChartSpec {
  /** `time`: x is seconds since the start. `spectrum`: x is 1/(1-p), drawn on a log axis labelled in percent. */
  kind: 'time' | 'spectrum';
  x: number[];
  xLabel: string;
  yLabel: string;
  /** Label of the right-hand axis, when a series uses it. */
  rightLabel?: string;
  series: ChartSeries[];
  bands?: ChartBand[];
  markers?: ChartMarker[];
}

/** What the load collector keeps per scenario in its evidence (histograms are optional there). */
export type ScenarioResult = Omit<LoadResult, 'histograms'> & { histograms?: Partial<LoadResult['histograms']> };

/** Latency percentiles (p50 / p95 / p99) per second of a load scenario. */
export function latencyOverTime(r: ScenarioResult): ChartSpec {
  const rows = r.timeline ?? [];
  // A second without a completed request has no latency: a gap, not a zero.
  const at = (f: (row: (typeof rows)[number]) => number) => rows.map((row) => (row.rps > 0 ? finite(f(row)) : null));
  return {
    kind: 'time',
    x: rows.map((row) => row.t),
    xLabel: 'seconds since start',
    yLabel: r.corrected ? 'latency, ms (from intended send)' : 'service time, ms (not corrected)',
    series: [
      { label: 'p50', color: 'blue', values: at((x) => x.p50), unit: 'ms' },
      { label: 'p95', color: 'amber', values: at((x) => x.p95), unit: 'ms' },
      { label: 'p99', color: 'red', values: at((x) => x.p99), unit: 'ms' },
    ],
  };
}

/** Completed requests, errors and dropped iterations per second of a load scenario. */
export function throughputOverTime(r: ScenarioResult): ChartSpec {
  const rows = r.timeline ?? [];
  return {
    kind: 'time',
    x: rows.map((row) => row.t),
    xLabel: 'seconds since start',
    yLabel: 'requests/s',
    rightLabel: 'errors and dropped /s',
    series: [
      { label: 'requests', color: 'green', values: rows.map((row) => finite(row.rps)), unit: 'req/s' },
      { label: 'errors', color: 'red', values: rows.map((row) => finite(row.errors)), unit: '/s', right: true },
      {
        label: 'dropped',
        color: 'purple',
        values: rows.map((row) => finite(row.dropped)),
        unit: '/s',
        right: true,
        dash: true,
      },
    ],
  };
}

/**
 * The percentile spectrum: latency against percentile, x = 1/(1-p) on a log
 * axis, as HdrHistogram plots it, so the tail (99 %, 99.9 %, …) gets as much
 * room as the median. From the encoded histograms when the evidence carries
 * them (every step of the distribution), otherwise from the percentiles it
 * always has (p50 … p99.9 and max). In the open model the service time is
 * drawn beside the corrected latency: the gap between them is the queueing a
 * closed-model tool would not have seen.
 */
export function percentileSpectrum(r: ScenarioResult): ChartSpec & { source: 'histogram' | 'percentiles' } {
  const latency = decode(r.histograms?.latency);
  const service = r.corrected ? decode(r.histograms?.serviceTime) : undefined;
  const count = latency?.totalCount ?? r.requests;
  const x = latency ? spectrumGrid(count) : percentileGrid(count);
  const values = (h: hdr.Histogram | undefined, p: Percentiles): Array<number | null> =>
    h
      ? x.map((xi, i) => ms(i === x.length - 1 ? h.maxValue : h.getValueAtPercentile(100 * (1 - 1 / xi))))
      : fromPercentiles(x, p);
  const series: ChartSeries[] = [
    {
      label: r.corrected ? 'latency (from intended send)' : 'service time (not corrected)',
      color: 'blue',
      values: values(latency, r.latency),
      unit: 'ms',
    },
  ];
  if (r.corrected && r.serviceTime)
    series.push({
      label: 'service time',
      color: 'grey',
      values: latency && !service ? x.map(() => null) : values(service, r.serviceTime),
      unit: 'ms',
      dash: true,
    });
  return {
    kind: 'spectrum',
    x,
    xLabel: 'percentile',
    yLabel: 'latency, ms',
    series,
    source: latency ? 'histogram' : 'percentiles',
  };
}

/** Points per decade of 1/(1-p) on the spectrum drawn from a histogram. */
const STEPS_PER_DECADE = 10;

/**
 * x = 1/(1-p) from 1 (p = 0) up to the number of recorded values (beyond it a
 * percentile is only the maximum again), plus a last point for the maximum.
 */
export function spectrumGrid(count: number): number[] {
  const x: number[] = [];
  for (let k = 0; ; k++) {
    const xi = round(10 ** (k / STEPS_PER_DECADE), 6);
    if (xi >= count) break;
    x.push(xi);
  }
  x.push(Math.max(count, 1.5));
  return x;
}

/** The percentiles a load result always carries, placed on the spectrum's x axis. */
const KNOWN: Array<[x: number, key: keyof Percentiles]> = [
  [2, 'p50'],
  [10, 'p90'],
  [20, 'p95'],
  [100, 'p99'],
  [1000, 'p999'],
];

function percentileGrid(count: number): number[] {
  const x = KNOWN.map(([xi]) => xi).filter((xi) => xi < count);
  x.push(Math.max(count, (x.at(-1) ?? 1) * 2));
  return x;
}

function fromPercentiles(x: number[], p: Percentiles): Array<number | null> {
  return x.map((xi, i) => {
    if (i === x.length - 1) return finite(p.max);
    const key = KNOWN.find(([k]) => k === xi)?.[1];
    return key ? finite(p[key]) : null;
  });
}

/** A histogram from the load result's compressed base64, or undefined when absent or unreadable. */
function decode(encoded: string | undefined): hdr.Histogram | undefined {
  if (typeof encoded !== 'string' || encoded === '') return undefined;
  try {
    const h = hdr.decodeFromCompressedBase64(encoded);
    return h.totalCount > 0 ? h : undefined;
  } catch {
    // A report must still render from evidence whose histogram cannot be read; the percentiles remain.
    return undefined;
  }
}

// ---------------------------------------------------------------- rollback drill

/** One bucket of the rollback drill's probe traffic (see docs/drills.md). */
export interface DrillBucket {
  t: number;
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  version?: string;
}

/** One step of the rollback drill. */
export interface DrillPhase {
  name: string;
  startMs: number;
  endMs: number;
  ok: boolean;
}

export interface DrillTimeline {
  timeline: DrillBucket[];
  phases: DrillPhase[];
}

/**
 * The rollback drill's `data.timeline` and `data.phases`, checked field by
 * field (evidence comes from the store and another collector); undefined when
 * there is no usable timeline. Buckets are 1 s wide, so requests in a bucket
 * are requests per second.
 */
export function drillTimeline(data: Record<string, unknown> | undefined): DrillTimeline | undefined {
  const raw = data?.timeline;
  if (!Array.isArray(raw)) return undefined;
  const timeline: DrillBucket[] = [];
  for (const b of raw) {
    if (!isObject(b) || !isNum(b.t) || !isNum(b.requests) || !isNum(b.errors)) continue;
    timeline.push({
      t: b.t,
      requests: b.requests,
      errors: b.errors,
      p50: isNum(b.p50) ? b.p50 : null,
      p95: isNum(b.p95) ? b.p95 : null,
      ...(typeof b.version === 'string' && b.version ? { version: b.version } : {}),
    });
  }
  if (timeline.length === 0) return undefined;
  timeline.sort((a, b) => a.t - b.t);
  const phases: DrillPhase[] = Array.isArray(data?.phases)
    ? data.phases
        .filter(
          (p): p is DrillPhase =>
            isObject(p) && typeof p.name === 'string' && isNum(p.startMs) && isNum(p.endMs) && p.endMs >= p.startMs,
        )
        .map((p) => ({ name: p.name, startMs: p.startMs, endMs: p.endMs, ok: p.ok === true }))
    : [];
  return { timeline, phases };
}

/** Probe requests/s, errors/s and p95 over the drill, its phases as bands and version changes as markers. */
export function drillChart(d: DrillTimeline): ChartSpec {
  const markers: ChartMarker[] = [];
  let version: string | undefined;
  for (const b of d.timeline) {
    if (b.version === undefined || b.version === version) continue;
    markers.push({ at: b.t / 1000, label: b.version });
    version = b.version;
  }
  return {
    kind: 'time',
    x: d.timeline.map((b) => b.t / 1000),
    xLabel: 'seconds since the drill started',
    yLabel: 'probe requests/s',
    rightLabel: 'p95 latency, ms',
    series: [
      { label: 'requests', color: 'green', values: d.timeline.map((b) => b.requests), unit: 'req/s' },
      { label: 'errors', color: 'red', values: d.timeline.map((b) => b.errors), unit: '/s' },
      { label: 'p95', color: 'amber', values: d.timeline.map((b) => b.p95), unit: 'ms', right: true, dash: true },
    ],
    bands: d.phases.map((p) => ({ from: p.startMs / 1000, to: p.endMs / 1000, label: p.name, ok: p.ok })),
    ...(markers.length > 1 ? { markers } : {}),
  };
}

// ---------------------------------------------------------------- helpers

function ms(us: number): number {
  return round(us / 1000, 3);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function finite(v: unknown): number | null {
  return isNum(v) ? v : null;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
