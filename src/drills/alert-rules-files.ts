import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { GoliveError } from '../errors.js';
import { walkFiles } from './bounded-walk.js';

const SKIP = new Set(['node_modules', '.git']);
const MAX_ENTRIES = 50_000;

/**
 * The rule files `drills.alerts.files` names: plain paths and globs
 * (`monitoring/**\/*.rules.yml`) relative to the spec folder, sorted, without
 * duplicates. A path or glob that matches no file is bad input (GL_FILE_NOT_FOUND,
 * exit 2): the spec promised rules that are not there.
 */
export function expandRuleFiles(patterns: string[], specDir: string): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    const full = isAbsolute(pattern) ? pattern : resolve(specDir, pattern);
    const scan = picomatch.scan(full);
    const found: string[] = [];
    if (!scan.isGlob) {
      try {
        if (statSync(full).isFile()) found.push(full);
      } catch {
        // reported below
      }
    } else {
      const root = scan.base || '/';
      const isMatch = picomatch(scan.glob, { dot: false });
      walkFiles(root, { maxDepth: 12, maxEntries: MAX_ENTRIES, skip: SKIP }, (p) => {
        if (isMatch(relative(root, p).split(sep).join('/'))) found.push(p);
      });
    }
    if (found.length === 0) {
      throw new GoliveError('GL_FILE_NOT_FOUND', `drills.alerts.files: ${pattern} matches no file under ${specDir}`, {
        hint: 'paths and globs are relative to the spec file; fix the path or remove it from drills.alerts.files',
      });
    }
    for (const f of found) out.add(f);
  }
  return [...out].sort();
}
