import type { CliIo } from './io.js';
import { run as runDrill } from './drill.js';

export const usage = 'golive verify [-c FILE] [--out DIR] [--json]';
export const summary =
  'post-deployment smoke test: the critical paths of drills.smoke at a low rate, against error-rate and p95 targets';

/**
 * `golive verify` is `golive drill smoke` under the name the launch plan uses
 * (post-deployment verification). Exit 0 when the targets are met, 1 when one
 * is missed, 3 when it could not run.
 */
export function run(args: string[], io: CliIo): Promise<number> {
  return runDrill(['smoke', ...args], io);
}
