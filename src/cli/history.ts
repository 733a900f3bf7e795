import { history } from '../api/records.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, type FlagTable } from './args.js';
import { outStyles, type CliIo } from './io.js';

export const usage = 'golive history [-c FILE] [--all] [--limit N] [--json]';
/** The most runs one history lists: more than a terminal can show, fewer than a store can hold. */
const MAX_LIMIT = 10_000;

export const summary =
  'list the runs of this release (all releases with --all), last recorded first, with the readiness each was checked with';

export const flags = {
  all: { type: 'boolean', description: 'list the runs of every release, not only this one' },
  limit: { type: 'string', value: 'N', description: 'list at most N runs', default: '20' },
  json: { type: 'boolean', description: 'print the runs as JSON' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('history', args, flags, usage);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  // Digits only: Number() would take 1e99, 0x10 or 1.0, and SQLite refuses a LIMIT beyond 64 bits.
  if (values.limit !== undefined && (!/^\d+$/.test(values.limit) || limit < 1 || limit > MAX_LIMIT)) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `--limit must be a whole number from 1 to ${MAX_LIMIT}, not "${values.limit}"`,
      { hint: `usage: ${usage}` },
    );
  }
  const models = await history({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    limit,
    allReleases: Boolean(values.all),
  });
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        models.map((m) => {
          const now = m.evaluation.readiness;
          return {
            ...m.run,
            // As the check said it; re-evaluated today only for runs recorded before golive kept it.
            ready: (m.readinessWhenChecked ?? now).ready,
            readinessWhenChecked: m.readinessWhenChecked ?? null,
            readyNow: now.ready,
            blockingNow: now.blocking,
            decision: m.decision?.decision ?? null,
          };
        }),
        null,
        2,
      )}\n`,
    );
    return ExitCode.Ok;
  }
  if (models.length === 0) {
    io.stdout.write('no runs yet: run golive check\n');
    return ExitCode.Ok;
  }
  const s = outStyles(io);
  const word = (ready: boolean) => (ready ? 'ready' : 'not ready');
  // The readiness the check printed, then today's re-evaluation where it differs (waivers, attestations, expiry).
  const cells = models.map((m) => {
    const then = (m.readinessWhenChecked ?? m.evaluation.readiness).ready;
    const now = m.evaluation.readiness.ready;
    return { then, text: `${word(then)}${then === now ? '' : ` (now: ${word(now)})`}` };
  });
  const width = Math.max(10, ...cells.map((c) => c.text.length));
  io.stdout.write(
    `${['RUN'.padEnd(23), 'STARTED'.padEnd(20), 'RELEASE'.padEnd(10), 'OBSERVED'.padEnd(10), 'SPEC'.padEnd(14), 'READINESS'.padEnd(width), 'DECISION'].join(' ')}\n`,
  );
  for (const [i, m] of models.entries()) {
    const cell = cells[i] as (typeof cells)[number];
    const ready = (cell.then ? s.green : s.red)(cell.text.padEnd(width));
    io.stdout.write(
      `${[m.run.id.padEnd(23), m.run.startedAt.slice(0, 19).padEnd(20), m.run.release.padEnd(10), (m.run.targetVersion ?? '—').padEnd(10), m.run.specHash.slice(7, 19).padEnd(14), ready, m.decision?.decision ?? '—'].join(' ')}\n`,
    );
  }
  return ExitCode.Ok;
}
