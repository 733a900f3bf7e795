import { randomBytes } from 'node:crypto';
import type { Finding, Severity } from '../model.js';
import {
  checkFor,
  errorOutcome,
  safeExcerpt,
  secFinding,
  type ProbeOutcome,
  type SecContext,
} from './security-context.js';
import type { SecResponse } from './security-http.js';

/** A sensitive path and what its body must show for the exposure to count. */
export interface ExposureRule {
  path: string;
  /** The body must match this. */
  match: RegExp;
  /** …and must not match this (e.g. a login form on /admin). */
  unless?: RegExp;
  severity: Severity;
  title: string;
  remediation: string;
}

const DENY = 'Deny the path at the web server or proxy, and remove the file from the deployed artifact.';

/** The built-in list. Matchers are specific to each file's format, so an HTML page never confirms one. */
export const EXPOSURE_RULES: readonly ExposureRule[] = [
  {
    path: '/.env',
    match: /^\s*(?:export\s+)?[A-Z][A-Z0-9_]*\s*=/m,
    unless: /<html|<!doctype/i,
    severity: 'critical',
    title: '.env file with environment settings is downloadable',
    remediation: `${DENY} Rotate every secret it held.`,
  },
  {
    path: '/.git/config',
    match: /\[core\][\s\S]*repositoryformatversion/,
    severity: 'high',
    title: 'Git repository metadata is downloadable (.git/config)',
    remediation: `${DENY} An exposed .git lets anyone rebuild the source and its history.`,
  },
  {
    path: '/.git/HEAD',
    match: /^ref: refs\/\S+\s*$/,
    severity: 'high',
    title: 'Git repository metadata is downloadable (.git/HEAD)',
    remediation: DENY,
  },
  {
    path: '/.aws/credentials',
    match: /aws_access_key_id\s*=/i,
    severity: 'critical',
    title: 'AWS credentials file is downloadable',
    remediation: `${DENY} Rotate the keys.`,
  },
  {
    path: '/.htpasswd',
    match: /^[\w.@-]+:(?:\$apr1\$|\$2[aby]\$|\{SHA\}|[./0-9A-Za-z]{13}$)/m,
    severity: 'high',
    title: '.htpasswd password hashes are downloadable',
    remediation: DENY,
  },
  {
    path: '/backup.sql',
    match: /CREATE TABLE|INSERT INTO|PostgreSQL database dump|MySQL dump/i,
    unless: /<html|<!doctype/i,
    severity: 'critical',
    title: 'database dump is downloadable (backup.sql)',
    remediation: `${DENY} Keep backups out of the web root.`,
  },
  {
    path: '/dump.sql',
    match: /CREATE TABLE|INSERT INTO|PostgreSQL database dump|MySQL dump/i,
    unless: /<html|<!doctype/i,
    severity: 'critical',
    title: 'database dump is downloadable (dump.sql)',
    remediation: `${DENY} Keep backups out of the web root.`,
  },
  {
    path: '/actuator/env',
    match: /"(?:propertySources|activeProfiles)"\s*:/,
    severity: 'high',
    title: 'Spring Boot actuator exposes the environment (/actuator/env)',
    remediation: 'Set management.endpoints.web.exposure.include to health,info only, or put actuator behind auth.',
  },
  {
    path: '/server-status',
    match: /Apache Server Status|Server uptime:|Total accesses:/i,
    severity: 'medium',
    title: 'Apache mod_status page is public (/server-status)',
    remediation: 'Restrict /server-status to localhost (Require local).',
  },
  {
    path: '/nginx_status',
    match: /Active connections:\s*\d+/,
    severity: 'low',
    title: 'nginx stub_status page is public',
    remediation: 'Restrict stub_status to internal addresses (allow 127.0.0.1; deny all).',
  },
  {
    path: '/phpinfo.php',
    match: /phpinfo\(\)|<title>PHP \d|PHP Version \d/i,
    severity: 'medium',
    title: 'phpinfo() page is public',
    remediation: 'Delete phpinfo.php from the deployment.',
  },
  {
    path: '/debug/vars',
    match: /"(?:memstats|cmdline)"\s*:/,
    severity: 'medium',
    title: 'Go expvar debug endpoint is public (/debug/vars)',
    remediation: 'Serve expvar and pprof on an internal port only.',
  },
  {
    path: '/debug/pprof/',
    match: /Types of profiles available|\/debug\/pprof\/goroutine/i,
    severity: 'medium',
    title: 'Go pprof profiling endpoint is public',
    remediation: 'Serve pprof on an internal port only.',
  },
  {
    path: '/.DS_Store',
    match: /^[\s\S]{4}Bud1/,
    severity: 'low',
    title: '.DS_Store file lists folder contents',
    remediation: DENY,
  },
  {
    path: '/admin',
    match: /<(?:title|h1|h2)[^>]*>[^<]*(?:admin|dashboard)/i,
    unless: /type\s*=\s*["']?password/i,
    severity: 'medium',
    title: 'admin page answers without authentication',
    remediation: 'Require authentication (and a role) for /admin, or do not expose it publicly.',
  },
  {
    path: '/debug',
    match: /stack ?trace|environment variables|debug toolbar|<title>[^<]*debug/i,
    severity: 'medium',
    title: 'debug page answers publicly',
    remediation: 'Disable debug endpoints in production builds.',
  },
];

/** A body reduced for comparison with the soft-404 baseline: the requested path removed, whitespace folded. */
function normalize(body: string, path: string): string {
  return body.split(path).join('').replace(/\s+/g, ' ').trim();
}

/**
 * The exposure probe. First two random paths set the soft-404 baseline (a
 * single-page app or catch-all answers 200 with the same page everywhere);
 * then each sensitive path counts only when it answers 2xx, its body matches
 * the path's content matcher, and it is not the baseline page.
 */
export async function probeExposure(ctx: SecContext): Promise<ProbeOutcome> {
  const rules: ExposureRule[] = [
    ...EXPOSURE_RULES,
    ...ctx.cfg.exposure.map((e) => ({
      path: e.path,
      match: new RegExp(e.match, 'm'),
      severity: e.severity,
      title: e.title ?? `${e.path} is exposed`,
      remediation: DENY,
    })),
  ];
  const random = [`/golive-${randomBytes(6).toString('hex')}`, `/.golive-${randomBytes(6).toString('hex')}.txt`];
  ctx.progress(`exposure: soft-404 baseline (${random.length} random paths)`);
  const baseline = await Promise.all(random.map((p) => ctx.client.send({ url: ctx.client.url(p) })));
  if (baseline.every((b) => b.status === undefined)) {
    return errorOutcome('security.exposure', `soft-404 baseline failed: ${baseline[0]?.error}`);
  }
  const baselineBodies = new Set(
    baseline.flatMap((b, i) => (b.status === undefined ? [] : [normalize(b.body, random[i] as string)])),
  );
  const soft404 = baseline.some((b) => b.status !== undefined && b.status >= 200 && b.status < 300);
  ctx.progress(`exposure: ${rules.length} sensitive paths`);
  const answers = await Promise.all(rules.map((r) => ctx.client.send({ url: ctx.client.url(r.path) })));
  const findings: Finding[] = [];
  const errors: string[] = [];
  const seen: { path: string; status: number | string; confirmed: boolean }[] = [];
  rules.forEach((rule, i) => {
    const res = answers[i] as SecResponse;
    if (res.status === undefined) {
      errors.push(`${rule.path}: ${res.error}`);
      seen.push({ path: rule.path, status: res.error ?? 'error', confirmed: false });
      return;
    }
    const confirmed =
      res.status >= 200 &&
      res.status < 300 &&
      rule.match.test(res.body) &&
      !(rule.unless?.test(res.body) ?? false) &&
      !baselineBodies.has(normalize(res.body, rule.path));
    seen.push({ path: rule.path, status: res.status, confirmed });
    if (!confirmed) return;
    findings.push(
      secFinding({
        rule: `exposure${rule.path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`,
        severity: rule.severity,
        title: rule.title,
        method: 'GET',
        path: rule.path,
        evidence: `${res.status}; ${excerptAround(res.body, rule.match)}`,
        remediation: rule.remediation,
      }),
    );
  });
  const outcome: ProbeOutcome = {
    check: checkFor(
      'security.exposure',
      findings,
      `none of ${rules.length} sensitive paths exposed${soft404 ? ' (soft-404 target: matched by content)' : ''}`,
    ),
    findings,
    metrics: [
      { name: 'security.exposure.found', value: findings.length, unit: 'count' },
      { name: 'security.exposure.checked', value: rules.length, unit: 'count' },
    ],
    data: { exposure: { soft404, paths: seen } },
  };
  if (errors.length === rules.length) {
    return errorOutcome('security.exposure', `every sensitive path failed: ${errors[0]}`);
  }
  return outcome;
}

/** A few lines around the first match, with secret-looking values masked. */
function excerptAround(body: string, match: RegExp): string {
  const m = match.exec(body);
  const at = m?.index ?? 0;
  const start = body.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
  const lines = body.slice(start).split('\n').slice(0, 4).join('\n');
  return safeExcerpt(lines, 240);
}
