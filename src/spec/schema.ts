import { z } from 'zod';
import { boundedDuration, Duration } from './common.js';
import {
  HEADER_TOKEN,
  HEADER_VALUE,
  LOAD_LIMITS as L,
  rangedDuration,
  REQUEST_PATH,
  rangedInt,
  rangedRate,
  stageTargetProblems,
} from './load-limits.js';
import { Drills } from './drills.js';
import { Probes } from './probes.js';
import { Scan } from './scan.js';

/**
 * The golive.yaml schema: the single source of truth for the spec's types,
 * defaults and descriptions. `golive schema` prints the JSON Schema generated
 * from it; `schema/golive.schema.json` is a committed copy that a test keeps in step.
 *
 * Cross-field rules (criteria that name unknown thresholds, unknown roles …)
 * live in `validate.ts`, which reports every problem at once with positions.
 */

// Shared with the section files (see common.ts); still exported from here for existing importers.
export { Duration };

const RoleName = z.string().min(1).describe('A role named under `roles`, e.g. "Tech Lead".');

export const TargetStart = z
  .strictObject({
    command: z.string().min(1).describe('Shell command that starts the service under test.'),
    ready: z
      .string()
      .min(1)
      .describe(
        'Path on baseUrl (e.g. /health) or an absolute http(s) URL that answers 2xx/3xx once the service is ready.',
      ),
    timeout: boundedDuration({ max: '1h' })
      .default('30s')
      .describe('How long to wait for `ready` before giving up. Default 30s, at most 1h.'),
    cwd: z
      .string()
      .optional()
      .describe('Working folder for the command, relative to the spec file. Default: the spec folder.'),
    env: z.record(z.string(), z.string()).optional().describe('Extra environment variables for the command.'),
    daemon: z
      .boolean()
      .optional()
      .describe(
        'The command hands the service to a supervisor and returns (docker compose up -d, pm2 start): it must exit 0 before the service counts as ready, and golive does not stop what it handed over (use target.stop). Default false: the service is ready only while a process the command started still runs.',
      ),
  })
  .describe('Start the service under test before collecting, and stop it afterwards (like Playwright webServer).');

/** Header names are tokens and values one line, so a header cannot end the request head early. */
const RequestHeaders = z.record(
  z.string().regex(HEADER_TOKEN),
  z.string().regex(HEADER_VALUE, { error: 'a header value must not contain CR, LF or NUL' }),
  {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? "expected a header name: one word of letters, digits and !#$%&'*+-.^_`|~"
        : undefined,
  },
);

export const TargetStop = z
  .strictObject({
    command: z
      .string()
      .min(1)
      .describe(
        'Shell command that stops the service (docker compose down), run after the check, in target.start.cwd with its env.',
      ),
    timeout: boundedDuration({ max: '1h' })
      .default('30s')
      .describe('How long the stop command may run before it is killed. Default 30s, at most 1h.'),
  })
  .describe('Stop the service after the check; needed with target.start.daemon, which golive does not stop itself.');

export const Target = z
  .strictObject({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL like http://127.0.0.1:8080' })
      .describe('Where the service under test answers.'),
    start: TargetStart.optional(),
    stop: TargetStop.optional(),
    headers: RequestHeaders.optional().describe(
      'Headers sent with every request to the target; values are redacted in every output.',
    ),
    timeout: boundedDuration({ max: '10m' })
      .default('10s')
      .describe('Timeout for each probe request. Default 10s, at most 10m.'),
  })
  .describe('The running staging deployment that evidence is gathered against.');

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const LoadRequest = z
  .union([
    z.string().regex(/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \/\S*$/, {
      error: 'expected "METHOD /path", like "GET /products"',
    }),
    z.strictObject({
      name: z.string().optional().describe('Name in per-request metrics. Default "METHOD /path".'),
      method: z.enum(HTTP_METHODS).default('GET'),
      path: z.string().regex(REQUEST_PATH, { error: 'expected a path starting with /, without spaces or CR/LF' }),
      headers: RequestHeaders.optional().describe('Headers for this request, over target.headers.'),
      body: z.string().optional().describe('Raw request body.'),
      json: z.unknown().optional().describe('JSON request body; sets Content-Type.'),
      expect: z
        .union([
          z.int().min(100).max(599),
          z.strictObject({
            status: z.int().min(100).max(599).optional().describe('Expected status.'),
            contains: z.string().optional().describe('Text the body must contain.'),
            json: z
              .string()
              .regex(/^\$/, { error: 'expected a JSON path like $.token' })
              .optional()
              .describe('JSON path that must exist in the body.'),
          }),
        ])
        .optional()
        .describe('Expected status (a number), or { status, contains, json }; without it any 2xx/3xx passes.'),
      extract: z
        .record(
          z.string().regex(/^[a-z_][\w]*$/, { error: 'expected a lower-case variable name' }),
          z.union([
            z.string().regex(/^\$/, { error: 'expected a JSON path like $.token, or { regex } or { header }' }),
            z.strictObject({ regex: z.string() }),
            z.strictObject({ header: z.string() }),
          ]),
        )
        .optional()
        .describe(
          'Values for later requests of the iteration: a JSON path ($.token), { regex: "id=(\\d+)" } or { header: X-Token }. Use them as ${name}.',
        ),
      think: rangedDuration(0, L.thinkMs).optional().describe('Pause after this request (at most 1h).'),
    }),
  ])
  .describe('One request: "GET /path", or an object with method, path, headers, body or json, expect.');

