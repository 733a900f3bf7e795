import type { Attestation } from '../model.js';
import { bindAttestation, storedCriterionHashes } from '../spec/criterion-hash.js';
import type { Spec } from '../spec/schema.js';
import type { AuditEntry, EvidenceStore, StoredRun } from '../store/types.js';

/**
 * Attestations recorded before content binding carry no criterion hash. Each
 * is bound to the criterion as the first run of the release recorded after it
 * had it — after it in the audit order (the audit seq of the attestation's
 * entry against each run's), never by clock, so a clock that went back cannot
 * pick another run (the first time golive used the attestation); with no such
 * run yet, to the run being evaluated. The run's kept criterion hashes (the
 * criterion as written) are used when it has them. docs/decision-rules.md,
 * "Attestations".
 */
export async function bindLegacyAttestations(
  store: EvidenceStore,
  stored: StoredRun,
  attestations: Attestation[],
  audit?: readonly AuditEntry[],
): Promise<Attestation[]> {
  if (attestations.every((a) => a.criterionHash !== undefined)) return attestations;
  const key = { service: stored.run.service, release: stored.run.release };
  const entries = audit ?? (await store.listAudit());
  const seqOf = (kind: string, id: string): number | undefined =>
    entries.find((e) => e.kind === kind && e.entityId === id)?.seq;
  // The runs of the release in audit order (oldest first).
  const runs = (await store.listRuns(key))
    .map((r) => ({ id: r.id, seq: seqOf('run', r.id) }))
    .filter((r): r is { id: string; seq: number } => r.seq !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const specOf = new Map<string, unknown>();
  const specAt = async (runId: string): Promise<unknown> => {
    if (runId === stored.run.id) return stored.specJson;
    if (!specOf.has(runId)) specOf.set(runId, (await store.getRun(runId))?.specJson);
    return specOf.get(runId);
  };
  const out: Attestation[] = [];
  for (const a of attestations) {
    if (a.criterionHash !== undefined) {
      out.push(a);
      continue;
    }
    const at = seqOf('attestation', a.id);
    const first = at === undefined ? undefined : runs.find((r) => r.seq > at);
    const spec = await specAt(first?.id ?? stored.run.id);
    out.push(bindAttestation(a, (spec as Spec | undefined)?.criteria ?? [], storedCriterionHashes(spec)));
  }
  return out;
}
