/**
 * Headers graded as Mozilla's HTTP Observatory grades them: every site starts
 * at 100, each test adds its modifier, bonuses (positive modifiers) count only
 * when the score without them is 90 or more, the floor is 0, and the score
 * maps to a letter grade. The tests and modifiers are the Observatory's
 * published table (docs/probes.md reproduces it); the test set is the current
 * one (CSP, cookies, CORS, redirection, Referrer-Policy, HSTS, SRI,
 * X-Content-Type-Options, X-Frame-Options, Cross-Origin-Resource-Policy).
 * Pure: the caller fetches, this only judges.
 */

export interface ObservatoryInput {
  /** The graded response: status, lower-case headers, Set-Cookie values, body prefix. */
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
  /** URL of the graded page (its origin decides which scripts are external). */
  url: string;
  /** The Origin header that was sent with the graded request (CORS test). */
  sentOrigin?: string;
  /** For https: whether the certificate chain is trusted (HSTS test). Undefined for http. */
  certTrusted?: boolean;
  redirection: RedirectionOutcome;
  /** Why the redirection test could not be checked (replaces its description). */
  redirectionNote?: string;
}

/** What the http → https redirection test saw. */
export type RedirectionOutcome =
  | 'redirection-to-https'
  | 'redirection-not-needed-no-http'
  | 'redirection-off-host-from-http'
  | 'redirection-not-to-https-on-initial-redirection'
  | 'redirection-missing'
  | 'redirection-not-to-https'
  | 'redirection-invalid-cert'
  /**
   * golive addition, scores 0: an https target on a non-standard port with no `httpUrl` named, or
   * the http URL got no answer in time (timeout, budget spent, interrupted).
   */
  | 'redirection-not-checked';

export interface ObservatoryTest {
  /** Test name: content-security-policy, cookies, … */
  name: string;
  /** The Observatory's result id, e.g. csp-not-implemented. */
  result: string;
  modifier: number;
  pass: boolean;
  description: string;
}

export interface ObservatoryGrade {
  score: number;
  grade: string;
  tests: ObservatoryTest[];
}

