import type { Collector } from './collector.js';

/**
 * Manual attestations: the criteria whose `attest` names a role. Attestations
 * are recorded with `golive attest` and evaluated by the gate; this collector
 * makes them part of the run's evidence, so a reviewer sees which ones existed
 * when the run was made (check `attest.<criterion id>`).
 */
export const attestationsCollector: Collector = {
  name: 'attest',
  description: 'manual attestations recorded with golive attest',
  produces: [],
  enabled: (spec) => spec.criteria.some((c) => c.attest !== undefined),
  async collect(ctx) {
    const startedAt = ctx.now().toISOString();
    const wanted = ctx.spec.criteria.filter((c) => c.attest !== undefined);
    const checks = wanted.map((c) => {
      const found = ctx.attestations.filter((a) => a.criterionId === c.id && a.role === c.attest).at(-1);
      return found
        ? {
            id: `attest.${c.id}`,
            status: 'pass' as const,
            summary: `attested by ${found.by} (${found.role}): ${found.evidence}`,
          }
        : { id: `attest.${c.id}`, status: 'skipped' as const, summary: `awaiting attestation by ${c.attest}` };
    });
    const done = checks.filter((c) => c.status === 'pass').length;
    return {
      collector: 'attest',
      status: done === checks.length ? 'pass' : 'skipped',
      summary: `${done} of ${checks.length} manual items attested`,
      startedAt,
      endedAt: ctx.now().toISOString(),
      metrics: [{ name: 'attest.missing', value: checks.length - done, unit: 'count' }],
      checks,
      findings: [],
      artifacts: [],
    };
  },
};
