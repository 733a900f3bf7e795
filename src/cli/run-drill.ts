import { collectOne } from '../api/collect-one.js';
import type { Collector } from '../collect/collector.js';
import { ExitCode } from '../exit-codes.js';
import { evidenceVerdict, formatEvidence } from './evidence-summary.js';
import { outStyles, progressLine, type CliIo } from './io.js';

/** The flags `golive drill` and `golive verify` share. */
export interface RunDrillFlags {
  /** `-c FILE`; default: golive.yaml found from the working folder. */
  config?: string | undefined;
  /** `--out DIR`; default: the spec's report folder. */
  out?: string | undefined;
  /** `--json`: print the evidence as JSON instead of the summary. Default false. */
  json?: boolean | undefined;
}

/**
 * Runs one drill collector on its own and prints its evidence: progress on
 * stderr (prefixed with `label`), the summary or JSON on stdout. Exit 0 pass,
 * 1 fail, 3 could not complete or interrupted. Shared by `golive drill` and
 * `golive verify`. Off a terminal, a progress line is written at most every
 * `plainEveryMs` (0: every note; verify's per-request notes would flood a CI log).
 */
export async function runDrill(
  collector: Collector,
  label: string,
  values: RunDrillFlags,
  io: CliIo,
  plainEveryMs = 0,
): Promise<number> {
  const s = outStyles(io);
  const progress = progressLine(io, label, plainEveryMs);
  const result = await collectOne({
    collector,
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    ...(values.out ? { outDir: values.out } : {}),
    signal: io.signal,
    now: io.now,
    onProgress: (m) => progress.write(m),
  });
  progress.clear();
  if (values.json) io.stdout.write(`${JSON.stringify(result.evidence, null, 2)}\n`);
  else if (io.quiet) io.stdout.write(`${evidenceVerdict(result.evidence, s)}\n`);
  else io.stdout.write(`${formatEvidence(result.evidence, s)}${s.dim(`evidence: ${result.outDir}/evidence.json`)}\n`);
  if (io.signal.aborted) return ExitCode.Incomplete;
  return exitFor(result.evidence.status);
}

export function exitFor(status: string): number {
  if (status === 'pass' || status === 'skipped') return ExitCode.Ok;
  if (status === 'error') return ExitCode.Incomplete;
  return ExitCode.NoGo;
}
