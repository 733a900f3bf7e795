import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { CollectContext, Collector } from '../collect/collector.js';
import { findingFingerprint } from '../collect/fingerprint.js';
import type { Artifact, Check, Evidence, Finding, Metric } from '../model.js';
import { expandRuleFiles } from './alert-rules-files.js';
import { parseRuleFile, type AlertRule } from './alert-rules-parse.js';
import { runPromtool } from './alert-rules-promtool.js';
import { DEFAULT_REQUIRED_ALERTS, describeRuleMatch, matchRequirements } from './alert-rules-require.js';
import { resolveRunbook } from './alert-rules-runbook.js';
import { withDrillRedaction } from './redact.js';
import { plural } from '../plural.js';

/**
 * Alerting and runbook readiness, repository side (`drills.alerts`, `golive
 * drill alerts`): seed 001 "alert configured for 5xx, CPU > 80 %, memory,
 * queue backlog" and seed 000 "runbooks".
 *
 * Parses the Prometheus rule files the spec names; each required alert must
 * exist; each alert needs a runbook annotation that resolves to a file or a
 * URL; `promtool check rules` runs when promtool is on PATH. Whatever is
 * missing is a finding. Checks: `drill.alerts.require.<id>`,
 * `drill.alerts.runbooks`, `drill.alerts.syntax`, `drill.alerts.promtool`.
 * Metrics: `drill.alerts.rules` (count), `drill.alerts.missing` (required
 * alerts not found), `drill.alerts.without_runbook` (count),
 * `drill.alerts.invalid_files` (count).
 */
export const alertRulesCollector: Collector = {
  name: 'drill.alerts',
  description: 'alerting rules and runbooks: required alerts exist, each with a runbook; promtool check rules',
  produces: [
    'drill.alerts.rules',
    'drill.alerts.missing',
    'drill.alerts.without_runbook',
    'drill.alerts.invalid_files',
  ],
  enabled: (spec) => spec.drills?.alerts !== undefined,
  prepare(spec, specDir) {
    if (spec.drills?.alerts) expandRuleFiles(spec.drills.alerts.files, specDir);
  },
  collect: withDrillRedaction(collectAlertRules),
};

