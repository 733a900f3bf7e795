import { collectors } from '../collect/registry.js';
import { GoliveError } from '../errors.js';
import { parseFlags, type FlagTable } from './args.js';
import type { CliIo } from './io.js';
import { runDrill } from './run-drill.js';

export const usage =
  'golive drill KIND [-c FILE] [--out DIR] [--json]   (KIND: rollback, alarm, restore, alerts, smoke)';
export const summary = 'run one operational drill from the spec (rollback rehearsal, alarm test, backup/restore …)';

export const flags = {
  out: {
    type: 'string',
    value: 'DIR',
    description: 'folder for evidence.json and the drill’s logs',
    default: 'golive-report/drill.KIND/ beside golive.yaml',
  },
  json: { type: 'boolean', description: 'print the evidence as JSON instead of the summary' },
} as const satisfies FlagTable;

/** Drills are the collectors named `drill.<kind>`; this command runs one of them on its own. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('drill', args, flags, usage, 1);
  const kinds = collectors.filter((c) => c.name.startsWith('drill.')).map((c) => c.name.slice('drill.'.length));
  const kind = positionals[0];
  if (!kind) {
    throw new GoliveError('GL_ARG_INVALID', 'golive drill: which drill?', {
      hint: `name one of: ${kinds.join(', ') || '(none registered)'}`,
    });
  }
  const collector = collectors.find((c) => c.name === `drill.${kind}`);
  if (!collector) {
    throw new GoliveError('GL_ARG_INVALID', `golive drill: unknown drill "${kind}"`, {
      hint: `name one of: ${kinds.join(', ') || '(none registered)'}`,
    });
  }
  return runDrill(collector, collector.name, values, io);
}
