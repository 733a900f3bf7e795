import type { Kysely, Transaction } from 'kysely';
import type { Amendment, Attestation, Decision, Evidence, Finding, Run, Signoff, Waiver } from '../model.js';
import { canonicalJson } from '../spec/canonical.js';
import { entryHash, GENESIS, sha256, verifyChain } from './audit.js';
import { openSqlite, type Tables } from './db.js';
import { migrate } from './migrations.js';
import type { AuditEntry, AuditVerifyResult, EvidenceStore, ReleaseKey, StoredRun } from './types.js';

type Tx = Transaction<Tables> | Kysely<Tables>;

/** Opens the SQLite evidence store at `path`, creating and migrating it as needed. */
export async function openStore(path: string): Promise<EvidenceStore> {
  const db = openSqlite(path);
  try {
    await migrate(db as unknown as Kysely<unknown>, path);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new KyselyStore(db);
}

/**
 * The store behind the EvidenceStore interface. Each record goes in with its
 * audit entry in one transaction; the entity rows keep the canonical JSON the
 * audit entry covers, so `verifyAudit` can tell an edited row from an honest one.
 */
class KyselyStore implements EvidenceStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async insertRun(stored: StoredRun, thresholds: Record<string, string>): Promise<void> {
    const { run } = stored;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('runs')
        .values({
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
          spec_json: JSON.stringify(stored.specJson),
        })
        .execute();
      for (const [position, ev] of stored.evidence.entries()) {
        await tx
          .insertInto('evidence')
          .values({ run_id: run.id, position, collector: ev.collector, status: ev.status, json: canonicalJson(ev) })
          .execute();
        for (const m of ev.metrics) {
          await tx
            .insertInto('metrics')
            .values({ run_id: run.id, collector: ev.collector, name: m.name, value: m.value, unit: m.unit })
            .execute();
        }
      }
      for (const [position, f] of stored.findings.entries()) {
        await tx
          .insertInto('findings')
          .values({
            run_id: run.id,
            position,
            fingerprint: f.fingerprint,
            rule: f.rule,
            severity: f.severity,
            location: f.location,
            json: canonicalJson(f),
          })
          .execute();
      }
      await this.append(tx, run.endedAt, 'run', run.id, runPayload(stored));
      const frozen = await tx
        .selectFrom('frozen_thresholds')
        .select('run_id')
        .where('service', '=', run.service)
        .where('release', '=', run.release)
        .executeTakeFirst();
      if (!frozen) {
        const json = canonicalJson(thresholds);
        await tx
          .insertInto('frozen_thresholds')
          .values({ service: run.service, release: run.release, run_id: run.id, json, frozen_at: run.endedAt })
          .execute();
        await this.append(tx, run.endedAt, 'freeze', `${run.service}@${run.release}`, { runId: run.id, thresholds });
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
    const row = await q.orderBy('started_at', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? this.assemble(row) : undefined;
  }

  async listRuns(opts: { service?: string; release?: string; limit?: number } = {}): Promise<Run[]> {
    let q = this.db.selectFrom('runs').selectAll();
    if (opts.service) q = q.where('service', '=', opts.service);
    if (opts.release) q = q.where('release', '=', opts.release);
    const rows = await q
      .orderBy('started_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(opts.limit ?? 100)
      .execute();
    return rows.map(toRun);
  }

  async frozenThresholds(key: ReleaseKey): Promise<Record<string, string> | undefined> {
    const row = await this.db
      .selectFrom('frozen_thresholds')
      .select('json')
      .where('service', '=', key.service)
      .where('release', '=', key.release)
      .executeTakeFirst();
    if (!row) return undefined;
    const thresholds = JSON.parse(row.json) as Record<string, string>;
    for (const a of await this.listAmendments(key)) {
      if (a.to === null) delete thresholds[a.threshold];
      else thresholds[a.threshold] = a.to;
    }
    return thresholds;
  }

  insertAttestation(a: Attestation): Promise<void> {
    return this.insertRecord('attestations', 'attestation', a, { criterion_id: a.criterionId });
  }
  listAttestations(key: ReleaseKey): Promise<Attestation[]> {
    return this.listRecords('attestations', key);
  }
  insertWaiver(w: Waiver): Promise<void> {
    return this.insertRecord('waivers', 'waiver', w, { subject_id: w.subjectId });
  }
  listWaivers(key: ReleaseKey): Promise<Waiver[]> {
    return this.listRecords('waivers', key);
  }
  insertAmendment(a: Amendment): Promise<void> {
    return this.insertRecord('amendments', 'amendment', a, { threshold: a.threshold });
  }
  listAmendments(key: ReleaseKey): Promise<Amendment[]> {
    return this.listRecords('amendments', key);
  }

  async insertSignoff(s: Signoff): Promise<void> {
    const run = await this.db
      .selectFrom('runs')
      .select(['service', 'release'])
      .where('id', '=', s.runId)
      .executeTakeFirstOrThrow();
    await this.insertRecord('signoffs', 'signoff', s, { run_id: s.runId }, run);
  }
  async listSignoffs(key: ReleaseKey): Promise<Signoff[]> {
    return this.listRecords('signoffs', key);
  }

  async insertDecision(d: Omit<Decision, 'auditHead' | 'recordHash'>): Promise<Decision> {
    return this.db.transaction().execute(async (tx) => {
      const head = (await this.lastEntry(tx))?.hash ?? '';
      const unsigned = { ...d, auditHead: head };
      const record: Decision = { ...unsigned, recordHash: sha256(canonicalJson(unsigned)) };
      await tx
        .insertInto('decisions')
        .values({ id: d.id, run_id: d.runId, json: canonicalJson(record), created_at: d.createdAt })
        .execute();
      await this.append(tx, d.createdAt, 'decision', d.id, record);
      return record;
    });
  }

  async latestDecision(runId: string): Promise<Decision | undefined> {
    const row = await this.db
      .selectFrom('decisions')
      .select('json')
      .where('run_id', '=', runId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? (JSON.parse(row.json) as Decision) : undefined;
  }

  async listAudit(): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      kind: r.kind,
      entityId: r.entity_id,
      payload: JSON.parse(r.payload) as unknown,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  /**
   * Verifies the chain, then that every recorded row still says what its audit
   * entry says, and that every entry's row still exists. Reports the earliest problem.
   */
  async verifyAudit(): Promise<AuditVerifyResult> {
    const entries = await this.listAudit();
    const meta = await this.db
      .selectFrom('meta')
      .selectAll()
      .where('key', 'in', ['audit_count', 'audit_head'])
      .execute();
    const count = Number(meta.find((m) => m.key === 'audit_count')?.value ?? 0);
    const head = meta.find((m) => m.key === 'audit_head')?.value ?? '';
    const chain = verifyChain(entries, { count, head });
    if (!chain.ok) return chain;

    const problems: NonNullable<AuditVerifyResult['broken']>[] = [];
    const byEntity = new Map(entries.map((e) => [`${e.kind}:${e.entityId}`, e]));
    const current = await this.currentPayloads();
    for (const [key, text] of current) {
      const entry = byEntity.get(key);
      const [kind, ...rest] = key.split(':');
      if (!entry) {
        problems.push({
          seq: entries.length + 1,
          kind,
          entityId: rest.join(':'),
          reason: `${kind} ${rest.join(':')} has no audit entry (the row was inserted outside golive)`,
        });
      } else if (canonicalJson(entry.payload) !== text) {
        problems.push({
          seq: entry.seq,
          kind: entry.kind,
          entityId: entry.entityId,
          reason: `the stored ${entry.kind} no longer matches what was recorded (the row was edited)`,
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
    if (problems.length) {
      problems.sort((a, b) => a.seq - b.seq);
      return {
        ok: false,
        entries: entries.length,
        head: chain.head,
        broken: problems[0] as NonNullable<AuditVerifyResult['broken']>,
      };
    }
    return chain;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ------------------------------------------------------------------ internals

  private async insertRecord<T extends { id: string; createdAt: string }>(
    table: 'attestations' | 'waivers' | 'amendments' | 'signoffs',
    kind: string,
    record: T,
    extra: Record<string, string>,
    key: ReleaseKey = record as unknown as ReleaseKey,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto(table)
        .values({
          id: record.id,
          service: key.service,
          release: key.release,
          json: canonicalJson(record),
          created_at: record.createdAt,
          ...extra,
        } as never)
        .execute();
      await this.append(tx, record.createdAt, kind, record.id, record);
    });
  }

  private async listRecords<T>(
    table: 'attestations' | 'waivers' | 'amendments' | 'signoffs',
    key: ReleaseKey,
  ): Promise<T[]> {
    const rows = await this.db
      .selectFrom(table)
      .select(['json'])
      .where('service', '=', key.service)
      .where('release', '=', key.release)
      .orderBy('created_at')
      .orderBy('rowid' as never)
      .execute();
    return rows.map((r) => JSON.parse(r.json) as T);
  }

  private async lastEntry(tx: Tx): Promise<{ seq: number; hash: string } | undefined> {
    return tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  private async append(tx: Tx, at: string, kind: string, entityId: string, payload: unknown): Promise<void> {
    const last = await this.lastEntry(tx);
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS;
    // Round-trip through canonical JSON so the hash covers exactly what is stored.
    const stored = JSON.parse(canonicalJson(payload)) as unknown;
    const hash = entryHash(prevHash, { seq, at, kind, entityId, payload: stored });
    await tx
      .insertInto('audit_log')
      .values({ seq, at, kind, entity_id: entityId, payload: canonicalJson(stored), prev_hash: prevHash, hash })
      .execute();
    for (const [k, value] of [
      ['audit_count', String(seq)],
      ['audit_head', hash],
    ] as const) {
      await tx
        .insertInto('meta')
        .values({ key: k, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    }
  }

  /** Every audited row as `kind:id` → canonical payload text, rebuilt from the tables as they are now. */
  private async currentPayloads(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const row of await this.db.selectFrom('runs').selectAll().execute()) {
      const stored = await this.assemble(row);
      out.set(`run:${row.id}`, canonicalJson(runPayload(stored)));
    }
    for (const row of await this.db.selectFrom('frozen_thresholds').selectAll().execute()) {
      out.set(
        `freeze:${row.service}@${row.release}`,
        canonicalJson({ runId: row.run_id, thresholds: JSON.parse(row.json) as unknown }),
      );
    }
    const tables = [
      ['attestations', 'attestation'],
      ['waivers', 'waiver'],
      ['amendments', 'amendment'],
      ['signoffs', 'signoff'],
      ['decisions', 'decision'],
    ] as const;
    const runs = new Map(
      (await this.db.selectFrom('runs').select(['id', 'service', 'release']).execute()).map((r) => [r.id, r]),
    );
    for (const [table, kind] of tables) {
      for (const row of (await this.db.selectFrom(table).selectAll().execute()) as Array<Record<string, unknown>>) {
        // The gate selects and orders records by these columns, so they must say what the audited record says.
        out.set(`${kind}:${String(row.id)}`, columnsAgree(row, runs) ? String(row.json) : 'columns edited');
      }
    }
    return out;
  }

  private async assemble(row: Omit<Tables['runs'], 'seq'>): Promise<StoredRun> {
    const evidence = await this.db
      .selectFrom('evidence')
      .select('json')
      .where('run_id', '=', row.id)
      .orderBy('position')
      .execute();
    const findings = await this.db
      .selectFrom('findings')
      .select('json')
      .where('run_id', '=', row.id)
      .orderBy('position')
      .execute();
    return {
      run: toRun(row),
      specJson: JSON.parse(row.spec_json) as unknown,
      evidence: evidence.map((e) => JSON.parse(e.json) as Evidence),
      findings: findings.map((f) => JSON.parse(f.json) as Finding),
    };
  }
}

/** What the audit entry of a run covers: the run itself and digests of its spec, evidence and findings. */
function runPayload(stored: StoredRun): unknown {
  return {
    run: stored.run,
    specSha256: sha256(canonicalJson(stored.specJson)),
    evidenceSha256: sha256(canonicalJson(stored.evidence)),
    findingsSha256: sha256(canonicalJson(stored.findings)),
  };
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

/** True when a row's lookup columns (release, run, subject, time) agree with the record in its json. */
function columnsAgree(row: Record<string, unknown>, runs: Map<string, { service: string; release: string }>): boolean {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(String(row.json)) as Record<string, unknown>;
  } catch {
    return false;
  }
  const runId = (rec.runId ?? row.run_id) as string | undefined;
  const owner = 'service' in rec ? { service: rec.service, release: rec.release } : runId ? runs.get(runId) : undefined;
  const checks: Array<[string, unknown]> = [
    ['created_at', rec.createdAt],
    ['run_id', rec.runId],
    ['criterion_id', rec.criterionId],
    ['subject_id', rec.subjectId],
    ['threshold', rec.threshold],
    ['service', owner?.service],
    ['release', owner?.release],
  ];
  return checks.every(([column, want]) => !(column in row) || want === undefined || row[column] === want);
}
