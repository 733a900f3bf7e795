import type { FindingRun } from '../findings/types.js';
import type { Amendment, Attestation, Decision, Evidence, Finding, Readiness, Run, Signoff, Waiver } from '../model.js';

/** A run as stored, with the spec it was checked against and its evidence. */
export interface StoredRun {
  run: Run;
  /** The spec as written (before ${VAR} interpolation), canonical JSON. */
  specJson: unknown;
  evidence: Evidence[];
  findings: Finding[];
  /**
   * The readiness `golive check` printed for the run, kept as it was (covered
   * by the run's audit entry); absent for runs recorded before golive kept it.
   */
  readiness?: Readiness;
}

/** Release key: service + release. Waivers, attestations, amendments and frozen thresholds belong to one. */
export interface ReleaseKey {
  service: string;
  release: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  kind: string;
  entityId: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  /** Hash of the last entry ('' when the log is empty). */
  head: string;
  /** The first entry that does not check out, and why. */
  broken?: { seq: number; kind?: string; entityId?: string; reason: string };
}

/**
 * The evidence store. Every write that a reviewer must be able to trust
 * (run, attestation, sign-off, waiver, amendment, decision) appends to the
 * hash-chained audit log in the same transaction.
 */
export interface EvidenceStore {
  /** Records a run with its evidence and findings; freezes the thresholds of its release on first evidence. */
  insertRun(stored: StoredRun, thresholds: Record<string, string>): Promise<void>;
  getRun(id: string): Promise<StoredRun | undefined>;
  /** Latest run of a release (or of any release when key is omitted): the last one recorded, whatever its times say. */
  latestRun(key?: ReleaseKey): Promise<StoredRun | undefined>;
  /** Runs, the last recorded first. */
  listRuns(opts?: { service?: string; release?: string; limit?: number }): Promise<Run[]>;

  /**
   * The runs of a release as findings triage reads them, oldest first: each
   * run's findings and the evidence status of its collectors that look for
   * findings. With `upTo`, only the runs up to and including that run (all of
   * them when the store does not hold `upTo` yet: it will be the latest).
   */
  findingRuns(key: ReleaseKey, upTo?: string): Promise<FindingRun[]>;

  /** Thresholds frozen at the release's first evidence, with amendments applied; undefined when the release has no evidence yet. */
  frozenThresholds(key: ReleaseKey): Promise<Record<string, string> | undefined>;

  insertAttestation(a: Attestation): Promise<void>;
  listAttestations(key: ReleaseKey): Promise<Attestation[]>;

  insertWaiver(w: Waiver): Promise<void>;
  listWaivers(key: ReleaseKey): Promise<Waiver[]>;

  insertAmendment(a: Amendment): Promise<void>;
  listAmendments(key: ReleaseKey): Promise<Amendment[]>;

  /**
   * With `expectedHead` (the audit head the caller read the state it checked the
   * sign-off against on), refused with GL_STORE_CONTENDED when the log has moved
   * since: checked inside the write transaction, under the write lock.
   */
  insertSignoff(s: Signoff, expectedHead?: string): Promise<void>;
  /** Every sign-off of the release in the order recorded (the audit order, not by their times). */
  listSignoffs(key: ReleaseKey): Promise<Signoff[]>;

  /**
   * Writes a decision; fills auditHead and recordHash, returns the completed
   * record and the hash of its own audit entry (the head right after the
   * write, whatever is appended later). With `expectedHead` (the head the
   * verdict was computed on), refused with GL_STORE_CONTENDED when the log has
   * moved since: checked inside the write transaction, under the write lock.
   */
  insertDecision(
    d: Omit<Decision, 'auditHead' | 'recordHash'>,
    expectedHead?: string,
  ): Promise<{ decision: Decision; entryHash: string }>;
  latestDecision(runId: string): Promise<Decision | undefined>;

  listAudit(): Promise<AuditEntry[]>;
  /** Hash of the last audit entry ('' when the log is empty): what `golive audit verify` reports as the head. */
  auditHead(): Promise<string>;
  /** Verifies the log and every recorded row, all read from one snapshot of the store. */
  verifyAudit(): Promise<AuditVerifyResult>;

  close(): Promise<void>;
}
