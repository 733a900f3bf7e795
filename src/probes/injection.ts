import type { Finding } from '../model.js';
import {
  checkFor,
  errorOutcome,
  safeExcerpt,
  secFinding,
  type ProbeOutcome,
  type SecContext,
} from './security-context.js';
import type { SecResponse } from './security-http.js';

/** The XSS marker: an element no page contains, so its raw presence means the input was not escaped. */
export const XSS_MARKER = '<golive7x9>';

/** Database error messages that show a quote broke out of an SQL literal. */
export const SQL_ERRORS: readonly RegExp[] = [
  /SQL syntax.*MySQL|Warning.*mysql_|MySqlException|valid MySQL result/i,
  /PostgreSQL.*ERROR|pg_query\(\)|ERROR:\s+syntax error at or near|unterminated quoted string at or near/i,
  /SQLite3?::|SQLITE_ERROR|SqliteError|sqlite3\.OperationalError|unrecognized token:/i,
  /ORA-\d{5}|Oracle error/i,
  /Microsoft SQL Server|ODBC SQL Server Driver|Unclosed quotation mark after the character string/i,
  /SQLSTATE\[|syntax error.*near .* at line \d/i,
];

/** Stack-trace shapes of common runtimes. */
export const STACK_TRACES: readonly RegExp[] = [
  // Node.js, also as Express's development error page renders it (<br> and &nbsp; for the newlines and indent).
  /(?:\n|<br\s*\/?>)(?:\s|&nbsp;)+at (?:\S+ )?\(?(?:file:\/\/)?\/[^\s)]+:\d+:\d+/,
  /Traceback \(most recent call last\)/,
  /\bat [\w$.]+\([\w]+\.java:\d+\)/,
  /<b>(?:Fatal error|Warning|Parse error)<\/b>:.* on line <b>\d+<\/b>/,
  /goroutine \d+ \[running\]:/,
  /System\.\w+Exception:.*\n\s+at /,
];

const TRAVERSALS: readonly string[] = [
  '../../../../../../../../etc/passwd',
  '....//....//....//....//....//....//etc/passwd',
  '/etc/passwd',
];
const PASSWD = /root:[^:\n]*:0:0:/;

/**
 * The injection spot checks on the parameters the spec declares: an XSS marker
 * reflected unescaped in HTML, SQL error signatures after quote payloads (that
 * the plain value does not cause), path traversal reading /etc/passwd, and
 * error pages with stack traces. GET only unless injectionMethods allows POST.
 */
export async function probeInjection(ctx: SecContext): Promise<ProbeOutcome> {
  const findings: Finding[] = [];
  let answered = 0;
  let sent = 0;
  let firstError: string | undefined;
  for (const [path, params] of Object.entries(ctx.cfg.params)) {
    for (const param of params) {
      for (const method of ctx.cfg.injectionMethods) {
        const send = (value: string): Promise<SecResponse> => {
          sent++;
          if (method === 'GET') {
            const url = new URL(ctx.client.url(path));
            url.searchParams.set(param, value);
            return ctx.client.send({ url: url.toString() });
          }
          return ctx.client.send({
            method,
            url: ctx.client.url(path),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ [param]: value }).toString(),
          });
        };
        const at = { method, path, discriminator: param };
        ctx.progress(`injection: ${method} ${path} ${param}`);
        const base = await send('golive');
        const xss = await send(`golive${XSS_MARKER}`);
        const sq = await send("golive'");
        const dq = await send('golive"');
        const trav = [];
        for (const t of TRAVERSALS) trav.push(await send(t));
        const all = [base, xss, sq, dq, ...trav];
        for (const r of all) {
          if (r.status !== undefined) answered++;
          else firstError ??= r.error;
        }
        if (
          xss.status !== undefined &&
          xss.body.includes(XSS_MARKER) &&
          /html/i.test(xss.headers['content-type'] ?? '')
        ) {
          findings.push(
            secFinding({
              ...at,
              rule: 'injection.xss-reflected',
              severity: 'high',
              title: `${param} on ${method} ${path} is reflected unescaped in HTML (XSS)`,
              evidence: excerptAt(xss.body, XSS_MARKER),
              remediation:
                'Escape output for its HTML context (use the template engine’s escaping), and send a strict CSP.',
            }),
          );
        }
        const baseSql = SQL_ERRORS.some((re) => re.test(base.body));
        const sqlHit = [sq, dq].find((r) => r.status !== undefined && SQL_ERRORS.some((re) => re.test(r.body)));
        if (sqlHit && !baseSql) {
          const re = SQL_ERRORS.find((x) => x.test(sqlHit.body)) as RegExp;
          findings.push(
            secFinding({
              ...at,
              rule: 'injection.sql-error',
              severity: 'high',
              title: `a quote in ${param} on ${method} ${path} causes a database error (likely SQL injection)`,
              evidence: `${sqlHit.status}; ${safeExcerpt(excerptMatch(sqlHit.body, re), 200)}`,
              remediation:
                'Use parameterized queries (placeholders), never string concatenation, and hide database errors.',
            }),
          );
        }
        const travHit = trav.find((r) => r.status !== undefined && PASSWD.test(r.body));
        if (travHit) {
          findings.push(
            secFinding({
              ...at,
              rule: 'injection.path-traversal',
              severity: 'critical',
              title: `${param} on ${method} ${path} reads files outside the intended folder (/etc/passwd)`,
              evidence: `${travHit.status}; ${safeExcerpt(excerptMatch(travHit.body, PASSWD), 120)}`,
              remediation:
                'Resolve the path and check it stays inside the allowed folder; better, map ids to files instead of taking paths.',
            }),
          );
        }
        const traced = all.find((r) => r.status !== undefined && STACK_TRACES.some((re) => re.test(r.body)));
        if (traced) {
          const re = STACK_TRACES.find((x) => x.test(traced.body)) as RegExp;
          findings.push(
            secFinding({
              ...at,
              rule: 'injection.stack-trace',
              severity: 'medium',
              title: `an error page on ${method} ${path} leaks a stack trace`,
              evidence: `${traced.status}; ${safeExcerpt(excerptMatch(traced.body, re), 200)}`,
              remediation:
                'Answer errors with a generic message and log the details server-side (e.g. NODE_ENV=production for Express).',
            }),
          );
        }
      }
    }
  }
  if (sent > 0 && answered === 0) return errorOutcome('security.injection', `no answer: ${firstError ?? 'unknown'}`);
  const n = Object.values(ctx.cfg.params).reduce((s, p) => s + p.length, 0);
  return {
    check: checkFor('security.injection', findings, `${n} parameter(s) resist the spot checks`),
    findings,
    metrics: [
      { name: 'security.injection.found', value: findings.length, unit: 'count' },
      { name: 'security.injection.requests', value: sent, unit: 'count' },
    ],
  };
}

function excerptAt(body: string, needle: string): string {
  const i = body.indexOf(needle);
  return body.slice(Math.max(0, i - 60), i + needle.length + 60).replace(/\s+/g, ' ');
}

function excerptMatch(body: string, re: RegExp): string {
  const m = re.exec(body);
  const i = m?.index ?? 0;
  return body.slice(Math.max(0, i - 40), i + 200);
}
