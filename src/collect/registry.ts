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
import type { Spec } from '../spec/schema.js';
import type { MetricSource } from '../spec/validate.js';
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

/** The spec section that turns each collector on, and the page that documents it (for validate's hints). */
const SECTIONS: Record<string, { section: string; docs: string }> = {
  ops: { section: 'probes.ops', docs: 'docs/probes.md' },
  load: { section: 'load', docs: 'docs/load.md' },
  security: { section: 'probes.security', docs: 'docs/probes.md' },
  'drill.smoke': { section: 'drills.smoke', docs: 'docs/drills.md' },
  'drill.rollback': { section: 'drills.rollback', docs: 'docs/drills.md' },
  scan: { section: 'scan', docs: 'docs/scan.md' },
  'drill.alerts': { section: 'drills.alerts', docs: 'docs/drills.md' },
  'drill.alarm': { section: 'drills.alarm', docs: 'docs/drills.md' },
  'drill.restore': { section: 'drills.restore', docs: 'docs/drills.md' },
  attest: { section: 'criteria[].attest', docs: 'docs/spec.md' },
};

/** Metrics of a collector that need a sub-section of its own besides the collector's section. */
const PARTS: Array<{ collector: string; produces: string[]; section: string; enabled: (spec: Spec) => boolean }> = [
  { collector: 'scan', produces: ['scan.coverage.'], section: 'scan.coverage', enabled: (s) => !!s.scan?.coverage },
  { collector: 'scan', produces: ['scan.audit.'], section: 'scan.audit', enabled: (s) => !!s.scan?.audit },
  {
    collector: 'scan',
    produces: ['scan.sarif.results'],
    section: 'scan.sarif',
    enabled: (s) => (s.scan?.sarif?.length ?? 0) > 0,
  },
];

/** Collectors whose findings feed the gate's findings.* metrics (their evidence has scansForFindings). */
const FINDINGS_FROM = ['security', 'scan', 'drill.alerts'];

/**
 * What can feed a threshold in `spec`: each collector (and each part of one
 * that needs its own sub-section, such as `scan.coverage`) with the metrics it
 * produces, whether this spec turns it on, and the section that would. The
 * gate's `findings.*` metrics come from the collectors that look for findings.
 * `golive validate` warns about every threshold no enabled source feeds.
 */
export function metricSources(spec: Spec, list: readonly Collector[] = collectors): MetricSource[] {
  const out: MetricSource[] = [];
  for (const c of list) {
    const where = SECTIONS[c.name] ?? { section: c.name, docs: 'docs/collectors.md' };
    const on = c.enabled(spec);
    const parts = PARTS.filter((p) => p.collector === c.name);
    const own = c.produces.filter((m) => !parts.some((p) => p.produces.includes(m)));
    out.push({ produces: own, enabled: on, ...where, collector: c.name });
    for (const p of parts)
      out.push({ produces: p.produces, enabled: on && p.enabled(spec), section: p.section, docs: where.docs });
    if (FINDINGS_FROM.includes(c.name)) out.push({ produces: ['findings.'], enabled: on, ...where });
  }
  if (list.some((c) => c.name === 'attest')) {
    out.push({
      produces: ['attest.'],
      enabled: spec.criteria.some((c) => c.attest !== undefined),
      ...SECTIONS.attest!,
    });
  }
  return out;
}
