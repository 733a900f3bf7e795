import { dirname } from 'node:path';
import { findSpecFile } from '../api/project.js';
import type { CliIo } from './io.js';

/** True when the arguments name the spec (`-c FILE`, `--config FILE`, `--config=FILE`, `-cFILE`). */
export function namesConfig(args: readonly string[]): boolean {
  return args.some((a) => a === '-c' || a === '--config' || a.startsWith('--config=') || /^-c./.test(a));
}

/**
 * Says on stderr which golive.yaml a command reads when it was found in a
 * parent folder rather than the working one (the library finds the same file:
 * `findSpecFile`). Silent with -c, when the spec is in the working folder, and
 * when there is none (the command then names the missing file).
 */
export function announceSpec(args: readonly string[], io: CliIo): void {
  if (namesConfig(args)) return;
  const file = findSpecFile(io.cwd);
  if (file === undefined || dirname(file) === io.cwd) return;
  io.stderr.write(`using ${file} (found in a parent folder; its store and golive-report/ sit beside it)\n`);
}
