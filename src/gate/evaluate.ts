import type {
  Amendment,
  Attestation,
  Check,
  CriterionPart,
  CriterionResult,
  CriterionStatus,
  Evaluation,
  Evidence,
  Finding,
  FindingCounts,
  Metric,
  ThresholdResult,
  Waiver,
} from '../model.js';
import { SEVERITIES } from '../model.js';
import type { Criterion, Spec } from '../spec/schema.js';
import { matchAttestation, staleAttestationNote } from '../spec/criterion-hash.js';
import { isAcceptedRisk, isLiveWaiver } from '../findings/triage.js';
import { evaluateThreshold } from './threshold.js';

export interface EvaluateInput {
  /** The parts of the spec the gate reads (a whole Spec fits). */
  spec: Pick<Spec, 'thresholds' | 'criteria'>;
  evidence: Evidence[];
  /**
   * Findings that still stand against the release: those of the run, plus any
   * earlier one not yet shown fixed (src/findings/triage.ts `unresolved`).
   * Findings under a live waiver or accepted risk are not counted.
   */
  findings: Finding[];
  attestations: Attestation[];
  /**
   * Criterion id → hash of the criterion as written (the run keeps them,
   * spec/criterion-hash.ts); absent for runs recorded before: hashed from `spec`.
   */
  criterionHashes?: Record<string, string>;
  waivers: Waiver[];
  amendments: Amendment[];
  /** The clock, because waivers expire. */
  now: Date;
}

