import { describe, expect, it } from 'vitest';
import {
  grade,
  gradeFor,
  isObservatorySessionCookie,
  isSessionCookie,
  parseCsp,
  scoreTests,
  type ObservatoryInput,
  type ObservatoryTest,
} from './observatory.js';

const base = (over: Partial<ObservatoryInput> = {}): ObservatoryInput => ({
  headers: { 'content-type': 'text/html' },
  setCookies: [],
  body: '<html><body>hi</body></html>',
  url: 'https://shop.example/',
  certTrusted: true,
  redirection: 'redirection-to-https',
  ...over,
});
const result = (input: ObservatoryInput, name: string): string =>
  grade(input).tests.find((t) => t.name === name)?.result ?? '';

describe('grade bands', () => {
  it('maps scores to the published letter grades', () => {
    const cases: [number, string][] = [
      [135, 'A+'],
      [100, 'A+'],
      [99, 'A'],
      [90, 'A'],
      [89, 'A-'],
      [85, 'A-'],
      [84, 'B+'],
      [80, 'B+'],
      [79, 'B'],
      [70, 'B'],
      [69, 'B-'],
      [65, 'B-'],
      [64, 'C+'],
      [60, 'C+'],
      [59, 'C'],
      [50, 'C'],
      [49, 'C-'],
      [45, 'C-'],
      [44, 'D+'],
      [40, 'D+'],
      [39, 'D'],
      [30, 'D'],
      [29, 'D-'],
      [25, 'D-'],
      [24, 'F'],
      [0, 'F'],
    ];
    for (const [score, letter] of cases) expect(gradeFor(score), String(score)).toBe(letter);
  });
});

describe('scoring', () => {
  const t = (modifier: number): ObservatoryTest => ({
    name: 'x',
    result: 'x',
    modifier,
    pass: modifier >= 0,
    description: '',
  });
  it('adds bonuses only when the score without them is 90 or more', () => {
    expect(scoreTests([t(-10), t(5), t(10)])).toBe(105);
    expect(scoreTests([t(-15), t(5), t(10)])).toBe(85);
  });
  it('never goes below 0', () => {
    expect(scoreTests([t(-50), t(-40), t(-25), t(-20)])).toBe(0);
  });
});

describe('a bare page', () => {
  it('scores as the Observatory scores a site with no security headers over https', () => {
    const g = grade(base());
    // CSP -25, HSTS -20, XCTO -5, XFO -20 = 30 → D
    expect(g.score).toBe(30);
    expect(g.grade).toBe('D');
    expect(g.tests.filter((t) => !t.pass).map((t) => t.result)).toEqual([
      'csp-not-implemented',
      'hsts-not-implemented',
      'x-content-type-options-not-implemented',
      'x-frame-options-not-implemented',
    ]);
  });
  it('over plain http also loses HSTS and the redirection', () => {
    const g = grade(base({ url: 'http://shop.example/', redirection: 'redirection-missing', certTrusted: undefined }));
    expect(result(base({ url: 'http://shop.example/' }), 'strict-transport-security')).toBe(
      'hsts-not-implemented-no-https',
    );
    expect(g.score).toBe(10);
    expect(g.grade).toBe('F');
  });
});

describe('a hardened page', () => {
  it('reaches A+ with every bonus', () => {
    const g = grade(
      base({
        headers: {
          'content-type': 'text/html',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
          'strict-transport-security': 'max-age=63072000; includeSubDomains',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cross-origin-resource-policy': 'same-origin',
        },
        setCookies: ['sid=1; Secure; HttpOnly; SameSite=Lax'],
      }),
    );
    // 100 + CSP 10 + cookies 5 + referrer 5 + XFO via CSP 5 = 125
    expect(g.score).toBe(125);
    expect(g.grade).toBe('A+');
  });
});