/** The Observatory's published modifiers, by result id. */
export const MODIFIERS: Record<string, [number, string]> = {
  'csp-implemented-with-no-unsafe-default-src-none': [
    10,
    "CSP implemented with default-src 'none' and without 'unsafe-inline' or 'unsafe-eval'",
  ],
  'csp-implemented-with-no-unsafe': [5, "CSP implemented without 'unsafe-inline' or 'unsafe-eval'"],
  'csp-implemented-with-unsafe-inline-in-style-src-only': [
    0,
    'CSP implemented with unsafe directives inside style-src',
  ],
  'csp-implemented-with-insecure-scheme-in-passive-content-only': [
    -10,
    'CSP implemented, but secure site allows images or media to be loaded over http',
  ],
  'csp-implemented-with-unsafe-eval': [-10, "CSP implemented, but allows 'unsafe-eval'"],
  'csp-implemented-with-insecure-scheme': [
    -20,
    'CSP implemented, but secure site allows resources to be loaded from http',
  ],
  'csp-implemented-with-unsafe-inline': [
    -20,
    "CSP implemented unsafely: 'unsafe-inline' or data: in script-src, overly broad sources in object-src or script-src, or no restriction on them",
  ],
  'csp-not-implemented': [-25, 'Content Security Policy (CSP) header not implemented'],
  'csp-header-invalid': [
    -25,
    "Content Security Policy (CSP) header cannot be parsed successfully (or uses 'strict-dynamic' without a nonce or hash)",
  ],
  'csp-not-implemented-but-reporting-enabled': [
    -25,
    'Content Security Policy (CSP) not enforced: only Content-Security-Policy-Report-Only is sent (reporting only)',
  ],
  'cookies-secure-with-httponly-sessions-and-samesite': [
    5,
    'All cookies use the Secure flag, session cookies use HttpOnly, and SameSite is set',
  ],
  'cookies-not-found': [0, 'No cookies detected'],
  'cookies-secure-with-httponly-sessions': [0, 'All cookies use the Secure flag and session cookies use HttpOnly'],
  'cookies-without-secure-flag-but-protected-by-hsts': [
    -5,
    'Cookies set without the Secure flag, but transmission over HTTP prevented by HSTS',
  ],
  'cookies-session-without-secure-flag-but-protected-by-hsts': [
    -10,
    'Session cookie set without the Secure flag, but transmission over HTTP prevented by HSTS',
  ],
  'cookies-without-secure-flag': [-20, 'Cookies set without the Secure flag or set over http'],
  'cookies-samesite-flag-invalid': [
    -20,
    'Cookies use SameSite, but set to something other than Strict, Lax or None, or to None without Secure',
  ],
  'cookies-anticsrf-without-samesite-flag': [-20, 'Anti-CSRF tokens set without the SameSite flag'],
  'cookies-session-without-httponly-flag': [-30, 'Session cookie set without the HttpOnly flag'],
  'cookies-session-without-secure-flag': [-40, 'Session cookie set without the Secure flag or set over http'],
  'cross-origin-resource-sharing-not-implemented': [0, 'Content is not visible via CORS'],
  'cross-origin-resource-sharing-implemented-with-public-access': [
    0,
    'Public content is visible via CORS (Access-Control-Allow-Origin: *)',
  ],
  'cross-origin-resource-sharing-implemented-with-restricted-access': [
    0,
    'Content is visible via CORS, but restricted to specific domains',
  ],
  'cross-origin-resource-sharing-implemented-with-universal-access': [
    -50,
    'Content is visible to any origin via CORS, with credentials',
  ],
  'redirection-to-https': [0, 'Initial redirection is to https on the same host'],
  'redirection-not-needed-no-http': [0, 'Not able to connect via http, so no redirection necessary'],
  'redirection-not-checked': [0, 'Not checked: name the http URL with probes.security.httpUrl or --http-url'],
  'redirection-off-host-from-http': [-5, 'Initial redirection from http to https is to a different host'],
  'redirection-not-to-https-on-initial-redirection': [
    -10,
    'Redirects to https eventually, but the initial redirection is to another http URL',
  ],
  'redirection-missing': [-20, 'Does not redirect to an https site'],
  'redirection-not-to-https': [-20, 'Redirects, but the final destination is not an https URL'],
  'redirection-invalid-cert': [-20, 'Invalid certificate chain encountered during redirection'],
  'referrer-policy-private': [
    5,
    'Referrer-Policy set to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin',
  ],
  'referrer-policy-not-implemented': [0, 'Referrer-Policy header not implemented'],
  'referrer-policy-unsafe': [
    -5,
    'Referrer-Policy unsafely set to origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade',
  ],
  'referrer-policy-header-invalid': [-5, 'Referrer-Policy header cannot be recognized'],
  'hsts-preloaded': [5, 'Preloaded via the HSTS preloading process'],
  'hsts-implemented-max-age-at-least-six-months': [0, 'HSTS header set to a minimum of six months (15768000)'],
  'hsts-implemented-max-age-less-than-six-months': [-10, 'HSTS header set to less than six months (15768000)'],
  'hsts-not-implemented': [-20, 'HTTP Strict Transport Security (HSTS) header not implemented'],
  'hsts-header-invalid': [-20, 'HSTS header cannot be recognized'],
  'hsts-not-implemented-no-https': [-20, 'HSTS header cannot be set for sites not available over https'],
  'hsts-invalid-cert': [-20, 'HSTS header cannot be set, as the site has an invalid certificate chain'],
  'sri-implemented-and-all-scripts-loaded-securely': [
    5,
    'SRI implemented and all scripts loaded from a similar origin',
  ],
  'sri-implemented-and-external-scripts-loaded-securely': [5, 'SRI implemented and all scripts loaded securely'],
  'sri-not-implemented-response-not-html': [0, 'SRI is only needed for html resources'],
  'sri-not-implemented-but-no-scripts-loaded': [0, 'SRI not needed: the page has no script tags'],
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': [
    0,
    'SRI not implemented as all scripts are loaded from a similar origin',
  ],
  'sri-not-implemented-but-external-scripts-loaded-securely': [
    -5,
    'SRI not implemented, but all external scripts are loaded over https',
  ],
  'sri-implemented-but-external-scripts-not-loaded-securely': [
    -20,
    'SRI implemented, but external scripts are loaded over http',
  ],
  'sri-not-implemented-and-external-scripts-not-loaded-securely': [
    -50,
    'SRI not implemented, and external scripts are not loaded over https',
  ],
  'x-content-type-options-nosniff': [0, 'X-Content-Type-Options set to nosniff'],
  'x-content-type-options-not-implemented': [-5, 'X-Content-Type-Options header not implemented'],
  'x-content-type-options-header-invalid': [-5, 'X-Content-Type-Options header cannot be recognized'],
  'x-frame-options-implemented-via-csp': [5, 'X-Frame-Options implemented via the CSP frame-ancestors directive'],
  'x-frame-options-sameorigin-or-deny': [0, 'X-Frame-Options set to SAMEORIGIN or DENY'],
  'x-frame-options-allow-from-origin': [0, 'X-Frame-Options uses the ALLOW-FROM uri directive'],
  'x-frame-options-not-implemented': [-20, 'X-Frame-Options header not implemented'],
  'x-frame-options-header-invalid': [-20, 'X-Frame-Options header cannot be recognized'],
  'cross-origin-resource-policy-implemented-with-same-origin': [0, 'Cross-Origin-Resource-Policy set to same-origin'],
  'cross-origin-resource-policy-implemented-with-same-site': [0, 'Cross-Origin-Resource-Policy set to same-site'],
  'cross-origin-resource-policy-implemented-with-cross-origin': [0, 'Cross-Origin-Resource-Policy set to cross-origin'],
  'cross-origin-resource-policy-not-implemented': [0, 'Cross-Origin-Resource-Policy header not implemented'],
  'cross-origin-resource-policy-header-invalid': [-5, 'Cross-Origin-Resource-Policy header cannot be recognized'],
};

