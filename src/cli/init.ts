import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { specJsonSchema } from '../spec/json-schema.js';
import { initTemplate } from '../spec/templates.js';
import { oneOf, parseFlags, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive init [--template web-service|minimal] [--service NAME] [-c FILE] [--force]';
export const summary = 'write a commented golive.yaml to start from';

export const flags = {
  template: {
    type: 'string',
    value: 'NAME',
    description: 'the template: web-service or minimal',
    default: 'web-service',
  },
  service: {
    type: 'string',
    value: 'NAME',
    description: 'the service name written into the spec',
    default: 'my-service',
  },
  force: { type: 'boolean', description: 'overwrite an existing file' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('init', args, flags, usage);
  const template = oneOf('init', 'template', values.template ?? 'web-service', ['web-service', 'minimal'] as const);
  const file = resolve(io.cwd, values.config ?? 'golive.yaml');
  if (existsSync(file) && !values.force) {
    throw new GoliveError('GL_SPEC_EXISTS', `${relative(io.cwd, file) || file} already exists`, {
      hint: 'pass --force to overwrite it, or -c to write another file',
    });
  }
  const schema = schemaFor(dirname(file), Boolean(values.force));
  const text = initTemplate(template, { ...(values.service ? { service: values.service } : {}), schema: schema.ref });
  // init is a writing command: the spec's folder is created like the file (`-c svc/golive.yaml`).
  const writing = (target: string, write: () => void): void => {
    try {
      write();
    } catch (e) {
      throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write ${target}: ${(e as Error).message}`, {
        hint: 'check the folder exists or can be created and is writable, or pass -c to write elsewhere',
      });
    }
  };
  writing(dirname(file), () => mkdirSync(dirname(file), { recursive: true }));
  const schemaFile = schema.write;
  if (schemaFile)
    writing(schemaFile, () => writeFileSync(schemaFile, `${JSON.stringify(specJsonSchema(), null, 2)}\n`));
  writing(file, () => writeFileSync(file, text, { flag: values.force ? 'w' : 'wx' }));
  const shown = (f: string): string => relative(io.cwd, f) || f;
  io.stdout.write(
    `wrote ${shown(file)} (${template} template)\n` +
      (schema.write
        ? `wrote ${shown(schema.write)} for editor completion (refresh it after upgrading golive: golive schema > ${shown(schema.write)})\n`
        : `editor completion: ${schema.ref} (the installed golive's schema)\n`) +
      'next: edit it, then run golive validate and golive check\n',
  );
  return ExitCode.Ok;
}

const SCHEMA_IN_PACKAGE = join('node_modules', 'golive', 'schema', 'golive.schema.json');
const SCHEMA_FILE = 'golive.schema.json';

/**
 * The `$schema` the spec's first line points at, so that it resolves from the
 * spec's folder: the installed package's schema when golive is a dependency of
 * the project (found as Node finds packages, in the nearest node_modules up
 * the tree; it follows upgrades), else a golive.schema.json written beside the
 * spec (kept if it exists, unless --force).
 */
function schemaFor(dir: string, force: boolean): { ref: string; write?: string } {
  for (let d = dir; ; d = dirname(d)) {
    const installed = join(d, SCHEMA_IN_PACKAGE);
    const rel = relative(dir, installed).split(sep).join('/');
    if (existsSync(installed)) return { ref: rel.startsWith('../') ? rel : `./${rel}` };
    if (dirname(d) === d) break;
  }
  const beside = join(dir, SCHEMA_FILE);
  return { ref: `./${SCHEMA_FILE}`, ...(force || !existsSync(beside) ? { write: beside } : {}) };
}
