import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Signoff } from '../model.js';
import { KyselyEvidenceStore, openStore } from '../store/sqlite-store.js';
import type { EvidenceStore, StoredRun } from '../store/types.js';
import { loadProject, type Project } from './project.js';
import { decideWith, history, RECORD_ATTEMPTS, signoffWith, verifyAudit } from './records.js';

/**
 * decide / signoff racing a second golive process on the same store. The race
 * is made deterministic: the store handed to decide / signoff is wrapped so the
 * other process's write happens exactly between the verdict and the write.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SPEC = `version: 1
service: shop
release: v1
target:
  baseUrl: http://127.0.0.1:1
roles:
  PM: pat@example.com
criteria: []
signoff:
  required: [PM]
`;
const T0 = '2026-12-01T10:00:00.000Z';
const now = () => new Date('2026-12-01T11:00:00.000Z');

function project(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'golive-race-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'golive.yaml'), SPEC);
  return loadProject({ cwd: dir, env: {} });
}

function run(p: Project, id: string, status: 'complete' | 'incomplete' = 'complete'): StoredRun {
  return {
    run: {
      id,
      service: 'shop',
      release: 'v1',
      specHash: p.loaded.specHash,
      baseUrl: 'http://127.0.0.1:1',
      startedAt: T0,
      endedAt: T0,
      status,
    },
    specJson: p.loaded.spec,
    evidence: [],
    findings: [],
  };
}

const pmSigns = (id: string, runId: string, decision: 'go' | 'no-go'): Signoff => ({
  id,
  runId,
  specHash: '',
  role: 'PM',
  by: 'pat@example.com',
  decision,
  createdAt: T0,
});

/** The store decide / signoff get, with `before` run (the other process) before each call of `method`. */
function racing<K extends 'insertDecision' | 'insertSignoff'>(
  store: EvidenceStore,
  method: K,
  before: (call: number) => Promise<void>,
  after?: () => Promise<void>,
): EvidenceStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (...args: unknown[]) => {
        await before(++calls);
        const out = (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        await after?.();
        return out;
      };
    },
  });
}

async function setup(): Promise<{ p: Project; mine: EvidenceStore; other: EvidenceStore; close: () => Promise<void> }> {
  const p = project();
  const mine = await openStore(p.storePath);
  const other = await openStore(p.storePath); // a second golive process on the same file
  await other.insertRun(run(p, 'r1'), {});
  return {
    p,
    mine,
    other,
    close: async () => {
      await mine.close();
      await other.close();
    },
  };
}

describe('decide under concurrency', () => {
  it('a no-go signed between the verdict and the write is seen: NO-GO, never a wrong GO', async () => {
    const { p, mine, other, close } = await setup();
    try {
      await other.insertSignoff({ ...pmSigns('s1', 'r1', 'go'), specHash: p.loaded.specHash });
      const store = racing(mine, 'insertDecision', async (call) => {
        if (call === 1) await other.insertSignoff({ ...pmSigns('s2', 'r1', 'no-go'), specHash: p.loaded.specHash });
      });
      const { decision } = await decideWith(store, p, { by: 'lee', now, cwd: '/', env: {} });
      expect(decision.decision).toBe('NO-GO');
      expect(decision.reasons.join('\n')).toMatch(/PM/);
      // One decision, on the head that includes the no-go.
      const audit = await other.listAudit();
      expect(audit.filter((e) => e.kind === 'decision')).toHaveLength(1);
      expect(decision.auditHead).toBe(audit.find((e) => e.entityId === 's2')?.hash);
    } finally {
      await close();
    }
  });

  it('a NOT READY run recorded between the verdict and the write is the one decided', async () => {
    const { p, mine, other, close } = await setup();
    try {
      await other.insertSignoff({ ...pmSigns('s1', 'r1', 'go'), specHash: p.loaded.specHash });
      const store = racing(mine, 'insertDecision', async (call) => {
        if (call === 1) await other.insertRun(run(p, 'r2', 'incomplete'), {});
      });
      const { decision } = await decideWith(store, p, { by: 'lee', now, cwd: '/', env: {} });
      expect(decision).toMatchObject({ runId: 'r2', decision: 'NO-GO' });
    } finally {
      await close();
    }
  });

  it(`gives up after ${RECORD_ATTEMPTS} attempts when the log keeps moving, writing nothing`, async () => {
    const { p, mine, other, close } = await setup();
    try {
      const store = racing(mine, 'insertDecision', async (call) => {
        await other.insertSignoff({ ...pmSigns(`s${call}`, 'r1', 'go'), specHash: p.loaded.specHash });
      });
      await expect(decideWith(store, p, { by: 'lee', now, cwd: '/', env: {} })).rejects.toMatchObject({
        code: 'GL_STORE_CONTENDED',
        message: expect.stringContaining(`decision refused`) as unknown,
      });
      expect((await other.listAudit()).filter((e) => e.kind === 'decision')).toEqual([]);
    } finally {
      await close();
    }
  });

  it("returns the decision's own entry as the head, not what another process appended right after", async () => {
    const { p, mine, other, close } = await setup();
    try {
      const store = racing(
        mine,
        'insertDecision',
        async () => {},
        async () => {
          await other.insertSignoff({ ...pmSigns('late', 'r1', 'go'), specHash: p.loaded.specHash });
        },
      );
      const { auditHead } = await decideWith(store, p, { by: 'lee', now, cwd: '/', env: {} });
      const audit = await other.listAudit();
      expect(audit.at(-1)?.entityId).toBe('late');
      expect(auditHead).toBe(audit.find((e) => e.kind === 'decision')?.hash);
    } finally {
      await close();
    }
  });
});

