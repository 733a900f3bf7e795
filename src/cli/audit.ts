import { verifyAudit } from '../api/records.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, type FlagTable } from './args.js';
import { outStyles, type CliIo } from './io.js';

export const usage = 'golive audit verify [-c FILE] [--head HASH]';
export const summary = 'verify the hash-chained audit log; exit 1 naming the first broken entry';

export const flags = {
  head: {
    type: 'string',
    value: 'HASH',
    description: 'also check the log still holds this head (the one golive decide printed)',
    default: 'none',
  },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('audit', args, flags, usage, 1);
  if (positionals[0] !== 'verify') {
    throw new GoliveError('GL_ARG_INVALID', `golive audit: expected "verify", got "${positionals[0] ?? ''}"`, {
      hint: `usage: ${usage}`,
    });
  }
  const s = outStyles(io);
  const result = await verifyAudit({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    ...(values.head ? { head: values.head } : {}),
  });
  if (!result.ok && result.broken) {
    const b = result.broken;
    io.stdout.write(
      `${s.red('BROKEN')} audit log of ${result.storePath}: entry #${b.seq}${b.kind ? ` (${b.kind}${b.entityId ? ` ${b.entityId}` : ''})` : ''}: ${b.reason}\n` +
        'the store was changed outside golive after that entry was written; do not trust a decision that depends on it\n',
    );
    return ExitCode.NoGo;
  }
  if (values.head && !result.headFound) {
    io.stdout.write(
      `${s.red('MISSING')} no entry of the log has hash ${values.head}; the log was rewritten after that head was recorded\n`,
    );
    return ExitCode.NoGo;
  }
  io.stdout.write(`${s.green('OK')} ${result.entries} audit entries verified; head ${result.head || '(empty)'}\n`);
  return ExitCode.Ok;
}
