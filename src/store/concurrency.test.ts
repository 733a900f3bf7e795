import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './db.js';
import { KyselyEvidenceStore, openStore } from './sqlite-store.js';
import { signoff, storedRun, tempDbPath } from './test-helpers.js';
import type { EvidenceStore } from './types.js';

/**
 * Two golive processes on one store, made deterministic: a second handle on the
 * same file whose `between` hook runs (once) right after its first read of the
 * audit log, while the operation that read it is still going on. The other
 * process's write happens exactly there.
 */
class AfterFirstAuditRead implements KyselyPlugin {
  private fired = false;
  constructor(private readonly between: () => Promise<void>) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const first = args.result.rows[0];
    if (!this.fired && first && 'prev_hash' in first) {
      this.fired = true;
      await this.between();
    }
    return args.result;
  }
}

const opened: EvidenceStore[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.close();
});
async function pair(between?: (a: EvidenceStore) => Promise<void>): Promise<{ a: EvidenceStore; b: EvidenceStore }> {
  const path = tempDbPath();
  const a = await openStore(path);
  opened.push(a);
  const db = openSqlite(path);
  const b = new KyselyEvidenceStore(between ? db.withPlugin(new AfterFirstAuditRead(() => between(a))) : db);
  opened.push(b);
  return { a, b };
}

const T0 = '2026-11-22T10:00:00.000Z';
const decisionInput = (id: string) => ({
  id,
  runId: 'r1',
  specHash: 'sha256:aa',
  decision: 'GO' as const,
  by: 'lee@example.com',
  reasons: [],
  residualRisks: [],
  createdAt: '2026-11-22T12:00:00.000Z',
});

describe('verifyAudit reads one snapshot', () => {
  it('a sign-off another process commits between verify reads is no false break', async () => {
    let n = 0;
    const { a, b } = await pair(async (writer) => {
      await writer.insertSignoff(signoff(`s${++n}`, 'r1', 'go', T0));
    });
    await a.insertRun(storedRun('r1', T0), {});
    await a.insertSignoff(signoff('s0', 'r1', 'go', T0));
    const result = await b.verifyAudit();
    expect(n).toBe(1); // the write did land in the middle of verify
    // What verify saw is the log before that sign-off, whole and consistent.
    expect(result).toMatchObject({ ok: true, entries: 3 });
    expect(result.broken).toBeUndefined();
    // And the log with it verifies too.
    expect(await b.verifyAudit()).toMatchObject({ ok: true, entries: 4 });
  });

  it("the reviewer's repro: verify on one handle while the other appends, 50 times, never broken", async () => {
    const { a, b } = await pair();
    await a.insertRun(storedRun('r1', T0), {});
    const broken: string[] = [];
    for (let i = 0; i < 50; i++) {
      const [result] = await Promise.all([b.verifyAudit(), a.insertSignoff(signoff(`s${i}`, 'r1', 'go', T0))]);
      if (!result.ok) broken.push(result.broken?.reason ?? '?');
    }
    expect(broken).toEqual([]);
    expect(await b.verifyAudit()).toMatchObject({ ok: true, entries: 52 });
  });
});

describe('writes that expect a head', () => {
  it('insertDecision is refused, writing nothing, when the log moved past the head it was decided on', async () => {
    const { a, b } = await pair();
    await a.insertRun(storedRun('r1', T0), {});
    const head = (await b.verifyAudit()).head;
    await a.insertSignoff(signoff('late', 'r1', 'no-go', T0)); // another process, after the verdict
    await expect(b.insertDecision(decisionInput('d1'), head)).rejects.toMatchObject({
      code: 'GL_STORE_CONTENDED',
      message: expect.stringContaining('the audit log moved while the decision was being decided') as unknown,
    });
    expect(await b.latestDecision('r1')).toBeUndefined();
    expect((await b.listAudit()).map((e) => e.kind)).toEqual(['run', 'freeze', 'signoff']);
  });

  it('insertDecision on the current head writes, and returns its own entry hash', async () => {
    const { a, b } = await pair();
    await a.insertRun(storedRun('r1', T0), {});
    const head = await b.auditHead();
    const { decision, entryHash } = await b.insertDecision(decisionInput('d1'), head);
    expect(decision.auditHead).toBe(head);
    await a.insertSignoff(signoff('after', 'r1', 'go', T0));
    const entries = await b.listAudit();
    expect(entries.find((e) => e.kind === 'decision')?.hash).toBe(entryHash);
    expect(await b.auditHead()).not.toBe(entryHash);
  });

  it('insertSignoff is refused the same way, and writes with the current head', async () => {
    const { a, b } = await pair();
    await a.insertRun(storedRun('r1', T0), {});
    const head = await b.auditHead();
    await a.insertSignoff(signoff('first', 'r1', 'no-go', T0));
    await expect(b.insertSignoff(signoff('s2', 'r1', 'go', T0), head)).rejects.toMatchObject({
      code: 'GL_STORE_CONTENDED',
    });
    expect((await b.listSignoffs({ service: 'shop', release: 'v1' })).map((s) => s.id)).toEqual(['first']);
    await b.insertSignoff(signoff('s2', 'r1', 'go', T0), await b.auditHead());
    expect((await b.listSignoffs({ service: 'shop', release: 'v1' })).map((s) => s.id)).toEqual(['first', 's2']);
  });
});