/** The Observatory's grade bands: lower bound of each grade. */
export const GRADE_BANDS: readonly [number, string][] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export function gradeFor(score: number): string {
  return (GRADE_BANDS.find(([min]) => score >= min) ?? [0, 'F'])[1];
}

/** Baseline 100, penalties, bonuses only at 90 or more, floor 0. */
export function scoreTests(tests: readonly ObservatoryTest[]): number {
  const penalties = tests.filter((t) => t.modifier < 0).reduce((s, t) => s + t.modifier, 0);
  const bonuses = tests.filter((t) => t.modifier > 0).reduce((s, t) => s + t.modifier, 0);
  let score = 100 + penalties;
  if (score >= 90) score += bonuses;
  return Math.max(0, score);
}

export function grade(input: ObservatoryInput): ObservatoryGrade {
  const https = new URL(input.url).protocol === 'https:';
  const csp = parseCsp(input.headers['content-security-policy']);
  const hsts = hstsResult(input.headers['strict-transport-security'], https, input.certTrusted);
  const tests = [
    test('content-security-policy', cspResult(csp, https, input.headers['content-security-policy-report-only'])),
    test('cookies', cookiesResult(input.setCookies, https, hsts === 'hsts-implemented-max-age-at-least-six-months')),
    test('cross-origin-resource-sharing', corsResult(input.headers, input.sentOrigin)),
    test('redirection', input.redirection, input.redirectionNote),
    test('referrer-policy', referrerResult(input.headers['referrer-policy'])),
    test('strict-transport-security', hsts),
    test('subresource-integrity', sriResult(input.headers['content-type'], input.body, input.url)),
    test('x-content-type-options', xctoResult(input.headers['x-content-type-options'])),
    test('x-frame-options', xfoResult(input.headers['x-frame-options'], csp)),
    test('cross-origin-resource-policy', corpResult(input.headers['cross-origin-resource-policy'])),
  ];
  const score = scoreTests(tests);
  return { score, grade: gradeFor(score), tests };
}

function test(name: string, result: string, note?: string): ObservatoryTest {
  const [modifier, description] = MODIFIERS[result] ?? [0, result];
  return { name, result, modifier, pass: modifier >= 0, description: note ?? description };
}