describe('content security policy', () => {
  const csp = (policy: string, url = 'https://shop.example/'): string =>
    result(
      base({ url, headers: { 'content-type': 'text/html', 'content-security-policy': policy } }),
      'content-security-policy',
    );
  it('grades policies as the published table does', () => {
    expect(csp("default-src 'none'")).toBe('csp-implemented-with-no-unsafe-default-src-none');
    expect(csp("default-src 'self'")).toBe('csp-implemented-with-no-unsafe');
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-inline'")).toBe('csp-implemented-with-unsafe-inline');
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-abc'")).toBe(
      'csp-implemented-with-no-unsafe',
    );
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-eval'")).toBe('csp-implemented-with-unsafe-eval');
    expect(csp("default-src 'self'; style-src 'self' 'unsafe-inline'")).toBe(
      'csp-implemented-with-unsafe-inline-in-style-src-only',
    );
    expect(csp("script-src 'self'")).toBe('csp-implemented-with-unsafe-inline'); // object-src unrestricted
    expect(csp("default-src 'self'; script-src https:")).toBe('csp-implemented-with-unsafe-inline');
    expect(csp("default-src 'self'; img-src http://cdn.example")).toBe(
      'csp-implemented-with-insecure-scheme-in-passive-content-only',
    );
    expect(csp("default-src 'self'; connect-src http://api.example")).toBe('csp-implemented-with-insecure-scheme');
    expect(csp('default-src \u0000')).toBe('csp-implemented-with-no-unsafe');
    expect(csp(';;')).toBe('csp-header-invalid');
  });
  it('parses directives case-insensitively, first one wins', () => {
    const p = parseCsp("Default-Src 'self'; default-src *");
    expect(p instanceof Map && [...(p.get('default-src') ?? [])]).toEqual(["'self'"]);
  });
  it("ports Mozilla's 'strict-dynamic' handling: broad sources and 'unsafe-inline' are ignored with a nonce", () => {
    // Google's recommended strict policy: script-src is safe; style-src, left unrestricted, is '*' (0).
    expect(csp("script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'")).toBe(
      'csp-implemented-with-unsafe-inline-in-style-src-only',
    );
    expect(
      csp("default-src 'self'; script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'"),
    ).toBe('csp-implemented-with-no-unsafe');
    expect(csp("default-src 'self'; script-src 'sha256-abc' 'strict-dynamic' http: 'self'; object-src 'none'")).toBe(
      'csp-implemented-with-no-unsafe',
    );
    // Without a nonce or hash, 'strict-dynamic' is invalid.
    expect(csp("script-src 'self' 'strict-dynamic'; object-src 'none'")).toBe('csp-header-invalid');
  });
  it("uses Mozilla's broad sources and order of checks", () => {
    for (const broad of ['ftp:', 'http://*', 'https://*', 'https://*.*', 'data:']) {
      expect(csp(`default-src 'self'; script-src ${broad}`)).toBe('csp-implemented-with-unsafe-inline');
    }
    expect(csp("default-src 'self'; object-src https://*")).toBe('csp-implemented-with-unsafe-inline');
    // An insecure active source is checked before 'unsafe-eval'.
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-eval' http://cdn.example")).toBe(
      'csp-implemented-with-insecure-scheme',
    );
    expect(csp("default-src 'self'; connect-src ftp://files.example")).toBe('csp-implemented-with-insecure-scheme');
    // 'unsafe-eval' in style-src counts too; a broad style-src is style-only.
    expect(csp("default-src 'self'; style-src 'self' 'unsafe-eval'")).toBe('csp-implemented-with-unsafe-eval');
    expect(csp("default-src 'self'; style-src https:")).toBe('csp-implemented-with-unsafe-inline-in-style-src-only');
  });
  it("scores Google's strict policy as a pass, not -20", () => {
    const modifier = (policy: string): number | undefined =>
      grade(base({ headers: { 'content-type': 'text/html', 'content-security-policy': policy } })).tests.find(
        (t) => t.name === 'content-security-policy',
      )?.modifier;
    const strict = "script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'";
    expect(modifier(strict)).toBe(0);
    expect(modifier(`default-src 'self'; ${strict}`)).toBe(5);
  });
  it('reports Content-Security-Policy-Report-Only alone as not enforced, with reporting', () => {
    const g = grade(
      base({
        headers: { 'content-type': 'text/html', 'content-security-policy-report-only': "default-src 'none'" },
      }),
    );
    const t = g.tests.find((x) => x.name === 'content-security-policy');
    expect(t?.result).toBe('csp-not-implemented-but-reporting-enabled');
    expect(t?.modifier).toBe(-25);
    expect(t?.pass).toBe(false);
    expect(t?.description).toMatch(/Report-Only/);
  });
});

