import { bindAttestation, matchAttestation, staleAttestationNote } from '../spec/criterion-hash.js';
import type { Collector } from './collector.js';

/**
 * Manual attestations: the criteria whose `attest` names a role. Attestations
 * are recorded with `golive attest` and evaluated by the gate; this collector
 * makes them part of the run's evidence, so a reviewer sees which ones existed
 * when the run was made (check `attest.<criterion id>`). An attestation bound to
 * an earlier wording of its criterion is stale and shown as such; one recorded
 * before content binding is bound to the spec of this run (the first run after it).
 */
export const attestationsCollector: Collector = {
  name: 'attest',
  description: 'manual attestations recorded with golive attest',
  produces: [],
  enabled: (spec) => spec.criteria.some((c) => c.attest !== undefined),
  async collect(ctx) {
    const startedAt = ctx.now().toISOString();
    const wanted = ctx.spec.criteria.filter((c) => c.attest !== undefined);
    // The same form of the criterion as golive attest and the gate: as written (ctx.criterionHashes).
    const bound = ctx.attestations.map((a) => bindAttestation(a, ctx.spec.criteria, ctx.criterionHashes));
    const checks = wanted.map((c) => {
      const found = matchAttestation(c, bound, ctx.criterionHashes);
      const id = `attest.${c.id}`;
      if (found?.current) {
        const a = found.attestation;
        return { id, status: 'pass' as const, summary: `attested by ${a.by} (${a.role}): ${a.evidence}` };
      }
      const summary = found ? staleAttestationNote(found.attestation) : `awaiting attestation by ${c.attest}`;
      return { id, status: 'skipped' as const, summary };
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
