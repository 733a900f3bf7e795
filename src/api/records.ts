import { currentWaiverOf } from './waivers-current.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GoliveError } from '../errors.js';
import { checkSignoff, decide as decideRules, samePersonRefusal } from '../gate/decision.js';
import { samePerson } from '../gate/signoffs.js';
import { parseThreshold, ThresholdSyntaxError, unitMismatch } from '../gate/threshold.js';
import type {
  Amendment,
  Attestation,
  ClockNote,
  Decision,
  ReportModel,
  Signoff,
  SignoffDecision,
  Waiver,
} from '../model.js';
import { clockWentBack, describeBreak } from '../store/audit.js';
import type { AuditVerifyResult, EvidenceStore, StoredRun } from '../store/types.js';
import { parseExpiry, resolveFinding } from './findings.js';
import { auditContext, buildReportModel } from './model.js';
import { writtenCriterionHashes } from '../spec/criterion-hash.js';
import { loadProject, withExistingStore, withStore, type Project, type ProjectOptions } from './project.js';

/** Common to every recording call: who is recording, and the clock. */
interface RecordOptions extends ProjectOptions {
  now?: () => Date;
}

const clock = (o: RecordOptions): Date => (o.now ?? (() => new Date()))();

export interface AttestOptions extends RecordOptions {
  criterionId: string;
  by: string;
  role: string;
  /** A URL or a path to a file that shows the item is done. */
  evidence: string;
  comment?: string;
}

/** `golive attest`: a named person in a role says a manual criterion is done, with evidence. */
export async function attest(opts: AttestOptions): Promise<Attestation> {
  const project = loadProject(opts);
  const { spec } = project.loaded;
  const criterion = spec.criteria.find((c) => c.id === opts.criterionId);
  if (!criterion) {
    throw new GoliveError(
      'GL_STATE_UNKNOWN_CRITERION',
      `no criterion "${opts.criterionId}" in ${project.loaded.file}`,
      {
        hint: `criteria: ${spec.criteria.map((c) => c.id).join(', ') || '(none)'}`,
      },
    );
  }
  if (!criterion.attest) {
    // golive measures this one: a hand-written "done" must not stand in for the evidence.
    const measured = [
      ...(criterion.thresholds?.length ? [`thresholds: ${criterion.thresholds.join(', ')}`] : []),
      ...(criterion.evidence?.length ? [`evidence: ${criterion.evidence.join(', ')}`] : []),
    ];
    throw new GoliveError(
      'GL_STATE_NOT_ATTESTABLE',
      measured.length
        ? `${criterion.id} is measured by golive (${measured.join('; ')}), so it cannot be attested by hand`
        : `${criterion.id} names no role under attest:, so no one can attest it`,
      {
        hint: measured.length
          ? `run golive check to measure it; if a person must vouch for it too, add attest: ROLE to ${criterion.id} in ${project.loaded.file}`
          : `add attest: ROLE to ${criterion.id} in ${project.loaded.file}, or point it at thresholds or evidence`,
      },
    );
  }
  assertRole(project, opts.role);
  if (criterion.attest !== opts.role) {
    throw new GoliveError(
      'GL_STATE_UNKNOWN_ROLE',
      `${criterion.id} must be attested by the ${criterion.attest} role, not ${opts.role}`,
      {
        hint: `golive attest ${criterion.id} --role "${criterion.attest}" --by NAME --evidence URL`,
      },
    );
  }
  if (
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(opts.evidence) &&
    !existsSync(resolve(opts.cwd ?? process.cwd(), opts.evidence))
  ) {
    throw new GoliveError('GL_FILE_NOT_FOUND', `--evidence: "${opts.evidence}" is neither a URL nor an existing file`, {
      hint: 'pass a link (https://…) or a path to a file that shows the item is done',
    });
  }
  const record: Attestation = {
    id: randomUUID(),
    ...project.key,
    criterionId: criterion.id,
    by: opts.by,
    role: opts.role,
    evidence: opts.evidence,
    ...(opts.comment ? { comment: opts.comment } : {}),
    createdAt: clock(opts).toISOString(),
    // Bound to the criterion as written (before ${VAR}), as runs store the spec: rewording it makes this stale.
    criterionHash: writtenCriterionHashes(project.loaded.raw, [criterion])[criterion.id] as string,
  };
  await withStore(project, (store) => store.insertAttestation(record));
  return record;
}

