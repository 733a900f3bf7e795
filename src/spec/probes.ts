import { z } from 'zod';
import { boundedDuration } from './common.js';

/**
 * The `probes:` section: `ops` (operational endpoints) and `security` (headers
 * graded as the HTTP Observatory grades them, sensitive-path exposure, auth,
 * rate limiting, CORS, TLS, injection spot checks, cookies). docs/probes.md.
 */

const UrlPath = z
  .string()
  .regex(/^\//, { error: 'expected a path starting with /, like /health' })
  .describe('A path on the target, starting with /.');

/** An ops endpoint's path, or `false` for a service that does not have it: then it is not checked. */
const OpsPath = (path: string, what: string) =>
  z
    .union([UrlPath, z.literal(false)], { error: `expected a path starting with /, like ${path}, or false` })
    .default(path)
    .describe(`${what} Default ${path}; false when the service has none (shown as not checked).`);

export const OpsProbes = z
  .strictObject({
    health: OpsPath('/health', 'Liveness/readiness endpoint; must answer 2xx.'),
    version: OpsPath(
      '/version',
      'Reports the deployed version (JSON {"version": …} or plain text); must equal `release`.',
    ),
    metrics: OpsPath('/metrics', 'Prometheus text exposition endpoint.'),
    status: OpsPath('/status', 'Status page; must answer 2xx.'),
  })
  .describe('Operational endpoints the ops collector checks; set one to false to leave it out.');

/** The security probes, in the order they run. */
export const SECURITY_PROBES = [
  'tls',
  'headers',
  'cookies',
  'cors',
  'exposure',
  'auth',
  'ratelimit',
  'injection',
] as const;
export type SecurityProbeName = (typeof SECURITY_PROBES)[number];

/** "METHOD /path", e.g. "GET /orders". */
export const RouteString = z
  .string()
  .regex(/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \/\S*$/, {
    error: 'expected "METHOD /path", like "GET /orders"',
  })
  .describe('A route: "METHOD /path", like "GET /orders".');

const RoleKey = z.string().regex(/^[A-Za-z][\w-]*$/, { error: 'expected a role name like admin or user' });

export const ProtectedRoute = z
  .union([
    RouteString,
    z.strictObject({
      route: RouteString,
      roles: z
        .array(RoleKey)
        .min(1)
        .default([])
        .describe(
          'Roles (keys of `credentials`) allowed on this route; every other role must get 403. Default: any credentials are accepted.',
        ),
      allowWrites: z
        .boolean()
        .default(false)
        .describe(
          'Send the credentials to a route whose method writes (POST, PUT, PATCH, DELETE): each accepted request may create or change data on the target (roles × checks). Default false: only the anonymous request is sent, which the service must refuse.',
        ),
    }),
  ])
  .describe(
    '"METHOD /path" (any credentials are accepted; a write route gets only the anonymous request), or { route, roles, allowWrites } for a role-restricted route or to send credentials to a write route.',
  );

const RATE = /^\d+(?:\.\d+)?\/s$/;

/** Methods a burst may use without opting in: they read, and never change the target's data. */
export const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

export const PublicRoute = z
  .union([
    RouteString,
    z.strictObject({
      route: RouteString,
      allowWrites: z
        .boolean()
        .default(false)
        .describe(
          'Burst a route whose method writes (POST, PUT, PATCH, DELETE): every request of the burst may create or change data on the target (burst × checks). Default false: such a route is skipped.',
        ),
    }),
  ])
  .describe(
    '"METHOD /path"; a GET, HEAD or OPTIONS route is burst as is, any other method only as { route, allowWrites: true }.',
  );

export const ExposurePath = z
  .strictObject({
    path: UrlPath,
    match: z.string().min(1).describe('Regular expression the body must match for the exposure to count.'),
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).default('high').describe('Default high.'),
    title: z.string().optional().describe('What is exposed, for the finding. Default "<path> is exposed".'),
  })
  .describe('An extra sensitive path, confirmed only when its body matches `match`.');