export const LoadScenario = z
  .strictObject({
    executor: z
      .enum(['constant-arrival-rate', 'ramping-arrival-rate', 'constant-connections', 'ramping-connections'])
      .describe(
        'Open model at a fixed rate or ramping through stages (latency corrected for coordinated omission), or closed model with a fixed or ramping number of connections.',
      ),
    rate: rangedRate(false, '800/s, 30/m or 500')
      .optional()
      .describe('Arrivals per second (constant-arrival-rate), e.g. 800/s; at most 200000/s.'),
    startRate: rangedRate(true, '10/s').optional().describe('ramping-arrival-rate: the rate at the start. Default 0.'),
    startConnections: rangedInt(1, L.connections)
      .optional()
      .describe('ramping-connections: connections at the start. Default 1.'),
    stages: z
      .array(
        z.strictObject({
          duration: rangedDuration(0, L.durationMs),
          target: z.union([
            z.number().min(0),
            z.string().regex(/^\d+(?:\.\d+)?(?:\/(?:s|m|h))?$/, {
              error: 'expected a rate like 200/s, or a number of connections',
            }),
          ]),
        }),
      )
      .optional()
      .describe(
        'Ramping executors: the rate (ramping-arrival-rate, target like 200/s) or the connections (ramping-connections, target like 50) move linearly to each target over its duration.',
      ),
    connections: rangedInt(1, L.connections)
      .optional()
      .describe('Connections. Default: 10 (closed), rate/2 capped at 2000 (open).'),
    pipelining: rangedInt(1, L.pipelining)
      .optional()
      .describe('HTTP/1.1 pipelining: iterations in flight on each connection at once. Default 1.'),
    maxInFlight: rangedInt(1, L.maxInFlight)
      .optional()
      .describe('Open model: most arrivals outstanding before one is counted as dropped.'),
    duration: rangedDuration(1, L.durationMs)
      .optional()
      .describe('Hard stop after this long (at most 24h). Default 10s when no maxRequests.'),
    maxRequests: rangedInt(1, L.maxRequests).optional().describe('Hard stop after this many requests.'),
    gracefulStop: rangedDuration(0, L.gracefulStopMs)
      .optional()
      .describe(
        'At the end no new iteration starts; requests still in flight may take this long, then they are cut and counted as interrupted (load.<scenario>.interrupted). Default 5s.',
      ),
    timeout: rangedDuration(1, L.timeoutMs).default('10s').describe('Per-request timeout (at most 1h). Default 10s.'),
    requests: z
      .array(LoadRequest)
      .min(1)
      .optional()
      .describe(
        'One iteration: the requests in order, with ${vu}, ${iter}, ${uuid}, data columns and extracted values. Give requests or mix.',
      ),
    mix: z
      .array(
        z.strictObject({
          name: z
            .string()
            .regex(/^[a-z][\w-]*$/, { error: 'expected a lower-case flow name' })
            .optional()
            .describe('Name in metrics (load.<scenario>.mix.<name>.iterations). Default flow-1, flow-2 …'),
          weight: z.number().positive().max(L.weight).describe('Share of iterations: weight / sum of weights.'),
          requests: z.array(LoadRequest).min(1).describe('The flow: requests in order, as in requests.'),
        }),
      )
      .min(1)
      .optional()
      .describe(
        'A weighted mix of iteration flows: each iteration runs one flow, picked by weight (interleaved, exact over every cycle of the weights). Give requests or mix.',
      ),
    startTime: rangedDuration(0, L.durationMs)
      .optional()
      .describe('Start this long after the load phase begins (scenarios running concurrently). Default 0.'),
    data: z
      .strictObject({
        file: z.string().describe('CSV file, relative to golive.yaml; the first line names the columns.'),
        mode: z
          .enum(['sequential', 'random', 'unique'])
          .default('sequential')
          .describe('Row per iteration: in turn, at random, or each row once.'),
      })
      .optional()
      .describe('Data rows for iterations; columns become variables.'),
  })
  .refine((s) => (s.requests === undefined) !== (s.mix === undefined), {
    error: 'give either requests (one flow) or mix (weighted flows), not both or neither',
    path: ['requests'],
  })
  .refine((s) => new Set((s.mix ?? []).map((f, i) => f.name ?? `flow-${i + 1}`)).size === (s.mix ?? []).length, {
    error: 'two flows of the mix have the same name',
    path: ['mix'],
  })
  .refine((s) => s.executor !== 'constant-arrival-rate' || s.rate !== undefined, {
    error: 'constant-arrival-rate needs a rate, like rate: 500/s',
    path: ['rate'],
  })
  .refine((s) => !s.executor.startsWith('ramping-') || (s.stages?.length ?? 0) > 0, {
    error: 'a ramping executor needs stages, like stages: [{ duration: 30s, target: 200/s }]',
    path: ['stages'],
  })
  .superRefine((s, ctx) => stageTargetProblems(s.executor, s.stages ?? [], ctx))
  .describe('One load scenario. Metrics: load.<scenario>.latency.p95, load.<scenario>.error_rate …');

