import { amendThreshold } from '../api/records.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, requireFlag, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive amend threshold NAME "EXPR" --reason TEXT --by NAME [-c FILE]   (or NAME --remove)';
export const summary = 'change a frozen threshold after the release has evidence, with a reason kept in the audit log';

export const flags = {
  reason: { type: 'string', value: 'TEXT', description: 'why the threshold changes, kept in the audit log (required)' },
  by: { type: 'string', value: 'NAME', description: 'who approves the change (required)' },
  remove: { type: 'boolean', description: 'remove the threshold instead of changing its expression' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('amend', args, flags, usage, 3);
  const [what, name, expr] = positionals;
  if (what !== 'threshold') {
    throw new GoliveError('GL_ARG_INVALID', `golive amend: expected "threshold", got "${what ?? ''}"`, {
      hint: `usage: ${usage}`,
    });
  }
  const threshold = requireFlag('amend', 'NAME (second argument)', name, usage);
  if (values.remove && expr !== undefined) {
    throw new GoliveError('GL_ARG_INVALID', 'golive amend: give either an EXPR or --remove, not both', {
      hint: `usage: ${usage}`,
    });
  }
  const record = await amendThreshold({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    threshold,
    expr: values.remove ? null : requireFlag('amend', 'EXPR (third argument)', expr, usage),
    reason: requireFlag('amend', 'reason', values.reason, usage),
    by: requireFlag('amend', 'by', values.by, usage),
  });
  io.stdout.write(
    `amended threshold ${record.threshold}: ${record.from ?? '(none)'} → ${record.to ?? '(removed)'} by ${record.by}: ${record.reason}\n` +
      'the amendment is in the audit log and every later report; make golive.yaml say the same, then run golive check\n',
  );
  return ExitCode.Ok;
}
