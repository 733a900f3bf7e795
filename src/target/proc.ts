import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * What /proc tells about processes, on Linux. Elsewhere every function here
 * answers "unknown" (undefined or empty), and callers fall back to the process group.
 */

/** A process as it was seen: its pid and its start time (clock ticks since boot), so a reused pid is never taken for it. */
export interface ProcRef {
  pid: number;
  start: number;
}

export interface ProcInfo extends ProcRef {
  ppid: number;
  pgid: number;
  sid: number;
  /** A zombie has exited; only its parent's wait is missing. */
  zombie: boolean;
}

export const hasProc = (): boolean => existsSync('/proc/self/stat');

/** Parses one /proc/PID/stat line; the command name is in parentheses and may itself hold spaces and parentheses. */
export function parseStat(text: string): ProcInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // Fields after the name, from field 3 (state) on.
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const [state, ppid, pgid, sid] = [f[0], Number(f[1]), Number(f[2]), Number(f[3])];
  const start = Number(f[19]);
  if (!Number.isInteger(pid) || !Number.isFinite(start)) return undefined;
  return { pid, ppid, pgid, sid, start, zombie: state === 'Z' || state === 'X' };
}

export function procInfo(pid: number): ProcInfo | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process this user can see, or undefined without /proc. */
export function listProcs(): ProcInfo[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** The process as recorded now, or undefined when it is gone (or unknown without /proc). */
export function procRef(pid: number): ProcRef | undefined {
  const info = procInfo(pid);
  return info && !info.zombie ? { pid, start: info.start } : undefined;
}

/** True while the very process that was recorded runs: same pid, same start time, not a zombie. */
export function isRunning(ref: ProcRef): boolean {
  const info = procInfo(ref.pid);
  return info !== undefined && !info.zombie && info.start === ref.start;
}

/** Whether the process's environment holds NAME=VALUE (readable for this user's processes only). */
export function hasEnv(pid: number, name: string, value: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${name}=${value}`);
  } catch {
    return false;
  }
}

/** The command line of a process, for messages. */
export function commandLine(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The processes that belong to a tree: the roots, every descendant of a member
 * (by parent pid), and every process in the roots' sessions or process groups.
 * A process that called setsid keeps its parent, so it is found while its parent
 * lives; one reparented away is found by the environment marker instead (see tree.ts).
 */
export function treeMembers(
  procs: readonly ProcInfo[],
  roots: ReadonlySet<number>,
  leaders: ReadonlySet<number>,
): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const seen = new Map<number, ProcInfo>();
  const queue: ProcInfo[] = procs.filter((p) => roots.has(p.pid) || leaders.has(p.sid) || leaders.has(p.pgid));
  while (queue.length) {
    const p = queue.pop() as ProcInfo;
    if (seen.has(p.pid)) continue;
    seen.set(p.pid, p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return [...seen.values()];
}

/**
 * The start time of a process as `ps -o lstart=` prints it (macOS, the BSDs and Linux alike), or
 * undefined when it is gone or ps cannot tell. Second resolution: with the pid, enough to tell a
 * reused pid from the recorded process where there is no /proc.
 */
export function psStart(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}
