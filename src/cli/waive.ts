import { waive } from '../api/records.js';
import { describeReplaced } from '../api/waivers-current.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, requireArg, requireFlag, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive waive CRITERION-or-FINDING --reason TEXT --by NAME --expires DATE [-c FILE]';
export const summary =
  'waive a criterion or a finding (fingerprint or unique prefix) for this release, with a reason, an approver and an expiry';

export const flags = {
  reason: { type: 'string', value: 'TEXT', description: 'why it is waived (required)' },
  by: { type: 'string', value: 'NAME', description: 'who approves the waiver (required)' },
  expires: { type: 'string', value: 'DATE', description: 'the waiver stops counting after this date (required)' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('waive', args, flags, usage, 1);
  const { waiver: record, replaced } = await waive({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    subject: requireArg('waive', 'CRITERION-or-FINDING', positionals[0], usage),
    reason: requireFlag('waive', 'reason', values.reason, usage),
    by: requireFlag('waive', 'by', values.by, usage),
    expires: requireFlag('waive', 'expires', values.expires, usage),
  });
  io.stdout.write(
    `waived ${record.subject} ${record.subjectId} until ${record.expiresAt} (approved by ${record.by}): ${record.reason}\n` +
      (replaced ? `${describeReplaced(replaced)}\n` : '') +
      `it stops counting when it expires, and the reports say so; run golive check or golive report to re-evaluate\n`,
  );
  return ExitCode.Ok;
}
