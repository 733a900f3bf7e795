import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectOne } from '../api/collect-one.js';
import { loadProject } from '../api/project.js';
import { prepareOutDir } from '../api/reports.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { SEVERITIES, type Evidence, type Severity } from '../model.js';
import {
  checkSecurityInput,
  credentialValues,
  defaultSecurityConfig,
  readCa,
  runSecurityProbes,
  securityCollector,
} from '../probes/security.js';
import { SECURITY_PROBES } from '../spec/probes.js';
import { createRedactor, redactDeep } from '../spec/redact.js';
import { parseDuration } from '../target/duration.js';
import { boundedDuration } from '../spec/common.js';
import { assertReachable } from '../target/reachable.js';
import { parseFlags, type FlagTable } from './args.js';
import { evidenceVerdict, formatEvidence } from './evidence-summary.js';
import { errStyles, outStyles, stderrTTY, type CliIo } from './io.js';

export const usage =
  'golive probe [URL | -c FILE] [--only tls,headers,…] [--protected "GET /orders"]… [--public "POST /login"]… ' +
  '[--param /search:q]… [--header "Name: value"]… [--burst N] [--burst-rate 50/s] [--allow-writes] [--timeout 10s] [--max-duration 5m] [--ca FILE] ' +
  '[--http-url URL] ' +
  '[--fail-on high] [--out DIR] [--json]';
export const summary =
  'security probes of a running target: Observatory header grade, exposed paths, auth, rate limits, CORS, TLS, injection, cookies';

export const flags = {
  only: {
    type: 'string',
    value: 'LIST',
    description: `run only these probes (${SECURITY_PROBES.join(', ')})`,
    default: 'all',
  },
  protected: {
    type: 'string',
    multiple: true,
    value: '"METHOD /path"',
    description: 'a route that must refuse requests without credentials (repeatable)',
  },
  public: {
    type: 'string',
    multiple: true,
    value: '"METHOD /path"',
    description: 'a route that is public on purpose (repeatable)',
  },
  param: {
    type: 'string',
    multiple: true,
    value: '/path:name',
    description: 'a query parameter to probe for injection (repeatable)',
  },
  header: {
    type: 'string',
    multiple: true,
    value: '"Name: value"',
    description: 'a header sent with every probe (repeatable)',
  },
  burst: {
    type: 'string',
    value: 'N',
    description: 'requests in the rate-limit burst',
    default: 'the probe’s default',
  },
  'burst-rate': {
    type: 'string',
    value: 'N/s',
    description: 'pace of the rate-limit burst (above 0, at most 1000/s)',
    default: '50/s',
  },
  'allow-writes': {
    type: 'boolean',
    description: 'also burst public routes whose method writes (POST, PUT, PATCH, DELETE): real records on the target',
  },
  timeout: { type: 'string', value: 'DURATION', description: 'per-request timeout', default: '10s' },
  'max-duration': {
    type: 'string',
    value: 'DURATION',
    description: 'stop probing after this long',
    default: 'the probe’s default',
  },
  ca: {
    type: 'string',
    value: 'FILE',
    description: 'a CA certificate (PEM) to trust for TLS',
    default: 'the system CAs',
  },
  'http-url': {
    type: 'string',
    value: 'URL',
    description: 'the plain-http address to test the redirect to https',
    default: 'derived from URL',
  },
  'fail-on': {
    type: 'string',
    value: 'SEVERITY',
    description: 'exit 1 when a finding is at or above this severity',
    default: 'high',
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: 'folder for evidence.json',
    default: 'not written with URL; golive-report/security/ beside golive.yaml with -c',
  },
  json: { type: 'boolean', description: 'print the evidence as JSON instead of the summary' },
} as const satisfies FlagTable;

