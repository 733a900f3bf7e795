import type { SignoffRow, SignoffStatus, SignoffView } from '../model.js';

export interface SignoffStatusInput {
  /** Every sign-off of the release in audit order (oldest first, as the store lists them), marked stale or not. */
  signoffs: SignoffView[];
  requiredRoles: string[];
  finalRole?: string;
  /** Role → owner from golive.yaml. */
  roles: Record<string, string>;
}

/**
 * The sign-off rows and counts: the one rule every output renders and the
 * decision reads (docs/decision-rules.md). Pure.
 *
 * - Rows: the required roles, then the final role (once, even if also
 *   required), then any other role that signed (not required).
 * - Per role, the latest current sign-off counts — latest in the order given,
 *   which is the audit order — so a go after a no-go, or a no-go after a go,
 *   replaces it. With no current one the row is `stale` when the role signed
 *   on another run or spec, else `missing`.
 * - `required` counts the rows a GO needs (required roles plus the final
 *   role); `signed` those of them whose state is `go`.
 */
export function signoffStatus(input: SignoffStatusInput): SignoffStatus {
  const needed = [...new Set([...input.requiredRoles, ...(input.finalRole ? [input.finalRole] : [])])];
  const extra = [...new Set(input.signoffs.map((s) => s.role))].filter((r) => !needed.includes(r));
  const rows: SignoffRow[] = [...needed, ...extra].map((role) => {
    const current = input.signoffs.filter((s) => s.role === role && !s.stale).at(-1);
    const latest = current ?? input.signoffs.filter((s) => s.role === role).at(-1);
    return {
      role,
      owner: input.roles[role] ?? '',
      required: needed.includes(role),
      final: role === input.finalRole,
      state: current ? current.decision : latest ? 'stale' : 'missing',
      ...(latest ? { signoff: latest } : {}),
    };
  });
  const required = rows.filter((r) => r.required);
  return { rows, required: required.length, signed: required.filter((r) => r.state === 'go').length };
}
