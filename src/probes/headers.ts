import type { Finding, Severity } from '../model.js';
import { grade, parseSetCookie, isSessionCookie, type RedirectionOutcome } from './observatory.js';
import { checkFor, errorOutcome, secFinding, type ProbeOutcome, type SecContext } from './security-context.js';
import type { SecResponse } from './security-http.js';

/** The Origin sent with the graded request: a host that cannot exist, so a reflection is unmistakable. */
export const PROBE_ORIGIN = 'https://golive-probe.invalid';

/** Tests whose findings come from their own probe (cookies, cors), so they are not reported twice. */
const OWN_PROBE = new Set(['cookies', 'cross-origin-resource-sharing']);

const REMEDIATION: Record<string, string> = {
  'content-security-policy':
    "Send Content-Security-Policy, starting from default-src 'none' and allowing only what the page needs; avoid 'unsafe-inline' and 'unsafe-eval' in script-src. Content-Security-Policy-Report-Only only reports: enforce the policy once its reports are clean.",
  redirection: 'Redirect every http request to https on the same host (301), before anything else.',
  'referrer-policy': 'Send Referrer-Policy: strict-origin-when-cross-origin (or no-referrer).',
  'strict-transport-security': 'Serve over https and send Strict-Transport-Security: max-age=63072000.',
  'subresource-integrity': 'Load external scripts over https with an integrity="sha384-…" attribute.',
  'x-content-type-options': 'Send X-Content-Type-Options: nosniff.',
  'x-frame-options': "Send Content-Security-Policy: frame-ancestors 'none' (or X-Frame-Options: DENY).",
  'cross-origin-resource-policy': 'Send Cross-Origin-Resource-Policy: same-origin (or same-site / cross-origin).',
};

/** A failing test's severity from its modifier: -40 or worse high, -20 … -30 medium, milder low. */
export function severityOf(modifier: number): Severity {
  if (modifier <= -40) return 'high';
  if (modifier <= -20) return 'medium';
  return 'low';
}

/**
 * Fetches the graded page, following redirects that stay on the target's origin
 * (at most 5), as the Observatory grades the page a visitor lands on. The first
 * answer is kept in `first` for the redirection test.
 */
export async function fetchGraded(ctx: SecContext): Promise<SecResponse & { first: SecResponse }> {
  ctx.progress(`headers: GET ${ctx.cfg.path}`);
  const origin = new URL(ctx.baseUrl).origin;
  const first = await ctx.client.send({ url: ctx.client.url(ctx.cfg.path), headers: { origin: PROBE_ORIGIN } });
  let page = first;
  for (let hop = 0; hop < 5; hop++) {
    const location = page.headers.location;
    if (page.status === undefined || page.status < 300 || page.status > 399 || !location) break;
    let next: URL;
    try {
      next = new URL(location, page.url);
    } catch {
      break;
    }
    if (next.origin !== origin) break;
    ctx.progress(`headers: GET ${next.pathname} (redirected)`);
    page = await ctx.client.send({ url: next.toString(), headers: { origin: PROBE_ORIGIN } });
  }
  return { ...page, first };
}

/** The headers probe: the Observatory grade of the page, a finding per failing test, Server/X-Powered-By leaks. */
export async function probeHeaders(
  ctx: SecContext,
  page: SecResponse & { first?: SecResponse },
): Promise<ProbeOutcome> {
  if (page.status === undefined) return errorOutcome('security.headers', `GET ${ctx.cfg.path}: ${page.error}`);
  const redirection = await redirectionOutcome(ctx, page.first ?? page);
  const result = grade({
    headers: page.headers,
    setCookies: page.setCookies,
    body: page.body,
    url: page.url,
    sentOrigin: PROBE_ORIGIN,
    ...(ctx.https ? { certTrusted: ctx.tls?.trusted ?? true } : {}),
    redirection: redirection.outcome,
    ...(redirection.note ? { redirectionNote: redirection.note } : {}),
  });
  const path = ctx.cfg.path;
  const findings: Finding[] = [];
  for (const t of result.tests) {
    if (t.pass || OWN_PROBE.has(t.name)) continue;
    findings.push(
      secFinding({
        rule: `headers.${t.result}`,
        severity: severityOf(t.modifier),
        title: `${t.description} (${t.modifier})`,
        method: 'GET',
        path,
        evidence: evidenceFor(t.name, page),
        remediation: REMEDIATION[t.name] ?? 'See the Mozilla web security guidelines.',
      }),
    );
  }
  const server = page.headers.server;
  if (server && /\d/.test(server)) {
    findings.push(
      secFinding({
        rule: 'headers.server-version',
        severity: 'low',
        title: `Server header reveals the software version (${server})`,
        method: 'GET',
        path,
        evidence: `Server: ${server}`,
        remediation: 'Hide the version: nginx server_tokens off; Apache ServerTokens Prod.',
      }),
    );
  }
  const powered = page.headers['x-powered-by'];
  if (powered) {
    findings.push(
      secFinding({
        rule: 'headers.x-powered-by',
        severity: 'low',
        title: `X-Powered-By header reveals the framework (${powered})`,
        method: 'GET',
        path,
        evidence: `X-Powered-By: ${powered}`,
        remediation: "Remove the header (Express: app.disable('x-powered-by') or helmet).",
      }),
    );
  }
  const check = checkFor('security.headers', findings, `grade ${result.grade} (${result.score}/100)`);
  if (check.status === 'fail') check.summary = `grade ${result.grade} (${result.score}/100); ${check.summary}`;
  return {
    check,
    findings,
    metrics: [
      { name: 'security.headers.score', value: result.score, unit: 'count' },
      { name: 'security.headers.failing', value: result.tests.filter((t) => !t.pass).length, unit: 'count' },
    ],
    data: {
      observatory: { score: result.score, grade: result.grade, tests: result.tests },
      ...(page.headers['cross-origin-opener-policy'] ? { coop: page.headers['cross-origin-opener-policy'] } : {}),
    },
  };
}

