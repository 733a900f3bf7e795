import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claimRunFolder,
  hostId,
  OWNER_FILE,
  reapAbandonedRuns,
  sameHost,
  self,
  writeOwner,
  type OwnerRecord,
} from './owner.js';
import { hasProc, isRunning, procRef } from './proc.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function sleeper(): ChildProcess {
  const c = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
  children.push(c);
  return c;
}

const runsDir = (): string => mkdtempSync(join(tmpdir(), 'golive-owner-'));
const STORE = '/srv/p/.golive/golive.db';
const folder = (runs: string, id: string): string => {
  mkdirSync(join(runs, id));
  return join(runs, id);
};
const old = (dir: string): void => utimesSync(dir, new Date(0), new Date(0));
const never = async (): Promise<boolean> => false;
/** An owner on this host whose pid lives with another start time: a reused pid, so the owner is dead. */
const deadOwner = (extra: Partial<OwnerRecord> = {}): OwnerRecord => ({
  owner: { pid: process.pid, start: 1 },
  host: hostId(),
  store: STORE,
  ...extra,
});

describe('sameHost', () => {
  it('needs hostname, boot and pid namespace all known and equal', () => {
    const a = { hostname: 'h', boot: 'b', pidns: 'pid:[1]' };
    expect(sameHost(a, { ...a })).toBe(true);
    expect(sameHost(a, { ...a, pidns: 'pid:[2]' })).toBe(false);
    expect(sameHost(a, { ...a, boot: 'c' })).toBe(false);
    expect(sameHost(a, { ...a, hostname: 'g' })).toBe(false);
    expect(sameHost({ hostname: 'h' }, { hostname: 'h' })).toBe(false);
    expect(sameHost(undefined, a)).toBe(false);
  });
});

describe.skipIf(!hasProc())('reapAbandonedRuns', () => {
  it('leaves the folder of a check that runs now', async () => {
    const runs = runsDir();
    claimRunFolder(join(runs, 'live'), STORE);
    expect(await reapAbandonedRuns(runs, STORE, never)).toEqual({ removed: [], unknown: [] });
    expect(existsSync(join(runs, 'live'))).toBe(true);
  });

  it('never touches a folder without owner.json, however old: it only lists those not stored here', async () => {
    const runs = runsDir();
    old(folder(runs, 'other-store'));
    old(folder(runs, 'stored-here'));
    const r = await reapAbandonedRuns(runs, STORE, async (id) => id === 'stored-here');
    expect(r).toEqual({ removed: [], unknown: ['other-store'] });
    expect(existsSync(join(runs, 'other-store'))).toBe(true);
    expect(existsSync(join(runs, 'stored-here'))).toBe(true);
  });

  it("leaves a dead check of another store alone, and does not list it (that store's checks clean up)", async () => {
    const runs = runsDir();
    const target = sleeper();
    const ref = procRef(target.pid as number)!;
    writeOwner(join(folder(runs, 'b'), OWNER_FILE), {
      ...deadOwner({ store: '/srv/p/.golive/b.db' }),
      target: { root: ref.pid, marker: 'm', members: [ref] },
    });
    expect(await reapAbandonedRuns(runs, STORE, never)).toEqual({ removed: [], unknown: [] });
    expect(existsSync(join(runs, 'b'))).toBe(true);
    expect(isRunning(ref)).toBe(true);
  });

  it('leaves an owner recorded in another pid namespace or host, or by an older golive, and lists it', async () => {
    const runs = runsDir();
    const target = sleeper();
    const ref = procRef(target.pid as number)!;
    const here = hostId();
    const tree = { root: ref.pid, marker: 'm', members: [ref] };
    writeOwner(join(folder(runs, 'a-ns'), OWNER_FILE), {
      ...deadOwner({ host: { ...here, pidns: 'pid:[1]' } }),
      target: tree,
    });
    writeOwner(join(folder(runs, 'b-host'), OWNER_FILE), {
      ...deadOwner({ host: { ...here, hostname: 'elsewhere' } }),
    });
    writeOwner(join(folder(runs, 'c-old'), OWNER_FILE), { owner: { pid: process.pid, start: 1 }, target: tree });
    writeOwner(join(folder(runs, 'd-noproc'), OWNER_FILE), { ...deadOwner({ host: { hostname: here.hostname } }) });
    expect(await reapAbandonedRuns(runs, STORE, never)).toEqual({
      removed: [],
      unknown: ['a-ns', 'b-host', 'c-old', 'd-noproc'],
    });
    for (const id of ['a-ns', 'b-host', 'c-old', 'd-noproc']) expect(existsSync(join(runs, id))).toBe(true);
    expect(isRunning(ref)).toBe(true);
  });

  it('keeps a stored run, dropping only its stale owner file', async () => {
    const runs = runsDir();
    const dir = folder(runs, 'stored');
    writeOwner(join(dir, OWNER_FILE), deadOwner());
    expect(await reapAbandonedRuns(runs, STORE, async (id) => id === 'stored')).toEqual({ removed: [], unknown: [] });
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(join(dir, OWNER_FILE))).toBe(false);
  });

  it('stops the recorded target of a dead owner of this store and removes its folder', async () => {
    const runs = runsDir();
    const target = sleeper();
    const ref = procRef(target.pid as number)!;
    writeOwner(join(folder(runs, 'dead'), OWNER_FILE), {
      ...deadOwner(),
      target: { root: target.pid as number, marker: 'm', members: [ref] },
    });
    expect(await reapAbandonedRuns(runs, STORE, never)).toEqual({
      removed: [{ runId: 'dead', stopped: 1 }],
      unknown: [],
    });
    expect(isRunning(ref)).toBe(false);
    expect(existsSync(join(runs, 'dead'))).toBe(false);
  });

  it('never signals a pid whose start time is not the recorded one', async () => {
    const runs = runsDir();
    const other = sleeper();
    const ref = procRef(other.pid as number)!;
    writeOwner(join(folder(runs, 'reused'), OWNER_FILE), {
      ...deadOwner(),
      target: { root: ref.pid, marker: 'not-in-its-environment', members: [{ pid: ref.pid, start: ref.start + 1 }] },
    });
    expect(await reapAbandonedRuns(runs, STORE, never)).toEqual({
      removed: [{ runId: 'reused', stopped: 0 }],
      unknown: [],
    });
    expect(isRunning(ref)).toBe(true);
  });

  it('records the owner with its host, boot, pid namespace and store', () => {
    const runs = runsDir();
    const rec = JSON.parse(readFileSync(claimRunFolder(join(runs, 'x'), STORE), 'utf8')) as OwnerRecord;
    expect(rec.owner).toEqual(self());
    expect(rec.store).toBe(STORE);
    expect(sameHost(rec.host, hostId())).toBe(true);
  });
});