describe('signoff under concurrency', () => {
  it('a go checked against a READY run is refused when a NOT READY run lands before the write', async () => {
    const { p, mine, other, close } = await setup();
    try {
      const store = racing(mine, 'insertSignoff', async (call) => {
        if (call === 1) await other.insertRun(run(p, 'r2', 'incomplete'), {});
      });
      await expect(
        signoffWith(store, p, { role: 'PM', by: 'pat', decision: 'go', now, cwd: '/', env: {} }),
      ).rejects.toMatchObject({ code: 'GL_STATE_NOT_READY' });
      expect(await other.listSignoffs({ service: 'shop', release: 'v1' })).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('history', () => {
  it('reads the audit log once for the command, not once per run', async () => {
    const { p, other, close } = await setup();
    try {
      await other.insertRun(run(p, 'r2'), {});
      await other.insertRun(run(p, 'r3'), {});
    } finally {
      await close();
    }
    const spy = vi.spyOn(KyselyEvidenceStore.prototype, 'listAudit');
    try {
      const models = await history({ cwd: p.loaded.file.replace(/\/golive\.yaml$/, ''), env: {}, now });
      expect(models.map((m) => m.run.id)).toEqual(['r3', 'r2', 'r1']);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('audit verify under concurrency', () => {
  it('looks the head up in the log it verified, not in entries appended after that snapshot', async () => {
    const { p, other, close } = await setup();
    const cwd = p.loaded.file.replace(/\/golive\.yaml$/, '');
    const late = { ...pmSigns('late', 'r1', 'go'), specHash: p.loaded.specHash };
    // The hash the late entry will have: the chain is deterministic, so a twin store tells it beforehand.
    const twinDir = mkdtempSync(join(tmpdir(), 'golive-twin-'));
    dirs.push(twinDir);
    const twin = await openStore(join(twinDir, 'golive.db'));
    await twin.insertRun(run(p, 'r1'), {});
    await twin.insertSignoff(late);
    const lateHash = await twin.auditHead();
    await twin.close();

    const original = KyselyEvidenceStore.prototype.listAudit;
    let appended = false;
    // Another process appends right after verify has read its snapshot, before the head is looked up.
    const spy = vi.spyOn(KyselyEvidenceStore.prototype, 'listAudit').mockImplementation(async function (
      this: KyselyEvidenceStore,
    ) {
      if (this !== other && !appended) {
        appended = true;
        await other.insertSignoff(late);
      }
      return original.call(this);
    });
    try {
      const result = await verifyAudit({ cwd, env: {}, head: lateHash });
      expect(appended).toBe(true);
      expect(await other.auditHead()).toBe(lateHash);
      expect(result).toMatchObject({ ok: true, entries: 2, headFound: false });
      const again = await verifyAudit({ cwd, env: {}, head: lateHash });
      expect(again).toMatchObject({ ok: true, entries: 3, headFound: true, headEntry: { seq: 3, hash: lateHash } });
    } finally {
      spy.mockRestore();
      await close();
    }
  });
});
