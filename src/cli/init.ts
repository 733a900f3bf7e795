import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { initTemplate } from '../spec/templates.js';
import { oneOf, parseFlags } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive init [--template web-service|minimal] [--service NAME] [-c FILE] [--force]';
export const summary = 'write a commented golive.yaml to start from';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    'init',
    args,
    { template: { type: 'string' }, service: { type: 'string' }, force: { type: 'boolean' } },
    usage,
  );
  const template = oneOf('init', 'template', values.template ?? 'web-service', ['web-service', 'minimal'] as const);
  const file = resolve(io.cwd, values.config ?? 'golive.yaml');
  if (existsSync(file) && !values.force) {
    throw new GoliveError('GL_SPEC_EXISTS', `${relative(io.cwd, file) || file} already exists`, {
      hint: 'pass --force to overwrite it, or -c to write another file',
    });
  }
  const text = initTemplate(template, values.service ? { service: values.service } : {});
  try {
    writeFileSync(file, text, { flag: values.force ? 'w' : 'wx' });
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write ${file}: ${(e as Error).message}`);
  }
  io.stdout.write(
    `wrote ${relative(io.cwd, file)} (${template} template)\nnext: edit it, then run golive validate and golive check\n`,
  );
  return ExitCode.Ok;
}
