import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { psStart } from './proc.js';
import { groupIsStillOurs, type TreeRecord } from './tree.js';

const record = (extra: Partial<TreeRecord> = {}): TreeRecord => ({ root: 4242, marker: 'm', members: [], ...extra });

describe('groupIsStillOurs (the watchdog without /proc)', () => {
  const started = 'Fri Dec  4 19:55:23 2026';
  it('signals the group only while its leader is the recorded root: same pid, same start time', () => {
    expect(groupIsStillOurs(record({ rootStarted: started }), false, () => started)).toBe(true);
    // The leader is gone, or the pid now names another process: an unrelated session's group.
    expect(groupIsStillOurs(record({ rootStarted: started }), false, () => undefined)).toBe(false);
    expect(groupIsStillOurs(record({ rootStarted: started }), false, () => 'Sat Dec  5 08:00:00 2026')).toBe(false);
    // Nothing recorded to compare with: cannot be verified, so no.
    expect(groupIsStillOurs(record(), false, () => started)).toBe(false);
  });
  it('never with /proc, where the members are named one by one', () => {
    expect(groupIsStillOurs(record({ rootStarted: started }), true, () => started)).toBe(false);
  });
});

describe('psStart', () => {
  it('tells the same start time for a running process and nothing once it is gone', async () => {
    const c = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = c.pid as number;
    const first = psStart(pid);
    expect(first).toMatch(/\d{4}$/);
    expect(psStart(pid)).toBe(first);
    const exited = new Promise((r) => c.on('exit', r));
    c.kill('SIGKILL');
    await exited;
    expect(psStart(pid)).toBeUndefined();
  });
});
