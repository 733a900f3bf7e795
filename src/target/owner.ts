import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isRunning, procRef, type ProcRef } from './proc.js';
import { endTree, type TreeRecord } from './tree.js';

/**
 * A run folder's owner.json: which golive is filling the folder and which
 * processes it started, so that a golive killed with SIGKILL can be cleaned up
 * after, by its watchdog or by the next check. Removed once the run is stored.
 */
export interface OwnerRecord {
  /** The golive process that owns the folder. */
  owner: ProcRef;
  /** Where that pid means something: a pid is only comparable on the same host, boot and pid namespace. */
  host?: HostId;
  /** Absolute path of the store the run goes into: a check cleans up only after checks of its own store. */
  store?: string;
  /** The watchdog that ends the target if the owner dies. */
  watchdog?: ProcRef;
  /** The started target's processes. */
  target?: TreeRecord;
}

export const OWNER_FILE = 'owner.json';
const GRACE_MS = 3000;

/** The machine, boot and pid namespace a pid belongs to; any part unknown (no /proc) makes pids incomparable. */
export interface HostId {
  hostname: string;
  boot?: string;
  pidns?: string;
}

export function hostId(): HostId {
  const read = (f: () => string): string | undefined => {
    try {
      return f().trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const boot = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const pidns = read(() => readlinkSync('/proc/self/ns/pid'));
  return { hostname: hostname(), ...(boot ? { boot } : {}), ...(pidns ? { pidns } : {}) };
}

/** Whether a pid recorded under `a` names the same process table as one under `b`: same host, boot and pid namespace, all known. */
export function sameHost(a: HostId | undefined, b: HostId): boolean {
  return (
    a !== undefined &&
    a.hostname === b.hostname &&
    a.boot !== undefined &&
    a.boot === b.boot &&
    a.pidns !== undefined &&
    a.pidns === b.pidns
  );
}

/** This process as an owner; without /proc the start time is unknown (-1) and liveness falls back to kill(pid, 0). */
export function self(): ProcRef {
  return procRef(process.pid) ?? { pid: process.pid, start: -1 };
}

export function readOwner(file: string): OwnerRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as OwnerRecord;
    return typeof rec?.owner?.pid === 'number' ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a reader (the watchdog, a later check) never sees half a record. */
export function writeOwner(file: string, rec: OwnerRecord): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(rec));
  renameSync(tmp, file);
}

/** Creates a run folder owned by this process, for a run that goes into `store`. */
export function claimRunFolder(dir: string, store: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, OWNER_FILE);
  writeOwner(file, { owner: self(), host: hostId(), store: resolve(store) });
  return file;
}

export interface AbandonedRun {
  runId: string;
  /** Processes of its target that were still running and were stopped. */
  stopped: number;
}

export interface ReapResult {
  /** Folders of dead checks of this store, removed. */
  removed: AbandonedRun[];
  /**
   * Folders left alone that are neither a stored run of this store nor provably a live check:
   * no owner.json (another store's run, an older golive's), or an owner golive cannot judge
   * (another host or pid namespace, no /proc, an owner.json of an older golive).
   */
  unknown: string[];
}

/**
 * Cleans up after checks of this store that ended without storing their run
 * (killed with SIGKILL, a power cut). A folder is removed only when its
 * owner.json names this store and an owner that is provably dead: recorded on
 * this host, boot and pid namespace, and no process with its pid and start time
 * runs. Its recorded target processes are stopped first (pid and start time must
 * both match, so a reused pid is never signalled). Everything else is left as
 * it is: a folder without owner.json is evidence (a stored run, maybe of another
 * store), and an owner seen from another namespace only looks dead.
 */
export async function reapAbandonedRuns(
  runsDir: string,
  store: string,
  isStored: (runId: string) => Promise<boolean>,
): Promise<ReapResult> {
  const out: ReapResult = { removed: [], unknown: [] };
  if (!existsSync(runsDir)) return out;
  const here = hostId();
  const ours = resolve(store);
  for (const runId of readdirSync(runsDir).sort()) {
    const dir = join(runsDir, runId);
    try {
      if (!statSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    const file = join(dir, OWNER_FILE);
    const rec = existsSync(file) ? readOwner(file) : undefined;
    if (!rec) {
      // A half-written owner file is renamed into place, so a missing or unreadable one is not a check starting.
      if (!(await isStored(runId))) out.unknown.push(runId);
      continue;
    }
    if (rec.store !== undefined && rec.store !== ours) continue; // another store's check: its own checks clean up
    if (rec.store === undefined || !sameHost(rec.host, here) || rec.owner.start === -1) {
      if (!(await isStored(runId))) out.unknown.push(runId);
      continue;
    }
    if (isRunning(rec.owner)) continue; // a check running now
    if (await isStored(runId)) {
      // Stored, then killed before it let go of the folder: only the owner file is stale.
      rmSync(file, { force: true });
      continue;
    }
    const stopped = rec.target ? await endTree(rec.target, GRACE_MS, false) : 0;
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      continue; // not ours to remove (permissions): left as it is, the check goes on
    }
    out.removed.push({ runId, stopped });
  }
  return out;
}
