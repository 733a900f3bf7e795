import { alarmCollector } from '../drills/alarm.js';
import { alertRulesCollector } from '../drills/alert-rules.js';
import { restoreCollector } from '../drills/restore.js';
import { rollbackCollector } from '../drills/rollback.js';
import { smokeCollector } from '../drills/smoke.js';
import { loadCollector } from '../load/collector.js';
import { opsCollector } from '../probes/ops.js';
import { scanCollector } from '../scan/collector.js';
import { securityCollector } from '../probes/security.js';
import { attestationsCollector } from './attestations.js';
import type { Collector } from './collector.js';

/**
 * Every collector golive knows, in the order they run. The load, probe, scan
 * and drill collectors register here as they land.
 */
export const collectors: readonly Collector[] = [
  opsCollector,
  loadCollector,
  // After load, so its rate-limit burst does not disturb the load test.
  securityCollector,
  smokeCollector,
  // Last of the target collectors: it leaves the target on the previous version, as a real rollback does.
  rollbackCollector,
  scanCollector,
  alertRulesCollector,
  alarmCollector,
  restoreCollector,
  attestationsCollector,
];

/** Metric names and prefixes any collector can produce; used to warn about thresholds that will never get data. */
export function producedMetrics(list: readonly Collector[] = collectors): string[] {
  return [...list.flatMap((c) => c.produces), 'findings.', 'attest.'];
}
