import type { Kysely } from 'kysely';
import { GoliveError } from '../errors.js';
import type { FindingRun } from '../findings/types.js';
import type { Amendment, Attestation, Decision, Evidence, Finding, Readiness, Run, Signoff, Waiver } from '../model.js';
import { entryHash, GENESIS, sha256, verifyChain, type AuditBreak } from './audit.js';
import { canonicalJson } from './canonical.js';
import { openSqlite, type Tables } from './db.js';
import { migrate } from './migrations.js';
import type { AuditEntry, AuditVerifyResult, EvidenceStore, ReleaseKey, StoredRun } from './types.js';

/** The audited record tables (one JSON record per row) and the audit kind of each. */
type RecordTable = 'attestations' | 'waivers' | 'amendments' | 'signoffs' | 'decisions';
const RECORD_KINDS: Record<RecordTable, string> = {
  attestations: 'attestation',
  waivers: 'waiver',
  amendments: 'amendment',
  signoffs: 'signoff',
  decisions: 'decision',
};

const META_COUNT = 'audit_count';
const META_HEAD = 'audit_head';

/**
 * Opens the SQLite evidence store at `path`, creating the folder, the file and
 * the schema as needed. Throws GL_STORE_CORRUPT (without touching the file)
 * when the file is not a healthy golive database.
 */
