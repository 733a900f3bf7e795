import type { Finding } from '../model.js';
import {
  checkFor,
  errorOutcome,
  secFinding,
  splitRoute,
  type ProbeOutcome,
  type SecContext,
} from './security-context.js';
import type { SecResponse } from './security-http.js';

/** Headers that announce a rate limit: the IETF RateLimit fields (drafts) and the common X-RateLimit-* ones. */
const RATE_HEADERS = [
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
];

export function rateLimitHeaders(headers: Record<string, string>): string[] {
  return RATE_HEADERS.filter((h) => headers[h] !== undefined).map((h) => `${h}: ${headers[h]}`);
}

/**
 * The ratelimit probe, per public route: RateLimit / X-RateLimit headers on
 * the first answer pass; otherwise a burst of at most `burst` requests (in
 * waves of `concurrency`) must meet a 429, whose Retry-After is noted. No 429
 * and no headers is a finding. The burst stops at the first 429.
 */
export async function probeRateLimit(ctx: SecContext): Promise<ProbeOutcome> {
  const findings: Finding[] = [];
  const rows: Record<string, unknown>[] = [];
  let answered = 0;
  let sentTotal = 0;
  for (const route of ctx.cfg.public) {
    const { method, path } = splitRoute(route);
    const needsBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
    const send = (): Promise<SecResponse> =>
      ctx.client.send({
        method,
        url: ctx.client.url(path),
        ...(needsBody ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
      });
    ctx.progress(`ratelimit: ${route}`);
    const first = await send();
    let sent = 1;
    if (first.status === undefined) {
      rows.push({ route, error: first.error });
      continue;
    }
    answered++;
    const announced = rateLimitHeaders(first.headers);
    if (announced.length > 0) {
      rows.push({ route, headers: announced });
      continue;
    }
    let limited: SecResponse | undefined = first.status === 429 ? first : undefined;
    const wave = ctx.cfg.concurrency;
    while (!limited && sent < ctx.cfg.burst && ctx.client.budgetLeft > 0) {
      ctx.progress(`ratelimit: ${route} burst ${sent}/${ctx.cfg.burst}`);
      const n = Math.min(wave, ctx.cfg.burst - sent);
      const answers = await Promise.all(Array.from({ length: n }, send));
      sent += n;
      limited = answers.find((a) => a.status === 429);
      if (answers.every((a) => a.status === undefined)) break;
      const late = answers.find((a) => a.status !== undefined && rateLimitHeaders(a.headers).length > 0);
      if (late && !limited) {
        rows.push({ route, headers: rateLimitHeaders(late.headers), sent });
        break;
      }
    }
    sentTotal += sent;
    if (limited) {
      rows.push({ route, limitedAfter: sent, retryAfter: limited.headers['retry-after'] ?? null });
      continue;
    }
    if (rows.some((r) => r.route === route)) continue;
    rows.push({ route, sent, limited: false });
    findings.push(
      secFinding({
        rule: 'ratelimit.missing',
        severity: 'medium',
        title: `${route} is not rate limited: no RateLimit headers and no 429 after ${sent} requests`,
        method,
        path,
        evidence: `${sent} requests, statuses ${summarize(first.status)}…; no RateLimit / X-RateLimit headers`,
        remediation:
          'Limit requests per client on public endpoints (e.g. express-rate-limit, nginx limit_req) and answer 429 with Retry-After.',
      }),
    );
  }
  if (ctx.cfg.public.length > 0 && answered === 0) {
    return errorOutcome('security.ratelimit', `no public route answered: ${String(rows[0]?.error)}`);
  }
  return {
    check: checkFor('security.ratelimit', findings, `${ctx.cfg.public.length} public route(s) rate limited`),
    findings,
    metrics: [
      { name: 'security.ratelimit.missing', value: findings.length, unit: 'count' },
      { name: 'security.ratelimit.requests', value: sentTotal, unit: 'count' },
    ],
    data: { ratelimit: rows },
  };
}

const summarize = (s: number): string => String(s);
