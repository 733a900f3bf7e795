/**
 * The words of DESIGN.md as types, shared by every layer. Collectors produce
 * Evidence; the gate turns Evidence into an Evaluation; the store keeps both;
 * reporters render a ReportModel. Nothing here does I/O.
 */

import type { TriagedFinding } from './findings/types.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * Unit of a metric value. Values are kept in a base unit so thresholds compare
 * without conversion surprises: durations in milliseconds, ratios as a fraction
 * (0.001 = 0.1 %), rates per second, counts and bytes as plain numbers.
 */
export type MetricUnit = 'ms' | 'ratio' | 'rps' | 'count' | 'bytes' | 'bool';

/** A named number with a unit, e.g. `load.latency.p95` = 142 ms. */
export interface Metric {
  name: string;
  value: number;
  unit: MetricUnit;
}

export type EvidenceStatus = 'pass' | 'fail' | 'error' | 'skipped';

/** One named, pass/fail fact inside a collector's evidence, e.g. `ops.health`. Criteria refer to checks by id. */
export interface Check {
  id: string;
  status: EvidenceStatus;
  /** One line a reviewer can read: "GET /health → 200 in 3 ms". */
  summary: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  title: string;
  /** URL, file:line, or endpoint where it was seen. */
  location: string;
  /** Redacted excerpt that shows the problem. Never a raw secret. */
  evidence?: string;
  remediation?: string;
  /** Stable across runs for the same problem at the same place. */
  fingerprint: string;
}

/** A file an evidence item points at, relative to the run's output folder. */
export interface Artifact {
  name: string;
  path: string;
  contentType: string;
}

/** What one collector produced in a run. */
export interface Evidence {
  collector: string;
  status: EvidenceStatus;
  summary: string;
  startedAt: string;
  endedAt: string;
  metrics: Metric[];
  checks: Check[];
  findings: Finding[];
  artifacts: Artifact[];
  /** Collector-specific detail kept for reports (e.g. metric families seen on /metrics). JSON-safe. */
  data?: Record<string, unknown>;
  /** Why the collector could not finish, when status is `error`. */
  error?: string;
  /**
   * True when this collector looks for findings (probes, scans). The gate derives
   * `findings.*` metrics only when at least one such collector ran, so "0 critical"
   * is never claimed when nothing looked.
   */
  scansForFindings?: boolean;
}

/** A manual attestation for a criterion: a named person in a role says it is done, with evidence. */
export interface Attestation {
  id: string;
  service: string;
  release: string;
  criterionId: string;
  by: string;
  role: string;
  evidence: string;
  comment?: string;
  createdAt: string;
  /**
   * sha256 of what the criterion said when it was attested (src/spec/criterion-hash.ts).
   * A criterion changed since makes the attestation stale. Absent on attestations
   * recorded before content binding: those bind to the first run after them (docs/decision-rules.md).
   */
  criterionHash?: string;
}

export type WaiverSubject = 'criterion' | 'finding';

/**
 * `waiver` (the default when absent): accepted for now, until an expiry.
 * `accepted-risk`: a finding the release goes live with on purpose (`golive accept`);
 * it lasts the release unless given an expiry, and is listed among the residual risks.
 */
export type WaiverKind = 'waiver' | 'accepted-risk';

/** Accepts a criterion or a finding for this release, with reason, approver and expiry. */
export interface Waiver {
  id: string;
  service: string;
  release: string;
  /** Absent on plain waivers (and on every waiver written before accepted risks existed). */
  kind?: WaiverKind;
  subject: WaiverSubject;
  /** Criterion id or finding fingerprint. */
  subjectId: string;
  reason: string;
  by: string;
  /** ISO date-time; absent means it lasts for this release. */
  expiresAt?: string;
  createdAt: string;
  /** Id of the earlier waiver of the same subject this one replaces (only the latest counts). */
  supersedes?: string;
}

/** A changed threshold after the release already had evidence. */
export interface Amendment {
  id: string;
  service: string;
  release: string;
  threshold: string;
  /** Expression before the change; null when the threshold is new. */
  from: string | null;
  /** Expression after the change; null when the threshold is removed. */
  to: string | null;
  reason: string;
  by: string;
  createdAt: string;
}

export type SignoffDecision = 'go' | 'no-go';

export interface Signoff {
  id: string;
  runId: string;
  specHash: string;
  role: string;
  by: string;
  decision: SignoffDecision;
  comment?: string;
  createdAt: string;
}

export interface Run {
  id: string;
  service: string;
  release: string;
  specHash: string;
  /** Version the target reported on /version, when it did. */
  targetVersion?: string;
  baseUrl: string;
  startedAt: string;
  endedAt: string;
  /** `complete` when every collector ran; `incomplete` when interrupted or the target was lost. */
  status: 'complete' | 'incomplete';
}

// ---------------------------------------------------------------- gate output

export type ThresholdOutcome = 'pass' | 'fail' | 'no-data' | 'invalid';

export interface ThresholdResult {
  /** Metric name, the key in `thresholds`. */
  name: string;
  /** Expression as written (or as amended), e.g. "< 200ms". */
  expr: string;
  outcome: ThresholdOutcome;
  /** Measured value in the metric's base unit, when there is one. */
  value?: number;
  unit?: MetricUnit;
  /** Human form of the measured value, e.g. "142 ms", "0.05 %". */
  display?: string;
  /** Why it failed or could not be evaluated. */
  reason?: string;
  /** True when this expression comes from an amendment. */
  amended?: boolean;
}

