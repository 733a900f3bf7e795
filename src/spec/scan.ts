import { z } from 'zod';
import { Regex } from './common.js';

const SEVERITY = z.enum(['critical', 'high', 'medium', 'low', 'info']);

export const ScanSecrets = z
  .strictObject({
    allowPaths: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs (relative to scan.path) whose files are not searched for secrets, e.g. "fixtures/**".'),
    allowRegexes: z
      .array(Regex)
      .default([])
      .describe('A match whose secret value matches one of these regexes is not reported, e.g. "^AKIA.*EXAMPLE$".'),
  })
  .describe(
    'Secrets: well-known token formats, private keys, JWTs and password=/secret= assignments gated by entropy. A line with golive:allow is skipped.',
  );

export const ForbiddenPattern = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][\w-]*$/, { error: 'expected a lower-case id like console-log' })
      .describe('Rule id, part of the finding fingerprint.'),
    regex: Regex.describe('JavaScript regular expression matched against each line.'),
    severity: SEVERITY.default('low').describe('Severity of each match. Default low.'),
    title: z.string().optional().describe('What is wrong, shown with each finding. Default "<id> left in source".'),
  })
  .describe('One pattern that must not appear in source files.');

export const ScanForbidden = z
  .strictObject({
    include: z
      .array(z.string().min(1))
      .optional()
      .describe('Source globs searched, relative to scan.path. Default: JavaScript and TypeScript files.'),
    exclude: z
      .array(z.string().min(1))
      .optional()
      .describe('Globs left out. Default: tests (*.test.*, *.spec.*, test/, tests/, __tests__/), dist/, build/.'),
    patterns: z
      .array(ForbiddenPattern)
      .optional()
      .describe(
        'What must not be left in. Default: console.log/debug/trace calls (low) and debugger statements (medium).',
      ),
  })
  .describe('Forbidden code in source files, such as console.log or debugger left in.');

export const ScanCoverage = z
  .strictObject({
    file: z
      .string()
      .min(1)
      .describe('lcov.info or istanbul coverage-summary.json, relative to the spec. Metric: scan.coverage.lines.'),
    min: z
      .number()
      .min(0)
      .max(100)
      .default(80)
      .describe('Minimum line coverage in percent for the scan.coverage check. Default 80.'),
  })
  .describe('Test coverage import.');

export const Scan = z
  .strictObject({
    path: z.string().default('.').describe('Repository folder to scan, relative to the spec. Default ".".'),
    secrets: z
      .union([ScanSecrets, z.literal(false)])
      .default({ allowPaths: [], allowRegexes: [] })
      .describe('Secret detection settings, or false to turn it off.'),
    forbidden: z
      .union([ScanForbidden, z.literal(false)])
      .default({})
      .describe('Forbidden-code settings, or false to turn it off.'),
    changelog: z
      .string()
      .optional()
      .describe('Changelog file relative to scan.path; must have an entry for `release`. Default CHANGELOG.md.'),
    runbooks: z
      .string()
      .optional()
      .describe(
        'Runbook index (Markdown) relative to scan.path; every relative link in it must exist. Default: the first of RUNBOOKS.md, runbooks/README.md, docs/runbooks/README.md, docs/runbooks.md.',
      ),
    coverage: ScanCoverage.optional(),
    audit: z
      .string()
      .optional()
      .describe('Output of `npm audit --json`, relative to the spec; vulnerabilities become findings.'),
    sarif: z
      .array(z.string().min(1))
      .default([])
      .describe('SARIF 2.1.0 files from other scanners (ZAP, gitleaks, semgrep …), relative to the spec.'),
    baseline: z
      .string()
      .optional()
      .describe(
        'Baseline file of accepted finding fingerprints, relative to the spec; those findings are not reported (write one with golive scan --write-baseline).',
      ),
    maxFileSize: z
      .int()
      .min(1)
      .max(1024 ** 3)
      .default(1_048_576)
      .describe(
        'Files larger than this many bytes are skipped (counted in scan.files.skipped). Default 1 MiB, at most 1 GiB.',
      ),
  })
  .describe(
    'Repository scan: secrets, forbidden code, README/CHANGELOG/runbooks/CI/tag/.env hygiene, and coverage, npm audit and SARIF imports. Run alone with golive scan.',
  );

export type ScanSpec = z.output<typeof Scan>;
export type ScanSpecInput = z.input<typeof Scan>;
