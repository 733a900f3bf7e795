import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasProc, isRunning, procRef, type ProcRef } from './proc.js';
import { endTree, type TreeRecord } from './tree.js';

/**
 * A run folder's owner.json: which golive is filling the folder and which
 * processes it started, so that a golive killed with SIGKILL can be cleaned up
 * after, by its watchdog or by the next check. Removed once the run is stored.
 */
export interface OwnerRecord {
  /** The golive process that owns the folder. */
  owner: ProcRef;
  /** The watchdog that ends the target if the owner dies. */
  watchdog?: ProcRef;
  /** The started target's processes. */
  target?: TreeRecord;
}

export const OWNER_FILE = 'owner.json';
const GRACE_MS = 3000;
/** A folder with neither a stored run nor an owner file is only left alone while this young (it is being created). */
const UNOWNED_GRACE_MS = 60_000;

/** This process as an owner; without /proc the start time is unknown (-1) and liveness falls back to kill(pid, 0). */
export function self(): ProcRef {
  return procRef(process.pid) ?? { pid: process.pid, start: -1 };
}

export function ownerRunning(ref: ProcRef): boolean {
  if (ref.start !== -1 || hasProc()) return isRunning(ref);
  try {
    process.kill(ref.pid, 0);
    return true;
  } catch {
    return false;
  }
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

/** Creates a run folder owned by this process. */
export function claimRunFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, OWNER_FILE);
  writeOwner(file, { owner: self() });
  return file;
}

export interface AbandonedRun {
  runId: string;
  /** Processes of its target that were still running and were stopped. */
  stopped: number;
}

/**
 * Cleans up after checks that ended without storing their run (killed with
 * SIGKILL, a power cut): for each folder under `runsDir` with no stored run and
 * no live owner, stops the target processes it recorded (pid and start time
 * must both match, so a reused pid is never signalled), then removes the folder.
 */
export async function reapAbandonedRuns(
  runsDir: string,
  isStored: (runId: string) => Promise<boolean>,
  now = Date.now(),
): Promise<AbandonedRun[]> {
  if (!existsSync(runsDir)) return [];
  const out: AbandonedRun[] = [];
  for (const runId of readdirSync(runsDir)) {
    const dir = join(runsDir, runId);
    try {
      if (!statSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    const rec = readOwner(join(dir, OWNER_FILE));
    if (rec && ownerRunning(rec.owner)) continue; // a check running now
    if (await isStored(runId)) {
      // Stored, then killed before it let go of the folder: only the owner file is stale.
      if (rec) rmSync(join(dir, OWNER_FILE), { force: true });
      continue;
    }
    if (!rec && now - statSync(dir).mtimeMs < UNOWNED_GRACE_MS) continue;
    // Without /proc nothing can be matched by start time: the folder goes, the processes are not touched.
    const stopped = rec?.target && hasProc() ? await endTree(rec.target, GRACE_MS, false) : 0;
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      continue; // not ours to remove (permissions): left as it is, the check goes on
    }
    out.push({ runId, stopped });
  }
  return out;
}
