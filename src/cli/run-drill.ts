import { collectOne } from '../api/collect-one.js';
import type { Collector } from '../collect/collector.js';
import { ExitCode } from '../exit-codes.js';
import { formatEvidence } from './evidence-summary.js';
import { styles, type CliIo } from './io.js';

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
 * `golive verify`.
 */
export async function runDrill(collector: Collector, label: string, values: RunDrillFlags, io: CliIo): Promise<number> {
  const s = styles(io.isTTY);
  const result = await collectOne({
    collector,
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    ...(values.out ? { outDir: values.out } : {}),
    signal: io.signal,
    now: io.now,
    onProgress: (m) => {
      if (io.isTTY) io.stderr.write(`\r\x1b[2K${s.dim(`${label}: ${m}`)}`);
      else io.stderr.write(`${label}: ${m}\n`);
    },
  });
  if (io.isTTY) io.stderr.write('\r\x1b[2K');
  if (values.json) io.stdout.write(`${JSON.stringify(result.evidence, null, 2)}\n`);
  else io.stdout.write(`${formatEvidence(result.evidence, s)}${s.dim(`evidence: ${result.outDir}/evidence.json`)}\n`);
  if (io.signal.aborted) return ExitCode.Incomplete;
  return exitFor(result.evidence.status);
}

export function exitFor(status: string): number {
  if (status === 'pass' || status === 'skipped') return ExitCode.Ok;
  if (status === 'error') return ExitCode.Incomplete;
  return ExitCode.NoGo;
}