export async function openStore(path: string): Promise<EvidenceStore> {
  const db = openSqlite(path);
  try {
    await migrate(db as unknown as Kysely<unknown>, path);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new KyselyEvidenceStore(db);
}

/**
 * The EvidenceStore over any Kysely database with the golive schema. Each
 * record goes in with its audit entry in one transaction; the entity rows keep
 * the canonical JSON the audit entry covers, so `verifyAudit` can tell an
 * edited row from an honest one. Only the query builder is used here (no
 * SQLite-only SQL), so a PostgreSQL dialect can drive it.
 */
export class KyselyEvidenceStore implements EvidenceStore {
  constructor(private readonly db: Kysely<Tables>) {}

  // ------------------------------------------------------------------ runs

  async insertRun(stored: StoredRun, thresholds: Record<string, string>): Promise<void> {
    const columns = runColumns(stored);
    // The run exactly as getRun will give it back (extra properties dropped).
    const run = toRun(columns);
    const readiness = readinessOf(columns);
    await this.db.transaction().execute(async (tx) => {
      await lockForWrite(tx);
      await tx.insertInto('runs').values(columns).execute();
      // The seq the run got is covered by its audit entry, so editing it (to reorder runs) is caught.
      const { seq } = await tx.selectFrom('runs').select('seq').where('id', '=', run.id).executeTakeFirstOrThrow();
      for (const [position, ev] of stored.evidence.entries()) {
        await tx
          .insertInto('evidence')
          .values({ run_id: run.id, position, collector: ev.collector, status: ev.status, json: canonicalJson(ev) })
          .execute();
        for (const m of metricRows(run.id, ev)) await tx.insertInto('metrics').values(m).execute();
      }
      for (const [position, f] of stored.findings.entries()) {
        await tx
          .insertInto('findings')
          .values({ run_id: run.id, position, ...findingColumns(f), json: canonicalJson(f) })
          .execute();
      }
      await append(
        tx,
        run.endedAt,
        'run',
        run.id,
        runPayload({ ...stored, run, ...(readiness ? { readiness } : {}) }, Number(seq)),
      );

      const frozen = await tx
        .selectFrom('frozen_thresholds')
        .select('run_id')
        .where('service', '=', run.service)
        .where('release', '=', run.release)
        .executeTakeFirst();
      if (!frozen) {
        await tx
          .insertInto('frozen_thresholds')
          .values({
            service: run.service,
            release: run.release,
            run_id: run.id,
            json: canonicalJson(thresholds),
            frozen_at: run.endedAt,
          })
          .execute();
        await append(tx, run.endedAt, 'freeze', freezeId(run), { runId: run.id, thresholds });
      }
    });
  }

  async getRun(id: string): Promise<StoredRun | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.assemble(row) : undefined;
  }

  async latestRun(key?: ReleaseKey): Promise<StoredRun | undefined> {
    let q = this.db.selectFrom('runs').selectAll();
    if (key) q = q.where('service', '=', key.service).where('release', '=', key.release);
    // The last recorded, never the one with the latest time: a clock that went back must not hide a run.
    const row = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? this.assemble(row) : undefined;
  }

  async listRuns(opts: { service?: string; release?: string; limit?: number } = {}): Promise<Run[]> {
    let q = this.db.selectFrom('runs').selectAll();
    if (opts.service !== undefined) q = q.where('service', '=', opts.service);
    if (opts.release !== undefined) q = q.where('release', '=', opts.release);
    q = q.orderBy('seq', 'desc');
    if (opts.limit !== undefined) q = q.limit(Math.max(0, Math.floor(opts.limit)));
    return (await q.execute()).map(toRun);
  }

  async findingRuns(key: ReleaseKey, upTo?: string): Promise<FindingRun[]> {
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('service', '=', key.service)
      .where('release', '=', key.release)
      .orderBy('seq')
      .execute();
    // A run the store does not hold yet (being evaluated before it is recorded) comes after all of them.
    const found = upTo === undefined ? -1 : rows.findIndex((r) => r.id === upTo);
    const cut = found === -1 ? rows.length : found + 1;
    const runs = rows.slice(0, cut);
    if (!runs.length) return [];
    const release = (q: 'evidence' | 'findings') =>
      this.db
        .selectFrom(q)
        .innerJoin('runs', 'runs.id', `${q}.run_id`)
        .select([`${q}.run_id as run_id`, `${q}.json as json`])
        .where('runs.service', '=', key.service)
        .where('runs.release', '=', key.release);
    // Two queries for the whole release rather than two per run. Evidence rows are
    // canonical JSON, so the LIKE skips (without parsing) those of collectors that
    // do not look for findings, such as a load test's long timelines.
    const [evidence, findings] = await Promise.all([
      release('evidence')
        .where('evidence.json', 'like', '%"scansForFindings":true%')
        .orderBy('evidence.position')
        .execute(),
      release('findings').orderBy('findings.position').execute(),
    ]);
    const byRun = new Map<string, FindingRun>(
      runs.map((r) => [r.id, { run: toRun(r), scans: [], findings: [] }] as const),
    );
    for (const e of evidence) {
      const into = byRun.get(e.run_id); // undefined for runs after `upTo`
      const ev = into && parseJson<Evidence>(e.json, `evidence of run ${e.run_id}`);
      if (ev?.scansForFindings) into?.scans.push({ collector: ev.collector, status: ev.status, findings: ev.findings });
    }
    for (const f of findings) {
      byRun.get(f.run_id)?.findings.push(parseJson<Finding>(f.json, `findings of run ${f.run_id}`));
    }
    return [...byRun.values()];
  }

  async frozenThresholds(key: ReleaseKey): Promise<Record<string, string> | undefined> {
    const row = await this.db
      .selectFrom('frozen_thresholds')
      .select('json')
      .where('service', '=', key.service)
      .where('release', '=', key.release)
      .executeTakeFirst();
    if (!row) return undefined;
    const thresholds = { ...parseJson<Record<string, string>>(row.json, `frozen thresholds of ${freezeId(key)}`) };
    for (const a of await this.listAmendments(key)) {
      if (a.to === null) delete thresholds[a.threshold];
      else thresholds[a.threshold] = a.to;
    }
    return thresholds;
  }

  // ------------------------------------------------------------------ records

  insertAttestation(a: Attestation): Promise<void> {
    return this.insertRecord('attestations', a, a);
  }
  listAttestations(key: ReleaseKey): Promise<Attestation[]> {
    return this.listRecords('attestations', key);
  }
  insertWaiver(w: Waiver): Promise<void> {
    return this.insertRecord('waivers', w, w);
  }
  listWaivers(key: ReleaseKey): Promise<Waiver[]> {
    return this.listRecords('waivers', key);
  }
  insertAmendment(a: Amendment): Promise<void> {
    return this.insertRecord('amendments', a, a);
  }
  listAmendments(key: ReleaseKey): Promise<Amendment[]> {
    return this.listRecords('amendments', key);
  }
  /** A sign-off belongs to the release of its run; the run must be in the store (GL_STORE_NO_RUN). */
  insertSignoff(s: Signoff, expectedHead?: string): Promise<void> {
    return this.insertRecord('signoffs', s, undefined, expectedHead);
  }
  listSignoffs(key: ReleaseKey): Promise<Signoff[]> {
    return this.listRecords('signoffs', key);
  }

  async insertDecision(
    d: Omit<Decision, 'auditHead' | 'recordHash'>,
    expectedHead?: string,
  ): Promise<{ decision: Decision; entryHash: string }> {
    // Drop any stray auditHead / recordHash a caller may have spread in.
    const { auditHead: _a, recordHash: _r, ...fields } = d as Decision;
    return this.db.transaction().execute(async (tx) => {
      await lockForWrite(tx);
      await requireRun(tx, d.runId);
      const auditHead = (await lastEntry(tx))?.hash ?? '';
      assertHead(expectedHead, auditHead, 'decision');
      const unsigned = { ...fields, auditHead };
      const record: Decision = { ...unsigned, recordHash: sha256(canonicalJson(unsigned)) };
      const { seq, hash } = await append(tx, d.createdAt, 'decision', d.id, record);
      await tx
        .insertInto('decisions')
        .values({ ...recordColumns('decisions', record), json: canonicalJson(record), audit_seq: seq } as never)
        .execute();
      return { decision: record, entryHash: hash };
    });
  }

  async latestDecision(runId: string): Promise<Decision | undefined> {
    const row = await this.db
      .selectFrom('decisions')
      .select(['id', 'json'])
      .where('run_id', '=', runId)
      .orderBy('audit_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? parseJson<Decision>(row.json, `decision ${row.id}`) : undefined;
  }

  // ------------------------------------------------------------------ audit

  async auditHead(): Promise<string> {
    return (await lastEntry(this.db))?.hash ?? '';
  }

  listAudit(): Promise<AuditEntry[]> {
    return listAuditIn(this.db);
  }

  /**
   * Verifies the chain against the count and head kept in `meta`, then that
   * every recorded row still says what its audit entry says and every entry's
   * row still exists. Reports the earliest problem (lowest seq).
   *
   * Every read is made in one read transaction, so they all see one snapshot
   * of the store (SQLite in WAL mode: a deferred `BEGIN`, whose first read fixes
   * the snapshot; PostgreSQL: REPEATABLE READ). A record another process
   * commits meanwhile is then either wholly in what is verified or wholly not,
   * never an entry without its row, nor a count that disagrees with the log.
   */
  async verifyAudit(): Promise<AuditVerifyResult> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((tx) => this.verifyIn(tx));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ------------------------------------------------------------------ internals

  private async verifyIn(db: Q): Promise<AuditVerifyResult> {
    const entries = await listAuditIn(db);
    const meta = await db.selectFrom('meta').selectAll().where('key', 'in', [META_COUNT, META_HEAD]).execute();
    const count = Number(meta.find((m) => m.key === META_COUNT)?.value ?? 0);
    const head = meta.find((m) => m.key === META_HEAD)?.value ?? '';
    const chain = verifyChain(entries, { count: Number.isFinite(count) ? count : -1, head });
    if (!chain.ok) return chain;

    const problems: AuditBreak[] = [];
    const byEntity = new Map(entries.map((e) => [`${e.kind}:${e.entityId}`, e]));
    const current = await this.currentRows(db, byEntity);
    for (const [key, row] of current) {
      const entry = byEntity.get(key);
      if (!entry) {
        problems.push({
          seq: entries.length + 1,
          kind: row.kind,
          entityId: row.id,
          reason: `${row.kind} ${row.id} has no audit entry (the row was written outside golive)`,
        });
        continue;
      }
      const at = { seq: entry.seq, kind: entry.kind, entityId: entry.entityId };
      if (row.problem !== undefined) {
        problems.push({ ...at, reason: `the stored ${entry.kind} ${row.problem} (the row was edited)` });
      } else if (row.text !== canonicalJson(entry.payload)) {
        problems.push({
          ...at,
          reason: `the stored ${entry.kind} no longer matches what entry #${entry.seq} recorded (the row was edited)`,
        });
      } else if (row.auditSeq !== undefined && row.auditSeq !== entry.seq) {
        problems.push({
          ...at,
          reason: `the stored ${entry.kind} points at audit entry ${row.auditSeq === null ? '(none)' : `#${row.auditSeq}`}, not #${entry.seq} (the row was edited)`,
        });
      }
    }
    for (const e of entries) {
      if (!current.has(`${e.kind}:${e.entityId}`)) {
        problems.push({
          seq: e.seq,
          kind: e.kind,
          entityId: e.entityId,
          reason: `the ${e.kind} this entry records is gone (the row was removed)`,
        });
      }
    }
    if (!problems.length) return chain;
    problems.sort((a, b) => a.seq - b.seq);
    return { ok: false, entries: entries.length, head: chain.head, broken: problems[0] as AuditBreak };
  }

  private async insertRecord<T extends { id: string; createdAt: string }>(
    table: Exclude<RecordTable, 'decisions'>,
    record: T,
    key?: ReleaseKey,
    expectedHead?: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await lockForWrite(tx);
      const release = key ?? (await requireRun(tx, (record as unknown as Signoff).runId));
      assertHead(expectedHead, (await lastEntry(tx))?.hash ?? '', RECORD_KINDS[table]);
      const { seq } = await append(tx, record.createdAt, RECORD_KINDS[table], record.id, record);
      await tx
        .insertInto(table)
        .values({
          ...recordColumns(table, record, release),
          json: canonicalJson(record),
          audit_seq: seq,
        } as never)
        .execute();
    });
  }

  /** Records of a release in the order written (the audit order): never by their times, which a wrong clock sets. */
  private async listRecords<T>(table: Exclude<RecordTable, 'decisions'>, key: ReleaseKey): Promise<T[]> {
    const rows = await this.db
      .selectFrom(table)
      .select(['id', 'json'])
      .where('service', '=', key.service)
      .where('release', '=', key.release)
      .orderBy('audit_seq')
      .execute();
    return rows.map((r) => parseJson<T>(r.json, `${RECORD_KINDS[table]} ${r.id}`));
  }

  private async assemble(row: Omit<Tables['runs'], 'seq'>, db: Q = this.db): Promise<StoredRun> {
    const readiness = readinessOf(row);
    const [evidence, findings] = await Promise.all([
      db.selectFrom('evidence').select('json').where('run_id', '=', row.id).orderBy('position').execute(),
      db.selectFrom('findings').select('json').where('run_id', '=', row.id).orderBy('position').execute(),
    ]);
    const what = `run ${row.id}`;
    return {
      run: toRun(row),
      specJson: parseJson<unknown>(row.spec_json, `spec of ${what}`),
      evidence: evidence.map((e) => parseJson<Evidence>(e.json, `evidence of ${what}`)),
      findings: findings.map((f) => parseJson<Finding>(f.json, `findings of ${what}`)),
      ...(readiness ? { readiness } : {}),
    };
  }

  /**
   * Every audited row as `kind:id` → the canonical payload its audit entry must
   * hold, rebuilt from the tables as they are now; `problem` when the row's own
   * columns disagree with its JSON (or the JSON no longer parses), or with what
   * its entry (in `byEntity`, already checked against the chain) says beside
   * the payload: a run's seq, a freeze's time.
   */
  private async currentRows(db: Q, byEntity: ReadonlyMap<string, AuditEntry>): Promise<Map<string, CurrentRow>> {
    const out = new Map<string, CurrentRow>();
    const runKeys = new Map<string, ReleaseKey>();

    let before: { id: string; entrySeq: number } | undefined;
    for (const row of await db.selectFrom('runs').selectAll().orderBy('seq').execute()) {
      runKeys.set(row.id, { service: row.service, release: row.release });
      const current: CurrentRow = { kind: 'run', id: row.id, text: '' };
      const entry = byEntity.get(`run:${row.id}`);
      // Entries written before golive covered the seq have none: for those the order check below is the guard.
      const recordedSeq = (entry?.payload as { seq?: unknown } | undefined)?.seq;
      try {
        const stored = await this.assemble(row, db);
        current.text = canonicalJson(runPayload(stored, recordedSeq === undefined ? undefined : Number(row.seq)));
        current.problem =
          recordedSeq !== undefined && recordedSeq !== Number(row.seq)
            ? `has seq ${row.seq}, but its audit entry recorded seq ${String(recordedSeq)}`
            : await this.runIndexProblem(db, row.id, stored);
      } catch (e) {
        current.problem = `cannot be read: ${(e as Error).message}`;
      }
      // runs.seq orders "the latest run"; it must order the runs as the audit log does.
      if (entry && before && entry.seq < before.entrySeq && current.problem === undefined) {
        current.problem = `has seq ${row.seq}, which puts it after run ${before.id}, but the audit log recorded it before that run`;
      }
      if (entry && (!before || entry.seq > before.entrySeq)) before = { id: row.id, entrySeq: entry.seq };
      out.set(`run:${row.id}`, current);
    }

    for (const row of await db.selectFrom('frozen_thresholds').selectAll().execute()) {
      const id = freezeId(row);
      const current: CurrentRow = { kind: 'freeze', id, text: '' };
      try {
        current.text = canonicalJson({ runId: row.run_id, thresholds: JSON.parse(row.json) as unknown });
      } catch {
        current.problem = 'is not valid JSON';
      }
      const entry = byEntity.get(`freeze:${id}`);
      // The freeze is written with its entry, at the entry's time.
      if (entry && current.problem === undefined && row.frozen_at !== entry.at) {
        current.problem = `has frozen_at ${row.frozen_at}, but its audit entry is dated ${entry.at}`;
      }
      out.set(`freeze:${id}`, current);
    }

    for (const table of Object.keys(RECORD_KINDS) as RecordTable[]) {
      const kind = RECORD_KINDS[table];
      const rows = (await db.selectFrom(table).selectAll().execute()) as Array<
        Record<string, unknown> & { id: string; json: string; audit_seq: number | null }
      >;
      for (const row of rows) {
        const current: CurrentRow = { kind, id: row.id, text: row.json, auditSeq: row.audit_seq };
        try {
          const record = JSON.parse(row.json) as { runId?: string };
          const release = table === 'signoffs' ? runKeys.get(String(record.runId)) : undefined;
          const want = recordColumns(table, record, release);
          const off = Object.keys(want).filter((c) => String(row[c]) !== String(want[c]));
          if (off.length) current.problem = `has columns (${off.join(', ')}) that disagree with its record`;
        } catch {
          current.problem = 'is not valid JSON';
        }
        out.set(`${kind}:${row.id}`, current);
      }
    }
    return out;
  }

  /** The evidence / findings / metrics columns are indexes of the run's JSON; they must agree with it. */
  private async runIndexProblem(db: Q, runId: string, stored: StoredRun): Promise<string | undefined> {
    const [evidence, findings, metrics] = await Promise.all([
      db
        .selectFrom('evidence')
        .select(['collector', 'status'])
        .where('run_id', '=', runId)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('findings')
        .select(['fingerprint', 'rule', 'severity', 'location'])
        .where('run_id', '=', runId)
        .orderBy('position')
        .execute(),
      db.selectFrom('metrics').select(['collector', 'name', 'value', 'unit']).where('run_id', '=', runId).execute(),
    ]);
    const same = (a: unknown[], b: unknown[]) => canonicalJson(a) === canonicalJson(b);
    if (
      !same(
        evidence,
        stored.evidence.map((e) => ({ collector: e.collector, status: e.status })),
      )
    ) {
      return 'evidence columns disagree with its evidence';
    }
    if (!same(findings, stored.findings.map(findingColumns))) return 'findings columns disagree with its findings';
    const key = (m: { collector: string; name: string; value: number; unit: string }) =>
      canonicalJson([m.collector, m.name, Number(m.value), m.unit]);
    const want = stored.evidence
      .flatMap((e) => metricRows(runId, e))
      .map(key)
      .sort();
    if (!same(metrics.map(key).sort(), want)) return 'metrics rows disagree with its evidence';
    return undefined;
  }
}