export const SecurityProbes = z
  .strictObject({
    run: z
      .array(z.enum(SECURITY_PROBES))
      .min(1)
      .optional()
      .describe(
        'Which probes run. Default: all that apply (tls only for https, auth/ratelimit/injection only with routes/params).',
      ),
    path: UrlPath.default('/').describe('The page whose headers and cookies are graded. Default /.'),
    protected: z
      .array(ProtectedRoute)
      .default([])
      .describe('Routes that must refuse anonymous requests (401/403) and accept the credentials below.'),
    public: z
      .array(PublicRoute)
      .default([])
      .describe(
        'Public routes that must be rate limited (RateLimit headers, or a 429 within the burst). Write routes are skipped unless allowWrites: true.',
      ),
    params: z
      .record(UrlPath, z.array(z.string().min(1)).min(1))
      .default({})
      .describe('Path → query parameters for the injection spot checks, e.g. { /search: [q] }.'),
    injectionMethods: z
      .array(z.enum(['GET', 'POST']))
      .min(1)
      .default(['GET'])
      .describe('Methods the injection checks may use (POST sends the parameters as a form). Default [GET].'),
    credentials: z
      .record(RoleKey, z.record(z.string(), z.string()))
      .default({})
      .describe(
        'Role → headers that authenticate as that role, e.g. { user: { Authorization: "Bearer ${USER_TOKEN}" } }. Use ${ENV}: values are redacted.',
      ),
    exposure: z
      .array(ExposurePath)
      .default([])
      .describe('Sensitive paths checked in addition to the built-in list (/.env, /.git/config, /actuator/env …).'),
    burst: z
      .int()
      .min(1)
      .max(500, { error: 'at most 500: the burst is bounded (raise it only as far as the limit you expect)' })
      .default(100)
      .describe('Requests sent at most per public route when it shows no RateLimit headers. Default 100, max 500.'),
    burstRate: z
      .string()
      .regex(RATE, { error: 'expected a rate per second, like 50/s' })
      .refine((r) => !RATE.test(r) || (parseFloat(r) > 0 && parseFloat(r) <= 1000), {
        error: 'the burst rate must be above 0 and at most 1000/s',
      })
      .default('50/s')
      .describe('Requests per second a burst sends at most. Default 50/s, max 1000/s.'),
    concurrency: z.int().min(1).max(32).default(4).describe('Probe requests in flight at most. Default 4.'),
    maxDuration: boundedDuration({ max: '24h' })
      .default('5m')
      .describe(
        'The whole security run stops sending after this long; what is left is reported as error. Default 5m, at most 24h.',
      ),
    maxBodyBytes: z
      .int()
      .min(1024)
      .max(4 * 1024 * 1024)
      .default(256 * 1024)
      .describe('Bytes of each response body read at most. Default 262144 (256 KiB).'),
    httpUrl: z
      .url({ error: 'expected an http URL like http://staging.example.com' })
      .optional()
      .describe(
        'For an https target: the http URL that must redirect to it. Default http://<host>/ when the target uses port 443, else not checked.',
      ),
    tls: z
      .strictObject({
        ca: z
          .string()
          .optional()
          .describe('PEM file (relative to the spec) of a CA to trust besides the system ones, e.g. a staging CA.'),
        minDays: z
          .int()
          .min(0)
          .max(3650)
          .default(14)
          .describe('A certificate expiring in fewer days is a finding. Default 14, at most 3650.'),
      })
      .default({ minDays: 14 })
      .describe('TLS checks for an https target.'),
  })
  .describe('Security probes of the running target (collector `security`). docs/probes.md.');

export const Probes = z
  .strictObject({
    ops: OpsProbes.optional().describe('Check /health, /version, /metrics and /status. Set to {} for the defaults.'),
    security: SecurityProbes.optional().describe(
      'Headers, exposure, auth, rate limiting, CORS, TLS, injection and cookie probes. Set to {} for the defaults.',
    ),
  })
  .describe('Probes of the running target.');

export type SecurityProbesSpec = z.output<typeof SecurityProbes>;

/** A public route of probes.security, in one shape. */
export interface PublicRouteSpec {
  route: string;
  method: string;
  path: string;
  /** The method writes (not GET, HEAD or OPTIONS) and the spec did not opt the route in: no burst. */
  blocked: boolean;
}

/** "GET /orders" → { method, path }. */
export function splitRoute(route: string): { method: string; path: string } {
  const i = route.indexOf(' ');
  return { method: route.slice(0, i), path: route.slice(i + 1) };
}

/** The public routes, each with its method and whether a burst may be sent to it. */
export function publicRoutes(cfg: Pick<SecurityProbesSpec, 'public'>): PublicRouteSpec[] {
  return cfg.public.map((p) => {
    const route = typeof p === 'string' ? p : p.route;
    const allowWrites = typeof p === 'string' ? false : p.allowWrites;
    const { method, path } = splitRoute(route);
    return { route, method, path, blocked: !SAFE_METHODS.includes(method) && !allowWrites };
  });
}
