import type { Finding } from '../model.js';
import { checkFor, errorOutcome, secFinding, type ProbeOutcome, type SecContext } from './security-context.js';
import type { SecResponse } from './security-http.js';
import { publicRoutes } from '../spec/probes.js';

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
 * waves of `concurrency`, paced to at most `burstRate`) must meet a 429,
 * whose Retry-After is noted. No 429 and no headers is a finding. The burst
 * stops at the first 429. A route whose method writes (POST, PUT, PATCH,
 * DELETE) is not sent a single request unless the spec sets `allowWrites:
 * true` on it: a burst of logins or sign-ups would change the target's data.
 */
export async function probeRateLimit(ctx: SecContext): Promise<ProbeOutcome> {
  const findings: Finding[] = [];
  const rows: Record<string, unknown>[] = [];
  const { burst } = ctx.cfg;
  const rate = parseFloat(ctx.cfg.burstRate);
  const plan = { count: burst, rate: ctx.cfg.burstRate };
  const routes = publicRoutes(ctx.cfg);
  const skipped = routes.filter((r) => r.blocked);
  let answered = 0;
  let sentTotal = 0;
  for (const { route, method, path, blocked } of routes) {
    if (blocked) {
      rows.push({ route, skipped: writeSkipNote(method) });
      continue;
    }
    const needsBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
    const send = (): Promise<SecResponse> =>
      ctx.client.send({
        method,
        url: ctx.client.url(path),
        ...(needsBody ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
      });
    ctx.progress(`ratelimit: ${route}`);
    const started = performance.now();
    const first = await send();
    let sent = 1;
    if (first.status === undefined) {
      sentTotal += sent;
      rows.push({ route, error: first.error });
      continue;
    }
    answered++;
    const announced = rateLimitHeaders(first.headers);
    if (announced.length > 0) {
      sentTotal += sent;
      rows.push({ route, headers: announced, sent });
      continue;
    }
    let limited: SecResponse | undefined = first.status === 429 ? first : undefined;
    const wave = ctx.cfg.concurrency;
    let late: SecResponse | undefined;
    while (!limited && sent < burst && ctx.client.budgetLeft > 0) {
      const n = Math.min(wave, burst - sent);
      // Request k (from 0) starts no earlier than k / rate seconds after the first, so the burst never runs ahead of burstRate.
      await ctx.client.pause(started + ((sent + n - 1) * 1000) / rate - performance.now());
      ctx.progress(`ratelimit: ${route} burst ${sent}/${burst} at ${ctx.cfg.burstRate}`);
      const answers = await Promise.all(Array.from({ length: n }, send));
      sent += n;
      limited = answers.find((a) => a.status === 429);
      if (answers.every((a) => a.status === undefined)) break;
      late = answers.find((a) => a.status !== undefined && rateLimitHeaders(a.headers).length > 0);
      if (late && !limited) break;
    }
    sentTotal += sent;
    if (limited) {
      rows.push({ route, limitedAfter: sent, retryAfter: limited.headers['retry-after'] ?? null, burst: plan });
      continue;
    }
    if (late) {
      rows.push({ route, headers: rateLimitHeaders(late.headers), sent, burst: plan });
      continue;
    }
    rows.push({ route, sent, limited: false, burst: plan });
    findings.push(
      secFinding({
        rule: 'ratelimit.missing',
        severity: 'medium',
        title: `${route} is not rate limited: no RateLimit headers and no 429 after ${sent} requests`,
        method,
        path,
        evidence: `${sent} requests at up to ${ctx.cfg.burstRate}, statuses ${summarize(first.status)}…; no RateLimit / X-RateLimit headers`,
        remediation:
          'Limit requests per client on public endpoints (e.g. express-rate-limit, nginx limit_req) and answer 429 with Retry-After.',
      }),
    );
  }
  const skipNote = skipped.length
    ? `; not probed (writes, no allowWrites): ${skipped.map((r) => r.route).join(', ')}`
    : '';
  // With every route skipped nothing was examined: no `missing` count, so a "== 0" threshold reports no data.
  const metrics = [
    ...(skipped.length < routes.length
      ? [{ name: 'security.ratelimit.missing', value: findings.length, unit: 'count' as const }]
      : []),
    { name: 'security.ratelimit.requests', value: sentTotal, unit: 'count' as const },
  ];
  const data = { ratelimit: rows, burst: plan };
  if (skipped.length === routes.length) {
    return {
      check: {
        id: 'security.ratelimit',
        status: 'skipped',
        summary: `not checked: ${skipped.map((r) => r.route).join(', ')} ${skipped.length === 1 ? 'writes' : 'write'}, and a burst would change the target's data; add allowWrites: true to probe ${skipped.length === 1 ? 'it' : 'them'}`,
      },
      findings,
      metrics,
      data,
    };
  }
  if (answered === 0) {
    return errorOutcome('security.ratelimit', `no public route answered: ${String(rows.find((r) => r.error)?.error)}`);
  }
  const probed = routes.length - skipped.length;
  return {
    check: checkFor(
      'security.ratelimit',
      findings,
      `${probed} public route(s) rate limited (bursts of at most ${burst} at ${ctx.cfg.burstRate})${skipNote}`,
    ),
    findings,
    metrics,
    data,
  };
}

/** Why a write route gets no burst, for the report. */
export function writeSkipNote(method: string): string {
  return `${method} writes: no request sent, since every request of a burst may create or change data; add allowWrites: true to the route to probe it`;
}

const summarize = (s: number): string => String(s);
