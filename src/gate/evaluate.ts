import type {
  Amendment,
  Attestation,
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
import { evaluateThreshold } from './threshold.js';

export interface EvaluateInput {
  /** The parts of the spec the gate reads. */
  spec: Pick<Spec, 'thresholds' | 'criteria'>;
  evidence: Evidence[];
  findings: Finding[];
  attestations: Attestation[];
  waivers: Waiver[];
  amendments: Amendment[];
  now: Date;
}

/**
 * The gate: evidence in, verdict out. Pure — the clock is an input, because
 * waivers expire.
 *
 * - Metrics come from every evidence item; a later collector wins on a name clash.
 *   `findings.<severity>` counts open, unwaived findings, and exists only when a
 *   collector that looks for findings ran: "0 critical" is never claimed when
 *   nothing looked (the threshold then fails as no data).
 * - A threshold with no metric is `no-data` and blocks; so does a failing
 *   threshold that no criterion names.
 * - A criterion is Met when every part passes, Unverified when nothing was
 *   measured, Unmet when nothing passes and something fails, Partial otherwise.
 *   Non-goals never block. A live waiver makes a criterion count as ready.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const { spec, evidence, now } = input;
  const live = (w: Waiver): boolean => w.expiresAt === undefined || Date.parse(w.expiresAt) > now.getTime();
  const expiredWaivers = input.waivers.filter((w) => !live(w));
  const liveWaivers = input.waivers.filter(live);

  const waivedFindings = new Set(liveWaivers.filter((w) => w.subject === 'finding').map((w) => w.subjectId));
  const openFindings = input.findings.filter((f) => !waivedFindings.has(f.fingerprint));
  const findings = countFindings(openFindings);

  const metrics = new Map<string, Metric>();
  for (const ev of evidence) for (const m of ev.metrics) metrics.set(m.name, m);
  if (evidence.some((e) => e.scansForFindings)) {
    for (const sev of SEVERITIES)
      metrics.set(`findings.${sev}`, { name: `findings.${sev}`, value: findings[sev], unit: 'count' });
  }

  const lastAmendment = new Map<string, Amendment>();
  for (const a of input.amendments) lastAmendment.set(a.threshold, a);
  const thresholds: ThresholdResult[] = Object.entries(spec.thresholds).map(([name, expr]) => {
    const result = evaluateThreshold(name, expr, metrics.get(name));
    const amended = lastAmendment.get(name);
    return amended && amended.to !== null && normalize(amended.to) === normalize(expr)
      ? { ...result, amended: true }
      : result;
  });
  const byName = new Map(thresholds.map((t) => [t.name, t]));

  const criteria = spec.criteria.map((c) =>
    evaluateCriterion(
      c,
      byName,
      evidence,
      input.attestations,
      liveWaivers.find((w) => w.subject === 'criterion' && w.subjectId === c.id),
    ),
  );

  const blocking: string[] = [];
  for (const c of criteria) {
    if (c.type === 'Non-goal' || c.status === 'Met' || c.waiver) continue;
    const why = c.parts.filter((p) => p.state !== 'pass').map((p) => p.detail);
    blocking.push(
      `${c.id} ${c.title}: ${c.status}${why.length ? ` — ${why.join('; ')}` : c.notes ? ` — ${c.notes}` : ''}`,
    );
  }
  for (const t of thresholds) {
    if (t.outcome !== 'pass') blocking.push(`threshold ${t.name} ${t.expr}: ${thresholdLine(t)}`);
  }

  const residualRisks: string[] = [];
  for (const c of criteria) {
    if (c.waiver)
      residualRisks.push(
        `${c.id} ${c.title} is ${c.status}, waived by ${c.waiver.by}${until(c.waiver)}: ${c.waiver.reason}`,
      );
    else if (c.status === 'Partial') residualRisks.push(`${c.id} ${c.title} is only partly met`);
  }
  for (const w of liveWaivers.filter((x) => x.subject === 'finding')) {
    const f = input.findings.find((x) => x.fingerprint === w.subjectId);
    if (f)
      residualRisks.push(`finding ${f.severity} ${f.rule} at ${f.location} waived by ${w.by}${until(w)}: ${w.reason}`);
  }
  for (const a of input.amendments) {
    residualRisks.push(
      `threshold ${a.threshold} amended from ${a.from ?? '(none)'} to ${a.to ?? '(removed)'} by ${a.by}: ${a.reason}`,
    );
  }
  for (const w of expiredWaivers) {
    residualRisks.push(
      `waiver for ${w.subject} ${w.subjectId} expired on ${w.expiresAt?.slice(0, 10)} and no longer counts`,
    );
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

function evaluateCriterion(
  c: Criterion,
  thresholds: Map<string, ThresholdResult>,
  evidence: Evidence[],
  attestations: Attestation[],
  waiver: Waiver | undefined,
): CriterionResult {
  const parts: CriterionPart[] = [];
  for (const name of c.thresholds ?? []) {
    const t = thresholds.get(name);
    if (!t) {
      parts.push({ kind: 'threshold', ref: name, state: 'missing', detail: `threshold ${name} is not defined` });
      continue;
    }
    const state = t.outcome === 'pass' ? 'pass' : t.outcome === 'no-data' ? 'missing' : 'fail';
    parts.push({ kind: 'threshold', ref: name, state, detail: `${name} ${thresholdLine(t)} (${t.expr})` });
  }
  for (const ref of c.evidence ?? []) parts.push(evidencePart(ref, evidence));
  if (c.attest) {
    const found = attestations.filter((a) => a.criterionId === c.id && a.role === c.attest).at(-1);
    parts.push(
      found
        ? {
            kind: 'attestation',
            ref: c.attest,
            state: 'pass',
            detail: `attested by ${found.by} (${found.role}): ${found.evidence}`,
          }
        : {
            kind: 'attestation',
            ref: c.attest,
            state: 'missing',
            detail: `needs attestation by ${c.attest}: golive attest ${c.id} --by NAME --role "${c.attest}" --evidence URL`,
          },
    );
  }

  let status: CriterionStatus;
  let notes = c.notes;
  const pass = parts.filter((p) => p.state === 'pass').length;
  const fail = parts.filter((p) => p.state === 'fail').length;
  if (c.type === 'Non-goal') {
    status = 'Met';
    notes = notes ?? 'non-goal: out of scope for this release';
  } else if (parts.length === 0) {
    status = 'Unverified';
    notes = notes ?? 'no thresholds, evidence or attestation named';
  } else if (pass === parts.length) status = 'Met';
  else if (pass === 0 && fail > 0) status = 'Unmet';
  else if (pass === 0) status = 'Unverified';
  else status = 'Partial';

  return {
    id: c.id,
    type: c.type,
    title: c.title,
    status,
    parts,
    evidence: parts.map((p) => p.detail).join(' · '),
    ...(notes ? { notes } : {}),
    ...(waiver ? { waiver } : {}),
  };
}

function evidencePart(ref: string, evidence: Evidence[]): CriterionPart {
  for (const ev of evidence) {
    const check = ev.checks.find((c) => c.id === ref);
    if (check)
      return {
        kind: 'evidence',
        ref,
        state: stateOf(check.status),
        detail: `${ref} ${check.status}: ${check.summary}`,
      };
  }
  const whole = evidence.find((e) => e.collector === ref);
  if (whole)
    return { kind: 'evidence', ref, state: stateOf(whole.status), detail: `${ref} ${whole.status}: ${whole.summary}` };
  return { kind: 'evidence', ref, state: 'missing', detail: `${ref}: no evidence collected` };
}

function stateOf(status: Evidence['status']): CriterionPart['state'] {
  return status === 'pass' ? 'pass' : status === 'skipped' ? 'missing' : 'fail';
}

function thresholdLine(t: ThresholdResult): string {
  if (t.outcome === 'pass') return `${t.display} passes`;
  if (t.outcome === 'no-data') return `no data — ${t.reason}`;
  return t.reason ?? t.outcome;
}

export function countFindings(findings: Finding[]): FindingCounts {
  const counts: FindingCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const until = (w: Waiver): string => (w.expiresAt ? ` until ${w.expiresAt.slice(0, 10)}` : '');
const normalize = (s: string): string => s.replace(/\s+/g, '');
