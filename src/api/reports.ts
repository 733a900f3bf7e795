import {
  accessSync,
  appendFileSync,
  constants,
  existsSync,
  mkdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GoliveError } from '../errors.js';
import { redactDeep } from '../spec/redact.js';
import type { ReportModel } from '../model.js';
import { getReporter, reporters } from '../report/reporter.js';

export type ReportFormat = keyof typeof reporters;
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];

/**
 * Makes sure reports can be written before any evidence is gathered, so a
 * read-only output folder fails in a second, not after a 10-minute load test.
 * Creates the missing folders one level at a time (Node's recursive mkdir spins
 * for ever on paths such as /proc/x). Returns the first folder it created, if
 * any, so a command that fails afterwards can take them away (discardOutDir).
 */
export function prepareOutDir(outDir: string): string | undefined {
  const created: string[] = [];
  try {
    makeFolders(outDir, created);
    accessSync(outDir, constants.W_OK);
    return created[0];
  } catch (e) {
    discardOutDir(outDir, created[0]);
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write reports to ${outDir}: ${(e as Error).message}`, {
      hint: 'pass --out with a folder golive can create and write to',
    });
  }
}

/** Removes empty folders from `outDir` up to `created` (what prepareOutDir returned); keeps any that hold a file. */
export function discardOutDir(outDir: string, created: string | undefined): void {
  if (!created) return;
  for (let d = resolve(outDir); d.startsWith(created); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (or gone): keep it and its parents
    }
    if (d === created) return;
  }
}

/** mkdir -p, one folder at a time, recording each folder it made in `created`. */
function makeFolders(dir: string, created: string[]): void {
  const missing: string[] = [];
  let cur = resolve(dir);
  while (!existsSync(cur)) {
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (existsSync(cur) && !statSync(cur).isDirectory()) throw new Error(`${cur} is a file, not a folder`);
  for (const folder of missing.reverse()) {
    mkdirSync(folder);
    created.push(folder);
  }
}

/**
 * Renders the model in each format and writes it into outDir. Each file is
 * written to a temporary name and renamed, so a reader never sees half a report.
 * `redact` runs over every rendered string.
 */
export function writeReports(
  model: ReportModel,
  formats: readonly ReportFormat[],
  outDir: string,
  redact: (s: string) => string,
): string[] {
  prepareOutDir(outDir);
  const written: string[] = [];
  for (const format of formats) {
    const reporter = getReporter(format);
    const file = join(outDir, reporter.fileName);
    const tmp = `${file}.tmp-${process.pid}`;
    // Redact the model, not the rendered text: numbers and JSON stay intact. A render bug is a bug (exit 4).
    const text = reporter.render(redactDeep(model, redact));
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write ${file}: ${(e as Error).message}`, {
        hint: 'pass --out with a writable folder',
      });
    }
    written.push(file);
  }
  return written;
}

/** Appends the Markdown report to GitHub Actions' job summary when `$GITHUB_STEP_SUMMARY` names a file. */
export function appendStepSummary(
  model: ReportModel,
  env: Record<string, string | undefined>,
  redact: (s: string) => string,
): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, `${getReporter('md').render(redactDeep(model, redact))}\n`);
  return true;
}

export function parseFormats(list: string): ReportFormat[] {
  const formats = list
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of formats) {
    if (!(REPORT_FORMATS as string[]).includes(f)) {
      throw new GoliveError('GL_ARG_INVALID', `--format: unknown report format "${f}"`, {
        hint: `choose from ${REPORT_FORMATS.join(', ')}`,
      });
    }
  }
  return formats as ReportFormat[];
}