function evidenceFor(test: string, page: SecResponse): string {
  const header: Record<string, string> = {
    'content-security-policy': 'content-security-policy',
    'referrer-policy': 'referrer-policy',
    'strict-transport-security': 'strict-transport-security',
    'x-content-type-options': 'x-content-type-options',
    'x-frame-options': 'x-frame-options',
    'cross-origin-resource-policy': 'cross-origin-resource-policy',
  };
  const name = header[test];
  const reportOnly = page.headers['content-security-policy-report-only'];
  if (test === 'content-security-policy' && page.headers[test] === undefined && reportOnly !== undefined) {
    return `no content-security-policy header; content-security-policy-report-only: ${reportOnly}`;
  }
  if (name) return page.headers[name] === undefined ? `no ${name} header` : `${name}: ${page.headers[name]}`;
  if (test === 'redirection') {
    return page.headers.location ? `${page.status} Location: ${page.headers.location}` : `answered ${page.status}`;
  }
  if (test === 'subresource-integrity') {
    const tags = [...page.body.matchAll(/<script\b[^>]*\bsrc[^>]*>/gi)].map((m) => m[0]).slice(0, 3);
    return tags.join(' ');
  }
  return '';
}

/**
 * The http URL asked for the redirection test of an https target when the user
 * named none: for a target on the default port 443, the same host on http, port
 * 80, path `/` (what the Observatory asks). Undefined for any other port: the
 * http side of a non-standard port cannot be guessed.
 */
export function defaultHttpUrl(baseUrl: string): string | undefined {
  const target = new URL(baseUrl);
  return target.protocol === 'https:' && target.port === '' ? `http://${target.host}/` : undefined;
}

/** The redirection test's outcome, and why it was not checked when it was not. */
interface Redirection {
  outcome: RedirectionOutcome;
  note?: string;
}

/**
 * The Observatory's redirection test. For an http target the graded URL must
 * redirect to https on the same host; for an https target the http URL named in
 * probes.security.httpUrl (default http://host/ when the target uses 443) is asked.
 * Only a refused connection means "no http"; a timeout, a spent budget or an
 * interruption leaves the test not checked (0, with a note), never a silent pass.
 */
async function redirectionOutcome(ctx: SecContext, page: SecResponse): Promise<Redirection> {
  let first: SecResponse = page;
  if (ctx.https) {
    const httpUrl = ctx.cfg.httpUrl ?? defaultHttpUrl(ctx.baseUrl);
    if (!httpUrl) return { outcome: 'redirection-not-checked' };
    ctx.progress(`headers: GET ${httpUrl} (http → https redirect)`);
    first = await ctx.client.send({ url: httpUrl });
    if (first.status === undefined) {
      if (first.error === 'connection refused') return { outcome: 'redirection-not-needed-no-http' };
      return { outcome: 'redirection-not-checked', note: `Not checked: GET ${httpUrl} got no answer (${first.error})` };
    }
  }
  return { outcome: redirectionOf(first, ctx.tls !== undefined && !ctx.tls.trusted) };
}

