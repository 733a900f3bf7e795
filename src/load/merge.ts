import * as hdr from 'hdr-histogram-js';
import { fallingBehindOf } from './behind.js';
import { percentiles, type LoadResult } from './stats.js';

/**
 * Merges results of runs made one after the other (the scenarios of a check):
 * histograms add exactly, counts add, durations add, timelines follow each other.
 */
export function mergeSequential(results: LoadResult[]): LoadResult {
  return merge(results, 'sequential');
}

/**
 * Merges results of runs made at the same time (the segments of one test, from
 * several processes or machines): histograms add exactly, counts add, the rate
 * is the sum, the duration the longest, and timelines align second by second.
 * A per-second percentile of the merged timeline is the highest of the
 * segments' (the exact overall percentiles come from the merged histograms).
 */
export function mergeParallel(results: LoadResult[]): LoadResult {
  return merge(results, 'parallel');
}

/**
 * Merges the scenarios of a check that ran at the same time, each from its
 * `startTime` (offsets in ms): histograms and counts add, timelines align on
 * the load phase's clock, the duration runs from the first start to the last
 * end, and the rate is requests over that window. Flow counts (mix) are per
 * scenario and are not merged.
 */
export function mergeConcurrent(results: LoadResult[], offsetsMs: number[]): LoadResult {
  // The window starts with the first scenario to start.
  const first = Math.min(...offsetsMs);
  const offsets = offsetsMs.map((o) => o - first);
  if (results.length === 1) return results[0] as LoadResult;
  return merge(results, 'parallel', offsets);
}