/**
 * `golive probe URL` probes any target without a spec (like Observatory or a
 * ZAP baseline scan); `golive probe -c golive.yaml` runs the spec's
 * probes.security against target.baseUrl. Exit 1 when a finding is at or above
 * --fail-on (default high), 3 when the target is unreachable or a probe could
 * not run, 2 for bad flags.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('probe', args, flags, usage, 1);
  const failOn = values['fail-on'] ?? 'high';
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new GoliveError('GL_ARG_INVALID', `golive probe: --fail-on must be one of ${SEVERITIES.join(', ')}`, {
      hint: 'exit 1 when a finding is at or above this severity; default high',
    });
  }
  const url = positionals[0];
  const s = outStyles(io);
  const tty = stderrTTY(io);
  const progress = (m: string): void => {
    if (tty) io.stderr.write(`\r\x1b[2K${errStyles(io).dim(`security: ${m}`)}`);
    else io.stderr.write(`security: ${m}\n`);
  };
  let evidence: Evidence;
  let outFile: string | undefined;
  if (url !== undefined) {
    if (values.config !== undefined) {
      throw new GoliveError('GL_ARG_INVALID', 'golive probe: give a URL or -c FILE, not both', {
        hint: 'a URL probes that target with flags only; -c runs the spec’s probes.security against target.baseUrl',
      });
    }
    const target = parseTarget(url);
    const cfg = standaloneConfig(values);
    checkSecurityInput(cfg);
    const timeoutMs = values.timeout ? duration(values.timeout) : 10_000;
    const ca = readCa(values.ca, io.cwd);
    const headers = parseHeaders(values.header ?? []);
    await assertReachable(target, Math.min(timeoutMs, 5000));
    const redact = createRedactor(credentialValues(headers, cfg));
    const raw = await runSecurityProbes({
      baseUrl: target,
      cfg,
      headers,
      timeoutMs,
      ...(ca ? { ca } : {}),
      signal: io.signal,
      progress: (m) => progress(redact(m)),
      now: io.now,
    });
    evidence = redactDeep(raw, redact);
    if (values.out) outFile = writeEvidence(resolve(io.cwd, values.out), evidence);
  } else {
    if (hasStandaloneFlags(values)) {
      throw new GoliveError('GL_ARG_INVALID', 'golive probe: route and probe flags need a URL', {
        hint: 'with -c, put protected, public, params, burst … under probes.security in golive.yaml',
      });
    }
    const project = loadProject({ ...(values.config ? { config: values.config } : {}), cwd: io.cwd, env: io.env });
    // Input first (matchers, CA file), then the target: a bad spec is exit 2 even when the target is down.
    securityCollector.prepare?.(project.loaded.spec, project.loaded.dir);
    // golive probe does not start target.start (golive check does): the target must already be running.
    if (project.loaded.spec.probes?.security) {
      await assertReachable(project.loaded.spec.target.baseUrl);
    }
    const result = await collectOne({
      collector: securityCollector,
      ...(values.config ? { config: values.config } : {}),
      cwd: io.cwd,
      env: io.env,
      ...(values.out ? { outDir: values.out } : {}),
      signal: io.signal,
      now: io.now,
      onProgress: progress,
    });
    evidence = result.evidence;
    outFile = join(result.outDir, 'evidence.json');
  }
  if (tty) io.stderr.write('\r\x1b[2K');
  if (values.json) io.stdout.write(`${JSON.stringify(evidence, null, 2)}\n`);
  else {
    io.stdout.write(io.quiet ? `${evidenceVerdict(evidence, s)}\n` : formatEvidence(evidence, s));
    if (outFile && !io.quiet) io.stdout.write(`${s.dim(`evidence: ${outFile}`)}\n`);
  }
  return exitCode(evidence, failOn as Severity, io.signal.aborted);
}

/** 1 when a finding is at or above `failOn`; else 3 when a probe could not run; else 0. */
export function exitCode(ev: Evidence, failOn: Severity, aborted: boolean): number {
  const bar = SEVERITIES.indexOf(failOn);
  if (ev.findings.some((f) => SEVERITIES.indexOf(f.severity) <= bar)) return ExitCode.NoGo;
  if (aborted || ev.status === 'error') return ExitCode.Incomplete;
  return ExitCode.Ok;
}

type Values = Record<string, string | string[] | boolean | undefined>;

function hasStandaloneFlags(v: Values): boolean {
  return [
    'only',
    'protected',
    'public',
    'param',
    'header',
    'burst',
    'burst-rate',
    'allow-writes',
    'timeout',
    'max-duration',
    'ca',
    'http-url',
  ].some((k) => v[k] !== undefined);
}

