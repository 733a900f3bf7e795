/**
 * The rollback drill's timeline: probe samples folded into 1-second buckets and
 * per-phase figures. Pure; the shapes are shared with the HTML charts
 * (data.timeline, data.phases of `drill.rollback` evidence).
 */

/** One probe request of the drill. */
export interface ProbeSample {
  /** Send time, ms since the drill started. */
  t: number;
  ms: number;
  ok: boolean;
  /** Version the answer reported, when it did. */
  version?: string;
  /** Why it failed: status or connection error. */
  error?: string;
}

export interface TimelineBucket {
  /** ms since the drill started (bucket start). */
  t: number;
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  version?: string;
}

export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
  ok: boolean;
  /** One line: what happened in this phase. */
  detail?: string;
  /** Probe figures of the requests sent in this phase. */
  requests?: number;
  errors?: number;
  p95?: number | null;
  /** Versions the probes saw in this phase, in order of first appearance. */
  versions?: string[];
}

const BUCKET_MS = 1000;

/** Folds samples into 1 s buckets from 0 to `endMs`; empty seconds are kept (they show a stall). */
export function buildTimeline(samples: readonly ProbeSample[], endMs: number): TimelineBucket[] {
  const count = Math.max(1, Math.ceil(endMs / BUCKET_MS));
  const buckets: Array<{ lat: number[]; errors: number; versions: Map<string, number> }> = Array.from(
    { length: count },
    () => ({ lat: [], errors: 0, versions: new Map() }),
  );
  for (const s of samples) {
    const b = buckets[Math.min(count - 1, Math.max(0, Math.floor(s.t / BUCKET_MS)))];
    if (!b) continue;
    b.lat.push(s.ms);
    if (!s.ok) b.errors++;
    if (s.version !== undefined) b.versions.set(s.version, (b.versions.get(s.version) ?? 0) + 1);
  }
  return buckets.map((b, i) => {
    const version = mostCommon(b.versions);
    return {
      t: i * BUCKET_MS,
      requests: b.lat.length,
      errors: b.errors,
      p50: percentile(b.lat, 0.5),
      p95: percentile(b.lat, 0.95),
      ...(version !== undefined ? { version } : {}),
    };
  });
}

/** The phase with the probe figures of the samples sent during it. */
export function withPhaseStats(phase: Phase, samples: readonly ProbeSample[]): Phase {
  const inside = samples.filter((s) => s.t >= phase.startMs && s.t < phase.endMs);
  const versions: string[] = [];
  for (const s of inside) if (s.version !== undefined && !versions.includes(s.version)) versions.push(s.version);
  return {
    ...phase,
    requests: inside.length,
    errors: inside.filter((s) => !s.ok).length,
    p95: percentile(
      inside.map((s) => s.ms),
      0.95,
    ),
    versions,
  };
}

/** Nearest-rank percentile, rounded to 0.1 ms; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return Math.round(v * 10) / 10;
}

function mostCommon(m: Map<string, number>): string | undefined {
  let best: string | undefined;
  let n = 0;
  for (const [k, c] of m) {
    if (c > n) {
      best = k;
      n = c;
    }
  }
  return best;
}
