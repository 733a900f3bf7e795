import { currentWaivers } from './waivers-current.js';
import { bindLegacyAttestations } from './legacy-attestations.js';
import { evaluate } from '../gate/evaluate.js';
import { storedCriterionHashes } from '../spec/criterion-hash.js';
import { runSignoffStatus, viewSignoffs } from '../gate/decision.js';
import { findingRunOf, triageFindings, unresolved } from '../findings/triage.js';
import type { ClockNote, Evaluation, ReportModel } from '../model.js';
import type { Spec } from '../spec/schema.js';
import { clockWentBack } from '../store/audit.js';
import type { AuditEntry, EvidenceStore, ReleaseKey, StoredRun } from '../store/types.js';

/**
 * Re-evaluates a stored run against what the store holds now (attestations,
 * waivers, amendments, sign-offs, the clock) and assembles the report model.
 * The evaluation is recomputed rather than stored because waivers expire and
 * attestations arrive after the run. Findings are triaged across the runs of
 * the release up to this one (first / last seen, fixed, waived, accepted).
 */
export async function buildReportModel(
  store: EvidenceStore,
  stored: StoredRun,
  now: Date,
  audit?: AuditContext,
): Promise<ReportModel> {
  const spec = stored.specJson as Spec;
  const key = { service: stored.run.service, release: stored.run.release };
  const [attestations, allWaivers, amendments, signoffs, decision, findingRuns, log] = await Promise.all([
    store.listAttestations(key),
    store.listWaivers(key),
    store.listAmendments(key),
    store.listSignoffs(key),
    store.latestDecision(stored.run.id),
    store.findingRuns(key, stored.run.id),
    audit ?? store.listAudit().then(auditContext),
  ]);
  const clockNotes = clockNotesOf(log.entries, key, log.clockNotes);
  const criterionHashes = storedCriterionHashes(stored.specJson);
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
    attestations: await bindLegacyAttestations(store, stored, attestations, log.entries),
    ...(criterionHashes ? { criterionHashes } : {}),
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
      ...(spec.signoff?.allowSamePerson ? { allowSamePerson: true } : {}),
    }),
    requiredRoles: spec.signoff?.required ?? [],
    ...(spec.signoff?.final ? { finalRole: spec.signoff.final } : {}),
    roles: spec.roles,
    amendments,
    waivers,
    findings: stored.findings,
    findingsTriage,
    ...(decision ? { decision } : {}),
    ...(stored.readiness ? { readinessWhenChecked: stored.readiness } : {}),
    ...(clockNotes.length ? { clockNotes } : {}),
  };
}

/**
 * The audit log and its clock notes, read and worked out once: a command that
 * builds several report models (`golive history`) passes it to each.
 */
export interface AuditContext {
  entries: readonly AuditEntry[];
  clockNotes: readonly ClockNote[];
}

export function auditContext(entries: readonly AuditEntry[]): AuditContext {
  return { entries, clockNotes: clockWentBack(entries) };
}

/**
 * The clock notes of the entries that belong to a release. The
 * clock is compared across the whole log (it is the machines' clocks that are
 * wrong, whatever they recorded), the notes kept are this release's.
 */
export function clockNotesOf(
  entries: readonly AuditEntry[],
  key: ReleaseKey,
  notes: readonly ClockNote[] = clockWentBack(entries),
): ClockNote[] {
  const mine = (p: { service?: unknown; release?: unknown } | undefined) =>
    p?.service === key.service && p?.release === key.release;
  const runs = new Set<string>();
  const ours = new Set<number>();
  for (const e of entries) {
    const p = e.payload as { run?: { service?: unknown; release?: unknown }; runId?: unknown } & {
      service?: unknown;
      release?: unknown;
    };
    const belongs =
      e.kind === 'run'
        ? mine(p?.run)
        : e.kind === 'freeze'
          ? e.entityId === `${key.service}@${key.release}`
          : e.kind === 'signoff' || e.kind === 'decision'
            ? runs.has(String(p?.runId))
            : mine(p);
    if (e.kind === 'run' && belongs) runs.add(e.entityId);
    if (belongs) ours.add(e.seq);
  }
  return notes.filter((n) => ours.has(n.seq));
}
