import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OWNER_FILE, reapAbandonedRuns, self, writeOwner } from './owner.js';
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
const folder = (runs: string, id: string): string => {
  mkdirSync(join(runs, id));
  return join(runs, id);
};
const never = async (): Promise<boolean> => false;

describe.skipIf(!hasProc())('reapAbandonedRuns', () => {
  it('leaves the folder of a check that runs now, and a young folder nobody claimed yet', async () => {
    const runs = runsDir();
    writeOwner(join(folder(runs, 'live'), OWNER_FILE), { owner: self() });
    folder(runs, 'young');
    expect(await reapAbandonedRuns(runs, never)).toEqual([]);
    expect(existsSync(join(runs, 'live'))).toBe(true);
    expect(existsSync(join(runs, 'young'))).toBe(true);
  });

  it('keeps a stored run, dropping only its stale owner file', async () => {
    const runs = runsDir();
    const dir = folder(runs, 'stored');
    writeOwner(join(dir, OWNER_FILE), { owner: { pid: process.pid, start: 1 } });
    expect(await reapAbandonedRuns(runs, async (id) => id === 'stored')).toEqual([]);
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(join(dir, OWNER_FILE))).toBe(false);
  });

  it('stops the recorded target of a dead owner and removes its folder; an old unclaimed folder goes too', async () => {
    const runs = runsDir();
    const target = sleeper();
    const ref = procRef(target.pid as number);
    expect(ref).toBeDefined();
    // The owner's pid lives, but with another start time: a reused pid, so the owner is dead.
    writeOwner(join(folder(runs, 'dead'), OWNER_FILE), {
      owner: { pid: process.pid, start: 1 },
      target: { root: target.pid as number, marker: 'm', members: [ref!] },
    });
    const old = folder(runs, 'old');
    utimesSync(old, new Date(0), new Date(0));
    const reaped = await reapAbandonedRuns(runs, never);
    expect(reaped.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual([
      { runId: 'dead', stopped: 1 },
      { runId: 'old', stopped: 0 },
    ]);
    expect(isRunning(ref!)).toBe(false);
    expect(existsSync(join(runs, 'dead'))).toBe(false);
    expect(existsSync(old)).toBe(false);
  });

  it('never signals a pid whose start time is not the recorded one', async () => {
    const runs = runsDir();
    const other = sleeper();
    const ref = procRef(other.pid as number)!;
    writeOwner(join(folder(runs, 'reused'), OWNER_FILE), {
      owner: { pid: process.pid, start: 1 },
      target: { root: ref.pid, marker: 'not-in-its-environment', members: [{ pid: ref.pid, start: ref.start + 1 }] },
    });
    expect(await reapAbandonedRuns(runs, never)).toEqual([{ runId: 'reused', stopped: 0 }]);
    expect(isRunning(ref)).toBe(true);
  });
});
