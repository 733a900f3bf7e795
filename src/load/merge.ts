import * as hdr from 'hdr-histogram-js';
import { percentiles, type LoadResult } from './stats.js';

/**
 * Merges results of runs made one after the other (the scenarios of a check):
 * histograms add exactly, counts add, durations add, timelines follow each other.
 */
export function mergeSequential(results: LoadResult[]): LoadResult {
  const first = results[0] as LoadResult;
  if (results.length === 1) return first;
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
  const durationMs = sum((r) => r.durationMs);
  const requests = sum((r) => r.requests);
  const errors = sum((r) => r.errors);
  const hits = sum((r) => r.cache.hits);
  const misses = sum((r) => r.cache.misses);
  let offset = 0;
  const timeline = results.flatMap((r) => {
    const rows = r.timeline.map((row) => ({ ...row, t: row.t + offset }));
    offset += Math.ceil(r.durationMs / 1000);
    return rows;
  });
  const perRequest: LoadResult['perRequest'] = {};
  for (const r of results) Object.assign(perRequest, r.perRequest);
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
    rps: durationMs ? (requests / durationMs) * 1000 : 0,
    bytesIn: sum((r) => r.bytesIn),
    bytesOut: sum((r) => r.bytesOut),
    cache: { hits, misses, ratio: hits + misses ? hits / (hits + misses) : null },
    latency: percentiles(latency),
    serviceTime: percentiles(service),
    timeline,
    perRequest,
    histograms: {
      latency: hdr.encodeIntoCompressedBase64(latency),
      serviceTime: hdr.encodeIntoCompressedBase64(service),
    },
  };
  return result;
}
