import { z } from 'zod';
import { boundedDuration } from './common.js';
// schema.ts imports this file (through drills.ts): its exports are read lazily, after both have loaded.
import { LoadRequest } from './schema.js';

/**
 * `drills.rollback` and `drills.smoke`: the release-side drills (rollback
 * rehearsal, post-deployment smoke test). Collectors: src/drills/rollback.ts,
 * src/drills/smoke.ts.
 */

const UrlPath = z
  .string()
  .regex(/^\//, { error: 'expected a path starting with /, like /health' })
  .describe('A path on the target, starting with /.');

const Rate = z
  .string()
  .regex(/^\d+(?:\.\d+)?\/s$/, { error: 'expected a rate per second, like 10/s' })
  .describe('Requests per second, like 10/s.');

/** A drill command: a shell line, or an object with its own timeout. */
export const DrillCommand = z
  .union([
    z.string().min(1),
    z.strictObject({
      command: z.string().min(1).describe('Shell command line (run with sh -c in the spec folder).'),
      timeout: boundedDuration({ max: '24h' })
        .optional()
        .describe('Killed (with its whole process group) after this long. At most 24h.'),
    }),
  ])
  .describe('A shell command (run with sh -c in the spec folder), or { command, timeout }.');

export const RollbackDrill = z
  .strictObject({
    deploy: DrillCommand.describe(
      'Deploys the release under test (e.g. ./deploy.sh v1.4.0). Default timeout 2m. Its output is kept as an artifact.',
    ),
    rollback: DrillCommand.describe(
      'Rolls back to the previous version (e.g. ./rollback.sh). Default timeout: `within`. Its output is kept as an artifact.',
    ),
    expectVersion: z
      .string()
      .min(1)
      .describe('The previous version /version must report after the rollback, e.g. v1.3.2.'),
    newVersion: z
      .string()
      .min(1)
      .optional()
      .describe('The version /version must report after the deploy. Default: the spec `release`.'),
    within: boundedDuration({ max: '24h' })
      .default('5m')
      .describe(
        'The rollback must have the previous version healthy (and staying healthy for `settle`) within this long of its start. Default 5m, at most 24h.',
      ),
    settle: boundedDuration({ zero: true, max: '1h' })
      .default('5s')
      .describe(
        'How long the previous version must stay healthy before the rollback counts as done. Default 5s, 0s to 1h.',
      ),
    verifyTimeout: boundedDuration({ max: '1h' })
      .default('60s')
      .describe(
        'How long after the deploy command the new version may take to answer healthy. Default 60s, at most 1h.',
      ),
    rate: Rate.default('10/s').describe(
      'Probe traffic during the drill (GET on the version path), to show whether the switch drops requests. At most 100/s. Default 10/s.',
    ),
    health: UrlPath.optional().describe('Health path. Default: probes.ops.health, else /health.'),
    version: UrlPath.optional().describe('Version path. Default: probes.ops.version, else /version.'),
    requestTimeout: boundedDuration({ max: '10m' })
      .default('2s')
      .describe('Timeout of each probe request; a slower answer counts as an error. Default 2s, at most 10m.'),
    env: z
      .record(z.string(), z.string())
      .optional()
      .describe('Extra environment for the deploy and rollback commands.'),
  })
  .refine((r) => Number(r.rate.slice(0, -2)) > 0 && Number(r.rate.slice(0, -2)) <= 100, {
    error: 'the probe rate must be between 0 and 100/s: the drill shows downtime, it is not a load test',
    path: ['rate'],
  })
  .describe(
    'Rollback rehearsal: run the deploy, confirm the new version, run the rollback and time until the previous version is healthy, under low probe traffic. Metrics: drill.deploy.duration, drill.rollback.duration, drill.rollback.errors, drill.rollback.error_rate.',
  );

export const SmokeDrill = z
  .strictObject({
    requests: z
      .array(z.lazy(() => LoadRequest))
      .min(1)
      .describe('The critical paths, run in order each iteration (same form as load scenario requests).'),
    rate: Rate.default('5/s').describe('Iterations per second. At most 50/s. Default 5/s.'),
    duration: boundedDuration({ max: '1h' })
      .default('5s')
      .describe('How long the smoke test runs. Default 5s, at most 1h.'),
    timeout: boundedDuration({ max: '10m' }).default('5s').describe('Per-request timeout. Default 5s, at most 10m.'),
    maxErrorRate: z
      .string()
      .regex(/^\d+(?:\.\d+)?%$/, { error: 'expected a percentage, like 0.1%' })
      .refine((p) => Number(p.slice(0, -1)) > 0 && Number(p.slice(0, -1)) <= 100, {
        error: 'expected a percentage above 0%, at most 100%',
      })
      .default('0.1%')
      .describe(
        'The smoke test fails at this error rate or above (post-deployment target). Default 0.1%, above 0%, at most 100%.',
      ),
    maxP95: boundedDuration({ max: '10m' })
      .default('200ms')
      .describe(
        'The smoke test fails when p95 latency reaches this (post-deployment target). Default 200ms, at most 10m.',
      ),
    checkVersion: z
      .boolean()
      .default(true)
      .describe('Also check that the version path reports the spec `release`. Default true.'),
  })
  .refine((s) => Number(s.rate.slice(0, -2)) > 0 && Number(s.rate.slice(0, -2)) <= 50, {
    error: 'the smoke rate must be between 0 and 50/s: a smoke test is short and gentle; use load: for load',
    path: ['rate'],
  })
  .describe(
    'Post-deployment smoke test (golive verify): a short, low-rate run of the critical paths, failing at error rate >= 0.1 % or p95 >= 200 ms by default. Metrics: drill.smoke.*.',
  );

export const ReleaseDrills = z.strictObject({
  rollback: RollbackDrill.optional(),
  smoke: SmokeDrill.optional(),
});

export type RollbackDrill = z.output<typeof RollbackDrill>;
export type SmokeDrill = z.output<typeof SmokeDrill>;
