import { currentWaiverOf, currentWaivers } from './waivers-current.js';
import { randomUUID } from 'node:crypto';
import { GoliveError } from '../errors.js';
import { severitiesAtOrAbove, triageFindings } from '../findings/triage.js';
import { FINDING_STATUSES, type FindingStatus, type TriagedFinding } from '../findings/types.js';
import type { Run, Severity, Waiver } from '../model.js';
import type { EvidenceStore } from '../store/types.js';
import { loadProject, withExistingStore, type Project, type ProjectOptions } from './project.js';

export interface FindingsOptions extends ProjectOptions {
  /** Only findings at or above this severity (`high` → critical and high). Default: every severity. */
  severity?: Severity;
  /** Only findings in one of these statuses. Default: every status. */
  status?: readonly FindingStatus[];
  now?: () => Date;
}

export interface FindingsResult {
  /** The latest run of the release, which the triage is as of. */
  run: Run;
  /** True when at least one run of the release had a collector that looks for findings. */
  scanned: boolean;
  /** The findings that pass the filters. */
  findings: TriagedFinding[];
  /** How many findings of the release are in each status, before filtering. */
  totals: Record<FindingStatus, number>;
}

/**
 * `golive findings`: every finding the release has had, triaged as of its
 * latest run (src/findings/triage.ts), filtered by severity and status.
 */
export async function listFindings(opts: FindingsOptions = {}): Promise<FindingsResult> {
  const project = loadProject(opts);
  const now = (opts.now ?? (() => new Date()))();
  return withExistingStore(project, async (store) => {
    const runs = await store.findingRuns(project.key);
    const latest = runs.at(-1);
    if (!latest) throw noRun(project);
    const all = triageFindings(runs, currentWaivers(await store.listWaivers(project.key)), now);
    const severities = opts.severity ? severitiesAtOrAbove(opts.severity) : undefined;
    const totals = Object.fromEntries(FINDING_STATUSES.map((s) => [s, all.filter((f) => f.status === s).length]));
    return {
      run: latest.run,
      scanned: runs.some((r) => r.scans.length > 0),
      totals: totals as Record<FindingStatus, number>,
      findings: all.filter(
        (f) => (!severities || severities.includes(f.severity)) && (!opts.status || opts.status.includes(f.status)),
      ),
    };
  });
}

export interface AcceptOptions extends ProjectOptions {
  /** A finding fingerprint, or a prefix of one that names a single finding of the release. */
  finding: string;
  reason: string;
  by: string;
  /** ISO date (2026-12-31) or date-time. Default: none — the risk is accepted for the whole release. */
  expires?: string;
  now?: () => Date;
}

/**
 * `golive accept`: records that the release goes live with a finding on
 * purpose. Stored as a waiver of kind `accepted-risk` (same table, same audit
 * chain); the finding stops counting in `findings.*` and is listed among the
 * residual risks of the decision.
 */
export async function accept(
  opts: AcceptOptions,
): Promise<{ waiver: Waiver; finding: TriagedFinding; replaced?: Waiver }> {
  const project = loadProject(opts);
  const now = (opts.now ?? (() => new Date()))();
  const expires = opts.expires === undefined ? undefined : parseExpiry(opts.expires, now);
  return withExistingStore(project, async (store) => {
    const finding = await resolveFinding(store, project, opts.finding, now);
    if (!finding) {
      throw new GoliveError('GL_STATE_UNKNOWN_FINDING', `no finding "${opts.finding}" in ${releaseName(project)}`, {
        hint: project.loaded.spec.criteria.some((c) => c.id === opts.finding)
          ? `${opts.finding} is a criterion: golive waive ${opts.finding} --reason TEXT --by NAME --expires DATE`
          : 'golive findings lists the findings of the release with their fingerprints',
      });
    }
    // Accepting again (or accepting a waived finding) replaces the earlier record; both stay in the audit log.
    const replaced = currentWaiverOf(await store.listWaivers(project.key), {
      subject: 'finding',
      subjectId: finding.fingerprint,
    });
    const waiver: Waiver = {
      id: randomUUID(),
      ...project.key,
      kind: 'accepted-risk',
      subject: 'finding',
      subjectId: finding.fingerprint,
      reason: opts.reason,
      by: opts.by,
      ...(expires ? { expiresAt: expires.toISOString() } : {}),
      createdAt: now.toISOString(),
      ...(replaced ? { supersedes: replaced.id } : {}),
    };
    await store.insertWaiver(waiver);
    return { waiver, finding, ...(replaced ? { replaced } : {}) };
  });
}

