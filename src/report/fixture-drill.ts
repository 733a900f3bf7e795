import type { Evidence } from '../model.js';

/**
 * A `drill.rollback` evidence with `data.timeline` and `data.phases` as the
 * rollback drill collector records them: 30 one-second buckets of probe
 * traffic, v1.3.2 → v1.4.0 on deploy and back to v1.3.2 on rollback, with
 * failed probes and a p95 spike while rolling back; each phase carries the
 * figures the collector counts from its probe samples (10 requests came before
 * the deploy started), and the totals are metrics. For renderer tests.
 */
export function sampleRollbackDrill(overrides: Partial<Evidence> = {}): Evidence {
  const timeline = Array.from({ length: 30 }, (_, i) => {
    const rolling = i >= 12 && i < 15;
    return {
      t: i * 1000,
      requests: rolling ? 7 : 10,
      errors: rolling ? 3 : 0,
      p50: rolling ? 40 : 12,
      p95: rolling ? 210 : 25,
      version: i < 5 ? 'v1.3.2' : i < 13 ? 'v1.4.0' : 'v1.3.2',
    };
  });
  return {
    collector: 'drill.rollback',
    status: 'pass',
    summary: 'rolled back v1.4.0 → v1.3.2 in 3.2 s',
    startedAt: '2026-11-22T11:01:13.000Z',
    endedAt: '2026-11-22T11:01:43.000Z',
    metrics: [
      { name: 'drill.rollback.duration', value: 3200, unit: 'ms' },
      { name: 'drill.rollback.requests', value: 291, unit: 'count' },
      { name: 'drill.rollback.errors', value: 9, unit: 'count' },
    ],
    checks: [],
    findings: [],
    artifacts: [],
    data: {
      timeline,
      phases: [
        { name: 'deploy', startMs: 1000, endMs: 5200, ok: true, ...stats(42, 0, 25, ['v1.3.2', 'v1.4.0']) },
        { name: 'verify-new', startMs: 5200, endMs: 12000, ok: true, ...stats(68, 0, 25, ['v1.4.0']) },
        { name: 'rollback', startMs: 12000, endMs: 15200, ok: true, ...stats(23, 9, 210, ['v1.4.0', 'v1.3.2']) },
        { name: 'settle', startMs: 15200, endMs: 30000, ok: true, ...stats(148, 0, 25, ['v1.3.2']) },
      ],
    },
    ...overrides,
  };
}

const stats = (requests: number, errors: number, p95: number, versions: string[]) => ({
  requests,
  errors,
  p95,
  versions,
});
