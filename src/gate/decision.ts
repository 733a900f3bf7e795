import type { Evaluation, Signoff, SignoffDecision, SignoffView } from '../model.js';

/**
 * Decision rules (docs/decision-rules.md):
 * - A sign-off counts only on the run and spec hash being decided; any other is stale.
 * - Per role, the latest current sign-off is the one that counts.
 * - GO only when the run is ready and every required role, and the final role,
 *   signed go. Otherwise NO-GO, with every reason.
 */
export function viewSignoffs(signoffs: Signoff[], run: { id: string; specHash: string }): SignoffView[] {
  return signoffs.map((s) => ({ ...s, stale: s.runId !== run.id || s.specHash !== run.specHash }));
}

export interface DecideInput {
  runId: string;
  specHash: string;
  evaluation: Evaluation;
  signoffs: Signoff[];
  requiredRoles: string[];
  finalRole?: string;
}

export function decide(input: DecideInput): { decision: 'GO' | 'NO-GO'; reasons: string[] } {
  const reasons = input.evaluation.readiness.blocking.map((b) => `not ready: ${b}`);
  const views = viewSignoffs(input.signoffs, { id: input.runId, specHash: input.specHash });
  const roles = [
    ...input.requiredRoles,
    ...(input.finalRole && !input.requiredRoles.includes(input.finalRole) ? [input.finalRole] : []),
  ];
  for (const role of roles) {
    const current = views.filter((s) => s.role === role && !s.stale).at(-1);
    if (current) {
      if (current.decision !== 'go') {
        reasons.push(`${role} (${current.by}) signed no-go${current.comment ? `: ${current.comment}` : ''}`);
      }
      continue;
    }
    const stale = views.filter((s) => s.role === role).at(-1);
    reasons.push(
      stale
        ? `${role} (${stale.by}) signed on an earlier run or spec; sign again: golive signoff --role "${role}"`
        : `no sign-off from ${role}: golive signoff --role "${role}" --by NAME --decision go`,
    );
  }
  return { decision: reasons.length === 0 ? 'GO' : 'NO-GO', reasons };
}

export interface CheckSignoffInput {
  role: string;
  decision: SignoffDecision;
  roles: Record<string, string>;
  requiredRoles: string[];
  finalRole?: string;
  evaluation: Evaluation;
}

/** Why a sign-off must be refused, or undefined when it may be recorded. A no-go is always allowed. */
export function checkSignoff(input: CheckSignoffInput): string | undefined {
  if (!(input.role in input.roles)) {
    return `unknown role "${input.role}"; roles in golive.yaml: ${Object.keys(input.roles).join(', ') || '(none)'}`;
  }
  if (input.decision === 'go' && !input.evaluation.readiness.ready) {
    const blocking = input.evaluation.readiness.blocking;
    return `the run is not ready, so it cannot be signed go (${blocking.length} blocking: ${blocking.slice(0, 3).join('; ')}${blocking.length > 3 ? '; …' : ''})`;
  }
  return undefined;
}