// ------------------------------------------------------------------ CSP

/** Directive → its sources (lower-cased); `invalid` when it cannot be parsed; undefined when absent. */
export type Csp = Map<string, Set<string>> | 'invalid' | undefined;

/** Directive → sources, lower-cased; `invalid` when it cannot be parsed; undefined when absent. */
export function parseCsp(header: string | undefined): Csp {
  if (header === undefined) return undefined;
  const policy = new Map<string, Set<string>>();
  // Several CSP headers arrive joined with ", "; the first occurrence of a directive decides here.
  for (const part of header.split(/[;,]/)) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    const name = tokens.shift()?.toLowerCase();
    if (!name) continue;
    if (!/^[a-z-]+$/.test(name)) return 'invalid';
    if (!policy.has(name)) policy.set(name, new Set(tokens.map((t) => t.toLowerCase())));
  }
  return policy.size === 0 ? 'invalid' : policy;
}

/** Mozilla's "dangerously broad" sources (csp.js): whole schemes and any-host wildcards. */
const DANGEROUSLY_BROAD = new Set([
  'ftp:',
  'http:',
  'https:',
  '*',
  'http://*',
  'http://*.*',
  'https://*',
  'https://*.*',
]);
const UNSAFE_INLINE = new Set(["'unsafe-inline'", 'data:']);
const BROAD_OR_INLINE = new Set([...DANGEROUSLY_BROAD, ...UNSAFE_INLINE]);
const PASSIVE = ['img-src', 'media-src'];
const NONCES_HASHES = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
const hasNonceOrHash = (list: Set<string>): boolean =>
  [...list].some((s) => NONCES_HASHES.some((p) => s.startsWith(p)));
const insecureScheme = (s: string): boolean => s.startsWith('http:') || s.startsWith('ftp:');

/**
 * Mozilla's csp.js, in its order: the first failing check decides. With a
 * nonce or hash, 'unsafe-inline' is ignored (CSP2 browsers do); with
 * 'strict-dynamic' too, broad sources and 'self' in script-src are ignored
 * (CSP3 browsers do) — so Google's recommended strict policy scores +5.
 * 'strict-dynamic' without a nonce or hash is csp-header-invalid.
 */