function redirectionOf(first: SecResponse, tlsUntrusted: boolean): RedirectionOutcome {
  const location = first.headers.location;
  if (first.status === undefined || first.status < 300 || first.status > 399 || !location) return 'redirection-missing';
  let next: URL;
  try {
    next = new URL(location, first.url);
  } catch {
    return 'redirection-missing';
  }
  const from = new URL(first.url);
  if (next.protocol === 'https:') {
    if (next.hostname !== from.hostname) return 'redirection-off-host-from-http';
    if (tlsUntrusted) return 'redirection-invalid-cert';
    return 'redirection-to-https';
  }
  // Only one hop is followed: a second could leave the target the user named.
  return 'redirection-not-to-https';
}

/** The cookies probe: Secure, HttpOnly and SameSite on the cookies the page sets; session cookies weigh more. */
export function probeCookies(ctx: SecContext, page: SecResponse): ProbeOutcome {
  if (page.status === undefined) return errorOutcome('security.cookies', `GET ${ctx.cfg.path}: ${page.error}`);
  const findings: Finding[] = [];
  const path = ctx.cfg.path;
  for (const raw of page.setCookies) {
    const c = parseSetCookie(raw);
    const session = isSessionCookie(c.name);
    const kind = session ? 'session cookie' : 'cookie';
    const attrs = raw
      .split(';')
      .slice(1)
      .map((a) => a.trim())
      .join('; ');
    const evidence = `Set-Cookie: ${c.name}=[redacted]${attrs ? `; ${attrs}` : ''}`;
    const add = (rule: string, severity: Severity, title: string, remediation: string): void => {
      findings.push(
        secFinding({ rule, severity, title, method: 'GET', path, evidence, remediation, discriminator: c.name }),
      );
    };
    if (!c.secure || !ctx.https) {
      add(
        'cookies.no-secure',
        session ? 'high' : 'medium',
        `${kind} ${c.name} ${ctx.https ? 'is set without Secure' : 'is set over plain http'}`,
        'Serve over https and set the Secure attribute on every cookie.',
      );
    }
    if (session && !c.httpOnly) {
      add(
        'cookies.no-httponly',
        'medium',
        `session cookie ${c.name} is set without HttpOnly`,
        'Set HttpOnly on session cookies so scripts cannot read them.',
      );
    }
    if (c.sameSite === undefined || !['strict', 'lax', 'none'].includes(c.sameSite)) {
      add(
        'cookies.no-samesite',
        session ? 'medium' : 'low',
        `${kind} ${c.name} has ${c.sameSite === undefined ? 'no' : 'an invalid'} SameSite attribute`,
        'Set SameSite=Lax (or Strict) on session cookies.',
      );
    }
  }
  return {
    check: checkFor(
      'security.cookies',
      findings,
      page.setCookies.length ? `${page.setCookies.length} cookie(s) well flagged` : 'no cookies set',
    ),
    findings,
    metrics: [
      { name: 'security.cookies.count', value: page.setCookies.length, unit: 'count' },
      { name: 'security.cookies.insecure', value: new Set(findings.map((f) => f.location)).size, unit: 'count' },
    ],
  };
}

/** The cors probe: an arbitrary Origin reflected with credentials is high; `*` is info. */
export function probeCors(ctx: SecContext, page: SecResponse): ProbeOutcome {
  if (page.status === undefined) return errorOutcome('security.cors', `GET ${ctx.cfg.path}: ${page.error}`);
  const acao = page.headers['access-control-allow-origin']?.trim();
  const credentials = page.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  const findings: Finding[] = [];
  const path = ctx.cfg.path;
  const evidence = `Origin: ${PROBE_ORIGIN} → Access-Control-Allow-Origin: ${acao ?? '(none)'}; Access-Control-Allow-Credentials: ${page.headers['access-control-allow-credentials'] ?? '(none)'}`;
  if (acao === PROBE_ORIGIN || acao === 'null') {
    findings.push(
      secFinding({
        rule: credentials ? 'cors.reflected-origin-with-credentials' : 'cors.reflected-origin',
        severity: credentials ? 'high' : 'low',
        title: credentials
          ? 'any Origin is allowed with credentials: other sites can read authenticated responses'
          : 'any Origin is reflected in Access-Control-Allow-Origin',
        method: 'GET',
        path,
        evidence,
        remediation: 'Allow only a fixed list of trusted origins; never reflect the Origin header with credentials.',
      }),
    );
  } else if (acao === '*') {
    findings.push(
      secFinding({
        rule: 'cors.wildcard',
        severity: 'info',
        title: 'Access-Control-Allow-Origin: * (public content readable by any site)',
        method: 'GET',
        path,
        evidence,
        remediation: 'Fine for public content; use a list of origins for anything private.',
      }),
    );
  }
  const state = acao === undefined ? 'no CORS headers' : `Access-Control-Allow-Origin: ${acao}`;
  return { check: checkFor('security.cors', findings, state), findings, metrics: [] };
}
