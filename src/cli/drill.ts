import { collectOne } from '../api/collect-one.js';
import { collectors } from '../collect/registry.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from './args.js';
import { formatEvidence } from './evidence-summary.js';
import { styles, type CliIo } from './io.js';

export const usage =
  'golive drill KIND [-c FILE] [--out DIR] [--json]   (KIND: rollback, alarm, restore, alerts, smoke)';
export const summary = 'run one operational drill from the spec (rollback rehearsal, alarm test, backup/restore …)';

/** Drills are the collectors named `drill.<kind>`; this command runs one of them on its own. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    'drill',
    args,
    { out: { type: 'string' }, json: { type: 'boolean' } },
    usage,
    1,
  );
  const kinds = collectors.filter((c) => c.name.startsWith('drill.')).map((c) => c.name.slice('drill.'.length));
  const kind = positionals[0];
  if (!kind) {
    throw new GoliveError('GL_ARG_INVALID', 'golive drill: which drill?', {
      hint: `name one of: ${kinds.join(', ') || '(none registered)'}`,
    });
  }
  const collector = collectors.find((c) => c.name === `drill.${kind}`);
  if (!collector) {
    throw new GoliveError('GL_ARG_INVALID', `golive drill: unknown drill "${kind}"`, {
      hint: `name one of: ${kinds.join(', ') || '(none registered)'}`,
    });
  }
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
      if (io.isTTY) io.stderr.write(`\r\x1b[2K${s.dim(`${collector.name}: ${m}`)}`);
      else io.stderr.write(`${collector.name}: ${m}\n`);
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
