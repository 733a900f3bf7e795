import { attest } from '../api/records.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, requireArg, requireFlag, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive attest CRITERION --by NAME --role ROLE --evidence URL-or-path [--comment TEXT] [-c FILE]';
export const summary = 'attest a manual criterion (runbooks reviewed, support trained …) with evidence';

export const flags = {
  by: { type: 'string', value: 'NAME', description: 'who attests (required)' },
  role: { type: 'string', value: 'ROLE', description: 'the role the criterion names under attest: (required)' },
  evidence: {
    type: 'string',
    value: 'URL-or-path',
    description: 'a link or an existing file that shows it (required)',
  },
  comment: { type: 'string', value: 'TEXT', description: 'a note kept with the attestation', default: 'none' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('attest', args, flags, usage, 1);
  const criterionId = requireArg('attest', 'CRITERION', positionals[0], usage);
  const record = await attest({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    criterionId,
    by: requireFlag('attest', 'by', values.by, usage),
    role: requireFlag('attest', 'role', values.role, usage),
    evidence: requireFlag('attest', 'evidence', values.evidence, usage),
    ...(values.comment ? { comment: values.comment } : {}),
  });
  io.stdout.write(
    `attested ${record.criterionId} by ${record.by} (${record.role}): ${record.evidence}\nrun golive check to re-evaluate the gate with it\n`,
  );
  return ExitCode.Ok;
}