/** `Out of scope` is the status of every `Non-goal` row: never met, never blocking. */
export type CriterionStatus = 'Met' | 'Partial' | 'Unmet' | 'Unverified' | 'Out of scope';

/** One piece of what a criterion rests on, with its outcome. */
export interface CriterionPart {
  kind: 'threshold' | 'evidence' | 'attestation';
  ref: string;
  state: 'pass' | 'fail' | 'missing';
  detail: string;
}

export interface CriterionResult {
  id: string;
  type: 'AC' | 'DoD' | 'Non-goal';
  title: string;
  status: CriterionStatus;
  parts: CriterionPart[];
  /** Short evidence column for the matrix, e.g. "load.latency.p95 142 ms < 200ms". */
  evidence: string;
  notes?: string;
  waiver?: Waiver;
}

export interface FindingCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

export interface Readiness {
  ready: boolean;
  /** Every item that stands in the way, one line each. */
  blocking: string[];
}

/** The gate's verdict on one run, recomputed whenever waivers, attestations or the clock change. */
export interface Evaluation {
  evaluatedAt: string;
  thresholds: ThresholdResult[];
  criteria: CriterionResult[];
  findings: FindingCounts;
  readiness: Readiness;
  /** Waived items, Partial criteria, amendments, expired waivers: what a GO accepts. */
  residualRisks: string[];
  /** Waivers that have expired and so no longer count. */
  expiredWaivers: Waiver[];
}

export interface SignoffView extends Signoff {
  /** True when the sign-off was given on another run or spec hash than the one being decided. */
  stale: boolean;
}

/** Where a signing role stands on the run being decided. */
export type SignoffState = 'go' | 'no-go' | 'stale' | 'missing' | 'duplicate';

/** One row of the sign-off table, as the gate computes it (src/gate/signoffs.ts). */
export interface SignoffRow {
  role: string;
  /** Owner from `roles`, '' when the role is not listed there. */
  owner: string;
  /** True for the required roles and the final role: the ones a GO needs. */
  required: boolean;
  final: boolean;
  /** go / no-go: the latest current sign-off; stale: only sign-offs on another run or spec; missing: none; duplicate: a go by someone who holds the go of another required role (does not count). */
  state: SignoffState;
  /** The sign-off that counts (the latest current one), else the latest stale one. */
  signoff?: SignoffView;
  /** Why a duplicate row does not count, naming the person and the roles. */
  reason?: string;
  /** "signed by X for owner Y" when the current sign-off is not by the role's owner in `roles`. */
  note?: string;
}

/** The sign-off rows and their counts, computed once by the gate and rendered by every output. */
export interface SignoffStatus {
  /** Required roles, then the final role, then anyone else who signed. */
  rows: SignoffRow[];
  /** Rows a GO needs (required roles plus the final role). */
  required: number;
  /** Of those, the rows whose state is go. */
  signed: number;
}

export interface Decision {
  id: string;
  runId: string;
  specHash: string;
  decision: 'GO' | 'NO-GO';
  by: string;
  reasons: string[];
  residualRisks: string[];
  /** Head of the audit chain when the decision was written. */
  auditHead: string;
  /** sha256 over the canonical decision record. */
  recordHash: string;
  createdAt: string;
}

/** Everything a reporter needs; reporters are pure functions of this. */
export interface ReportModel {
  schemaVersion: 1;
  generatedAt: string;
  run: Run;
  evidence: Evidence[];
  evaluation: Evaluation;
  signoffs: SignoffView[];
  /** The gate's sign-off rows and counts for this run (src/gate/signoffs.ts). */
  signoffStatus: SignoffStatus;
  requiredRoles: string[];
  finalRole?: string;
  roles: Record<string, string>;
  amendments: Amendment[];
  waivers: Waiver[];
  findings: Finding[];
  /**
   * Every finding of the release as of this run, with first / last seen and its
   * status (open, waived, accepted, fixed), from src/findings/triage.ts. Absent
   * only in models built by hand; reporters then treat the run's findings as open.
   */
  findingsTriage?: TriagedFinding[];
  decision?: Decision;
  /** The readiness `golive check` printed for this run (absent for runs recorded before golive kept it). */
  readinessWhenChecked?: Readiness;
  /** Records of this release dated before a record written earlier: the clock went back (absent when none). */
  clockNotes?: ClockNote[];
}

/** An audit entry dated before an entry written earlier in the chain: the clock of the machine that wrote it went back. */
export interface ClockNote {
  seq: number;
  kind: string;
  entityId: string;
  /** The entry's own time. */
  at: string;
  /** 'back': dated before the honest entry recorded before it; 'ahead': dated after the honest entry recorded after it. */
  direction: 'back' | 'ahead';
  /** ('back') The nearest honest entry recorded before this one, which it is dated before. */
  after?: { seq: number; kind: string; entityId: string; at: string };
  /** ('ahead') The nearest honest entry recorded after this one, which it is dated after. */
  before?: { seq: number; kind: string; entityId: string; at: string };
  /** One line for a listing or a report. */
  message: string;
}