export const Load = z
  .strictObject({
    abortOnFail: z
      .union([
        z.boolean(),
        z.strictObject({ after: rangedDuration(0, L.durationMs).describe('Minimum time before a run may stop.') }),
      ])
      .optional()
      .describe(
        'Stop a scenario early once one of its load thresholds can no longer pass (errors, dropped, error_rate, latency percentiles).',
      ),
    run: z
      .enum(['concurrent', 'sequential'])
      .default('concurrent')
      .describe(
        'concurrent: every scenario starts together (after its startTime), as k6 runs them; sequential: one after the other. Default concurrent.',
      ),
    scenarios: z.record(
      z.string().regex(/^[a-z][\w-]*$/, { error: 'expected a lower-case scenario name' }),
      LoadScenario,
    ),
  })
  .refine((l) => l.run !== 'sequential' || Object.values(l.scenarios).every((s) => s.startTime === undefined), {
    error: 'startTime offsets concurrent scenarios; with run: sequential each scenario starts when the previous ends',
    path: ['run'],
  })
  .describe(
    'Load scenarios run by golive check, concurrently by default. Overall metrics: load.latency.p95, load.error_rate, load.rps, load.dropped.',
  );

export const CriterionType = z
  .enum(['AC', 'DoD', 'Non-goal'])
  .describe('Acceptance criterion, Definition of Done item, or explicit non-goal.');

export const Criterion = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z][\w.-]*$/, { error: 'expected an id like AC-1 or DoD-4' })
      .describe('Stable id, unique in the spec, e.g. AC-1; attestations, waivers and reports refer to it.'),
    type: CriterionType,
    title: z.string().min(1).describe('What must be true, in the words of the launch issue.'),
    thresholds: z
      .array(z.string())
      .optional()
      .describe('Names of thresholds (keys of `thresholds`) that must all pass.'),
    evidence: z
      .array(z.string())
      .optional()
      .describe('Evidence checks that must pass, e.g. ops.health, ops.version, or a whole collector such as ops.'),
    attest: RoleName.optional().describe(
      'A role (defined under `roles`) that must attest this item by hand (`golive attest`).',
    ),
    notes: z.string().optional().describe('Free text shown in the matrix.'),
  })
  .describe('One row of the AC/DoD coverage matrix.');

export const Signoff = z
  .strictObject({
    required: z
      .array(RoleName)
      .min(1)
      .describe('Roles (defined under `roles`) that must each sign go before the decision can be GO.'),
    final: RoleName.optional().describe(
      'Role (defined under `roles`) that signs last, e.g. Sponsor; also required for GO.',
    ),
    allowSamePerson: z
      .boolean()
      .optional()
      .describe(
        'Let one person hold the go of several required roles (and the final role). Default false: golive signoff refuses it and such sign-offs do not count.',
      ),
  })
  .describe('Who must sign the go/no-go decision.');

export const Store = z
  .strictObject({
    path: z
      .string()
      .default('.golive/golive.db')
      .describe('SQLite database file, relative to the spec file. Default .golive/golive.db.'),
  })
  .describe('Where evidence, sign-offs and the audit log are kept.');

export const SpecSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    version: z.literal(1, { error: 'expected version: 1' }).describe('Spec format version. Always 1.'),
    service: z.string().min(1).describe('Name of the service going live.'),
    release: z.string().min(1).describe('The release being gated; /version must report it.'),
    secrets: z
      .array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'expected an environment variable name like API_TOKEN' }))
      .default([])
      .describe(
        'Environment variables whose values are secret whether or not the spec uses them (the target and drill commands see the whole environment), besides those named like secrets (…TOKEN, …SECRET, …PASSWORD, …_KEY, …_PW, …_AUTH, …_DSN …) and those used in headers, cookies, URL passwords and secret-named parameters. Secrets of 6 characters or more are redacted from every output; other values, such as the target URL, are shown.',
      ),
    target: Target,
    roles: z
      .record(z.string(), z.string())
      .default({})
      .describe('Role name → owner (a name or e-mail), e.g. "Tech Lead": sam@example.com.'),
    thresholds: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Metric name → bound, written before execution, e.g. load.latency.p95: "< 200ms". Grammar: docs/thresholds.md.',
      ),
    probes: Probes.optional(),
    load: Load.optional(),
    drills: Drills.optional(),
    scan: Scan.optional(),
    criteria: z.array(Criterion).default([]).describe('The AC/DoD coverage matrix.'),
    signoff: Signoff.optional(),
    store: Store.default({ path: '.golive/golive.db' }),
  })
  .describe('golive readiness plan: thresholds, probes, criteria and sign-offs for one release.');

export type Spec = z.output<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;
export type Criterion = z.output<typeof Criterion>;
export type LoadScenario = z.output<typeof LoadScenario>;
export type CriterionType = z.output<typeof CriterionType>;
