import { describe, expect, it } from 'vitest';
import { parseStat, procInfo, treeMembers, type ProcInfo } from './proc.js';

describe('parseStat', () => {
  it('reads pid, parent, group, session and start time past a command name with spaces and parentheses', () => {
    const line = '4242 (my (odd) name) S 100 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10';
    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 100, pgid: 4242, sid: 4242, start: 987654, zombie: false });
  });

  it('knows a zombie', () => {
    expect(parseStat('7 (sh) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0')?.zombie).toBe(true);
  });

  it('agrees with this process on Linux', () => {
    const me = procInfo(process.pid);
    if (!me) return; // no /proc here
    expect(me.pid).toBe(process.pid);
    expect(me.ppid).toBe(process.ppid);
  });
});

describe('treeMembers', () => {
  const p = (pid: number, ppid: number, sid = pid, pgid = sid): ProcInfo => ({
    pid,
    ppid,
    sid,
    pgid,
    start: pid,
    zombie: false,
  });
  const procs = [
    p(1, 0),
    p(10, 1), // the root: session and group leader
    p(11, 10, 10), // its child
    p(12, 11, 12), // setsid'd grandchild, parent still alive
    p(13, 12, 12), // and its child
    p(14, 1, 10), // reparented, still in the root's session
    p(20, 1), // unrelated
    p(21, 20, 20),
  ];

  it('takes descendants by parent, and session or group members of the leaders', () => {
    const pids = treeMembers(procs, new Set([10]), new Set([10])).map((m) => m.pid);
    expect(pids.sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14]);
  });

  it('without the leader, a reparented session member is not found by parent alone', () => {
    const pids = treeMembers(procs, new Set([10]), new Set()).map((m) => m.pid);
    expect(pids.sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
  });
});