export interface WaiveOptions extends RecordOptions {
  /** A criterion id or a finding fingerprint. */
  subject: string;
  reason: string;
  by: string;
  /** ISO date (2026-12-31) or date-time; required, waivers do not last for ever. */
  expires: string;
}

/**
 * `golive waive`: accepts a criterion or a finding for this release, until an
 * expiry date. A finding is named by its fingerprint or a unique prefix of it,
 * and may come from any run of the release (`golive findings` lists them).
 * A new waiver of a subject already waived (or accepted) replaces that one:
 * `replaced` is the waiver that no longer counts.
 */
export async function waive(opts: WaiveOptions): Promise<{ waiver: Waiver; replaced?: Waiver }> {
  const project = loadProject(opts);
  const now = clock(opts);
  const expires = parseExpiry(opts.expires, now);
  const isCriterion = project.loaded.spec.criteria.some((c) => c.id === opts.subject);
  // A finding can only be waived once a run found it: no store yet means nothing to create.
  return (isCriterion ? withStore : withExistingStore)(project, async (store) => {
    let subject: Waiver['subject'] = 'criterion';
    let subjectId = opts.subject;
    if (!isCriterion) {
      const finding = await resolveFinding(store, project, opts.subject, now);
      if (!finding) {
        throw new GoliveError(
          'GL_STATE_UNKNOWN_CRITERION',
          `"${opts.subject}" is neither a criterion id nor a finding of ${project.key.service} ${project.key.release}`,
          {
            hint: `criteria: ${project.loaded.spec.criteria.map((c) => c.id).join(', ') || '(none)'}; golive findings lists the findings`,
          },
        );
      }
      subject = 'finding';
      subjectId = finding.fingerprint;
    }
    // A second waiver of the same subject replaces the first (both stay in the audit log).
    const replaced = currentWaiverOf(await store.listWaivers(project.key), { subject, subjectId });
    const record: Waiver = {
      id: randomUUID(),
      ...project.key,
      subject,
      subjectId,
      reason: opts.reason,
      by: opts.by,
      expiresAt: expires.toISOString(),
      createdAt: now.toISOString(),
      ...(replaced ? { supersedes: replaced.id } : {}),
    };
    await store.insertWaiver(record);
    return { waiver: record, ...(replaced ? { replaced } : {}) };
  });
}

export interface AmendOptions extends RecordOptions {
  threshold: string;
  /** New expression; null removes the threshold. */
  expr: string | null;
  reason: string;
  by: string;
}

/** `golive amend threshold`: changes a frozen threshold, with a reason kept in the audit log and every report. */
export async function amendThreshold(opts: AmendOptions): Promise<Amendment> {
  if (opts.expr !== null) {
    try {
      const mismatch = unitMismatch(opts.threshold, parseThreshold(opts.expr));
      if (mismatch) throw new GoliveError('GL_ARG_INVALID', `threshold ${mismatch.message}`, { hint: mismatch.hint });
    } catch (e) {
      if (e instanceof ThresholdSyntaxError) {
        throw new GoliveError(
          'GL_ARG_INVALID',
          `threshold "${opts.expr}": ${e.message} (column ${e.column})`,
          e.hint ? { hint: e.hint } : {},
        );
      }
      throw e;
    }
  }
  const project = loadProject(opts);
  return withExistingStore(project, async (store) => {
    const frozen = await store.frozenThresholds(project.key);
    if (!frozen) {
      throw new GoliveError(
        'GL_STATE_NOT_READY',
        `${project.key.service} ${project.key.release} has no evidence yet, so its thresholds are not frozen`,
        {
          hint: 'edit golive.yaml directly; amendments are needed only after the first golive check',
        },
      );
    }
    const from = frozen[opts.threshold] ?? null;
    if (from === null && opts.expr === null) {
      throw new GoliveError(
        'GL_ARG_INVALID',
        `threshold ${opts.threshold} is not frozen for this release, so it cannot be removed`,
        {
          hint: `frozen thresholds: ${Object.keys(frozen).join(', ') || '(none)'}`,
        },
      );
    }
    const record: Amendment = {
      id: randomUUID(),
      ...project.key,
      threshold: opts.threshold,
      from,
      to: opts.expr,
      reason: opts.reason,
      by: opts.by,
      createdAt: clock(opts).toISOString(),
    };
    await store.insertAmendment(record);
    return record;
  });
}

