import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadProject } from '../api/project.js';
import { prepareOutDir } from '../api/reports.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeBaseline } from '../scan/baseline.js';
import { plural } from '../plural.js';
import { scanRepository, type ScanOptions } from '../scan/scan.js';
import { redactDeep, specRedactor } from '../spec/redact.js';
import { parseFlags, type FlagTable } from './args.js';
import { evidenceVerdict, formatEvidence } from './evidence-summary.js';
import { errStyles, outStyles, stderrTTY, type CliIo } from './io.js';

export const usage =
  'golive scan [DIR] [-c FILE] [--release R] [--baseline FILE] [--write-baseline FILE] [--out DIR] [--json]';
export const summary =
  'scan a repository: secrets, forbidden code, README/CHANGELOG/runbooks/CI/tag/.env hygiene, coverage, npm audit and SARIF imports';

export const flags = {
  release: {
    type: 'string',
    value: 'R',
    description: 'the release the CHANGELOG and the git tag must name',
    default: 'the spec’s release with -c, else none',
  },
  baseline: {
    type: 'string',
    value: 'FILE',
    description: 'accepted findings: only new ones count',
    default: 'the spec’s scan.baseline, else none',
  },
  'write-baseline': {
    type: 'string',
    value: 'FILE',
    description: 'write every finding of this scan as the baseline, then scan against it',
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: 'also write evidence.json into this folder',
    default: 'not written',
  },
  json: { type: 'boolean', description: 'print the evidence as JSON instead of the summary' },
} as const satisfies FlagTable;

/**
 * Runs the repository scan on its own. Without -c it scans DIR (default .)
 * with the built-in rules; with -c it uses the spec's `scan:` section and
 * release. Exit 0 when every check passes, 1 when one fails (a secret,
 * forbidden code, a committed .env, a critical/high audit or SARIF result,
 * missing docs or coverage below the minimum), 2 for bad input.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('scan', args, flags, usage, 1);
  const s = outStyles(io);
  const e = errStyles(io);
  const tty = stderrTTY(io);
  let redact = (x: string): string => x;
  const opts: ScanOptions = {
    baseDir: io.cwd,
    now: io.now,
    signal: io.signal,
    // On a terminal one line is rewritten; otherwise each step is a line on stderr (stdout stays the result).
    progress: (m) => {
      if (tty) io.stderr.write(`\r\x1b[2K${e.dim(`scan: ${redact(m)}`)}`);
      else io.stderr.write(`scan: ${redact(m)}\n`);
    },
  };
  if (values.config !== undefined) {
    const { loaded } = loadProject({ config: values.config, cwd: io.cwd, env: io.env });
    redact = specRedactor(loaded);
    opts.baseDir = dirname(loaded.file);
    if (loaded.spec.scan) opts.config = loaded.spec.scan;
    opts.release = loaded.spec.release;
  }
  if (values.release !== undefined) opts.release = values.release;
  if (positionals[0] !== undefined) opts.path = resolve(io.cwd, positionals[0]);
  if (values.baseline !== undefined) opts.baseline = resolve(io.cwd, values.baseline);

  let result = await scanRepository(opts);
  const written = values['write-baseline'];
  // An interrupted scan saw only part of the files: a baseline of it would hide nothing and mislead.
  if (written !== undefined && io.signal.aborted) io.stderr.write('baseline: not written (scan interrupted)\n');
  else if (written !== undefined) {
    const file = resolve(io.cwd, written);
    writeBaseline(file, result.allFindings);
    // Scan again against the baseline just written, so the output and exit code show what remains (hygiene checks).
    result = await scanRepository({ ...opts, baseline: file, progress: () => undefined });
    io.stderr.write(`baseline: ${plural(result.allFindings.length, 'finding')} accepted → ${written}\n`);
  }
  if (tty) io.stderr.write('\r\x1b[2K');
  const evidence = redactDeep(result.evidence, redact);

  if (values.out !== undefined) writeEvidence(resolve(io.cwd, values.out), evidence);
  if (values.json) io.stdout.write(`${JSON.stringify(evidence, null, 2)}\n`);
  else {
    const skipped = (evidence.data?.skipped as { path: string; reason: string }[] | undefined) ?? [];
    const note = skipped.length
      ? s.dim(`skipped ${plural(skipped.length, 'file')} (binary, too large or unreadable)\n`)
      : '';
    io.stdout.write(io.quiet ? `${evidenceVerdict(evidence, s)}\n` : `${formatEvidence(evidence, s)}${note}`);
  }
  if (io.signal.aborted) return ExitCode.Incomplete;
  return evidence.status === 'pass' ? ExitCode.Ok : ExitCode.NoGo;
}

function writeEvidence(outDir: string, evidence: unknown): void {
  prepareOutDir(outDir); // one level at a time: a recursive mkdir spins on paths such as /proc/x
  try {
    const path = join(outDir, 'evidence.json');
    writeFileSync(`${path}.tmp`, `${JSON.stringify(evidence, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write ${outDir}/evidence.json: ${(e as Error).message}`, {
      hint: 'choose another folder with --out',
    });
  }
}
