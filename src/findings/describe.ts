import type { TriagedFinding } from './types.js';

/**
 * Why a finding has its status, in a few words, for the CLI table and the
 * reports: who waived or accepted it and until when, that an expired waiver
 * counts again, which run showed it fixed, or that it was not looked for again.
 * `latestRunId` is the run the triage is as of.
 */
export function statusNote(f: TriagedFinding, latestRunId: string): string {
  const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
  switch (f.status) {
    case 'fixed':
      return `fixed in run ${f.fixedIn?.runId ?? '?'}`;
    case 'waived':
      return `waived by ${f.waiver?.by} until ${day(f.waiver?.expiresAt)}: ${f.waiver?.reason}`;
    case 'accepted':
      return `accepted as a risk by ${f.waiver?.by}${f.waiver?.expiresAt ? ` until ${day(f.waiver.expiresAt)}` : ' for this release'}: ${f.waiver?.reason}`;
    case 'open': {
      const parts: string[] = [];
      if (f.expiredWaiver) {
        const kind = f.expiredWaiver.kind === 'accepted-risk' ? 'accepted risk' : 'waiver';
        parts.push(`${kind} by ${f.expiredWaiver.by} expired ${day(f.expiredWaiver.expiresAt)}, counts again`);
      }
      if (f.lastSeen.runId !== latestRunId) parts.push(`not looked for again since run ${f.lastSeen.runId}`);
      return parts.join('; ');
    }
  }
}
