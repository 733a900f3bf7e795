import { describe, expect, it } from 'vitest';
import { fakeSecrets } from '../../test/secret-corpus.js';
import { isGoliveError, type GoliveError } from '../errors.js';
import { parseCoverage, ratio } from './coverage.js';
import { parseNpmAudit } from './npm-audit.js';
import { parseSarif } from './sarif.js';

function thrown(fn: () => unknown): GoliveError {
  try {
    fn();
  } catch (e) {
    if (isGoliveError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('coverage', () => {
  it('reads an istanbul coverage-summary.json', () => {
    const text = JSON.stringify({
      total: {
        lines: { total: 200, covered: 170, skipped: 0, pct: 85 },
        branches: { total: 40, covered: 30, skipped: 0, pct: 75 },
        functions: { total: 10, covered: 9, skipped: 0, pct: 90 },
      },
      '/repo/src/a.ts': { lines: { total: 200, covered: 170, skipped: 0, pct: 85 } },
    });
    const c = parseCoverage(text, 'coverage-summary.json');
    expect(c).toMatchObject({ format: 'istanbul-summary', lines: { covered: 170, total: 200 }, files: 1 });
    expect(ratio(c.lines)).toBe(0.85);
    expect(ratio(c.branches!)).toBe(0.75);
  });

  it('sums lcov records, counting DA lines when LF/LH are absent', () => {
    const lcov = [
      'TN:',
      'SF:src/a.ts',
      'FNF:2',
      'FNH:1',
      'DA:1,1',
      'LF:4',
      'LH:3',
      'BRF:2',
      'BRH:2',
      'end_of_record',
      'SF:src/b.ts',
      'DA:1,5',
      'DA:2,0',
      'end_of_record',
      '',
    ].join('\n');
    const c = parseCoverage(lcov, 'lcov.info');
    expect(c).toMatchObject({
      format: 'lcov',
      files: 2,
      lines: { covered: 4, total: 6 },
      functions: { covered: 1, total: 2 },
    });
  });

  it('names the file and what is wrong', () => {
    expect(thrown(() => parseCoverage('', 'cov.json')).message).toBe(
      'cov.json: not a valid coverage file: the file is empty',
    );
    const bad = thrown(() => parseCoverage('{"total": {"lines": {"total": 1,', 'cov.json'));
    expect(bad.code).toBe('GL_SCAN_IMPORT_INVALID');
    expect(bad.message).toMatch(/^cov\.json: not a valid coverage file: invalid JSON at line 1, column \d+/);
    expect(thrown(() => parseCoverage('{"a": {}}', 'final.json')).message).toContain('no "total" object');
    expect(thrown(() => parseCoverage('{"total": {"lines": {"total": 1, "covered": 2}}}', 'c.json')).message).toContain(
      'total.lines must be { total, covered } with 0 <= covered <= total',
    );
    const lcov = thrown(() => parseCoverage('SF:a.ts\nLF:x\n', 'lcov.info'));
    expect(lcov.message).toBe('lcov.info: not a valid coverage file: line 2: LF must be a whole number, found "x"');
    expect(lcov.problems[0]).toMatchObject({ file: 'lcov.info', line: 2 });
    expect(thrown(() => parseCoverage('SF:a.ts\nthis is prose\n', 'lcov.info')).message).toContain(
      'line 2: expected an lcov KEY:value line',
    );
  });
});

describe('npm audit', () => {
  const v2 = {
    auditReportVersion: 2,
    vulnerabilities: {
      minimist: {
        name: 'minimist',
        severity: 'critical',
        via: [
          {
            source: 1096465,
            name: 'minimist',
            title: 'Prototype Pollution in minimist',
            url: 'https://github.com/advisories/GHSA-xvch-5gv4-984h',
            severity: 'critical',
          },
        ],
        range: '<0.2.4',
        fixAvailable: true,
      },
      mkdirp: {
        name: 'mkdirp',
        severity: 'moderate',
        via: ['minimist'],
        range: '0.4.1 - 0.5.1',
        fixAvailable: { name: 'mkdirp', version: '3.0.1', isSemVerMajor: true },
      },
    },
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 1, total: 2 } },
  };

  it('reads npm 7+ output, mapping moderate to medium', () => {
    expect(parseNpmAudit(JSON.stringify(v2), 'audit.json')).toEqual([
      {
        name: 'minimist',
        severity: 'critical',
        range: '<0.2.4',
        via: ['Prototype Pollution in minimist'],
        advisories: ['https://github.com/advisories/GHSA-xvch-5gv4-984h'],
        remediation: 'run npm audit fix',
      },
      {
        name: 'mkdirp',
        severity: 'medium',
        range: '0.4.1 - 0.5.1',
        via: ['vulnerable through minimist'],
        advisories: ['via:minimist'],
        remediation: 'upgrade mkdirp to 3.0.1 (a semver-major change: npm audit fix --force)',
      },
    ]);
  });

  it('reads npm 6 advisories', () => {
    const v1 = {
      advisories: {
        1179: {
          module_name: 'lodash',
          severity: 'high',
          title: 'Prototype Pollution',
          url: 'https://npmjs.com/advisories/1179',
          vulnerable_versions: '<4.17.12',
          recommendation: 'Upgrade to 4.17.12',
        },
      },
    };
    expect(parseNpmAudit(JSON.stringify(v1), 'a.json')[0]).toMatchObject({
      name: 'lodash',
      severity: 'high',
      remediation: 'Upgrade to 4.17.12',
    });
  });

  it('names the file and what is wrong', () => {
    expect(thrown(() => parseNpmAudit('[]', 'a.json')).message).toBe(
      'a.json: not a valid npm audit file: expected an object, found an array',
    );
    expect(
      thrown(() =>
        parseNpmAudit(
          '{"error": {"code": "ENOLOCK", "summary": "This command requires an existing lockfile."}}',
          'a.json',
        ),
      ).message,
    ).toContain('npm audit itself failed: This command requires an existing lockfile.');
    expect(
      thrown(() => parseNpmAudit('{"vulnerabilities": {"x": {"severity": "severe"}}}', 'a.json')).message,
    ).toContain('vulnerabilities.x.severity must be one of critical, high, moderate, low, info (found "severe")');
    expect(thrown(() => parseNpmAudit('{}', 'a.json')).message).toContain('neither "vulnerabilities"');
  });
});

describe('SARIF', () => {
  const sarif = (results: unknown[], rules: unknown[] = [], name = 'Semgrep OSS') =>
    JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name, rules } }, results }] });

  it('maps security-severity, level and rule defaults to severities', () => {
    const text = sarif(
      [
        {
          ruleId: 'sqli',
          level: 'error',
          message: { text: 'SQL injection' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 12 } } }],
        },
        { ruleId: 'weak', message: { text: 'weak hash' } },
        { ruleId: 'note', level: 'note', message: { text: 'style' } },
        { ruleIndex: 0, level: 'warning', message: { text: 'scored' }, properties: { 'security-severity': '9.8' } },
        { ruleId: 'gone', level: 'error', message: { text: 'fixed' }, suppressions: [{ kind: 'inSource' }] },
      ],
      [
        { id: 'sqli', help: { text: 'Use parameters.' }, properties: { 'security-severity': '7.5' } },
        { id: 'weak', defaultConfiguration: { level: 'error' } },
      ],
    );
    const r = parseSarif(text, 'semgrep.sarif');
    expect(r.tools).toEqual(['Semgrep OSS']);
    expect(r.suppressed).toBe(1);
    expect(r.findings.map((f) => [f.rule, f.severity, f.location])).toEqual([
      ['semgrep-oss/sqli', 'high', 'src/db.js:12'],
      ['semgrep-oss/weak', 'high', 'Semgrep OSS'],
      ['semgrep-oss/note', 'low', 'Semgrep OSS'],
      ['semgrep-oss/sqli', 'critical', 'Semgrep OSS'],
    ]);
    expect(r.findings[0]?.remediation).toBe('Use parameters.');
  });

  it('keeps fingerprints when lines move, and redacts secrets a scanner quotes', () => {
    const token = fakeSecrets.githubToken('sarif');
    const at = (line: number) =>
      sarif(
        [
          {
            ruleId: 'github-pat',
            level: 'error',
            message: { text: `found ${token}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'a.env' }, region: { startLine: line } } }],
          },
        ],
        [],
        'gitleaks',
      );
    const [a] = parseSarif(at(3), 'g.sarif').findings;
    const [b] = parseSarif(at(30), 'g.sarif').findings;
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(JSON.stringify(a)).not.toContain(token);
    expect(a?.title).toBe('found ghp_… (40 chars)');
  });

  it('names the file and the JSON path of what is wrong', () => {
    expect(thrown(() => parseSarif('{"version": "2.0.0", "runs": []}', 'z.sarif')).message).toBe(
      'z.sarif: not a valid SARIF file: version: expected "2.1.0", found "2.0.0"',
    );
    expect(thrown(() => parseSarif('{"version": "2.1.0"}', 'z.sarif')).message).toContain(
      'runs: expected an array, found nothing',
    );
    expect(thrown(() => parseSarif('{"version": "2.1.0", "runs": [{"tool": {}}]}', 'z.sarif')).message).toContain(
      'runs[0].tool.driver.name: missing',
    );
    expect(
      thrown(() => parseSarif(sarif([{ ruleId: 'x', level: 'fatal', message: { text: 'm' } }]), 'z.sarif')).message,
    ).toContain('runs[0].results[0].level: expected one of none, note, warning, error, found "fatal"');
    expect(thrown(() => parseSarif('{"version": ', 'z.sarif')).message).toMatch(
      /^z\.sarif: not a valid SARIF file: invalid JSON at line 1/,
    );
  });
});