function parseTarget(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new GoliveError('GL_ARG_INVALID', `golive probe: "${url}" is not a URL`, {
      hint: 'write an absolute http(s) URL, like http://127.0.0.1:8080',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new GoliveError('GL_ARG_INVALID', `golive probe: "${url}" is not an http(s) URL`, {
      hint: 'write an absolute http(s) URL, like https://staging.example.com',
    });
  }
  return u.toString();
}

function standaloneConfig(v: Values) {
  const only = typeof v.only === 'string' ? v.only.split(',').map((x) => x.trim()) : undefined;
  for (const p of only ?? []) {
    if (!(SECURITY_PROBES as readonly string[]).includes(p)) {
      throw new GoliveError('GL_ARG_INVALID', `golive probe: --only: unknown probe "${p}"`, {
        hint: `name some of: ${SECURITY_PROBES.join(', ')}`,
      });
    }
  }
  const params: Record<string, string[]> = {};
  for (const p of (v.param as string[] | undefined) ?? []) {
    const m = /^(\/[^:]*):(.+)$/.exec(p);
    if (!m) {
      throw new GoliveError('GL_ARG_INVALID', `golive probe: --param "${p}" is not PATH:NAME`, {
        hint: 'write --param /search:q (repeat the flag for more)',
      });
    }
    (params[m[1] as string] ??= []).push(m[2] as string);
  }
  const burst = v.burst === undefined ? undefined : Number(v.burst);
  const overrides: Record<string, unknown> = {
    ...(only ? { run: only } : {}),
    protected: v.protected ?? [],
    // --allow-writes opts every --public route in, as allowWrites: true does in the spec.
    public: ((v.public as string[] | undefined) ?? []).map((route) =>
      v['allow-writes'] ? { route, allowWrites: true } : route,
    ),
    params,
    ...(burst !== undefined ? { burst } : {}),
    ...(v['burst-rate'] ? { burstRate: v['burst-rate'] } : {}),
    ...(v['http-url'] ? { httpUrl: v['http-url'] } : {}),
    ...(v['max-duration'] ? { maxDuration: v['max-duration'] } : {}),
  };
  try {
    return defaultSecurityConfig(overrides);
  } catch (e) {
    const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    const first = issues[0];
    const flag: Record<string, string> = {
      run: '--only',
      protected: '--protected',
      public: '--public',
      burst: '--burst',
      burstRate: '--burst-rate',
      httpUrl: '--http-url',
      params: '--param',
      maxDuration: '--max-duration',
    };
    const name = flag[String(first?.path[0])] ?? 'a flag';
    throw new GoliveError('GL_ARG_INVALID', `golive probe: ${name}: ${first?.message ?? String(e)}`, {
      hint: `usage: ${usage}`,
    });
  }
}

/** --timeout: the same range as target.timeout in the spec (above 0, at most 10m). */
const TimeoutFlag = boundedDuration({ max: '10m' });

function duration(text: string): number {
  const checked = TimeoutFlag.safeParse(text);
  if (!checked.success) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `golive probe: --timeout "${text}": ${checked.error.issues[0]?.message ?? 'not a duration'}`,
      { hint: 'write a duration with a unit, like 10s or 500ms, at most 10m' },
    );
  }
  return parseDuration(text);
}

function parseHeaders(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) {
      throw new GoliveError('GL_ARG_INVALID', `golive probe: --header "${h.slice(0, 40)}" is not "Name: value"`, {
        hint: 'write --header "Authorization: Bearer $TOKEN"',
      });
    }
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function writeEvidence(dir: string, evidence: Evidence): string {
  prepareOutDir(dir); // one level at a time: a recursive mkdir spins on paths such as /proc/x
  try {
    const path = join(dir, 'evidence.json');
    writeFileSync(`${path}.tmp`, `${JSON.stringify(evidence, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
    return path;
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write evidence to ${dir}: ${(e as Error).message}`, {
      hint: 'choose another folder with --out',
    });
  }
}