/**
 * The gate: evidence in, verdict out (docs/decision-rules.md). Pure — no I/O,
 * and the clock is an input.
 *
 * Metrics
 * - Every metric of every evidence item; on a name clash the later evidence item wins.
 * - `findings.critical|high|medium|low|info` (unit count) count the findings not
 *   covered by a live finding waiver. They are synthesized only when at least one
 *   evidence item has `scansForFindings` (a probe or scan collector ran), as
 *   `Evidence.scansForFindings` in model.ts promises: zero findings from collectors
 *   that looked is data, but zero findings when nothing looked is not, and a
 *   `findings.critical: "== 0"` threshold must then be no-data, never a silent pass.
 *
 * Thresholds
 * - Every `spec.thresholds` entry is evaluated (threshold.ts). It is `amended`
 *   when the latest amendment of that name (in list order: the store lists
 *   records in the order recorded, never by createdAt, which a wrong clock sets)
 *   `to` to this expression (whitespace aside).
 *
 * Criteria
 * - Parts: each named threshold (pass → pass, fail/invalid → fail, no-data or
 *   undefined → missing); each evidence ref, matched against a check id, else a
 *   whole collector name (pass → pass, fail/error → fail, skipped/not found →
 *   missing; the later evidence item wins); the `attest` role (an attestation for
 *   this criterion by that role, bound to the criterion's content hash as it is
 *   now → pass; one bound to an earlier content → missing, stale, with the note
 *   "attestation stale: criterion changed since attested by X on DATE"; none →
 *   missing). Attestations without a hash must be bound before (api/model.ts).
 * - Status: no parts → Unverified; all pass → Met; none pass and some fail →
 *   Unmet; none pass and none fail → Unverified; otherwise Partial.
 *   `Non-goal` rows are `Out of scope`: never Met, never counted, never blocking.
 * - A live criterion waiver (no expiry, or expiry after `now`) is attached to the
 *   result; an expired one goes to `expiredWaivers` and does not count.
 *
 * Readiness
 * - Ready iff there is at least one criterion that is not a Non-goal AND every
 *   criterion is Met or waived AND every threshold passes: a spec with no
 *   criteria (or only Non-goals) shows nothing, so it is never ready. A
 *   threshold blocks when it does not pass even if no criterion names it, and even
 *   if the criterion naming it is waived: a bound written before execution is
 *   relaxed by an amendment (audited), not by a waiver. Each problem is one
 *   blocking line; criteria first, then thresholds.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const { spec, evidence, now } = input;
  const isLive = (w: Waiver): boolean => isLiveWaiver(w, now);
  const liveWaivers = input.waivers.filter(isLive);
  const expiredWaivers = input.waivers.filter((w) => !isLive(w));

  const waivedFindings = new Set(liveWaivers.filter((w) => w.subject === 'finding').map((w) => w.subjectId));
  const findings = countFindings(input.findings.filter((f) => !waivedFindings.has(f.fingerprint)));

  const metrics = new Map<string, Metric>();
  for (const ev of evidence) for (const m of ev.metrics) metrics.set(m.name, m);
  if (evidence.some((e) => e.scansForFindings)) {
    for (const sev of SEVERITIES) {
      metrics.set(`findings.${sev}`, { name: `findings.${sev}`, value: findings[sev], unit: 'count' });
    }
  }

  const latestAmendment = new Map<string, Amendment>();
  for (const a of input.amendments) latestAmendment.set(a.threshold, a);
  const thresholds: ThresholdResult[] = Object.entries(spec.thresholds).map(([name, expr]) => {
    const result = evaluateThreshold(name, expr, metrics.get(name));
    const a = latestAmendment.get(name);
    return a && a.to !== null && normalize(a.to) === normalize(expr) ? { ...result, amended: true } : result;
  });
  const thresholdByName = new Map(thresholds.map((t) => [t.name, t]));

  const criteria = spec.criteria.map((c) =>
    evaluateCriterion(c, {
      thresholds: thresholdByName,
      evidence,
      attestations: input.attestations,
      ...(input.criterionHashes ? { criterionHashes: input.criterionHashes } : {}),
      waiver: strongestWaiver(liveWaivers.filter((w) => w.subject === 'criterion' && w.subjectId === c.id)),
    }),
  );

  const blocking: string[] = [];
  if (!criteria.some((c) => c.status !== 'Out of scope')) blocking.push(NO_CRITERIA);
  for (const c of criteria) {
    if (c.status === 'Out of scope' || c.status === 'Met' || c.waiver) continue;
    const why = c.parts.filter((p) => p.state !== 'pass').map((p) => p.detail);
    const because = why.length ? why.join('; ') : c.notes;
    blocking.push(`${c.id} ${c.title}: ${c.status}${because ? ` — ${because}` : ''}`);
  }
  for (const t of thresholds) {
    if (t.outcome !== 'pass') blocking.push(`threshold ${t.name} ${t.expr}: ${thresholdLine(t)}`);
  }

  const residualRisks: string[] = [];
  for (const c of criteria) {
    if (c.status === 'Out of scope') continue;
    if (c.waiver) {
      residualRisks.push(
        `${c.id} ${c.title} is ${c.status}, waived by ${c.waiver.by}${until(c.waiver)}: ${c.waiver.reason}`,
      );
    } else if (c.status === 'Partial') {
      const open = c.parts.filter((p) => p.state !== 'pass').map((p) => p.ref);
      residualRisks.push(`${c.id} ${c.title} is only partly met (not yet: ${open.join(', ')})`);
    }
  }
  for (const w of liveWaivers) {
    if (w.subject !== 'finding') continue;
    const f = input.findings.find((x) => x.fingerprint === w.subjectId);
    if (!f) continue;
    residualRisks.push(
      isAcceptedRisk(w)
        ? `finding ${describeFinding(f)} accepted as a risk by ${w.by}${until(w)}: ${w.reason}`
        : `finding ${describeFinding(f)} waived by ${w.by}${until(w)}: ${w.reason}`,
    );
  }
  for (const a of input.amendments) {
    residualRisks.push(
      `threshold ${a.threshold} amended from ${a.from ?? '(none)'} to ${a.to ?? '(removed)'} by ${a.by}: ${a.reason}`,
    );
  }
  for (const w of expiredWaivers) {
    // A waiver renewed by a live one on the same subject is history, not a risk.
    if (liveWaivers.some((l) => l.subject === w.subject && l.subjectId === w.subjectId)) continue;
    const f = w.subject === 'finding' ? input.findings.find((x) => x.fingerprint === w.subjectId) : undefined;
    // A finding that is gone (fixed) needs no waiver: its expired one is history too.
    if (w.subject === 'finding' && !f) continue;
    const what = f ? `finding ${w.subjectId} (${describeFinding(f)})` : `${w.subject} ${w.subjectId}`;
    const kind = isAcceptedRisk(w) ? 'accepted risk' : 'waiver';
    residualRisks.push(`${kind} for ${what} expired on ${w.expiresAt?.slice(0, 10)} and no longer counts`);
  }

  return {
    evaluatedAt: now.toISOString(),
    thresholds,
    criteria,
    findings,
    readiness: { ready: blocking.length === 0, blocking },
    residualRisks,
    expiredWaivers,
  };
}

/** The blocking line of a spec whose criteria (if any) are all Non-goals. */
export const NO_CRITERIA =
  'no criteria: nothing in golive.yaml shows the release is ready — add criteria: that name thresholds, evidence or attest';

interface CriterionContext {
  thresholds: Map<string, ThresholdResult>;
  evidence: Evidence[];
  attestations: Attestation[];
  criterionHashes?: Record<string, string>;
  waiver: Waiver | undefined;
}

/** A part plus its short form for the matrix's evidence column. */
type Piece = CriterionPart & { short: string };

