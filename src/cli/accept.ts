import { accept } from '../api/findings.js';
import { describeReplaced } from '../api/waivers-current.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, requireArg, requireFlag, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive accept FINDING --reason TEXT --by NAME [--expires DATE] [-c FILE]';
export const summary = 'accept a finding as a risk the release goes live with (no expiry unless --expires)';

export const flags = {
  reason: { type: 'string', value: 'TEXT', description: 'why the release goes live with this risk (required)' },
  by: { type: 'string', value: 'NAME', description: 'who approves the risk (required)' },
  expires: { type: 'string', value: 'DATE', description: 'the acceptance ends on this date', default: 'never' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('accept', args, flags, usage, 1);
  const { waiver, finding, replaced } = await accept({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    finding: requireArg('accept', 'FINDING', positionals[0], usage),
    reason: requireFlag('accept', 'reason', values.reason, usage),
    by: requireFlag('accept', 'by', values.by, usage),
    ...(values.expires !== undefined ? { expires: requireFlag('accept', 'expires', values.expires, usage) } : {}),
  });
  io.stdout.write(
    `accepted risk: ${finding.severity} ${finding.rule} at ${finding.location} (${waiver.subjectId}) ` +
      `${waiver.expiresAt ? `until ${waiver.expiresAt}` : 'for this release'} (approved by ${waiver.by}): ${waiver.reason}\n` +
      (replaced ? `${describeReplaced(replaced)}\n` : '') +
      'it no longer counts in findings.* and is listed among the residual risks; run golive check or golive report to re-evaluate\n',
  );
  return ExitCode.Ok;
}