export interface SignoffOptions extends RecordOptions {
  role: string;
  by: string;
  decision: SignoffDecision;
  comment?: string;
}

/**
 * `golive signoff`: records a go / no-go by a role against the latest run and
 * the current spec hash. Refused (GL_STATE_SAME_PERSON) when the person already
 * holds another required role's current sign-off on this run, unless
 * signoff.allowSamePerson. A signer who is not the role's owner in `roles` is
 * recorded (there are no identities yet), and `notOwner` names the owner.
 */
export async function signoff(
  opts: SignoffOptions,
): Promise<{ signoff: Signoff; model: ReportModel; notOwner?: string }> {
  const project = loadProject(opts);
  return withExistingStore(project, (store) => signoffWith(store, project, opts));
}

/**
 * How many times decide / signoff work their answer out afresh when another
 * process records something between their reads and their write.
 */
export const RECORD_ATTEMPTS = 3;

/**
 * Runs `attempt` (which reads the store, decides, and writes with the head it
 * read as the expected head) again when the write is refused because the log
 * moved meanwhile, up to RECORD_ATTEMPTS times.
 */
async function retryOnContention<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof GoliveError) || e.code !== 'GL_STORE_CONTENDED') throw e;
      if (n >= RECORD_ATTEMPTS) {
        throw new GoliveError(
          'GL_STORE_CONTENDED',
          `${what} refused: other golive processes kept recording while it was being worked out (${RECORD_ATTEMPTS} attempts); nothing was written`,
          { hint: `run the command again once the other golive commands on this store have finished` },
        );
      }
    }
  }
}

/** `signoff` over an open store (the tests race a second store handle against it). */
export function signoffWith(
  store: EvidenceStore,
  project: Project,
  opts: SignoffOptions,
): Promise<{ signoff: Signoff; model: ReportModel; notOwner?: string }> {
  return retryOnContention('sign-off', async () => {
    const head = await assertAuditIntact(store, 'sign-off');
    const stored = await latestRunOrThrow(store, project);
    const model = await buildReportModel(store, stored, clock(opts));
    const refusal = checkSignoff({
      role: opts.role,
      decision: opts.decision,
      roles: project.loaded.spec.roles,
      requiredRoles: project.loaded.spec.signoff?.required ?? [],
      ...(project.loaded.spec.signoff?.final ? { finalRole: project.loaded.spec.signoff.final } : {}),
      evaluation: model.evaluation,
    });
    if (refusal) {
      const unknownRole = !(opts.role in project.loaded.spec.roles);
      throw new GoliveError(
        unknownRole ? 'GL_STATE_UNKNOWN_ROLE' : 'GL_STATE_NOT_READY',
        `sign-off refused: ${refusal}`,
        {
          hint: unknownRole
            ? 'use one of the roles in golive.yaml'
            : 'fix the blocking items and run golive check again, or sign no-go',
        },
      );
    }
    const allowSamePerson = project.loaded.spec.signoff?.allowSamePerson === true;
    const twice = samePersonRefusal({ role: opts.role, by: opts.by, status: model.signoffStatus, allowSamePerson });
    if (twice) {
      throw new GoliveError('GL_STATE_SAME_PERSON', `sign-off refused: ${twice}`, {
        hint: `another person signs ${opts.role}; if the spec lets one person hold several roles, set signoff.allowSamePerson: true in ${project.loaded.file}`,
      });
    }
    const owner = project.loaded.spec.roles[opts.role];
    const record: Signoff = {
      id: randomUUID(),
      runId: stored.run.id,
      specHash: stored.run.specHash,
      role: opts.role,
      by: opts.by,
      decision: opts.decision,
      ...(opts.comment ? { comment: opts.comment } : {}),
      createdAt: clock(opts).toISOString(),
    };
    // Written only if nothing was recorded since the state it was checked against was read.
    await store.insertSignoff(record, head);
    return {
      signoff: record,
      model: await buildReportModel(store, stored, clock(opts)),
      ...(owner && !samePerson(owner, opts.by) ? { notOwner: owner } : {}),
    };
  });
}

