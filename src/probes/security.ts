import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Collector, CollectContext } from '../collect/collector.js';
import { GoliveError } from '../errors.js';
import type { Check, Evidence, Finding, Metric } from '../model.js';
import { SECURITY_PROBES, SecurityProbes, type SecurityProbeName, type SecurityProbesSpec } from '../spec/probes.js';
import type { Spec } from '../spec/schema.js';
import { createRedactor, isSensitiveHeader, redactDeep } from '../spec/redact.js';
import { parseDuration } from '../target/duration.js';
import { probeAuth } from './auth.js';
import { probeExposure, EXPOSURE_RULES } from './exposure.js';
import { defaultHttpUrl, fetchGraded, probeCookies, probeCors, probeHeaders } from './headers.js';
import { probeInjection } from './injection.js';
import { probeRateLimit } from './ratelimit.js';
import type { ProbeOutcome, SecContext } from './security-context.js';
import { SecClient } from './security-http.js';
import { probeTls } from './tls.js';

export interface SecurityRunOptions {
  /** The target; every request goes to its origin, and to the redirection test's http URL (`cfg.httpUrl`, else http://host/ for an https target on 443). */
  baseUrl: string;
  /** The probes.security section (defaults applied). */
  cfg: SecurityProbesSpec;
  /** Headers for every request (target.headers); left out of anonymous auth requests. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** PEM of an extra CA to trust in the TLS check. */
  ca?: string;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  now?: () => Date;
}

/** Requests any one security run may send, whatever the spec says: the hard cap behind every loop. */
export const MAX_PROBE_REQUESTS = 5000;

/** The probes that apply when `run` is not given: tls only for https, the route probes only with routes. */
export function probesToRun(cfg: SecurityProbesSpec, https: boolean): SecurityProbeName[] {
  if (cfg.run) return SECURITY_PROBES.filter((p) => cfg.run?.includes(p));
  return SECURITY_PROBES.filter((p) => {
    if (p === 'tls') return https;
    if (p === 'auth') return cfg.protected.length > 0;
    if (p === 'ratelimit') return cfg.public.length > 0;
    if (p === 'injection') return Object.keys(cfg.params).length > 0;
    return true;
  });
}

