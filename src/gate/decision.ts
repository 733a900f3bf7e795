import type { Evaluation, Signoff, SignoffDecision, SignoffStatus, SignoffView } from '../model.js';
import { samePerson, signoffStatus } from './signoffs.js';

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
 *   role, has a latest current sign-off of go, each by a different person unless
 *   the spec sets signoff.allowSamePerson (src/gate/signoffs.ts). Otherwise NO-GO with every reason:
 *   each blocking item ("not ready: …"), each role with no sign-off, each no-go
 *   with its comment, each role whose only sign-offs are stale. A GO has no reasons.
 * - A spec with no required and no final role is NO-GO ("no sign-off roles"):
 *   a GO nobody signed is not a decision.
 */
export function viewSignoffs(signoffs: Signoff[], run: { id: string; specHash: string }): SignoffView[] {
  return signoffs.map((s) => ({ ...s, stale: s.runId !== run.id || s.specHash !== run.specHash }));
}

/** The reason of a decision on a spec that names no required and no final sign-off role. */
export const NO_SIGNOFF_ROLES = 'no sign-off roles: add signoff.required to golive.yaml (the roles that must sign go)';

export interface DecideInput {
  runId: string;
  specHash: string;
  evaluation: Evaluation;
  signoffs: Signoff[];
  requiredRoles: string[];
  finalRole?: string;
  /** Role → owner from golive.yaml, only to name the owner in "no sign-off from PM (pat@example.com)". */
  roles?: Record<string, string>;
  /** signoff.allowSamePerson from the spec. */
  allowSamePerson?: boolean;
}

export function decide(input: DecideInput): { decision: 'GO' | 'NO-GO'; reasons: string[] } {
  const reasons = input.evaluation.readiness.blocking.map((b) => `not ready: ${b}`);
  if (signingRoles(input.requiredRoles, input.finalRole).length === 0) reasons.push(NO_SIGNOFF_ROLES);
  for (const row of runSignoffStatus(input).rows) {
    if (!row.required || row.state === 'go') continue;
    const s = row.signoff;
    if (row.state === 'no-go' && s) {
      reasons.push(`${row.role} (${s.by}) signed no-go${s.comment ? `: ${s.comment}` : ''}`);
    } else if (row.state === 'duplicate' && row.reason) {
      reasons.push(`${row.role} does not count: ${row.reason}`);
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
  input: Pick<
    DecideInput,
    'runId' | 'specHash' | 'signoffs' | 'requiredRoles' | 'finalRole' | 'roles' | 'allowSamePerson'
  >,
): SignoffStatus {
  const views = viewSignoffs(input.signoffs, { id: input.runId, specHash: input.specHash });
  return signoffStatus({
    signoffs: views,
    requiredRoles: input.requiredRoles,
    ...(input.finalRole ? { finalRole: input.finalRole } : {}),
    roles: input.roles ?? {},
    ...(input.allowSamePerson ? { allowSamePerson: true } : {}),
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

export interface SamePersonInput {
  role: string;
  /** Who signs (--by). */
  by: string;
  /** The run's sign-off rows as they stand now. */
  status: SignoffStatus;
  /** signoff.allowSamePerson from the spec. */
  allowSamePerson?: boolean;
}

/**
 * Why a sign-off by this person in this role must be refused, or undefined:
 * one person does not sign two required roles (the final role counts as
 * required), so a person who already holds the current sign-off (go or no-go)
 * of another required role on this run is refused, unless the spec sets
 * signoff.allowSamePerson. Names are compared trimmed, case-insensitively.
 */
export function samePersonRefusal(input: SamePersonInput): string | undefined {
  if (input.allowSamePerson) return undefined;
  const row = input.status.rows.find((r) => r.role === input.role);
  if (!row?.required) return undefined;
  const held = input.status.rows
    .filter((r) => r.required && r.role !== input.role && r.state !== 'stale' && r.state !== 'missing')
    .filter((r) => r.signoff && samePerson(r.signoff.by, input.by))
    .map((r) => r.role);
  if (held.length === 0) return undefined;
  return `${input.by.trim()} already holds the current sign-off of ${held.join(', ')} on this run, and one person does not sign two required roles`;
}

/** Required roles then the final role, each once. */
function signingRoles(required: string[], finalRole: string | undefined): string[] {
  return [...new Set([...required, ...(finalRole ? [finalRole] : [])])];
}

const quote = (role: string): string => (/\s/.test(role) ? `"${role}"` : role);