describe('cookies', () => {
  const cookies = (setCookies: string[], over: Partial<ObservatoryInput> = {}): string =>
    result(base({ setCookies, ...over }), 'cookies');
  it('grades the worst cookie', () => {
    expect(cookies([])).toBe('cookies-not-found');
    expect(cookies(['sessionid=1; HttpOnly'])).toBe('cookies-session-without-secure-flag');
    expect(cookies(['sessionid=1; Secure'])).toBe('cookies-session-without-httponly-flag');
    expect(cookies(['theme=dark'])).toBe('cookies-without-secure-flag');
    expect(cookies(['theme=dark; Secure; SameSite=Bogus'])).toBe('cookies-samesite-flag-invalid');
    expect(cookies(['csrftoken=1; Secure'])).toBe('cookies-anticsrf-without-samesite-flag');
    expect(cookies(['sessionid=1; Secure; HttpOnly'])).toBe('cookies-secure-with-httponly-sessions');
    expect(cookies(['sessionid=1; Secure; HttpOnly; SameSite=Strict'])).toBe(
      'cookies-secure-with-httponly-sessions-and-samesite',
    );
  });
  it('counts HSTS as protection for a missing Secure flag', () => {
    const headers = { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' };
    expect(cookies(['sessionid=1; HttpOnly'], { headers })).toBe(
      'cookies-session-without-secure-flag-but-protected-by-hsts',
    );
  });
  it('treats every cookie set over http as without Secure', () => {
    expect(cookies(['sessionid=1; Secure; HttpOnly; SameSite=Lax'], { url: 'http://shop.example/' })).toBe(
      'cookies-session-without-secure-flag',
    );
  });
  it("keeps the worst result over every cookie and check, in Mozilla's order", () => {
    const hsts = { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' };
    // Without Secure (HSTS, -10) and without HttpOnly (-30): the worse wins → 70, B.
    const g = grade(base({ headers: hsts, setCookies: ['sessionid=1'] }));
    expect(g.tests.find((t) => t.name === 'cookies')?.result).toBe('cookies-session-without-httponly-flag');
    expect(cookies(['sessionid=1'], { headers: hsts })).toBe('cookies-session-without-httponly-flag');
    expect(cookies(['csrftoken=1'], { headers: hsts })).toBe('cookies-anticsrf-without-samesite-flag');
    // A later cookie worse than an earlier one still decides.
    expect(cookies(['theme=dark; Secure; SameSite=Lax', 'sessionid=1; Secure'])).toBe(
      'cookies-session-without-httponly-flag',
    );
  });
  it('SameSite=None without Secure is invalid', () => {
    const hsts = { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' };
    expect(cookies(['theme=dark; SameSite=None'], { headers: hsts })).toBe('cookies-samesite-flag-invalid');
    expect(cookies(['theme=dark; Secure; SameSite=None'])).toBe('cookies-secure-with-httponly-sessions-and-samesite');
  });
  it("scores session cookies by Mozilla's rule (login, sess), not golive's wider one", () => {
    expect(isObservatorySessionCookie('sid')).toBe(false);
    expect(isObservatorySessionCookie('PHPSESSID')).toBe(true);
    expect(isSessionCookie('sid')).toBe(true);
    expect(cookies(['sid=1; Secure; SameSite=Lax'])).toBe('cookies-secure-with-httponly-sessions-and-samesite');
  });
});

describe('the other tests', () => {
  const h = (headers: Record<string, string>, name: string, over: Partial<ObservatoryInput> = {}): string =>
    result(base({ headers: { 'content-type': 'text/html', ...headers }, ...over }), name);
  it('HSTS', () => {
    expect(h({ 'strict-transport-security': 'max-age=100' }, 'strict-transport-security')).toBe(
      'hsts-implemented-max-age-less-than-six-months',
    );
    expect(h({ 'strict-transport-security': 'maxage' }, 'strict-transport-security')).toBe('hsts-header-invalid');
    expect(
      h({ 'strict-transport-security': 'max-age=31536000' }, 'strict-transport-security', { certTrusted: false }),
    ).toBe('hsts-invalid-cert');
  });
  it('Referrer-Policy takes the last recognised value', () => {
    expect(h({ 'referrer-policy': 'unsafe-url, strict-origin-when-cross-origin' }, 'referrer-policy')).toBe(
      'referrer-policy-private',
    );
    expect(h({ 'referrer-policy': 'origin' }, 'referrer-policy')).toBe('referrer-policy-unsafe');
    // The current MDN Observatory: no-referrer-when-downgrade is unsafe, -5.
    expect(h({ 'referrer-policy': 'no-referrer-when-downgrade' }, 'referrer-policy')).toBe('referrer-policy-unsafe');
    expect(h({ 'referrer-policy': 'nonsense' }, 'referrer-policy')).toBe('referrer-policy-header-invalid');
  });
  it('X-Frame-Options, frame-ancestors, X-Content-Type-Options, CORP', () => {
    expect(h({ 'x-frame-options': 'DENY' }, 'x-frame-options')).toBe('x-frame-options-sameorigin-or-deny');
    expect(h({ 'x-frame-options': 'maybe' }, 'x-frame-options')).toBe('x-frame-options-header-invalid');
    expect(h({ 'content-security-policy': "frame-ancestors 'self'" }, 'x-frame-options')).toBe(
      'x-frame-options-implemented-via-csp',
    );
    expect(h({ 'x-content-type-options': 'sniff' }, 'x-content-type-options')).toBe(
      'x-content-type-options-header-invalid',
    );
    expect(h({ 'cross-origin-resource-policy': 'same-site' }, 'cross-origin-resource-policy')).toBe(
      'cross-origin-resource-policy-implemented-with-same-site',
    );
    expect(h({ 'cross-origin-resource-policy': 'x' }, 'cross-origin-resource-policy')).toBe(
      'cross-origin-resource-policy-header-invalid',
    );
  });
  it('CORS: a reflected origin with credentials is universal access', () => {
    const sentOrigin = 'https://evil.example';
    expect(
      h(
        { 'access-control-allow-origin': sentOrigin, 'access-control-allow-credentials': 'true' },
        'cross-origin-resource-sharing',
        {
          sentOrigin,
        },
      ),
    ).toBe('cross-origin-resource-sharing-implemented-with-universal-access');
    expect(h({ 'access-control-allow-origin': '*' }, 'cross-origin-resource-sharing')).toBe(
      'cross-origin-resource-sharing-implemented-with-public-access',
    );
  });
  it('SRI', () => {
    const sri = (body: string, ct = 'text/html'): string =>
      result(base({ headers: { 'content-type': ct }, body }), 'subresource-integrity');
    expect(sri('{}', 'application/json')).toBe('sri-not-implemented-response-not-html');
    expect(sri('<p>no scripts</p>')).toBe('sri-not-implemented-but-no-scripts-loaded');
    expect(sri('<script src="/app.js"></script>')).toBe(
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
    );
    expect(sri('<script src="https://cdn.example/a.js"></script>')).toBe(
      'sri-not-implemented-but-external-scripts-loaded-securely',
    );
    expect(sri('<script src="http://cdn.example/a.js"></script>')).toBe(
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
    );
    expect(sri('<script src="https://cdn.example/a.js" integrity="sha384-x" crossorigin></script>')).toBe(
      'sri-implemented-and-external-scripts-loaded-securely',
    );
  });
});
