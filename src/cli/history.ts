import { history } from '../api/records.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, type FlagTable } from './args.js';
import { outStyles, type CliIo } from './io.js';

export const usage = 'golive history [-c FILE] [--all] [--limit N] [--json]';
export const summary = 'list the runs of this release (all releases with --all), newest first';

export const flags = {
  all: { type: 'boolean', description: 'list the runs of every release, not only this one' },
  limit: { type: 'string', value: 'N', description: 'list at most N runs', default: '20' },
  json: { type: 'boolean', description: 'print the runs as JSON' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('history', args, flags, usage);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new GoliveError('GL_ARG_INVALID', `--limit must be a whole number ≥ 1, not "${values.limit}"`);
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
        models.map((m) => ({ ...m.run, ready: m.evaluation.readiness.ready, decision: m.decision?.decision ?? null })),
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
  io.stdout.write(
    `${['RUN'.padEnd(23), 'STARTED'.padEnd(20), 'RELEASE'.padEnd(10), 'OBSERVED'.padEnd(10), 'SPEC'.padEnd(14), 'READINESS'.padEnd(10), 'DECISION'].join(' ')}\n`,
  );
  for (const m of models) {
    const ready = m.evaluation.readiness.ready ? s.green('ready'.padEnd(10)) : s.red('not ready'.padEnd(10));
    io.stdout.write(
      `${[m.run.id.padEnd(23), m.run.startedAt.slice(0, 19).padEnd(20), m.run.release.padEnd(10), (m.run.targetVersion ?? '—').padEnd(10), m.run.specHash.slice(7, 19).padEnd(14), ready, m.decision?.decision ?? '—'].join(' ')}\n`,
    );
  }
  return ExitCode.Ok;
}
