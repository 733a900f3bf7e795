import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { walkFiles } from './bounded-walk.js';

/** The newest backup file found, and when it was last written. */
export interface NewestBackup {
  path: string;
  mtime: Date;
  /** Files that matched. */
  count: number;
}

const MAX_FILES = 100_000;
const MAX_DEPTH = 8;

/**
 * The newest file under a folder, or matching a glob (`backups/*.dump`,
 * `/var/backups/**\/shop-*.sql.gz`), relative to `baseDir`. RPO is its age:
 * the data written since would be lost if the database were lost now. Bounded
 * walk (depth 8, 100 000 entries); undefined when nothing matches.
 */
export function newestBackup(location: string, baseDir: string): NewestBackup | undefined {
  const full = isAbsolute(location) ? location : resolve(baseDir, location);
  const scan = picomatch.scan(full);
  let root: string;
  let match: (p: string) => boolean;
  if (scan.isGlob) {
    root = scan.base || '/';
    const isMatch = picomatch(scan.glob, { dot: true });
    match = (p) => isMatch(relative(root, p).split(sep).join('/'));
  } else {
    let st;
    try {
      st = statSync(full);
    } catch {
      return undefined;
    }
    if (st.isFile()) return { path: full, mtime: st.mtime, count: 1 };
    root = full;
    match = () => true;
  }
  let newest: NewestBackup | undefined;
  let count = 0;
  walkFiles(root, { maxDepth: MAX_DEPTH, maxEntries: MAX_FILES }, (p) => {
    if (!match(p)) return;
    count++;
    const mtime = statSync(p).mtime;
    if (!newest || mtime > newest.mtime) newest = { path: p, mtime, count: 0 };
  });
  return newest ? { ...newest, count } : undefined;
}