async function collectAlertRules(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const spec = ctx.spec.drills?.alerts;
  if (!spec) throw new Error('drill.alerts ran without drills.alerts in the spec');
  const files = expandRuleFiles(spec.files, ctx.specDir);
  const rel = (abs: string): string => relative(ctx.specDir, abs) || abs;
  const checks: Check[] = [];
  const findings: Finding[] = [];
  const artifacts: Artifact[] = [];
  const rules: AlertRule[] = [];
  const invalid = new Set<string>();
  let recording = 0;

  for (const abs of files) {
    ctx.progress(`alerts: reading ${rel(abs)}`);
    const parsed = parseRuleFile(rel(abs), readFileSync(abs, 'utf8'));
    rules.push(...parsed.rules);
    recording += parsed.recording;
    for (const p of parsed.problems) {
      invalid.add(p.file);
      findings.push({
        rule: 'alerts.rules-invalid',
        severity: 'high',
        title: `Rule file is not a valid Prometheus rule file: ${p.message}`,
        location: `${p.file}:${p.line}:${p.column}`,
        remediation: 'fix the rule file; `promtool check rules FILE` shows the same',
        fingerprint: findingFingerprint('alerts.rules-invalid', p.file, p.message),
      });
    }
  }
  checks.push({
    id: 'drill.alerts.syntax',
    status: invalid.size === 0 ? 'pass' : 'fail',
    summary:
      invalid.size === 0
        ? `${plural(files.length, 'rule file')} parsed: ${plural(rules.length, 'alerting rule')}, ${plural(recording, 'recording rule')}`
        : `${invalid.size} of ${plural(files.length, 'rule file')} ${invalid.size === 1 ? 'does' : 'do'} not parse as Prometheus rules: ${[...invalid].join(', ')}`,
  });

  // Required alerts (seed 001's four unless the spec lists its own).
  const reqs = spec.require ?? DEFAULT_REQUIRED_ALERTS;
  const matched = matchRequirements(reqs, rules);
  let missing = 0;
  const where = files.map(rel).join(', ');
  for (const { req, matches } of matched) {
    const title = req.title ?? req.id;
    if (matches.length > 0) {
      checks.push({
        id: `drill.alerts.require.${req.id}`,
        status: 'pass',
        summary: `${title}: ${matches.map(describeRuleMatch).join(', ')}`,
      });
      continue;
    }
    missing++;
    checks.push({ id: `drill.alerts.require.${req.id}`, status: 'fail', summary: `${title}: no alert matches` });
    findings.push({
      rule: 'alerts.required-missing',
      severity: 'high',
      title: `No alert for "${title}"`,
      location: where,
      evidence: describeRequirement(req),
      remediation: `add an alerting rule for ${title} with a runbook_url annotation, or adjust drills.alerts.require`,
      fingerprint: findingFingerprint('alerts.required-missing', req.id, ...files.map(rel)),
    });
  }

  // Runbooks.
  let withoutRunbook = 0;
  const runbooks: Array<{ alert: string; file: string; line: number; runbook: string; state: string }> = [];
  if (spec.runbooks) {
    for (const r of rules) {
      const abs = files.find((f) => rel(f) === r.file) ?? r.file;
      const rb = resolveRunbook(r, abs, ctx.specDir);
      runbooks.push({
        alert: r.alert,
        file: r.file,
        line: r.line,
        runbook: 'value' in rb ? rb.value : '',
        state: rb.state,
      });
      if (rb.state === 'url' || rb.state === 'file') continue;
      withoutRunbook++;
      const location = `${r.file}:${r.line}:${r.column}`;
      findings.push(
        rb.state === 'missing'
          ? {
              rule: 'alerts.runbook-missing',
              severity: 'medium',
              title: `Alert ${r.alert} has no runbook annotation`,
              location,
              remediation: 'add annotations.runbook_url: a runbook file in the repository or its URL',
              fingerprint: findingFingerprint('alerts.runbook-missing', r.file, r.alert),
            }
          : {
              rule: 'alerts.runbook-broken',
              severity: 'medium',
              title: `Alert ${r.alert}: runbook ${rb.value} does not exist`,
              location,
              evidence: `looked for ${rb.tried.map(rel).join(' and ')}`,
              remediation: 'write the runbook, or point runbook_url at the right file or URL',
              fingerprint: findingFingerprint('alerts.runbook-broken', r.file, r.alert),
            },
      );
    }
    checks.push({
      id: 'drill.alerts.runbooks',
      status: withoutRunbook === 0 ? 'pass' : 'fail',
      summary:
        withoutRunbook === 0
          ? `all ${rules.length} alerts have a runbook`
          : `${withoutRunbook} of ${rules.length} alerts lack a runbook that resolves`,
    });
  }

  // promtool.
  if (spec.promtool !== 'off') {
    const results = [];
    for (const abs of files) {
      ctx.progress(`alerts: promtool check rules ${rel(abs)}`);
      results.push(await runPromtool(abs, rel(abs), ctx));
    }
    const notInstalled = results.some((r) => r.notInstalled);
    if (notInstalled) {
      checks.push({
        id: 'drill.alerts.promtool',
        status: spec.promtool === 'required' ? 'fail' : 'skipped',
        summary: 'promtool is not on PATH (install Debian package prometheus, or the Prometheus release archive)',
      });
    } else {
      const bad = results.filter((r) => !r.ok);
      for (const r of bad) {
        invalid.add(r.file);
        findings.push({
          rule: 'alerts.promtool-failed',
          severity: 'high',
          title: `promtool check rules fails for ${r.file}`,
          location: r.file,
          evidence: r.firstError,
          remediation: `run \`promtool check rules ${r.file}\` and fix what it reports`,
          fingerprint: findingFingerprint('alerts.promtool-failed', r.file),
        });
      }
      for (const r of results) {
        artifacts.push({ name: `promtool check rules ${r.file}`, path: r.artifact, contentType: 'text/plain' });
      }
      checks.push({
        id: 'drill.alerts.promtool',
        status: bad.length === 0 ? 'pass' : 'fail',
        summary:
          bad.length === 0
            ? `promtool check rules: SUCCESS for ${plural(files.length, 'file')}`
            : `promtool check rules fails for ${bad.map((r) => `${r.file} (${r.firstError})`).join('; ')}`,
      });
    }
  }

  const metrics: Metric[] = [
    { name: 'drill.alerts.rules', value: rules.length, unit: 'count' },
    { name: 'drill.alerts.missing', value: missing, unit: 'count' },
    { name: 'drill.alerts.without_runbook', value: withoutRunbook, unit: 'count' },
    { name: 'drill.alerts.invalid_files', value: invalid.size, unit: 'count' },
  ];
  const failed = checks.filter((c) => c.status === 'fail');
  return {
    collector: 'drill.alerts',
    status: failed.length === 0 && findings.length === 0 ? 'pass' : 'fail',
    summary:
      failed.length === 0 && findings.length === 0
        ? `${plural(rules.length, 'alert')} in ${plural(files.length, 'file')}; all ${plural(reqs.length, 'required alert')} present, each with a runbook`
        : `${
            [
              missing ? `${plural(missing, 'required alert')} missing` : '',
              withoutRunbook ? `${plural(withoutRunbook, 'alert')} without a runbook` : '',
              invalid.size ? `${plural(invalid.size, 'invalid rule file')}` : '',
            ]
              .filter(Boolean)
              .join(', ') || failed.map((c) => c.summary).join('; ')
          }`,
    startedAt,
    endedAt: ctx.now().toISOString(),
    metrics,
    checks,
    findings,
    artifacts,
    scansForFindings: true,
    data: {
      files: files.map(rel),
      alerts: rules.map((r) => ({ alert: r.alert, group: r.group, file: r.file, line: r.line })),
      required: matched.map(({ req, matches }) => ({
        id: req.id,
        title: req.title ?? req.id,
        alerts: matches.map((m) => m.rule.alert),
        matchedBy: matches.map((m) => ({ alert: m.rule.alert, by: m.by, text: m.text, pattern: m.pattern })),
      })),
      runbooks,
    },
  };
}

function describeRequirement(req: { alert?: string; expr?: string; labels?: Record<string, string> }): string {
  const parts = [];
  if (req.alert) parts.push(`alert name ~ /${req.alert}/i`);
  if (req.expr) parts.push(`expr ~ /${req.expr}/i`);
  if (req.labels) parts.push(`labels ${JSON.stringify(req.labels)}`);
  return `looked for a rule with ${parts.join(' or ')}`;
}
