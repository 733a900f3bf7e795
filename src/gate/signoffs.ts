import type { SignoffRow, SignoffStatus, SignoffView } from '../model.js';

export interface SignoffStatusInput {
  /** Every sign-off of the release in audit order (oldest first, as the store lists them), marked stale or not. */
  signoffs: SignoffView[];
  requiredRoles: string[];
  finalRole?: string;
  /** Role → owner from golive.yaml. */
  roles: Record<string, string>;
  /** signoff.allowSamePerson: one person may hold the go of several required roles. Default false. */
  allowSamePerson?: boolean;
}

/** How two names are compared: trimmed, case-insensitive ("Pat@Example.com " is pat@example.com). */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
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
 * - One person does not sign two required roles: when the same person (names
 *   compared trimmed, case-insensitively) holds the current go of more than one
 *   required or final row, none of those rows counts — each is `duplicate`,
 *   with a reason — unless `allowSamePerson`.
 * - A sign-off by someone other than the role's owner in `roles` counts, with
 *   a note "signed by X for owner Y" (there are no identities to check yet).
 * - `required` counts the rows a GO needs (required roles plus the final
 *   role); `signed` those of them whose state is `go`.
 */
export function signoffStatus(input: SignoffStatusInput): SignoffStatus {
  const needed = [...new Set([...input.requiredRoles, ...(input.finalRole ? [input.finalRole] : [])])];
  const extra = [...new Set(input.signoffs.map((s) => s.role))].filter((r) => !needed.includes(r));
  const rows: SignoffRow[] = [...needed, ...extra].map((role) => {
    const current = input.signoffs.filter((s) => s.role === role && !s.stale).at(-1);
    const latest = current ?? input.signoffs.filter((s) => s.role === role).at(-1);
    const owner = input.roles[role] ?? '';
    return {
      role,
      owner,
      required: needed.includes(role),
      final: role === input.finalRole,
      state: current ? current.decision : latest ? 'stale' : 'missing',
      ...(latest ? { signoff: latest } : {}),
      ...(current && owner && !samePerson(current.by, owner)
        ? { note: `signed by ${current.by.trim()} for owner ${owner}` }
        : {}),
    };
  });
  if (!input.allowSamePerson) {
    const goes = rows.filter((r) => r.required && r.state === 'go' && r.signoff);
    for (const row of goes) {
      const by = row.signoff?.by ?? '';
      const same = goes.filter((r) => samePerson(r.signoff?.by ?? '', by)).map((r) => r.role);
      if (same.length < 2) continue;
      row.state = 'duplicate';
      row.reason = `${by.trim()} signed go for ${same.join(', ')}: one person does not sign two required roles (signoff.allowSamePerson: true allows it)`;
    }
  }
  const required = rows.filter((r) => r.required);
  return { rows, required: required.length, signed: required.filter((r) => r.state === 'go').length };
}