/** Runs the security probes against one target and returns their evidence (collector `security`). */
export async function runSecurityProbes(opts: SecurityRunOptions): Promise<Evidence> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { cfg } = opts;
  const https = new URL(opts.baseUrl).protocol === 'https:';
  const probes = probesToRun(cfg, https);
  const budget = Math.min(
    MAX_PROBE_REQUESTS,
    16 +
      EXPOSURE_RULES.length +
      cfg.exposure.length +
      cfg.protected.length * (1 + Object.keys(cfg.credentials).length) +
      cfg.public.length * (cfg.burst + cfg.concurrency) +
      Object.values(cfg.params).reduce((s, p) => s + p.length, 0) * 7 * cfg.injectionMethods.length,
  );
  const httpUrl = cfg.httpUrl ?? (https ? defaultHttpUrl(opts.baseUrl) : undefined);
  const client = new SecClient({
    origin: opts.baseUrl,
    // The http URL of the redirection test: the one the user named, else the target's own host on port 80.
    ...(httpUrl ? { extraOrigins: [httpUrl] } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    timeoutMs: opts.timeoutMs,
    maxBytes: cfg.maxBodyBytes,
    concurrency: cfg.concurrency,
    maxRequests: budget,
    maxDurationMs: parseDuration(cfg.maxDuration),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const ctx: SecContext = {
    client,
    cfg,
    baseUrl: opts.baseUrl,
    https,
    ...(opts.ca ? { ca: opts.ca } : {}),
    progress: opts.progress ?? (() => undefined),
  };
  const outcomes: ProbeOutcome[] = [];
  const skipped = (id: string, why: string): ProbeOutcome => ({
    check: { id: `security.${id}`, status: 'skipped', summary: why },
    findings: [],
    metrics: [],
  });
  const needsPage = probes.some((p) => p === 'headers' || p === 'cookies' || p === 'cors');
  if (probes.includes('tls')) {
    outcomes.push(https ? await probeTls(ctx, now()) : skipped('tls', 'not an https target'));
  }
  const page = needsPage ? await fetchGraded(ctx) : undefined;
  for (const p of probes) {
    if (opts.signal?.aborted) break;
    if (p === 'tls') continue;
    if (p === 'headers' && page) outcomes.push(await probeHeaders(ctx, page));
    if (p === 'cookies' && page) outcomes.push(probeCookies(ctx, page));
    if (p === 'cors' && page) outcomes.push(probeCors(ctx, page));
    if (p === 'exposure') outcomes.push(await probeExposure(ctx));
    if (p === 'auth') {
      outcomes.push(cfg.protected.length ? await probeAuth(ctx) : skipped('auth', 'no protected routes in the spec'));
    }
    if (p === 'ratelimit') {
      outcomes.push(
        cfg.public.length ? await probeRateLimit(ctx) : skipped('ratelimit', 'no public routes in the spec'),
      );
    }
    if (p === 'injection') {
      outcomes.push(
        Object.keys(cfg.params).length ? await probeInjection(ctx) : skipped('injection', 'no params in the spec'),
      );
    }
  }
  const evidence = toEvidence(outcomes, startedAt, now().toISOString(), client.sent, opts.signal?.aborted ?? false);
  // Credentials never leave in evidence, even written literally in the spec or echoed back by the target.
  return redactDeep(evidence, createRedactor(credentialValues(opts.headers ?? {}, cfg)));
}

/**
 * Every header value that authenticates, and the token after its scheme ("Bearer abc" → also "abc"):
 * the sensitive headers among `headers` (isSensitiveHeader: Authorization, X-Api-Key …, not
 * X-Forwarded-Proto) and every role credential.
 */
export function credentialValues(headers: Record<string, string>, cfg: SecurityProbesSpec): string[] {
  const values = [
    ...Object.entries(headers).flatMap(([name, v]) => (isSensitiveHeader(name) ? [v] : [])),
    ...Object.values(cfg.credentials).flatMap((h) => Object.values(h)),
  ];
  return values.flatMap((v) => {
    const token = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(v)?.[1];
    return token ? [v, token] : [v];
  });
}

const RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

function toEvidence(
  outcomes: ProbeOutcome[],
  startedAt: string,
  endedAt: string,
  sent: number,
  aborted: boolean,
): Evidence {
  const checks: Check[] = outcomes.map((o) => o.check);
  const findings: Finding[] = outcomes.flatMap((o) => o.findings).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const count = (s: keyof typeof RANK): number => findings.filter((f) => f.severity === s).length;
  const metrics: Metric[] = [
    ...outcomes.flatMap((o) => o.metrics),
    { name: 'security.findings', value: findings.length, unit: 'count' },
    { name: 'security.findings.critical', value: count('critical'), unit: 'count' },
    { name: 'security.findings.high', value: count('high'), unit: 'count' },
    { name: 'security.requests', value: sent, unit: 'count' },
  ];
  const failed = checks.filter((c) => c.status === 'fail');
  const errored = checks.filter((c) => c.status === 'error');
  const status = failed.length ? 'fail' : errored.length || aborted ? 'error' : 'pass';
  const grade = outcomes.find((o) => o.data?.observatory)?.data?.observatory as
    { grade: string; score: number } | undefined;
  const parts = [
    ...(grade ? [`headers grade ${grade.grade} (${grade.score})`] : []),
    findings.length
      ? `${findings.length} finding${findings.length > 1 ? 's' : ''} (${(
          ['critical', 'high', 'medium', 'low', 'info'] as const
        )
          .filter((s) => count(s))
          .map((s) => `${count(s)} ${s}`)
          .join(', ')})`
      : 'no findings',
    ...(errored.length ? [`${errored.length} probe(s) could not run: ${errored.map((c) => c.id).join(', ')}`] : []),
    ...(aborted ? ['interrupted'] : []),
  ];
  const data: Record<string, unknown> = { requests: sent };
  for (const o of outcomes) Object.assign(data, o.data ?? {});
  return {
    collector: 'security',
    status,
    summary: parts.join('; '),
    startedAt,
    endedAt,
    metrics,
    checks,
    findings,
    artifacts: [],
    data,
    ...(errored.length ? { error: errored.map((c) => `${c.id}: ${c.summary}`).join('; ') } : {}),
    scansForFindings: true,
  };
}

/** Reads probes.security.tls.ca (relative to the spec); a missing file is invalid input. */
export function readCa(path: string | undefined, dir: string): string | undefined {
  if (!path) return undefined;
  const full = resolve(dir, path);
  try {
    return readFileSync(full, 'utf8');
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_FOUND', `cannot read the CA file ${full}: ${(e as Error).message}`, {
      hint: 'fix probes.security.tls.ca (a PEM file, relative to golive.yaml), or --ca',
    });
  }
}