export interface DecideOptions extends RecordOptions {
  by: string;
}

/**
 * `golive decide`: writes the GO / NO-GO record for the latest run. GO only
 * when ready and every required role signed go. Refused (GL_AUDIT_BROKEN) when
 * the audit chain or a recorded row does not verify: nothing is written over a
 * broken chain. `auditHead` is the head of the log once the decision is in it
 * (the decision record's own `auditHead` is the head it was decided on, the
 * entry before it): the hash `golive audit verify` reports.
 */
export async function decide(
  opts: DecideOptions,
): Promise<{ decision: Decision; model: ReportModel; auditHead: string }> {
  const project = loadProject(opts);
  return withExistingStore(project, (store) => decideWith(store, project, opts));
}

/**
 * `decide` over an open store (the tests race a second store handle against
 * it). The verdict is computed on the state as of the audit head verify read;
 * the decision is written only if that is still the head inside the write
 * transaction, else it is worked out again (RECORD_ATTEMPTS in all).
 */
export function decideWith(
  store: EvidenceStore,
  project: Project,
  opts: DecideOptions,
): Promise<{ decision: Decision; model: ReportModel; auditHead: string }> {
  return retryOnContention('decision', async () => {
    const head = await assertAuditIntact(store, 'decision');
    const stored = await latestRunOrThrow(store, project);
    const before = await buildReportModel(store, stored, clock(opts));
    const verdict = decideRules({
      runId: stored.run.id,
      specHash: stored.run.specHash,
      evaluation: before.evaluation,
      signoffs: before.signoffs,
      requiredRoles: before.requiredRoles,
      ...(before.finalRole ? { finalRole: before.finalRole } : {}),
      roles: before.roles,
      ...(project.loaded.spec.signoff?.allowSamePerson ? { allowSamePerson: true } : {}),
    });
    const { decision, entryHash } = await store.insertDecision(
      {
        id: randomUUID(),
        runId: stored.run.id,
        specHash: stored.run.specHash,
        decision: verdict.decision,
        by: opts.by,
        reasons: verdict.reasons,
        residualRisks: before.evaluation.residualRisks,
        createdAt: clock(opts).toISOString(),
      },
      head,
    );
    // The decision's own entry, not whatever head the log has by the time this returns.
    return { decision, model: await buildReportModel(store, stored, clock(opts)), auditHead: entryHash };
  });
}

/** Report model of a stored run (the latest of the spec's release when runId is omitted). */
export async function loadReport(opts: RecordOptions & { runId?: string }): Promise<ReportModel> {
  const project = loadProject(opts);
  return withExistingStore(project, async (store) => {
    const stored = opts.runId ? await store.getRun(opts.runId) : await latestRunOrThrow(store, project, false);
    if (!stored) {
      throw new GoliveError('GL_STORE_NO_RUN', `no run ${opts.runId} in ${project.storePath}`, {
        hint: 'golive history lists the runs',
      });
    }
    return buildReportModel(store, stored, clock(opts));
  });
}

/** `golive history`: runs, last recorded first, each with its evaluation as of now and the readiness it was checked with (`readinessWhenChecked`). */
export async function history(opts: RecordOptions & { limit?: number; allReleases?: boolean }): Promise<ReportModel[]> {
  const project = loadProject(opts);
  return withExistingStore(project, async (store) => {
    const runs = await store.listRuns({
      service: project.key.service,
      ...(opts.allReleases ? {} : { release: project.key.release }),
      limit: opts.limit ?? 20,
    });
    // The log is read and its clock checked once for the command, not once per run.
    const audit = auditContext(await store.listAudit());
    const models: ReportModel[] = [];
    for (const run of runs) {
      const stored = await store.getRun(run.id);
      if (stored) models.push(await buildReportModel(store, stored, clock(opts), audit));
    }
    return models;
  });
}

/** The shortest head prefix `golive audit verify --head` takes: 48 bits, unique in any log golive will write. */
export const MIN_HEAD_PREFIX = 12;

/**
 * `golive audit verify`: walks the hash chain and cross-checks every recorded row.
 * With `head` (a hash printed by an earlier `golive decide`, or a unique prefix
 * of at least 12 hex digits), also confirms that entry is still in the log: a
 * log rebuilt from scratch would not contain it. `clockNotes` lists the entries
 * dated before an earlier one (kept, and counted where the log puts them).
 */