function evaluateCriterion(c: Criterion, ctx: CriterionContext): CriterionResult {
  const pieces: Piece[] = [];
  for (const name of c.thresholds ?? []) pieces.push(thresholdPart(name, ctx.thresholds.get(name)));
  for (const ref of c.evidence ?? []) pieces.push(evidencePart(ref, ctx.evidence));
  const attested = c.attest ? matchAttestation(c, ctx.attestations, ctx.criterionHashes) : undefined;
  if (c.attest) pieces.push(attestationPart(c, attested));

  const pass = pieces.filter((p) => p.state === 'pass').length;
  const fail = pieces.filter((p) => p.state === 'fail').length;
  let status: CriterionStatus;
  let notes = c.notes;
  if (attested && !attested.current) {
    const stale = staleAttestationNote(attested.attestation);
    notes = notes ? `${stale}; ${notes}` : stale;
  }
  if (c.type === 'Non-goal') {
    status = 'Out of scope';
    notes = notes ?? 'non-goal: out of scope for this release';
  } else if (pieces.length === 0) {
    status = 'Unverified';
    notes = notes ?? 'no thresholds, evidence or attestation named';
  } else if (pass === pieces.length) status = 'Met';
  else if (pass === 0 && fail > 0) status = 'Unmet';
  else if (pass === 0) status = 'Unverified';
  else status = 'Partial';

  return {
    id: c.id,
    type: c.type,
    title: c.title,
    status,
    parts: pieces.map(({ short: _short, ...part }) => part),
    evidence: pieces.map((p) => p.short).join(' · '),
    ...(notes ? { notes } : {}),
    ...(ctx.waiver ? { waiver: ctx.waiver } : {}),
  };
}

function thresholdPart(name: string, t: ThresholdResult | undefined): Piece {
  const base = { kind: 'threshold' as const, ref: name };
  if (!t) {
    return {
      ...base,
      state: 'missing',
      detail: `threshold ${name} is not defined under thresholds in golive.yaml`,
      short: `${name} not defined`,
    };
  }
  const detail = `${name} ${thresholdLine(t)} (${t.expr})`;
  switch (t.outcome) {
    case 'pass':
      return { ...base, state: 'pass', detail, short: `${name} ${t.display ?? ''} (${t.expr})` };
    case 'fail':
      return { ...base, state: 'fail', detail, short: `${name} ${t.reason ?? 'fails'}` };
    case 'no-data':
      return { ...base, state: 'missing', detail, short: `${name} no data` };
    case 'invalid':
      return { ...base, state: 'fail', detail, short: `${name} invalid threshold` };
  }
}

function evidencePart(ref: string, evidence: Evidence[]): Piece {
  const base = { kind: 'evidence' as const, ref };
  const latest = [...evidence].reverse();
  let found: Pick<Check, 'status' | 'summary'> | undefined;
  for (const ev of latest) {
    found = ev.checks.find((c) => c.id === ref);
    if (found) break;
  }
  if (!found) {
    const whole = latest.find((e) => e.collector === ref);
    if (whole) found = { status: whole.status, summary: whole.error ?? whole.summary };
  }
  if (!found) {
    return {
      ...base,
      state: 'missing',
      detail: `${ref}: no evidence collected in this run`,
      short: `${ref} not collected`,
    };
  }
  const state = found.status === 'pass' ? 'pass' : found.status === 'skipped' ? 'missing' : 'fail';
  const detail = `${ref} ${found.status}${found.summary ? `: ${found.summary}` : ''}`;
  return { ...base, state, detail, short: state === 'pass' ? `${ref} pass` : detail };
}

function attestationPart(c: Criterion, attested: ReturnType<typeof matchAttestation>): Piece {
  const role = c.attest as string;
  const base = { kind: 'attestation' as const, ref: role };
  const how = `golive attest ${c.id} --by NAME --role ${quote(role)} --evidence URL`;
  if (attested?.current) {
    const a = attested.attestation;
    const detail = `attested by ${a.by} (${a.role}): ${a.evidence}`;
    return { ...base, state: 'pass', detail, short: detail };
  }
  if (attested) {
    const detail = `${staleAttestationNote(attested.attestation)}; attest it again: ${how}`;
    return { ...base, state: 'missing', detail, short: staleAttestationNote(attested.attestation) };
  }
  return {
    ...base,
    state: 'missing',
    detail: `needs attestation by ${role}: ${how}`,
    short: `needs attestation by ${role}`,
  };
}

function thresholdLine(t: ThresholdResult): string {
  if (t.outcome === 'pass') return `${t.display ?? ''} passes`;
  if (t.outcome === 'no-data') return `no data — ${t.reason ?? `no collector produced ${t.name}`}`;
  return t.reason ?? t.outcome;
}

/** Counts findings by severity. */
export function countFindings(findings: Finding[]): FindingCounts {
  const counts: FindingCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Of several live waivers on one subject, the one that lasts longest (no expiry lasts the release). */
function strongestWaiver(waivers: Waiver[]): Waiver | undefined {
  const end = (w: Waiver): number => (w.expiresAt === undefined ? Infinity : Date.parse(w.expiresAt));
  return waivers.reduce<Waiver | undefined>((best, w) => (!best || end(w) > end(best) ? w : best), undefined);
}

const describeFinding = (f: Finding): string => `${f.severity} ${f.rule} at ${f.location}`;
const until = (w: Waiver): string => (w.expiresAt ? ` until ${w.expiresAt.slice(0, 10)}` : ' for this release');
const normalize = (s: string): string => s.replace(/\s+/g, '');
const quote = (role: string): string => (/\s/.test(role) ? `"${role}"` : role);
