import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import picomatch from 'picomatch';
import { findingFingerprint } from '../collect/fingerprint.js';
import { GoliveError } from '../errors.js';
import { SEVERITIES, type Check, type Evidence, type Finding, type Metric, type Severity } from '../model.js';
import { Scan, type ScanSpec, type ScanSpecInput } from '../spec/scan.js';
import { readBaseline } from './baseline.js';
import { parseCoverage, ratio, type CoverageSummary } from './coverage.js';
import {
  DEFAULT_FORBIDDEN_EXCLUDE,
  DEFAULT_FORBIDDEN_INCLUDE,
  DEFAULT_FORBIDDEN_RULES,
  findForbidden,
  sourceMatcher,
  type ForbiddenRule,
} from './forbidden.js';
import { changelogCheck, ciCheck, envFiles, envFilesCheck, readmeCheck, runbooksCheck, tagCheck } from './hygiene.js';
import { readImport } from './import-file.js';
import { parseNpmAudit, type AuditVulnerability } from './npm-audit.js';
import { plural } from '../plural.js';
import { parseSarif, type SarifImport } from './sarif.js';
import { findSecrets } from './secrets.js';
import { walkRepository, type RepoFile } from './walk.js';

/** Everything a repository scan needs; the CLI builds it from flags or the spec, the collector from the spec. */
export interface ScanOptions {
  /** The `scan:` section (defaults applied when absent). */
  config?: ScanSpecInput;
  /** Folder that `scan.path` and the imported files resolve against: the spec folder, or cwd without a spec. */
  baseDir: string;
  /** Folder to scan, overriding `scan.path` (resolved against baseDir). */
  path?: string;
  /** The release: the CHANGELOG entry and git tag to look for. Without it those checks only test presence / are skipped. */
  release?: string;
  /** Baseline file overriding `scan.baseline` (resolved against baseDir). */
  baseline?: string;
  now?: () => Date;
  progress?: (message: string) => void;
  signal?: AbortSignal;
}

/** Imported reports, read and validated before anything else runs. */
export interface ScanImports {
  coverage?: { file: string; summary: CoverageSummary; min: number };
  audit?: { file: string; vulnerabilities: AuditVulnerability[] };
  sarif: { file: string; result: SarifImport }[];
  baseline?: { file: string; fingerprints: Set<string> };
}

export interface ScanResult {
  /** The evidence, with baselined findings left out. */
  evidence: Evidence;
  /** Every finding, baselined or not: what `--write-baseline` records. */
  allFindings: Finding[];
}

/** Parses the scan section with its defaults (an absent section scans `.` with the built-in rules). */
export function scanConfig(input: ScanSpecInput | undefined): ScanSpec {
  return Scan.parse(input ?? {});
}

/**
 * Reads and validates every imported file (coverage, npm audit, SARIF,
 * baseline). Throws GL_FILE_NOT_FOUND / GL_SCAN_IMPORT_INVALID (exit 2) naming
 * the file and what is wrong; `golive check` calls it before the target starts.
 */
export function loadImports(config: ScanSpec, baseDir: string, baselineOverride?: string): ScanImports {
  const at = (p: string): string => resolve(baseDir, p);
  const out: ScanImports = { sarif: [] };
  if (config.coverage) {
    const file = at(config.coverage.file);
    const text = readImport(file, 'coverage', 'run the tests with coverage first, or fix scan.coverage.file');
    out.coverage = { file, summary: parseCoverage(text, file), min: config.coverage.min };
  }
  if (config.audit) {
    const file = at(config.audit);
    const text = readImport(file, 'npm audit', 'write it with npm audit --json > FILE, or fix scan.audit');
    out.audit = { file, vulnerabilities: parseNpmAudit(text, file) };
  }
  for (const s of config.sarif) {
    const file = at(s);
    out.sarif.push({ file, result: parseSarif(readImport(file, 'SARIF', 'fix the path in scan.sarif'), file) });
  }
  const baseline = baselineOverride ?? config.baseline;
  if (baseline) out.baseline = { file: at(baseline), fingerprints: readBaseline(at(baseline)) };
  return out;
}

