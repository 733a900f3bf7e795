import { currentWaivers } from './waivers-current.js';
import { bindLegacyAttestations } from './legacy-attestations.js';
import { evaluate } from '../gate/evaluate.js';
import { runSignoffStatus, viewSignoffs } from '../gate/decision.js';
import { findingRunOf, triageFindings, unresolved } from '../findings/triage.js';
import type { Evaluation, ReportModel } from '../model.js';
import type { Spec } from '../spec/schema.js';
import type { EvidenceStore, StoredRun } from '../store/types.js';

/**
 * Re-evaluates a stored run against what the store holds now (attestations,
 * waivers, amendments, sign-offs, the clock) and assembles the report model.
 * The evaluation is recomputed rather than stored because waivers expire and
 * attestations arrive after the run. Findings are triaged across the runs of
 * the release up to this one (first / last seen, fixed, waived, accepted).
 */
export async function buildReportModel(store: EvidenceStore, stored: StoredRun, now: Date): Promise<ReportModel> {
  const spec = stored.specJson as Spec;
  const key = { service: stored.run.service, release: stored.run.release };
  const [attestations, allWaivers, amendments, signoffs, decision, findingRuns] = await Promise.all([
    store.listAttestations(key),
    store.listWaivers(key),
    store.listAmendments(key),
    store.listSignoffs(key),
    store.latestDecision(stored.run.id),
    store.findingRuns(key, stored.run.id),
  ]);
  // Of several waivers on one subject only the latest counts (the audit log keeps them all).
  const waivers = currentWaivers(allWaivers);
  // Triage as of this run: a finding an earlier run saw still counts until a run shows it fixed.
  // (A run handed in that the store does not hold yet is triaged as the latest.)
  const runs = findingRuns.at(-1)?.run.id === stored.run.id ? findingRuns : [...findingRuns, findingRunOf(stored)];
  const findingsTriage = triageFindings(runs, waivers, now);
  const evaluated: Evaluation = evaluate({
    spec,
    evidence: stored.evidence,
    findings: unresolved(findingsTriage),
    attestations: await bindLegacyAttestations(store, stored, attestations),
    waivers,
    amendments,
    now,
  });
  // An interrupted run is not evidence of readiness, whatever it measured before it stopped.
  const evaluation: Evaluation =
    stored.run.status === 'incomplete'
      ? {
          ...evaluated,
          readiness: {
            ready: false,
            blocking: [
              'run incomplete: it was interrupted before every collector finished; run golive check again',
              ...evaluated.readiness.blocking,
            ],
          },
        }
      : evaluated;
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    run: stored.run,
    evidence: stored.evidence,
    evaluation,
    signoffs: viewSignoffs(signoffs, { id: stored.run.id, specHash: stored.run.specHash }),
    signoffStatus: runSignoffStatus({
      runId: stored.run.id,
      specHash: stored.run.specHash,
      signoffs,
      requiredRoles: spec.signoff?.required ?? [],
      ...(spec.signoff?.final ? { finalRole: spec.signoff.final } : {}),
      roles: spec.roles,
    }),
    requiredRoles: spec.signoff?.required ?? [],
    ...(spec.signoff?.final ? { finalRole: spec.signoff.final } : {}),
    roles: spec.roles,
    amendments,
    waivers,
    findings: stored.findings,
    findingsTriage,
    ...(decision ? { decision } : {}),
  };
}
