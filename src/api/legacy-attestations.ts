import type { Attestation } from '../model.js';
import { bindAttestation } from '../spec/criterion-hash.js';
import type { Spec } from '../spec/schema.js';
import type { EvidenceStore, StoredRun } from '../store/types.js';

/**
 * Attestations recorded before content binding carry no criterion hash. Each
 * is bound to the criterion as the first run of the release started after it
 * had it (the first time golive used the attestation); with no such run yet,
 * to the run being evaluated. docs/decision-rules.md, "Attestations".
 */
export async function bindLegacyAttestations(
  store: EvidenceStore,
  stored: StoredRun,
  attestations: Attestation[],
): Promise<Attestation[]> {
  if (attestations.every((a) => a.criterionHash !== undefined)) return attestations;
  const key = { service: stored.run.service, release: stored.run.release };
  // listRuns is newest first; oldest first reads "the first run after".
  const runs = (await store.listRuns(key)).reverse();
  const criteriaOf = new Map<string, Spec['criteria']>();
  const criteriaAt = async (runId: string): Promise<Spec['criteria'] | undefined> => {
    if (runId === stored.run.id) return (stored.specJson as Spec).criteria;
    if (!criteriaOf.has(runId))
      criteriaOf.set(runId, ((await store.getRun(runId))?.specJson as Spec | undefined)?.criteria ?? []);
    return criteriaOf.get(runId);
  };
  const out: Attestation[] = [];
  for (const a of attestations) {
    if (a.criterionHash !== undefined) {
      out.push(a);
      continue;
    }
    const first = runs.find((r) => r.startedAt >= a.createdAt);
    out.push(bindAttestation(a, await criteriaAt(first?.id ?? stored.run.id)));
  }
  return out;
}