function merge(results: LoadResult[], mode: 'sequential' | 'parallel', offsetsMs?: number[]): LoadResult {
  const first = results[0] as LoadResult;
  if (results.length === 1 && mode === 'sequential') return first;
  const add = (key: 'latency' | 'serviceTime'): hdr.Histogram => {
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (const r of results) h.add(hdr.decodeFromCompressedBase64(r.histograms[key]));
    return h;
  };
  const latency = add('latency');
  const service = add('serviceTime');
  const sum = (f: (r: LoadResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  const addMaps = <T extends Record<string, number | undefined>>(maps: T[]): T => {
    const out: Record<string, number> = {};
    for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + (v ?? 0);
    return out as T;
  };
  const durationMs =
    mode === 'sequential'
      ? sum((r) => r.durationMs)
      : Math.max(...results.map((r, i) => r.durationMs + (offsetsMs?.[i] ?? 0)));
  const requests = sum((r) => r.requests);
  // Responses (any status), for the rate: results written before `interrupted` existed count every request.
  const responses = sum((r) => Object.values(r.statuses).reduce((a, n) => a + n, 0));
  const errors = sum((r) => r.errors);
  const hits = sum((r) => r.cache.hits);
  const misses = sum((r) => r.cache.misses);
  let timeline: LoadResult['timeline'];
  if (mode === 'sequential') {
    let offset = 0;
    timeline = results.flatMap((r) => {
      const rows = r.timeline.map((row) => ({ ...row, t: row.t + offset }));
      offset += Math.ceil(r.durationMs / 1000);
      return rows;
    });
  } else {
    timeline = [];
    for (const [i, r] of results.entries()) {
      const shift = Math.round((offsetsMs?.[i] ?? 0) / 1000);
      for (const source of r.timeline) {
        const row = shift ? { ...source, t: source.t + shift } : source;
        const at = timeline[row.t];
        timeline[row.t] = at
          ? {
              t: row.t,
              rps: at.rps + row.rps,
              errors: at.errors + row.errors,
              dropped: at.dropped + row.dropped,
              inFlight: at.inFlight + row.inFlight,
              p50: Math.max(at.p50, row.p50),
              p95: Math.max(at.p95, row.p95),
              p99: Math.max(at.p99, row.p99),
            }
          : { ...row };
      }
    }
    timeline = Array.from(
      timeline,
      (row, t) => row ?? { t, rps: 0, errors: 0, dropped: 0, inFlight: 0, p50: 0, p95: 0, p99: 0 },
    );
  }
  // Per-request percentiles cannot be merged without their histograms: counts add, latency is the worst segment's.
  const perRequest: LoadResult['perRequest'] = {};
  for (const r of results) {
    for (const [name, p] of Object.entries(r.perRequest)) {
      const at = perRequest[name];
      perRequest[name] = at
        ? {
            requests: at.requests + p.requests,
            errors: at.errors + p.errors,
            latency: Object.fromEntries(
              Object.entries(at.latency).map(([k, v]) => [k, Math.max(v, p.latency[k as keyof typeof p.latency])]),
            ) as unknown as typeof p.latency,
          }
        : p;
    }
  }
  const result: LoadResult = {
    kind: 'golive-load-result',
    version: 1,
    target: first.target,
    executor: [...new Set(results.map((r) => r.executor))].join('+'),
    corrected: results.every((r) => r.corrected),
    startedAt: first.startedAt,
    durationMs,
    requests,
    ok: sum((r) => r.ok),
    errors,
    errorRate: requests ? errors / requests : 0,
    errorClasses: addMaps(results.map((r) => r.errorClasses)),
    statuses: addMaps(results.map((r) => r.statuses)),
    dropped: sum((r) => r.dropped),
    interrupted: sum((r) => r.interrupted ?? 0),
    rps: mode === 'sequential' || offsetsMs ? (durationMs ? (responses / durationMs) * 1000 : 0) : sum((r) => r.rps),
    bytesIn: sum((r) => r.bytesIn),
    bytesOut: sum((r) => r.bytesOut),
    cache: { hits, misses, ratio: hits + misses ? hits / (hits + misses) : null },
    // Encoded histograms keep counts per bucket, not the exact maximum: take it from the inputs.
    latency: { ...percentiles(latency), max: Math.max(...results.map((r) => r.latency.max)) },
    serviceTime: { ...percentiles(service), max: Math.max(...results.map((r) => r.serviceTime.max)) },
    timeline,
    perRequest,
    histograms: {
      latency: hdr.encodeIntoCompressedBase64(latency),
      serviceTime: hdr.encodeIntoCompressedBase64(service),
    },
  };
  const offered = mergeOffered(results, mode, offsetsMs);
  if (offered) {
    result.offeredRps = offered.rps;
    result.windowMs = offered.windowMs;
  }
  const trends = results.flatMap((r) => (r.inFlightTrend ? [r.inFlightTrend] : []));
  // Queues one after the other do not add up to a trend; shares running together do.
  if (trends.length && mode === 'parallel')
    result.inFlightTrend = { mid: trends.reduce((a, t) => a + t.mid, 0), end: trends.reduce((a, t) => a + t.end, 0) };
  const behind = results.some((r) => r.offeredRps !== undefined)
    ? fallingBehindOf(
        result.dropped,
        results.map((r) => r.inFlightTrend),
      )
    : undefined;
  if (behind) result.fallingBehind = behind;
  if (results.some((r) => r.resent)) result.resent = sum((r) => r.resent ?? 0);
  // Shares of one test (workers, segments) ran the same mix: its flow counts add.
  if (mode === 'parallel' && !offsetsMs && results.some((r) => r.mix))
    result.mix = addMaps(results.map((r) => r.mix ?? {}));
  return result;
}

/**
 * The offered rate of merged open-model results: shares of one test add their
 * rates over the longest window; runs one after the other, or scenarios at
 * their offsets, divide all arrivals by the whole window. Undefined when one
 * result is a closed-model run (it offers no rate).
 */
function mergeOffered(
  results: LoadResult[],
  mode: 'sequential' | 'parallel',
  offsetsMs?: number[],
): { rps: number; windowMs: number } | undefined {
  if (results.some((r) => r.offeredRps === undefined || r.windowMs === undefined)) return undefined;
  const arrivals = results.reduce((a, r) => a + ((r.offeredRps as number) * (r.windowMs as number)) / 1000, 0);
  const windows = results.map((r, i) => (r.windowMs as number) + (offsetsMs?.[i] ?? 0));
  if (mode === 'parallel' && !offsetsMs)
    return { rps: results.reduce((a, r) => a + (r.offeredRps as number), 0), windowMs: Math.max(...windows) };
  const windowMs = mode === 'sequential' ? windows.reduce((a, w) => a + w, 0) : Math.max(...windows);
  return { rps: windowMs > 0 ? (arrivals / windowMs) * 1000 : 0, windowMs };
}