function cspResult(csp: Csp, https: boolean, reportOnly: string | undefined): string {
  if (csp === undefined) {
    return reportOnly === undefined ? 'csp-not-implemented' : 'csp-not-implemented-but-reporting-enabled';
  }
  if (csp === 'invalid') return 'csp-header-invalid';
  // Sets from the map itself, as Mozilla does: script-src and style-src may both be default-src's set.
  const src = (d: string): Set<string> => csp.get(d) ?? csp.get('default-src') ?? new Set(['*']);
  const script = src('script-src');
  const object = src('object-src');
  const style = src('style-src');
  for (const list of [script, style]) {
    if (hasNonceOrHash(list)) list.delete("'unsafe-inline'");
  }
  let result: string | undefined;
  const first = (r: string): void => {
    result ??= r;
  };
  if (hasNonceOrHash(script) && script.has("'strict-dynamic'")) {
    for (const s of script) {
      if ([...DANGEROUSLY_BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") {
        script.delete(s);
      }
    }
  } else if (script.has("'strict-dynamic'")) {
    first('csp-header-invalid');
  }
  const active = [...csp.entries()]
    .filter(([d]) => !PASSIVE.includes(d) && d !== 'script-src')
    .flatMap(([, list]) => [...list]);
  active.push(...script);
  const passive = PASSIVE.flatMap((d) => [...(csp.get(d) ?? csp.get('default-src') ?? [])]);
  if ([...script].some((s) => BROAD_OR_INLINE.has(s)) || [...object].some((s) => DANGEROUSLY_BROAD.has(s))) {
    first('csp-implemented-with-unsafe-inline');
  }
  if (https && active.some(insecureScheme)) first('csp-implemented-with-insecure-scheme');
  if (script.has("'unsafe-eval'") || style.has("'unsafe-eval'")) first('csp-implemented-with-unsafe-eval');
  if (https && passive.some(insecureScheme)) first('csp-implemented-with-insecure-scheme-in-passive-content-only');
  if ([...style].some((s) => BROAD_OR_INLINE.has(s))) first('csp-implemented-with-unsafe-inline-in-style-src-only');
  const def = csp.get('default-src');
  if (def?.has("'none'") && def.size === 1) first('csp-implemented-with-no-unsafe-default-src-none');
  return result ?? 'csp-implemented-with-no-unsafe';
}

// ------------------------------------------------------------------ cookies

export interface ParsedCookie {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  /** The SameSite value as written, lower-cased; undefined when absent. */
  sameSite?: string;
}

export function parseSetCookie(header: string): ParsedCookie {
  const [pair = '', ...attrs] = header.split(';');
  const name = pair.split('=')[0]?.trim() ?? '';
  const cookie: ParsedCookie = { name, secure: false, httpOnly: false };
  for (const a of attrs) {
    const [k = '', v] = a.split('=');
    const key = k.trim().toLowerCase();
    if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite') cookie.sameSite = (v ?? '').trim().toLowerCase();
  }
  return cookie;
}

/** The Observatory's session cookie (cookies.js): its name contains `login` or `sess`. Decides the score. */
export function isObservatorySessionCookie(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('login') || n.includes('sess');
}

/**
 * golive's own, wider rule for its cookie findings (security.cookies), not the
 * Observatory's: also `sid`, `auth`, `token`, `jwt`; anti-CSRF tokens excluded.
 */
export function isSessionCookie(name: string): boolean {
  return !/csrf|xsrf/i.test(name) && /sess|login|sid|auth|token|jwt/i.test(name);
}

/** Mozilla's cookie results from least to most bad (cookies.js `goodness`): the worst one any cookie earns wins. */
const COOKIE_BADNESS = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

const VALID_SAMESITE = ['strict', 'lax', 'none'];

function cookiesResult(setCookies: string[], https: boolean, hsts: boolean): string {
  // Mozilla drops Heroku's affinity cookie (mozilla/http-observatory#282).
  const cookies = setCookies.map(parseSetCookie).filter((c) => c.name && c.name !== 'heroku-session-affinity');
  if (cookies.length === 0) return 'cookies-not-found';
  let worst = -1;
  const saw = (result: string): void => {
    worst = Math.max(worst, COOKIE_BADNESS.indexOf(result));
  };
  for (const c of cookies) {
    // Over http a Secure cookie is not stored, and any cookie travels in clear: count it as without Secure.
    const secure = https && c.secure;
    const sameSite = c.sameSite !== undefined && VALID_SAMESITE.includes(c.sameSite) ? c.sameSite : undefined;
    const session = isObservatorySessionCookie(c.name);
    if (c.sameSite !== undefined && sameSite === undefined) saw('cookies-samesite-flag-invalid');
    if (!secure && sameSite === 'none') saw('cookies-samesite-flag-invalid');
    if (!secure) saw(hsts ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag');
    if (c.name.toLowerCase().includes('csrf') && sameSite === undefined) saw('cookies-anticsrf-without-samesite-flag');
    if (session && !secure) {
      saw(hsts ? 'cookies-session-without-secure-flag-but-protected-by-hsts' : 'cookies-session-without-secure-flag');
    }
    if (session && !c.httpOnly) saw('cookies-session-without-httponly-flag');
  }
  if (worst >= 0) return COOKIE_BADNESS[worst] ?? 'cookies-without-secure-flag';
  return cookies.every((c) => c.sameSite !== undefined)
    ? 'cookies-secure-with-httponly-sessions-and-samesite'
    : 'cookies-secure-with-httponly-sessions';
}

// ------------------------------------------------------------------ the rest

function corsResult(headers: Record<string, string>, sentOrigin: string | undefined): string {
  const acao = headers['access-control-allow-origin']?.trim();
  if (!acao) return 'cross-origin-resource-sharing-not-implemented';
  if (acao === '*') return 'cross-origin-resource-sharing-implemented-with-public-access';
  const credentials = headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  if (sentOrigin && acao === sentOrigin && credentials) {
    return 'cross-origin-resource-sharing-implemented-with-universal-access';
  }
  return 'cross-origin-resource-sharing-implemented-with-restricted-access';
}

const REFERRER_PRIVATE = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
// The current MDN Observatory counts no-referrer-when-downgrade as unsafe (it leaks full URLs cross-origin).
const REFERRER_UNSAFE = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

function referrerResult(header: string | undefined): string {
  if (header === undefined) return 'referrer-policy-not-implemented';
  // Browsers apply the last policy they recognise in a comma-separated list.
  const known = header
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => [...REFERRER_PRIVATE, ...REFERRER_UNSAFE].includes(t));
  const last = known.at(-1);
  if (!last) return 'referrer-policy-header-invalid';
  return REFERRER_PRIVATE.includes(last) ? 'referrer-policy-private' : 'referrer-policy-unsafe';
}

const SIX_MONTHS = 15_768_000;

function hstsResult(header: string | undefined, https: boolean, trusted: boolean | undefined): string {
  if (!https) return 'hsts-not-implemented-no-https';
  if (trusted === false) return 'hsts-invalid-cert';
  if (header === undefined) return 'hsts-not-implemented';
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(header);
  if (!m) return 'hsts-header-invalid';
  return Number(m[1]) >= SIX_MONTHS
    ? 'hsts-implemented-max-age-at-least-six-months'
    : 'hsts-implemented-max-age-less-than-six-months';
}

function sriResult(contentType: string | undefined, body: string, pageUrl: string): string {
  if (!contentType || !/text\/html|application\/xhtml/i.test(contentType))
    return 'sri-not-implemented-response-not-html';
  const page = new URL(pageUrl);
  const scripts = [...body.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1] ?? '');
  const withSrc = scripts
    .map((attrs) => ({
      src: /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1],
      integrity: /\bintegrity\s*=/i.test(attrs),
    }))
    .filter((s): s is { src: string; integrity: boolean } => s.src !== undefined);
  if (withSrc.length === 0) return 'sri-not-implemented-but-no-scripts-loaded';
  const resolved = withSrc.map((s) => {
    let url: URL | undefined;
    try {
      url = new URL(s.src, page);
    } catch {
      url = undefined;
    }
    return { ...s, url };
  });
  const external = resolved.filter((s) => s.url && s.url.host !== page.host);
  if (external.length === 0) {
    return resolved.every((s) => s.integrity)
      ? 'sri-implemented-and-all-scripts-loaded-securely'
      : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin';
  }
  const insecure = external.filter((s) => s.url?.protocol !== 'https:');
  const missing = external.filter((s) => !s.integrity);
  if (insecure.length > 0 && missing.length > 0) return 'sri-not-implemented-and-external-scripts-not-loaded-securely';
  if (insecure.length > 0) return 'sri-implemented-but-external-scripts-not-loaded-securely';
  if (missing.length > 0) return 'sri-not-implemented-but-external-scripts-loaded-securely';
  return 'sri-implemented-and-external-scripts-loaded-securely';
}

function xctoResult(header: string | undefined): string {
  if (header === undefined) return 'x-content-type-options-not-implemented';
  return header.trim().toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

function xfoResult(header: string | undefined, csp: Csp): string {
  if (csp instanceof Map && csp.has('frame-ancestors')) return 'x-frame-options-implemented-via-csp';
  if (header === undefined) return 'x-frame-options-not-implemented';
  const v = header.trim().toLowerCase();
  if (v === 'deny' || v === 'sameorigin') return 'x-frame-options-sameorigin-or-deny';
  if (v.startsWith('allow-from ')) return 'x-frame-options-allow-from-origin';
  return 'x-frame-options-header-invalid';
}

function corpResult(header: string | undefined): string {
  if (header === undefined) return 'cross-origin-resource-policy-not-implemented';
  const v = header.trim().toLowerCase();
  if (v === 'same-origin' || v === 'same-site' || v === 'cross-origin') {
    return `cross-origin-resource-policy-implemented-with-${v}`;
  }
  return 'cross-origin-resource-policy-header-invalid';
}