/** The shortest fingerprint prefix `accept` and `waive` take: one or two hex characters would pick a finding nearly at random. */
export const MIN_FINGERPRINT_PREFIX = 6;

/**
 * The finding of the release (any run, any status) whose fingerprint is
 * `text`, or starts with `text` when that is at least MIN_FINGERPRINT_PREFIX
 * hex characters; undefined when none. Throws GL_ARG_INVALID when a hex
 * prefix is shorter than that, or names several findings (listing them).
 */
export async function resolveFinding(
  store: EvidenceStore,
  project: Project,
  text: string,
  now: Date,
): Promise<TriagedFinding | undefined> {
  const all = triageFindings(
    await store.findingRuns(project.key),
    currentWaivers(await store.listWaivers(project.key)),
    now,
  );
  const exact = all.find((f) => f.fingerprint === text);
  if (exact) return exact;
  if (!/^[0-9a-f]+$/i.test(text)) return undefined;
  const prefix = text.toLowerCase();
  const matches = all.filter((f) => f.fingerprint.startsWith(prefix));
  const listed = (list: readonly TriagedFinding[]): string =>
    list
      .slice(0, 10)
      .map((f) => `${f.fingerprint} (${f.severity} ${f.rule} at ${f.location})`)
      .join(', ') + (list.length > 10 ? `, and ${list.length - 10} more` : '');
  if (prefix.length < MIN_FINGERPRINT_PREFIX) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `"${text}" is too short to name a finding: give at least ${MIN_FINGERPRINT_PREFIX} characters of its fingerprint`,
      {
        hint: matches.length
          ? `fingerprints starting with "${text}": ${listed(matches)}`
          : 'golive findings lists the findings of the release with their fingerprints',
      },
    );
  }
  if (matches.length > 1) {
    throw new GoliveError('GL_ARG_INVALID', `"${text}" matches ${matches.length} findings`, {
      hint: `give more of the fingerprint: ${listed(matches)}`,
    });
  }
  return matches[0];
}

/**
 * `--expires`: a date (the end of that day, UTC) or an ISO date-time, in the
 * future. The date must be on the calendar: JavaScript would read 2026-02-30 as
 * 2 March, so it is checked field by field.
 */
export function parseExpiry(text: string, now: Date): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text);
  const d = new Date(day && text.length === 10 ? `${text}T23:59:59Z` : text);
  const onCalendar = (y: number, m: number, dd: number): boolean => {
    const c = new Date(Date.UTC(y, m - 1, dd));
    return c.getUTCFullYear() === y && c.getUTCMonth() === m - 1 && c.getUTCDate() === dd;
  };
  if (!day || Number.isNaN(d.getTime()) || !onCalendar(Number(day[1]), Number(day[2]), Number(day[3]))) {
    throw new GoliveError('GL_ARG_INVALID', `--expires: "${text}" is not a date`, {
      hint: 'write a date like 2026-12-31, or a date-time like 2026-12-31T18:00:00Z',
    });
  }
  if (d.getTime() <= now.getTime()) {
    throw new GoliveError('GL_ARG_INVALID', `--expires: ${text} is already past`, {
      hint: 'a waiver must expire in the future',
    });
  }
  return d;
}

function releaseName(project: Project): string {
  return `${project.key.service} ${project.key.release}`;
}

function noRun(project: Project): GoliveError {
  return new GoliveError('GL_STORE_NO_RUN', `${releaseName(project)} has no run yet`, {
    hint: 'run golive check first',
  });
}