interface CurrentRow {
  kind: string;
  id: string;
  /** Canonical JSON the audit entry's payload must equal. */
  text: string;
  /** audit_seq column of record rows (undefined for runs and frozen thresholds). */
  auditSeq?: number | null;
  problem?: string;
}

// ------------------------------------------------------------------ helpers (work on a Kysely or a transaction)

type Q = Kysely<Tables>;

/**
 * First statement of every write transaction: a write, so the transaction holds
 * the write lock (waiting for it up to the busy timeout) before it reads the
 * chain's head. Two golive processes appending at once then queue instead of
 * both reading the same head and one failing. (SQLite: takes the RESERVED lock;
 * PostgreSQL: locks the meta row.)
 */
async function lockForWrite(db: Q): Promise<void> {
  await db
    .updateTable('meta')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('key', '=', META_COUNT)
    .execute();
}

async function lastEntry(db: Q): Promise<{ seq: number; hash: string } | undefined> {
  return db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Appends one entry to the chain and moves the head kept in `meta`; returns the entry's seq and hash. */
async function append(
  db: Q,
  at: string,
  kind: string,
  entityId: string,
  payload: unknown,
): Promise<{ seq: number; hash: string }> {
  const last = await lastEntry(db);
  const seq = Number(last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  // Hash exactly what is stored: the payload after a JSON round trip.
  const text = canonicalJson(payload);
  const hash = entryHash(prevHash, { seq, at, kind, entityId, payload: JSON.parse(text) as unknown });
  await db
    .insertInto('audit_log')
    .values({ seq, at, kind, entity_id: entityId, payload: text, prev_hash: prevHash, hash })
    .execute();
  for (const [key, value] of [
    [META_COUNT, String(seq)],
    [META_HEAD, hash],
  ] as const) {
    await db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
  return { seq, hash };
}

/**
 * Inside a write transaction (after lockForWrite): refuses the write with
 * GL_STORE_CONTENDED when the caller decided on `expected` as the head but
 * another writer has appended since. The caller recomputes and tries again.
 */
function assertHead(expected: string | undefined, current: string, what: string): void {
  if (expected === undefined || expected === current) return;
  throw new GoliveError(
    'GL_STORE_CONTENDED',
    `the audit log moved while the ${what} was being decided (head ${expected.slice(0, 12) || '(empty)'} became ${current.slice(0, 12) || '(empty)'}): another golive process recorded something meanwhile`,
    { hint: `run the command again; the ${what} is worked out afresh from what the store holds then` },
  );
}

async function requireRun(db: Q, runId: string): Promise<ReleaseKey> {
  const run = await db.selectFrom('runs').select(['service', 'release']).where('id', '=', runId).executeTakeFirst();
  if (!run) {
    throw new GoliveError('GL_STORE_NO_RUN', `run ${runId} is not in the evidence store`, {
      hint: 'run golive check first, or pick a run listed by golive history',
    });
  }
  return run;
}

/** The indexed columns of a record row, derived from the record (and, for a sign-off, from its run). */
function recordColumns(table: RecordTable, record: object, release?: ReleaseKey): Record<string, string> {
  const r = record as Record<string, string>;
  const base = { id: r.id as string, created_at: r.createdAt as string };
  const own = { service: r.service as string, release: r.release as string };
  switch (table) {
    case 'attestations':
      return { ...base, ...own, criterion_id: r.criterionId as string };
    case 'waivers':
      return { ...base, ...own, subject_id: r.subjectId as string };
    case 'amendments':
      return { ...base, ...own, threshold: r.threshold as string };
    case 'signoffs':
      return {
        ...base,
        service: String(release?.service),
        release: String(release?.release),
        run_id: r.runId as string,
      };
    case 'decisions':
      return { ...base, run_id: r.runId as string };
  }
}

function findingColumns(f: Finding): { fingerprint: string; rule: string; severity: string; location: string } {
  return { fingerprint: f.fingerprint, rule: f.rule, severity: f.severity, location: f.location };
}

/** The metrics rows of one evidence item. Non-finite values have no JSON form and are not indexed. */
function metricRows(runId: string, ev: Evidence): Tables['metrics'][] {
  return ev.metrics
    .filter((m) => Number.isFinite(m.value))
    .map((m) => ({ run_id: runId, collector: ev.collector, name: m.name, value: m.value, unit: m.unit }));
}

/**
 * What the audit entry of a run covers: the run itself, its seq (the order of
 * runs), the readiness it was checked with, and digests of its spec, evidence
 * and findings. `seq` and `readiness` are left out for runs recorded before
 * golive covered them.
 */
function runPayload(stored: StoredRun, seq?: number): unknown {
  return {
    run: stored.run,
    ...(seq !== undefined ? { seq } : {}),
    ...(stored.readiness ? { readiness: stored.readiness } : {}),
    specSha256: sha256(canonicalJson(stored.specJson ?? null)),
    evidenceSha256: sha256(canonicalJson(stored.evidence)),
    findingsSha256: sha256(canonicalJson(stored.findings)),
  };
}

function freezeId(key: ReleaseKey): string {
  return `${key.service}@${key.release}`;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GoliveError('GL_STORE_CORRUPT', `the evidence store holds a damaged record: ${what} is not valid JSON`, {
      hint: 'run golive audit verify to see what was changed; restore the store from a backup',
    });
  }
}

function runColumns(stored: StoredRun): Omit<Tables['runs'], 'seq'> {
  const { run } = stored;
  return {
    id: run.id,
    service: run.service,
    release: run.release,
    spec_hash: run.specHash,
    target_version: run.targetVersion ?? null,
    base_url: run.baseUrl,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    status: run.status,
    // As written (key order kept for reports); the audit entry covers its canonical digest.
    spec_json: JSON.stringify(stored.specJson ?? null),
    readiness: stored.readiness
      ? canonicalJson({ ready: stored.readiness.ready, blocking: stored.readiness.blocking })
      : null,
  };
}

/** The readiness column of a run row, parsed; undefined for runs recorded without one. */
function readinessOf(row: Pick<Tables['runs'], 'id' | 'readiness'>): Readiness | undefined {
  return row.readiness === null || row.readiness === undefined
    ? undefined
    : parseJson<Readiness>(row.readiness, `readiness of run ${row.id}`);
}

function toRun(row: Omit<Tables['runs'], 'seq'>): Run {
  return {
    id: row.id,
    service: row.service,
    release: row.release,
    specHash: row.spec_hash,
    ...(row.target_version !== null ? { targetVersion: row.target_version } : {}),
    baseUrl: row.base_url,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status as Run['status'],
  };
}

/** The whole log in seq order, payloads parsed (read through `db`: the store, or a transaction). */
async function listAuditIn(db: Q): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return rows.map((r) => {
    let payload: unknown;
    try {
      payload = JSON.parse(r.payload) as unknown;
    } catch {
      payload = r.payload; // not JSON any more: kept as text, so its hash cannot match
    }
    return {
      seq: Number(r.seq),
      at: r.at,
      kind: r.kind,
      entityId: r.entity_id,
      payload,
      prevHash: r.prev_hash,
      hash: r.hash,
    };
  });
}
