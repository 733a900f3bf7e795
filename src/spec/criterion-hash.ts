import { createHash } from 'node:crypto';
import type { Attestation } from '../model.js';
import { canonicalJson } from './canonical.js';
import type { Criterion } from './schema.js';

/** The fields of a criterion that say what it is and what it needs; notes are free text and do not count. */
export type CriterionContent = Pick<Criterion, 'id' | 'type' | 'title' | 'thresholds' | 'evidence' | 'attest'>;

/**
 * The content hash an attestation is bound to: `sha256:` + hex sha256 of the
 * canonical JSON of the criterion's id, type, title, the thresholds and
 * evidence it rests on (as sets: their order does not matter) and the role
 * that attests it. Rewording the title, changing the type, adding or removing
 * a threshold or an evidence ref, or changing the role all change it; editing
 * `notes` or reordering the lists does not. Threshold expressions are not in
 * it: a changed bound is an amendment, audited on its own.
 */
export function criterionHash(c: CriterionContent): string {
  const content = {
    id: c.id,
    type: c.type,
    title: c.title,
    thresholds: [...new Set(c.thresholds ?? [])].sort(),
    evidence: [...new Set(c.evidence ?? [])].sort(),
    attest: c.attest ?? null,
  };
  return `sha256:${createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex')}`;
}

/** Criterion id → criterion hash: what an attestation is bound to, one form everywhere. */
export type CriterionHashes = Record<string, string>;

/**
 * The criterion hashes of a spec, each taken from the criterion AS WRITTEN
 * (the parsed YAML before `${VAR}` interpolation and before redaction), as the
 * spec hash is: rotating a secret or an environment value used in a title does
 * not make an attestation stale, and `golive attest`, the attestations
 * collector and the gate all bind the same form. A criterion the written spec
 * does not hold under the same id (which validation rules out) is hashed as loaded.
 */
export function writtenCriterionHashes(raw: unknown, criteria: readonly CriterionContent[]): CriterionHashes {
  const written = (raw as { criteria?: unknown } | null)?.criteria;
  const rows = Array.isArray(written)
    ? (written as unknown[]).filter((c): c is CriterionContent => c !== null && typeof c === 'object')
    : [];
  return Object.fromEntries(criteria.map((c) => [c.id, criterionHash(rows.find((w) => w.id === c.id) ?? c)]));
}

/** The attestation that counts for a criterion, or the stale one that no longer does. */
export type AttestationMatch =
  { current: true; attestation: Attestation } | { current: false; attestation: Attestation };

/**
 * Of the attestations of a release (in the order they were recorded), the one
 * that counts for `c`: the latest by the criterion's `attest` role whose
 * content hash is the criterion's hash now (from `hashes`, the written form,
 * when given; else hashed from `c`). When there is none but the role
 * attested an earlier wording, that latest one is returned as stale. An
 * attestation without a hash (recorded before content binding) must be bound
 * first (`bindAttestation`); here it never counts.
 */
export function matchAttestation(
  c: CriterionContent,
  attestations: readonly Attestation[],
  hashes?: CriterionHashes,
): AttestationMatch | undefined {
  if (!c.attest) return undefined;
  const mine = attestations.filter((a) => a.criterionId === c.id && a.role === c.attest);
  const hash = hashes?.[c.id] ?? criterionHash(c);
  const current = mine.filter((a) => a.criterionHash === hash).at(-1);
  if (current) return { current: true, attestation: current };
  const stale = mine.at(-1);
  return stale ? { current: false, attestation: stale } : undefined;
}

/**
 * An attestation recorded before content binding, bound to the criterion as
 * it was in `criteria` (the spec of the first run after the attestation: the
 * first time golive saw it used), by that run's `hashes` when it kept them. Attestations that already carry a hash, or
 * whose criterion is not in `criteria`, are returned unchanged.
 */
export function bindAttestation(
  a: Attestation,
  criteria: readonly CriterionContent[] | undefined,
  hashes?: CriterionHashes,
): Attestation {
  if (a.criterionHash !== undefined || !criteria) return a;
  const c = criteria.find((x) => x.id === a.criterionId);
  return c ? { ...a, criterionHash: hashes?.[c.id] ?? criterionHash(c) } : a;
}

/** The criterion hashes a stored run's spec carries (`criterionHashes`), absent for runs recorded before golive kept them. */
export function storedCriterionHashes(specJson: unknown): CriterionHashes | undefined {
  const h = (specJson as { criterionHashes?: unknown } | null)?.criterionHashes;
  return h !== null && typeof h === 'object' ? (h as CriterionHashes) : undefined;
}

/** The line shown for a stale attestation in the CLI and every report. */
export function staleAttestationNote(a: Attestation): string {
  return `attestation stale: criterion changed since attested by ${a.by} on ${a.createdAt.slice(0, 10)}`;
}