/** Where the scan looks: the folder must exist (GL_SCAN_DIR_NOT_FOUND otherwise). */
export function scanRoot(config: ScanSpec, baseDir: string, override?: string): string {
  const root = resolve(baseDir, override ?? config.path);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) {
    throw new GoliveError('GL_SCAN_DIR_NOT_FOUND', `cannot scan ${root}: no such folder`, {
      hint: override ? 'pass an existing folder: golive scan DIR' : 'fix scan.path (relative to the spec file)',
    });
  }
  return root;
}

const BY_SEVERITY = (a: Finding, b: Finding): number =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  a.location.localeCompare(b.location, 'en') ||
  a.rule.localeCompare(b.rule, 'en');

/**
 * Scans a repository: secrets, forbidden code, docs and ops hygiene, and the
 * imported coverage / audit / SARIF reports, into one `scan` evidence item.
 * Found secrets appear only redacted (prefix and length); fingerprints are
 * rule + path + a 16-bit keyed hash of the secret (or the redacted offending
 * line) + which occurrence of it in the file, never line numbers, so they
 * survive edits elsewhere in the file.
 */
export async function scanRepository(opts: ScanOptions): Promise<ScanResult> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const progress = opts.progress ?? (() => undefined);
  const config = scanConfig(opts.config);
  const root = scanRoot(config, opts.baseDir, opts.path);
  const imports = loadImports(config, opts.baseDir, opts.baseline);

  const checks: Check[] = [];
  const findings: Finding[] = [];
  const all: Finding[] = [];
  let baselined = 0;
  /** Records every finding (for --write-baseline) and returns those the baseline does not accept. */
  const keep = (found: Finding[]): Finding[] => {
    all.push(...found);
    const left = imports.baseline ? found.filter((f) => !imports.baseline?.fingerprints.has(f.fingerprint)) : found;
    baselined += found.length - left.length;
    findings.push(...left);
    return left;
  };

  // One pass over the files: each is read once, searched for secrets and forbidden code, then dropped.
  const secrets = config.secrets === false ? undefined : secretScanner(config.secrets);
  const forbidden = config.forbidden === false ? undefined : forbiddenScanner(config.forbidden);
  progress('reading files');
  let read = 0;
  const walk = await walkRepository(
    root,
    config.maxFileSize,
    (file) => {
      secrets?.scan(file);
      forbidden?.scan(file);
      if (++read % 1000 === 0) progress(`${plural(read, 'file')} read`);
    },
    opts.signal,
  );
  const metrics: Metric[] = [
    { name: 'scan.files', value: walk.files.length, unit: 'count' },
    { name: 'scan.files.skipped', value: walk.skipped.length, unit: 'count' },
  ];
  const unreadable = walk.skipped.filter((s) => s.reason === 'unreadable');
  const notSearched = unreadable.length ? ` (${unreadable.length} unreadable, not searched)` : '';
  if (secrets) {
    checks.push(
      countCheck(
        'scan.secrets',
        keep(secrets.found),
        `no secrets in ${plural(walk.files.length, 'file')}${notSearched}`,
        ['secret', 'secrets'],
      ),
    );
  }
  if (forbidden) {
    checks.push(
      countCheck('scan.forbidden', keep(forbidden.found), `none in ${plural(forbidden.sources, 'source file')}`, [
        'forbidden line',
        'forbidden lines',
      ]),
    );
  }

  progress('docs and ops hygiene');
  checks.push(readmeCheck(root));
  checks.push(changelogCheck(root, config.changelog, opts.release));
  const { entries: runbooks, ...runbookCheck } = runbooksCheck(root, config.runbooks);
  checks.push(runbookCheck);
  checks.push(ciCheck(root));
  checks.push(await tagCheck(root, opts.release));
  const envs = envFiles(walk.files.concat(walk.skipped.map((s) => s.path)));
  const envFindings = keep(
    envs.map((path) => ({
      rule: 'env-file',
      severity: 'high' as const,
      title: `environment file committed: ${path}`,
      location: path,
      remediation: `git rm --cached ${path}, add it to .gitignore, rotate the values it held; commit a .env.example with names only.`,
      fingerprint: findingFingerprint('env-file', path),
    })),
  );
  checks.push(envFilesCheck(envFindings.map((f) => f.location)));

  if (imports.coverage) {
    const { summary, min, file } = imports.coverage;
    const lines = ratio(summary.lines);
    metrics.push({ name: 'scan.coverage.lines', value: lines, unit: 'ratio' });
    if (summary.branches)
      metrics.push({ name: 'scan.coverage.branches', value: ratio(summary.branches), unit: 'ratio' });
    if (summary.functions) {
      metrics.push({ name: 'scan.coverage.functions', value: ratio(summary.functions), unit: 'ratio' });
    }
    const pct = `${(lines * 100).toFixed(2)} %`;
    checks.push({
      id: 'scan.coverage',
      status: lines * 100 >= min ? 'pass' : 'fail',
      summary: `line coverage ${pct} (${summary.lines.covered}/${summary.lines.total}) ${lines * 100 >= min ? '>=' : '<'} ${min} % (${shortName(file)})`,
    });
  }

  if (imports.audit) {
    const vulns = imports.audit.vulnerabilities;
    const found = vulns.map((v): Finding => ({
      rule: 'npm-audit',
      severity: v.severity,
      title: `${v.name}: ${v.via.join('; ') || 'vulnerable'}`,
      location: `npm:${v.name}@${v.range}`,
      evidence: v.advisories.filter((a) => a.startsWith('http')).join(' ') || undefined,
      remediation: v.remediation,
      fingerprint: findingFingerprint('npm-audit', v.name, v.advisories.join(' ')),
    }));
    const left = keep(found.map(dropUndefined));
    for (const s of SEVERITIES) {
      metrics.push({ name: `scan.audit.${s}`, value: left.filter((f) => f.severity === s).length, unit: 'count' });
    }
    checks.push(
      severityCheck(
        'scan.audit',
        left,
        `${plural(vulns.length, 'vulnerable package')} (${shortName(imports.audit.file)})`,
      ),
    );
  }

  if (imports.sarif.length) {
    const found = imports.sarif.flatMap((s) => s.result.findings);
    const tools = [...new Set(imports.sarif.flatMap((s) => s.result.tools))];
    const left = keep(found);
    metrics.push({ name: 'scan.sarif.results', value: left.length, unit: 'count' });
    checks.push(
      severityCheck('scan.sarif', left, `${plural(found.length, 'result')} from ${tools.join(', ') || 'no tool'}`),
    );
  }

  const reported = findings.sort(BY_SEVERITY);
  const failing = checks.filter((c) => c.status === 'fail');
  metrics.push(
    { name: 'scan.secrets', value: reported.filter((f) => f.rule.startsWith('secret/')).length, unit: 'count' },
    { name: 'scan.forbidden', value: reported.filter((f) => f.rule.startsWith('forbidden/')).length, unit: 'count' },
    { name: 'scan.env-files', value: envFindings.length, unit: 'count' },
    { name: 'scan.checks.failing', value: failing.length, unit: 'count' },
  );
  if (imports.baseline) metrics.push({ name: 'scan.baselined', value: baselined, unit: 'count' });

  const bySeverity = SEVERITIES.map((s) => [s, reported.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const summary = [
    ...(opts.signal?.aborted ? ['interrupted: partial results'] : []),
    plural(walk.files.length, 'file'),
    bySeverity.length ? `findings: ${bySeverity.join(', ')}` : 'no findings',
    // Always six checks or more, so "checks" is plural here.
    failing.length ? `${failing.length} of ${checks.length} checks fail` : `all ${checks.length} checks pass`,
    ...(baselined ? [`${baselined} baselined`] : []),
  ].join(' · ');

  const evidence: Evidence = {
    collector: 'scan',
    status: failing.length ? 'fail' : 'pass',
    summary,
    startedAt,
    endedAt: now().toISOString(),
    metrics,
    checks,
    findings: reported,
    artifacts: [],
    scansForFindings: true,
    data: {
      root,
      release: opts.release ?? null,
      skipped: walk.skipped.slice(0, 100),
      lockfilesPassedOver: walk.passedOver,
      runbooks,
      ...(imports.coverage
        ? { coverage: { file: imports.coverage.file, format: imports.coverage.summary.format } }
        : {}),
      ...(imports.sarif.length ? { sarif: imports.sarif.map((s) => ({ file: s.file, tools: s.result.tools })) } : {}),
      ...(imports.baseline ? { baseline: imports.baseline.file } : {}),
    },
  };
  return { evidence, allFindings: all.sort(BY_SEVERITY) };
}

interface FileScanner {
  scan(file: RepoFile): void;
  found: Finding[];
}

function secretScanner(config: Exclude<ScanSpec['secrets'], false>): FileScanner {
  const allow = config.allowPaths.length ? picomatch(config.allowPaths, { dot: true }) : () => false;
  const allowRegexes = config.allowRegexes.map((r) => new RegExp(r));
  const found: Finding[] = [];
  return {
    found,
    scan(file) {
      if (allow(file.path)) return;
      // The same secret twice in a file is two findings: the n-th occurrence of (rule, tag) keeps them apart
      // without line numbers, so fingerprints survive lines moving.
      const seen = new Map<string, number>();
      for (const m of findSecrets(file.text, { allowRegexes, path: file.path })) {
        const key = `${m.rule.id}\0${m.tag}`;
        const occurrence = seen.get(key) ?? 0;
        seen.set(key, occurrence + 1);
        found.push({
          rule: `secret/${m.rule.id}`,
          severity: m.rule.severity,
          title: `${m.rule.title} in ${file.path}`,
          location: `${file.path}:${m.line}`,
          evidence: m.redacted,
          remediation: m.rule.remediation,
          fingerprint: findingFingerprint(`secret/${m.rule.id}`, file.path, m.tag, String(occurrence)),
        });
      }
    },
  };
}

function forbiddenScanner(config: Exclude<ScanSpec['forbidden'], false>): FileScanner & { sources: number } {
  const rules: ForbiddenRule[] =
    config.patterns?.map((p) => ({
      id: p.id,
      regex: new RegExp(p.regex),
      severity: p.severity,
      title: p.title ?? `${p.id} left in source`,
    })) ?? DEFAULT_FORBIDDEN_RULES;
  const isSource = sourceMatcher({
    include: config.include ?? DEFAULT_FORBIDDEN_INCLUDE,
    exclude: config.exclude ?? DEFAULT_FORBIDDEN_EXCLUDE,
  });
  const self = {
    found: [] as Finding[],
    sources: 0,
    scan(file: RepoFile) {
      if (!isSource(file.path)) return;
      self.sources++;
      for (const m of findForbidden(file.path, file.text, rules)) {
        // Already redacted (whole line first, then cut) by findForbidden.
        const excerpt = m.excerpt;
        self.found.push({
          rule: `forbidden/${m.rule.id}`,
          severity: m.rule.severity,
          title: `${m.rule.title} (${m.path})`,
          location: `${m.path}:${m.line}`,
          evidence: excerpt,
          remediation: 'Remove it, or use the project logger; tests are excluded (scan.forbidden.exclude).',
          fingerprint: findingFingerprint(`forbidden/${m.rule.id}`, m.path, excerpt, String(m.occurrence)),
        });
      }
    },
  };
  return self;
}

/** A check that fails on any finding of its kind: secrets, forbidden code. */
function countCheck(id: string, found: readonly Finding[], clean: string, noun: [string, string]): Check {
  if (found.length === 0) return { id, status: 'pass', summary: clean };
  const what = found.length === 1 ? noun[0] : noun[1];
  return { id, status: 'fail', summary: `${found.length} ${what} found (${severityList(found)})` };
}

/** A check on imported findings: fails on critical or high, as the default findings.critical/high == 0 gate would. */
function severityCheck(id: string, found: readonly Finding[], what: string): Check {
  const blocking = found.filter((f) => f.severity === 'critical' || f.severity === 'high');
  const detail = found.length ? `: ${severityList(found)}` : '';
  return { id, status: blocking.length ? 'fail' : 'pass', summary: `${what}${detail}` };
}

function severityList(found: readonly Finding[]): string {
  const counts = new Map<Severity, number>();
  for (const f of found) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return SEVERITIES.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

function shortName(file: string): string {
  return file.split(/[\\/]/).slice(-2).join('/');
}

function dropUndefined(f: Finding): Finding {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as unknown as Finding;
}
