import { ExitCode } from '../exit-codes.js';
import { specJsonSchema } from '../spec/json-schema.js';
import { parseFlags, type FlagTable } from './args.js';
import type { CliIo } from './io.js';

export const usage = 'golive schema';
export const summary = 'print the JSON Schema of golive.yaml (for editor completion)';

export const flags = {} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  parseFlags('schema', args, flags, usage);
  io.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
  return ExitCode.Ok;
}
