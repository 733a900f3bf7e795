import { relative } from 'node:path';
import { loadProject } from '../api/project.js';
import { formatProblem } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from './args.js';
import { styles, type CliIo } from './io.js';

export const usage = 'golive validate [-c FILE]';
export const summary = 'check golive.yaml against the schema and report every problem at once';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('validate', args, {}, usage);
  const project = loadProject({ config: values.config, cwd: io.cwd, env: io.env });
  const s = styles(io.isTTY);
  const { spec, warnings, specHash, file } = project.loaded;
  for (const w of warnings) io.stderr.write(`${s.yellow('warning')} ${formatProblem(w)}\n`);
  io.stdout.write(
    `${s.green('valid')} ${relative(io.cwd, file) || file}: ${spec.service} ${spec.release} · ${Object.keys(spec.thresholds).length} thresholds · ${spec.criteria.length} criteria · spec ${specHash.slice(0, 19)}\n`,
  );
  return ExitCode.Ok;
}