/**
 * Checks the input before any traffic: the extra exposure matchers compile, and
 * every role a protected route names has credentials (a typo would otherwise
 * pass the role check silently).
 */
export function checkSecurityInput(cfg: SecurityProbesSpec): void {
  const roles = new Set(Object.keys(cfg.credentials));
  const roleProblems = cfg.protected.flatMap((r, i) =>
    typeof r === 'string'
      ? []
      : r.roles
          .filter((role) => !roles.has(role))
          .map((role) => ({
            path: `probes.security.protected[${i}].roles`,
            message: `role "${role}" has no credentials`,
            hint: `add it under probes.security.credentials (known: ${[...roles].join(', ') || 'none'})`,
          })),
  );
  const problems = cfg.exposure.flatMap((e, i) => {
    try {
      new RegExp(e.match, 'm');
      return [];
    } catch (err) {
      return [
        {
          path: `probes.security.exposure[${i}].match`,
          message: `not a valid regular expression: ${(err as Error).message}`,
        },
      ];
    }
  });
  if (problems.length || roleProblems.length) {
    throw new GoliveError('GL_SPEC_INVALID', 'probes.security has invalid input', {
      problems: [...problems, ...roleProblems],
      hint: problems.length
        ? 'write a JavaScript regular expression, e.g. match: "BEGIN RSA PRIVATE KEY"'
        : 'name only roles that have credentials',
    });
  }
}

/** The defaults of probes.security, for `golive probe URL` without a spec. */
export function defaultSecurityConfig(overrides: Record<string, unknown> = {}): SecurityProbesSpec {
  return SecurityProbes.parse(overrides);
}

export const securityCollector: Collector = {
  name: 'security',
  description:
    'security probes: headers (Observatory grade), exposure, auth, rate limiting, CORS, TLS, injection, cookies',
  produces: ['security.'],
  enabled: (spec: Spec) => spec.probes?.security !== undefined,
  prepare(spec, specDir) {
    const cfg = spec.probes?.security;
    if (!cfg) return;
    checkSecurityInput(cfg);
    readCa(cfg.tls.ca, specDir);
  },
  async collect(ctx: CollectContext): Promise<Evidence> {
    const cfg = ctx.spec.probes?.security as SecurityProbesSpec;
    const ca = readCa(cfg.tls.ca, ctx.specDir);
    return runSecurityProbes({
      baseUrl: ctx.spec.target.baseUrl,
      cfg,
      headers: ctx.headers,
      timeoutMs: parseDuration(ctx.spec.target.timeout),
      ...(ca ? { ca } : {}),
      signal: ctx.signal,
      progress: ctx.progress,
      now: ctx.now,
    });
  },
};
