import type { Evaluation, Signoff, SignoffDecision, SignoffStatus, SignoffView } from '../model.js';
import { signoffStatus } from './signoffs.js';

/**
 * Decision rules (docs/decision-rules.md). Pure: the caller passes the run,
 * its evaluation and the recorded sign-offs.
 *
 * - A sign-off counts only on the run id AND spec hash being decided; one given
 *   on any other run or spec is stale.
 * - Per role, the latest current sign-off counts — latest in list order, which
 *   is the order the store recorded them (the audit order), never by createdAt:
 *   a clock that went back must not hide a no-go. A go after a no-go — or a
 *   no-go after a go — replaces it.
 * - GO only when the evaluation is ready and every required role, and the final
 *   role, has a latest current sign-off of go. Otherwise NO-GO with every reason:
 *   each blocking item ("not ready: …"), each role with no sign-off, each no-go
 *   with its comment, each role whose only sign-offs are stale. A GO has no reasons.
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
  /** Role → owner from golive.yaml, only to name the owner in "no sign-off from PM (pat@example.com)". */
  roles?: Record<string, string>;
}

export function decide(input: DecideInput): { decision: 'GO' | 'NO-GO'; reasons: string[] } {
  const reasons = input.evaluation.readiness.blocking.map((b) => `not ready: ${b}`);
  for (const row of runSignoffStatus(input).rows) {
    if (!row.required || row.state === 'go') continue;
    const s = row.signoff;
    if (row.state === 'no-go' && s) {
      reasons.push(`${row.role} (${s.by}) signed no-go${s.comment ? `: ${s.comment}` : ''}`);
    } else if (row.state === 'stale' && s) {
      reasons.push(
        `${row.role} (${s.by}) signed on an earlier run or spec; sign again: golive signoff --role ${quote(row.role)} --by NAME --decision go`,
      );
    } else {
      reasons.push(
        `no sign-off from ${row.role}${row.owner ? ` (${row.owner})` : ''}: golive signoff --role ${quote(row.role)} --by NAME --decision go`,
      );
    }
  }
  return { decision: reasons.length === 0 ? 'GO' : 'NO-GO', reasons };
}

/**
 * The sign-off rows and counts of a run (src/gate/signoffs.ts), the sign-offs
 * in the order recorded. The decision, the CLI and every report use this one result.
 */
export function runSignoffStatus(
  input: Pick<DecideInput, 'runId' | 'specHash' | 'signoffs' | 'requiredRoles' | 'finalRole' | 'roles'>,
): SignoffStatus {
  const views = viewSignoffs(input.signoffs, { id: input.runId, specHash: input.specHash });
  return signoffStatus({
    signoffs: views,
    requiredRoles: input.requiredRoles,
    ...(input.finalRole ? { finalRole: input.finalRole } : {}),
    roles: input.roles ?? {},
  });
}

export interface CheckSignoffInput {
  role: string;
  decision: SignoffDecision;
  /** Role → owner from golive.yaml. */
  roles: Record<string, string>;
  requiredRoles: string[];
  finalRole?: string;
  evaluation: Evaluation;
}

/**
 * Why a sign-off must be refused, or undefined when it may be recorded: an
 * unknown role (the known ones are listed), or a go on a run that is not ready
 * (the first blocking items are listed). A no-go by a known role is always allowed.
 */
export function checkSignoff(input: CheckSignoffInput): string | undefined {
  const known = [...new Set([...Object.keys(input.roles), ...signingRoles(input.requiredRoles, input.finalRole)])];
  if (!known.includes(input.role)) {
    return `unknown role "${input.role}"; roles in golive.yaml: ${known.join(', ') || '(none)'}`;
  }
  if (input.decision === 'go' && !input.evaluation.readiness.ready) {
    const blocking = input.evaluation.readiness.blocking;
    const shown = blocking.slice(0, 3).join('; ');
    const more = blocking.length > 3 ? `; and ${blocking.length - 3} more` : '';
    return `the run is not ready, so it cannot be signed go (${blocking.length} blocking: ${shown}${more}); a no-go is always allowed`;
  }
  return undefined;
}

/** Required roles then the final role, each once. */
function signingRoles(required: string[], finalRole: string | undefined): string[] {
  return [...new Set([...required, ...(finalRole ? [finalRole] : [])])];
}

const quote = (role: string): string => (/\s/.test(role) ? `"${role}"` : role);
