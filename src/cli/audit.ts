import { verifyAudit } from '../api/records.js';
import { GoliveError } from '../errors.js';
import { clockNoteLines, describeBreak } from '../store/audit.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, type FlagTable } from './args.js';
import { outStyles, type CliIo } from './io.js';

export const usage =
  'golive audit verify [-c FILE] [--head HASH]  (HASH: the full head, or a unique prefix of 12+ hex digits)';
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
    // An empty --head "" is refused like a short prefix, never taken as "no head".
    ...(values.head !== undefined ? { head: values.head } : {}),
  });
  // Kept records whose time is before an earlier one's: shown whatever the verdict, they explain odd dates.
  const notes = clockNoteLines(result.clockNotes)
    .map((line) => `${s.yellow('note')} ${line}\n`)
    .join('');
  if (!result.ok && result.broken) {
    io.stdout.write(
      `${s.red('BROKEN')} audit log of ${result.storePath}: ${describeBreak(result.broken)}\n` +
        'the store was changed outside golive after that entry was written; do not trust a decision that depends on it\n' +
        notes,
    );
    return ExitCode.NoGo;
  }
  if (result.entries === 0) {
    // No store yet (nothing is created by reading) or an empty one: no log to find a head in.
    io.stdout.write(
      values.head !== undefined
        ? `${s.red('MISSING')} the audit log of ${result.storePath} is empty, so it has no entry ${values.head}: no runs yet: run golive check\n`
        : `${s.green('OK')} the audit log of ${result.storePath} is empty: no runs yet: run golive check\n`,
    );
    return values.head !== undefined ? ExitCode.NoGo : ExitCode.Ok;
  }
  if (values.head !== undefined && !result.headFound) {
    io.stdout.write(
      `${s.red('MISSING')} no entry of the log has hash ${values.head}; the log was rewritten after that head was recorded\n${notes}`,
    );
    return ExitCode.NoGo;
  }
  const at = result.headEntry
    ? `; --head ${values.head} is entry #${result.headEntry.seq} (${result.headEntry.hash})${result.headEntry.hash === result.head ? ', the head' : ''}`
    : '';
  io.stdout.write(
    `${s.green('OK')} ${result.entries} audit entries verified; head ${result.head || '(empty)'}${at}\n${notes}`,
  );
  return ExitCode.Ok;
}
