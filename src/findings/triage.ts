import type { Evidence, Finding, ReportModel, Run, Severity, Waiver } from '../model.js';
import { SEVERITIES } from '../model.js';
import { FINDING_STATUSES, type FindingRun, type Sighting, type TriagedFinding } from './types.js';

/**
 * Triage: every finding a release has had, as of its latest run. Pure — the
 * runs, the waivers and the clock are inputs — so the CLI, the gate and every
 * report agree.
 *
 * `runs` are the runs of one release, oldest first; the last one is "latest".
 * - A finding is identified by its fingerprint. `firstSeen` / `lastSeen` are
 *   the first and last runs that reported it; its details (severity, title,
 *   location…) are those of the last sighting.
 * - It is `fixed` when a complete run after `lastSeen` had the collector that
 *   found it finish (evidence status pass or fail) without reporting it. A run
 *   where that collector did not run, errored or was skipped, and an
 *   interrupted (incomplete) run, prove nothing: the finding stays open.
 *   A finding no evidence item carried is fixed by any complete run in which
 *   some collector that looks for findings finished.
 * - A finding that is not fixed is `accepted` under a live accepted risk,
 *   `waived` under a live waiver, else `open`. A waiver is live until its
 *   `expiresAt` (exclusive); an expired one is reported as `expiredWaiver` and
 *   no longer counts.
 * - A finding fixed and then seen again is open again; `firstSeen` keeps the first run.
 *
 * Sorted by status (open, waived, accepted, fixed), then severity (critical
 * first), rule, location and fingerprint.
 */
export function triageFindings(runs: readonly FindingRun[], waivers: readonly Waiver[], now: Date): TriagedFinding[] {
  interface Track {
    finding: Finding;
    collector: string | undefined;
    first: Sighting;
    last: Sighting;
    lastIndex: number;
  }
  const tracks = new Map<string, Track>();
  runs.forEach((r, index) => {
    const at: Sighting = { runId: r.run.id, at: r.run.startedAt };
    for (const f of r.findings) {
      const collector = r.scans.find((s) => s.findings.some((x) => x.fingerprint === f.fingerprint))?.collector;
      const seen = tracks.get(f.fingerprint);
      tracks.set(f.fingerprint, {
        finding: f,
        collector: collector ?? seen?.collector,
        first: seen?.first ?? at,
        last: at,
        lastIndex: index,
      });
    }
  });

  const out: TriagedFinding[] = [];
  for (const [fingerprint, t] of tracks) {
    const fixedRun = runs
      .slice(t.lastIndex + 1)
      .find((r) => r.run.status === 'complete' && lookedAgain(r, t.collector));
    const { live, expired } = waiversOf(fingerprint, waivers, now);
    const status = fixedRun ? 'fixed' : live ? (isAcceptedRisk(live) ? 'accepted' : 'waived') : 'open';
    out.push({
      ...t.finding,
      fingerprint,
      status,
      ...(t.collector !== undefined ? { collector: t.collector } : {}),
      firstSeen: t.first,
      lastSeen: t.last,
      ...(fixedRun ? { fixedIn: { runId: fixedRun.run.id, at: fixedRun.run.startedAt } } : {}),
      ...(live && !fixedRun ? { waiver: live } : {}),
      ...(!live && expired && !fixedRun ? { expiredWaiver: expired } : {}),
    });
  }
  return out.sort(compareTriaged);
}

/** True when the collector that found a finding ran to the end in this run (so not finding it again means it is gone). */
function lookedAgain(r: FindingRun, collector: string | undefined): boolean {
  const finished = (s: { status: string }) => s.status === 'pass' || s.status === 'fail';
  return collector === undefined
    ? r.scans.some(finished)
    : r.scans.some((s) => s.collector === collector && finished(s));
}

/** An accepted risk (`golive accept`), as opposed to a plain waiver. */
export function isAcceptedRisk(w: Waiver): boolean {
  return w.kind === 'accepted-risk';
}

/** A waiver counts until its expiry (exclusive); one without expiry lasts the release. */
export function isLiveWaiver(w: Waiver, now: Date): boolean {
  return w.expiresAt === undefined || Date.parse(w.expiresAt) > now.getTime();
}

/**
 * The waiver that covers a finding now, and the latest expired one. Of several
 * live ones an accepted risk wins (the release goes live with it on purpose),
 * then the one that lasts longest.
 */
export function waiversOf(
  fingerprint: string,
  waivers: readonly Waiver[],
  now: Date,
): { live?: Waiver; expired?: Waiver } {
  const mine = waivers.filter((w) => w.subject === 'finding' && w.subjectId === fingerprint);
  const end = (w: Waiver): number => (w.expiresAt === undefined ? Infinity : Date.parse(w.expiresAt));
  const rank = (w: Waiver): [number, number] => [isAcceptedRisk(w) ? 1 : 0, end(w)];
  let live: Waiver | undefined;
  let expired: Waiver | undefined;
  for (const w of mine) {
    if (isLiveWaiver(w, now)) {
      if (!live || compareTuple(rank(w), rank(live)) > 0) live = w;
    } else if (!expired || end(w) >= end(expired)) {
      expired = w;
    }
  }
  return { ...(live ? { live } : {}), ...(expired ? { expired } : {}) };
}

function compareTuple(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function compareTriaged(a: TriagedFinding, b: TriagedFinding): number {
  return (
    FINDING_STATUSES.indexOf(a.status) - FINDING_STATUSES.indexOf(b.status) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.rule.localeCompare(b.rule) ||
    a.location.localeCompare(b.location) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** Severities at or above `min` (`high` → critical, high). */
export function severitiesAtOrAbove(min: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(min) + 1);
}

/** The findings that still count against the release: open ones (waived and accepted are still open, just covered). */
export function unresolved(triaged: readonly TriagedFinding[]): TriagedFinding[] {
  return triaged.filter((t) => t.status !== 'fixed');
}

/** One run with its evidence, as triage reads it (what `EvidenceStore.findingRuns` returns for a stored run). */
export function findingRunOf(stored: {
  run: Run;
  evidence: readonly Evidence[];
  findings: readonly Finding[];
}): FindingRun {
  return {
    run: stored.run,
    scans: stored.evidence
      .filter((e) => e.scansForFindings)
      .map((e) => ({ collector: e.collector, status: e.status, findings: e.findings })),
    findings: [...stored.findings],
  };
}

/**
 * The triage a report shows: the model's own, or — for a model built by hand
 * without one — the run's findings triaged on their own, as of the evaluation.
 */
export function triageOf(model: ReportModel): TriagedFinding[] {
  return (
    model.findingsTriage ?? triageFindings([findingRunOf(model)], model.waivers, new Date(model.evaluation.evaluatedAt))
  );
}
