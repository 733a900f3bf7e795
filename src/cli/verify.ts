import { collectOne } from '../api/collect-one.js';
import { smokeCollector } from '../drills/smoke.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from './args.js';
import { exitFor } from './drill.js';
import { formatEvidence } from './evidence-summary.js';
import { styles, type CliIo } from './io.js';

export const usage = 'golive verify [-c FILE] [--out DIR] [--json]';
export const summary =
  'post-deployment smoke test: the critical paths of drills.smoke at a low rate, against error-rate and p95 targets';

/**
 * `golive verify`: the post-deployment smoke test (`golive drill smoke` under
 * the name the launch plan uses). Exit 0 when every target is met, 1 when one
 * is missed, 3 when it could not run.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('verify', args, { out: { type: 'string' }, json: { type: 'boolean' } }, usage, 0);
  const s = styles(io.isTTY);
  const result = await collectOne({
    collector: smokeCollector,
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    ...(values.out ? { outDir: values.out } : {}),
    signal: io.signal,
    now: io.now,
    onProgress: (m) => {
      if (io.isTTY) io.stderr.write(`\r\x1b[2K${s.dim(`verify: ${m}`)}`);
      else io.stderr.write(`verify: ${m}\n`);
    },
  });
  if (io.isTTY) io.stderr.write('\r\x1b[2K');
  if (values.json) io.stdout.write(`${JSON.stringify(result.evidence, null, 2)}\n`);
  else io.stdout.write(`${formatEvidence(result.evidence, s)}${s.dim(`evidence: ${result.outDir}/evidence.json`)}\n`);
  if (io.signal.aborted) return ExitCode.Incomplete;
  return exitFor(result.evidence.status);
}
