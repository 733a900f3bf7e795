import { relative } from 'node:path';
import { loadProject } from '../api/project.js';
import { formatProblem } from '../errors.js';
import { environmentRedactor, redactError } from '../spec/redact.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, type FlagTable } from './args.js';
import { errStyles, outStyles, type CliIo } from './io.js';
import { errorJson, problemJson } from './machine.js';

export const usage = 'golive validate [-c FILE] [--json]';
export const summary = 'check golive.yaml against the schema and report every problem at once';

export const flags = {
  json: {
    type: 'boolean',
    description: 'print a machine summary on stdout: valid, counts, spec hash, problems with file:line:column',
  },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('validate', args, flags, usage);
  let project;
  try {
    project = loadProject({ config: values.config, cwd: io.cwd, env: io.env });
  } catch (e) {
    // --json: the problems, with file:line:column, on stdout as well as the message on stderr.
    const shown = redactError(e, environmentRedactor(io.env));
    if (values.json) io.stdout.write(`${JSON.stringify({ valid: false, ...errorJson(shown, io.cwd) }, null, 2)}\n`);
    throw shown;
  }
  const { spec, warnings, specHash, file } = project.loaded;
  const shown = relative(io.cwd, file) || file;
  if (values.json) {
    const summary = {
      valid: true,
      ok: true,
      exitCode: ExitCode.Ok,
      file: shown,
      service: spec.service,
      release: spec.release,
      specHash,
      counts: {
        thresholds: Object.keys(spec.thresholds).length,
        criteria: spec.criteria.length,
        roles: Object.keys(spec.roles ?? {}).length,
      },
      warnings: warnings.map((w) => problemJson(w, io.cwd)),
      problems: [],
    };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const e = errStyles(io);
  for (const w of warnings) io.stderr.write(`${e.yellow('warning')} ${formatProblem(w)}\n`);
  const s = outStyles(io);
  io.stdout.write(
    `${s.green('valid')} ${shown}: ${spec.service} ${spec.release} · ${Object.keys(spec.thresholds).length} thresholds · ${spec.criteria.length} criteria · spec ${specHash.slice(0, 19)}\n`,
  );
  return ExitCode.Ok;
}
