import { hasEnv, hasProc, isRunning, listProcs, psStart, treeMembers, type ProcInfo, type ProcRef } from './proc.js';

/**
 * The environment variable every process of a started target inherits. It finds
 * the processes that left the tree (setsid and a double fork reparent them away
 * from the shell) as long as they keep the environment they were given.
 */
export const MARKER_ENV = 'GOLIVE_TARGET_OWNER';

/** What golive knows about a started target's processes; kept in the run folder's owner.json. */
export interface TreeRecord {
  /** Pid of the start command's shell: the leader of the target's session and process group. */
  root: number;
  /** Value of MARKER_ENV in the target's environment. */
  marker: string;
  /** Every process seen in the tree, with its start time; the root is the first. */
  members: ProcRef[];
  /** Without /proc: the root's start time as `ps` prints it (see psStart), to verify its group is still the target's. */
  rootStarted?: string;
}

/**
 * Whether the watchdog may signal the target's process group by number. Only without /proc
 * (with it, the members are named one by one), and only while the group's leader is still the
 * recorded root (same pid, same start time): once golive is dead, a pgid whose leader is gone or
 * another process may be an unrelated session's. Unverifiable is no.
 */
export function groupIsStillOurs(
  record: TreeRecord,
  procAvailable = hasProc(),
  startOf: (pid: number) => string | undefined = psStart,
): boolean {
  if (procAvailable || record.root <= 0 || record.rootStarted === undefined) return false;
  return startOf(record.root) === record.rootStarted;
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/**
 * The processes of the tree that run now: the recorded ones still running (same
 * start time, so a reused pid is never taken), their descendants, the members of
 * the root's session and group while that session is provably the target's, and
 * every process carrying the marker. Adds what it finds to `record.members`.
 * Undefined without /proc.
 */
export function liveMembers(record: TreeRecord, opts: { marker: boolean }): ProcInfo[] | undefined {
  const procs = listProcs();
  if (!procs) return undefined;
  const running = record.members.filter(isRunning);
  const roots = new Set(running.map((r) => r.pid));
  // The kernel does not reuse a pid while a session or group of that id has members, so the
  // root's session is the target's while the root or a recorded member of it still runs.
  const sessionIsOurs = procs.some(
    (p) => roots.has(p.pid) && !p.zombie && (p.pid === record.root || p.sid === record.root || p.pgid === record.root),
  );
  const leaders = new Set(sessionIsOurs ? [record.root] : []);
  const found = new Map(treeMembers(procs, roots, leaders).map((p) => [p.pid, p]));
  if (opts.marker) {
    for (const p of procs) if (!found.has(p.pid) && hasEnv(p.pid, MARKER_ENV, record.marker)) found.set(p.pid, p);
  }
  found.delete(process.pid);
  const live = [...found.values()].filter((p) => !p.zombie);
  const known = new Set(record.members.map((m) => `${m.pid}:${m.start}`));
  for (const p of live) if (!known.has(`${p.pid}:${p.start}`)) record.members.push({ pid: p.pid, start: p.start });
  return live;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone, or not ours to signal.
  }
}

export function groupAlive(root: number): boolean {
  try {
    process.kill(-root, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the target's processes: SIGTERM to all of them, SIGKILL to those still
 * there after `graceMs`, and again to any that appeared meanwhile. Never waits on
 * their output pipes. `groupIsOurs` allows signalling the root's process group
 * without /proc (golive's own child: the group cannot have been reused yet).
 * Returns how many processes were signalled.
 */
export async function endTree(record: TreeRecord, graceMs: number, groupIsOurs: boolean): Promise<number> {
  const signalled = new Set<number>();
  const all = (sig: NodeJS.Signals, members: ProcInfo[] | undefined): void => {
    if (groupIsOurs) signal(-record.root, sig);
    for (const p of members ?? []) {
      signalled.add(p.pid);
      signal(p.pid, sig);
    }
  };
  const alive = (members: ProcInfo[] | undefined): boolean =>
    members ? members.length > 0 : groupIsOurs && groupAlive(record.root);

  let members = liveMembers(record, { marker: true });
  all('SIGTERM', members);
  const deadline = Date.now() + graceMs;
  while (alive(members) && Date.now() < deadline) {
    await sleep(50);
    // What carries the marker is recorded by now; a full environment scan again only before SIGKILL.
    members = liveMembers(record, { marker: false });
    // Started while the others were stopping (a supervisor restarting a worker): stop it too.
    for (const p of members ?? []) if (!signalled.has(p.pid)) all('SIGTERM', [p]);
  }
  // Whatever is left gets SIGKILL, a few rounds in case one forks as it dies.
  if (members) members = liveMembers(record, { marker: true });
  for (let round = 0; round < 20 && alive(members); round++) {
    all('SIGKILL', members);
    await sleep(25);
    members = liveMembers(record, { marker: true });
  }
  if (!hasProc() && groupIsOurs) signal(-record.root, 'SIGKILL');
  return signalled.size;
}

/** Synchronous last resort when golive exits without stopping the target: SIGKILL to every known process. */
export function killTreeNow(record: TreeRecord, groupIsOurs: boolean): void {
  if (groupIsOurs) signal(-record.root, 'SIGKILL');
  for (const p of liveMembers(record, { marker: true }) ?? []) signal(p.pid, 'SIGKILL');
}
