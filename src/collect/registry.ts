import { loadCollector } from '../load/collector.js';
import { opsCollector } from '../probes/ops.js';
import { securityCollector } from '../probes/security.js';
import { attestationsCollector } from './attestations.js';
import type { Collector } from './collector.js';

/**
 * Every collector golive knows, in the order they run. The load, probe, scan
 * and drill collectors register here as they land.
 */
export const collectors: readonly Collector[] = [opsCollector, loadCollector, securityCollector, attestationsCollector];

/** Metric names and prefixes any collector can produce; used to warn about thresholds that will never get data. */
export function producedMetrics(list: readonly Collector[] = collectors): string[] {
  return [...list.flatMap((c) => c.produces), 'findings.', 'attest.'];
}