export async function verifyAudit(opts: ProjectOptions & { head?: string }): Promise<
  AuditVerifyResult & {
    storePath: string;
    headFound: boolean;
    /** The entry `head` names, when found. */
    headEntry?: { seq: number; hash: string };
    clockNotes: ClockNote[];
  }
> {
  const prefix = opts.head === undefined ? undefined : headPrefix(opts.head);
  const project = loadProject(opts);
  return withExistingStore(project, async (store) => {
    const result = await store.verifyAudit();
    // The log is append-only: its first `result.entries` entries are the snapshot verify read, so the head
    // looked up and the clock notes are those of the log that was verified, whatever was appended since.
    const entries = (await store.listAudit()).slice(0, result.entries);
    const matches = prefix === undefined ? [] : entries.filter((e) => e.hash.startsWith(prefix));
    if (matches.length > 1) {
      throw new GoliveError(
        'GL_ARG_INVALID',
        `--head ${opts.head}: ${matches.length} audit entries start with it (#${matches.map((e) => e.seq).join(', #')})`,
        { hint: 'pass more hex digits, or the full hash golive decide printed' },
      );
    }
    const found = matches[0];
    return {
      ...result,
      storePath: project.storePath,
      headFound: prefix === undefined || found !== undefined,
      ...(found ? { headEntry: { seq: found.seq, hash: found.hash } } : {}),
      clockNotes: clockWentBack(entries),
    };
  });
}

function headPrefix(head: string): string {
  const h = head.trim().toLowerCase();
  if (h === '') {
    throw new GoliveError('GL_ARG_INVALID', '--head is empty: give the audit head, or at least 12 hex digits of it', {
      hint: 'copy the "audit head" line golive decide printed, or leave --head out to verify the log alone',
    });
  }
  if (!/^[0-9a-f]*$/.test(h) || h.length > 64) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `--head "${head}" is not an audit hash (64 hex digits, or a prefix of one)`,
      {
        hint: 'copy the "audit head" line golive decide printed',
      },
    );
  }
  if (h.length < MIN_HEAD_PREFIX) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `--head ${head} is too short: give at least ${MIN_HEAD_PREFIX} hex digits of the audit head (${h.length} given)`,
      { hint: 'copy the "audit head" line golive decide printed; a short prefix could name more than one entry' },
    );
  }
  return h;
}

/**
 * Refuses a write that must not stand on a broken log: the chain and every
 * recorded row must verify first. Returns the head verified, which the write
 * then expects (anything recorded after it moves the head).
 */
async function assertAuditIntact(store: EvidenceStore, what: 'decision' | 'sign-off'): Promise<string> {
  const result = await store.verifyAudit();
  if (result.ok || !result.broken) return result.head;
  throw new GoliveError(
    'GL_AUDIT_BROKEN',
    `${what} refused: the audit log is broken at ${describeBreak(result.broken)}`,
    {
      hint: `the store was changed outside golive; golive audit verify shows the same break. Restore the store from a backup: no ${what} is written over a broken chain`,
    },
  );
}

async function latestRunOrThrow(store: EvidenceStore, project: Project, requireCurrentSpec = true): Promise<StoredRun> {
  const stored = await store.latestRun(project.key);
  if (!stored) {
    throw new GoliveError('GL_STORE_NO_RUN', `${project.key.service} ${project.key.release} has no run yet`, {
      hint: 'run golive check first',
    });
  }
  if (requireCurrentSpec && stored.run.specHash !== project.loaded.specHash) {
    throw new GoliveError('GL_STATE_NOT_READY', `golive.yaml changed since the latest run ${stored.run.id}`, {
      hint: 'run golive check again so the evidence matches the spec being signed',
    });
  }
  return stored;
}

function assertRole(project: Project, role: string): void {
  if (!(role in project.loaded.spec.roles)) {
    throw new GoliveError('GL_STATE_UNKNOWN_ROLE', `unknown role "${role}"`, {
      hint: `roles in golive.yaml: ${Object.keys(project.loaded.spec.roles).join(', ') || '(none)'}`,
    });
  }
}
