import type { Metric } from '../model.js';
import type { LoadResult } from './stats.js';

/**
 * The metrics of a load result under a prefix: `load` for the whole test,
 * `load.<scenario>` per scenario, `load.<scenario>.<request>` per request name.
 */
export function loadMetrics(r: LoadResult, prefix = 'load'): Metric[] {
  const ms = (name: string, value: number): Metric => ({ name: `${prefix}.${name}`, value, unit: 'ms' });
  const out: Metric[] = [
    ms('latency.p50', r.latency.p50),
    ms('latency.p90', r.latency.p90),
    ms('latency.p95', r.latency.p95),
    ms('latency.p99', r.latency.p99),
    ms('latency.p999', r.latency.p999),
    ms('latency.max', r.latency.max),
    ms('latency.mean', r.latency.mean),
    ms('service_time.p95', r.serviceTime.p95),
    ms('service_time.p99', r.serviceTime.p99),
    { name: `${prefix}.error_rate`, value: r.errorRate, unit: 'ratio' },
    { name: `${prefix}.rps`, value: r.rps, unit: 'rps' },
    { name: `${prefix}.requests`, value: r.requests, unit: 'count' },
    { name: `${prefix}.errors`, value: r.errors, unit: 'count' },
    { name: `${prefix}.dropped`, value: r.dropped, unit: 'count' },
    { name: `${prefix}.interrupted`, value: r.interrupted ?? 0, unit: 'count' },
  ];
  // The rate asked for, beside the one achieved (`rps`): only the open model offers one.
  if (r.offeredRps !== undefined) out.push({ name: `${prefix}.offered_rps`, value: r.offeredRps, unit: 'rps' });
  if (r.cache.ratio !== null) out.push({ name: `${prefix}.cache.hit_ratio`, value: r.cache.ratio, unit: 'ratio' });
  return out;
}

/** Per-request metrics: `load.<scenario>.<request>.latency.p95` with the request name made metric-safe (`get_products`). */
export function requestMetrics(r: LoadResult, prefix: string): Metric[] {
  return Object.entries(r.perRequest).flatMap(([name, s]) => {
    const p = `${prefix}.${metricSafe(name)}`;
    return [
      { name: `${p}.latency.p50`, value: s.latency.p50, unit: 'ms' as const },
      { name: `${p}.latency.p95`, value: s.latency.p95, unit: 'ms' as const },
      { name: `${p}.latency.p99`, value: s.latency.p99, unit: 'ms' as const },
      { name: `${p}.error_rate`, value: s.requests ? s.errors / s.requests : 0, unit: 'ratio' as const },
    ];
  });
}

/** A weighted mix: `load.<scenario>.mix.<flow>.iterations` (count) and `.share` (ratio of the scenario's iterations). */
export function mixMetrics(r: LoadResult, prefix: string): Metric[] {
  const total = Object.values(r.mix ?? {}).reduce((a, n) => a + n, 0);
  return Object.entries(r.mix ?? {}).flatMap(([flow, n]) => [
    { name: `${prefix}.mix.${metricSafe(flow)}.iterations`, value: n, unit: 'count' as const },
    { name: `${prefix}.mix.${metricSafe(flow)}.share`, value: total ? n / total : 0, unit: 'ratio' as const },
  ]);
}

export function metricSafe(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
