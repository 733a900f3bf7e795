import { signoff } from '../api/records.js';
import { ExitCode } from '../exit-codes.js';
import { oneOf, parseFlags, requireFlag, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive signoff --role ROLE --by NAME --decision go|no-go [--comment TEXT] [-c FILE]';
export const summary = 'sign go / no-go in a role, against the latest run and spec hash';

export const flags = {
  role: { type: 'string', value: 'ROLE', description: 'the role signing, one of roles: in golive.yaml (required)' },
  by: { type: 'string', value: 'NAME', description: 'who signs (required)' },
  decision: { type: 'string', value: 'go|no-go', description: 'the sign-off (required)' },
  comment: { type: 'string', value: 'TEXT', description: 'a note kept with the sign-off', default: 'none' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('signoff', args, flags, usage);
  const decision = oneOf('signoff', 'decision', requireFlag('signoff', 'decision', values.decision, usage), [
    'go',
    'no-go',
  ] as const);
  const {
    signoff: record,
    model,
    notOwner,
  } = await signoff({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    role: requireFlag('signoff', 'role', values.role, usage),
    by: requireFlag('signoff', 'by', values.by, usage),
    decision,
    ...(values.comment ? { comment: values.comment } : {}),
  });
  const missing = model.signoffStatus.rows
    .filter((r) => r.required && (r.state === 'missing' || r.state === 'stale' || r.state === 'duplicate'))
    .map((r) => r.role);
  if (notOwner) {
    io.stderr.write(
      `warning: ${record.by} is not the owner of ${record.role} in golive.yaml roles (${notOwner}); recorded, and reports show "signed by ${record.by} for owner ${notOwner}"\n`,
    );
  }
  io.stdout.write(
    `${record.role} (${record.by}) signed ${record.decision} on run ${record.runId}, spec ${record.specHash.slice(0, 19)}\n` +
      (missing.length
        ? `still to sign: ${missing.join(', ')}\n`
        : 'every required role has signed; next: golive decide --by NAME\n'),
  );
  return ExitCode.Ok;
}
