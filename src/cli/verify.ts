import { smokeCollector } from '../drills/smoke.js';
import { parseFlags, type FlagTable } from './args.js';
import { PLAIN_PROGRESS_EVERY_MS, type CliIo } from './io.js';
import { runDrill } from './run-drill.js';

export const usage = 'golive verify [-c FILE] [--out DIR] [--json]';
export const summary =
  'post-deployment smoke test: the critical paths of drills.smoke at a low rate, against error-rate and p95 targets';

export const flags = {
  out: {
    type: 'string',
    value: 'DIR',
    description: 'folder for evidence.json',
    default: 'golive-report/drill.smoke/ beside golive.yaml',
  },
  json: { type: 'boolean', description: 'print the evidence as JSON instead of the summary' },
} as const satisfies FlagTable;

/**
 * `golive verify`: the post-deployment smoke test (`golive drill smoke` under
 * the name the launch plan uses). Exit 0 when every target is met, 1 when one
 * is missed, 3 when it could not run.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('verify', args, flags, usage, 0);
  return runDrill(smokeCollector, 'verify', values, io, PLAIN_PROGRESS_EVERY_MS);
}
