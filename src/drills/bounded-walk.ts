import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BoundedWalkLimits {
  /** Folders deeper than this below the root are not read. */
  maxDepth: number;
  /** The walk stops after this many directory entries in all. */
  maxEntries: number;
  /** Folder names never entered (e.g. node_modules, .git). Default none. */
  skip?: ReadonlySet<string>;
}

/**
 * Calls `onFile` for every regular file below `root`, bounded in depth and in
 * entries read, so a glob such as `/var/backups/**` can never turn into a walk
 * of the whole disk. Unreadable folders are passed over; links are not followed.
 */
export function walkFiles(root: string, limits: BoundedWalkLimits, onFile: (path: string) => void): void {
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > limits.maxDepth || seen > limits.maxEntries) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > limits.maxEntries) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!limits.skip?.has(e.name)) walk(p, depth + 1);
      } else if (e.isFile()) onFile(p);
    }
  };
  walk(root, 0);
}
