import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBinary } from '../servers/binary.js';
import { golive, specYaml, tree } from '../helpers.js';

const hasPromtool = findBinary('promtool') !== undefined;

const alertsSpec = (body: string) => specYaml('http://127.0.0.1:9', `drills:\n  alerts:\n${body}`);
const readEvidence = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'golive-report', 'drill.alerts', 'evidence.json'), 'utf8'));
const metric = (ev: { metrics: Array<{ name: string; value: number }> }, name: string) =>
  ev.metrics.find((m) => m.name === name)?.value;
const check = (ev: { checks: Array<{ id: string; status: string; summary: string }> }, id: string) =>
  ev.checks.find((c) => c.id === id);

const rule = (alert: string, expr: string, runbook?: string) => `      - alert: ${alert}
        expr: ${expr}
        labels: { severity: page }
${runbook ? `        annotations: { runbook_url: "${runbook}" }\n` : ''}`;

const fullRules = `groups:
  - name: api
    rules:
${rule('ApiHigh5xxRate', `'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.01'`, 'docs/runbooks/errors.md#5xx')}${rule('NodeCpuHigh', `'avg(rate(node_cpu_seconds_total{mode!="idle"}[5m])) > 0.8'`, 'https://wiki.example.com/runbooks/cpu')}${rule('MemoryAlmostFull', `'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1'`, '../docs/runbooks/memory.md')}${rule('OrdersBacklog', `'rabbitmq_queue_messages_ready{queue="orders"} > 1000'`, 'docs/runbooks/queue.md')}      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
`;

const runbookFiles = {
  'docs/runbooks/errors.md': '# 5xx\n',
  'docs/runbooks/memory.md': '# memory\n',
  'docs/runbooks/queue.md': '# queue\n',
};

describe('golive drill alerts', () => {
  it("passes when seed 001's four alerts exist, each with a runbook file or URL; promtool agrees", async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: ["monitoring/*.rules.yml"]\n'),
      'monitoring/api.rules.yml': fullRules,
      'monitoring/README.md': 'not a rule file',
      ...runbookFiles,
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ev = readEvidence(dir);
    expect(ev.scansForFindings).toBe(true);
    expect(ev.findings).toEqual([]);
    expect(metric(ev, 'drill.alerts.rules')).toBe(4);
    expect(metric(ev, 'drill.alerts.missing')).toBe(0);
    expect(metric(ev, 'drill.alerts.without_runbook')).toBe(0);
    expect(check(ev, 'drill.alerts.require.error-rate-5xx')?.summary).toMatch(
      /ApiHigh5xxRate \(monitoring\/api\.rules\.yml:4; name word "5xx" ~ /,
    );
    expect(check(ev, 'drill.alerts.require.queue-backlog')?.summary).toMatch(/OrdersBacklog/);
    expect(check(ev, 'drill.alerts.syntax')?.summary).toBe('1 rule file parsed: 4 alerting rules, 1 recording rule');
    expect(check(ev, 'drill.alerts.promtool')?.status).toBe(hasPromtool ? 'pass' : 'skipped');
    if (hasPromtool)
      expect(check(ev, 'drill.alerts.promtool')?.summary).toBe('promtool check rules: SUCCESS for 1 file');
    expect(r.stdout).not.toMatch(/1 rule files|1 files/);
  });

  it('finds missing alerts, missing and broken runbooks, with file:line locations and stable fingerprints', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: [alerts.yml]\n'),
      'alerts.yml': `groups:
  - name: api
    rules:
${rule('ApiHigh5xxRate', `'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1'`)}${rule('NodeCpuHigh', `'avg(rate(node_cpu_seconds_total[5m])) > 0.8'`, 'runbooks/cpu.md')}`,
    });
    const first = await golive(['drill', 'alerts'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const ev = readEvidence(dir);
    expect(ev.status).toBe('fail');
    expect(metric(ev, 'drill.alerts.missing')).toBe(2);
    expect(metric(ev, 'drill.alerts.without_runbook')).toBe(2);
    const byRule = (rule: string) => ev.findings.filter((f: { rule: string }) => f.rule === rule);
    expect(byRule('alerts.required-missing').map((f: { title: string }) => f.title)).toEqual([
      'No alert for "Memory full"',
      'No alert for "Queue backlog increasing"',
    ]);
    expect(byRule('alerts.runbook-missing')[0]).toMatchObject({ location: 'alerts.yml:4:9', severity: 'medium' });
    expect(byRule('alerts.runbook-broken')[0]).toMatchObject({
      location: 'alerts.yml:7:9',
      title: 'Alert NodeCpuHigh: runbook runbooks/cpu.md does not exist',
    });
    expect(first.stdout).toMatch(/2 required alerts missing, 2 alerts without a runbook/);

    const second = await golive(['drill', 'alerts'], { cwd: dir });
    expect(second.code).toBe(1);
    const again = readEvidence(dir);
    expect(again.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(
      ev.findings.map((f: { fingerprint: string }) => f.fingerprint),
    );
  });

  it('does not take a word inside another word for a required alert (Flagged is not "lag")', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: [alerts.yml]\n    runbooks: false\n    promtool: "off"\n'),
      'alerts.yml': `groups:\n  - name: x\n    rules:\n${rule('Flagged', "'up == 0'")}${rule('MemcachedDown', "'memcached_up == 0'")}`,
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = readEvidence(dir);
    expect(check(ev, 'drill.alerts.require.queue-backlog')).toMatchObject({ status: 'fail' });
    expect(check(ev, 'drill.alerts.require.memory')).toMatchObject({ status: 'fail' });
    expect(r.stdout).not.toMatch(/✔.*Flagged|✔.*MemcachedDown/);
  });

  it('matches required alerts the spec configures, by labels', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec(`    files: [alerts.yml]
    runbooks: false
    promtool: "off"
    require:
      - { id: payments, title: Payment failures, labels: { team: payments } }
`),
      'alerts.yml': `groups:
  - name: p
    rules:
      - alert: Whatever
        expr: vector(1)
        labels: { team: payments }
`,
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ev = readEvidence(dir);
    expect(check(ev, 'drill.alerts.require.payments')?.status).toBe('pass');
    expect(check(ev, 'drill.alerts.promtool')).toBeUndefined();
  });

  it('reports a rule file that is not valid YAML at its line and column', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: [alerts.yml]\n    promtool: "off"\n'),
      'alerts.yml': 'groups:\n  - name: x\n    rules: [\n',
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code).toBe(1);
    const ev = readEvidence(dir);
    const f = ev.findings.find((x: { rule: string }) => x.rule === 'alerts.rules-invalid');
    expect(f.location).toMatch(/^alerts\.yml:\d+:\d+$/);
    expect(metric(ev, 'drill.alerts.invalid_files')).toBe(1);
  });

  it.skipIf(!hasPromtool)('turns a promtool failure (a bad expression) into a finding naming the file', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: [alerts.yml]\n    runbooks: false\n'),
      'alerts.yml': `groups:\n  - name: x\n    rules:\n${rule('HighCpu', "'rate(cpu[5m]) >'")}`,
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code).toBe(1);
    const ev = readEvidence(dir);
    const f = ev.findings.find((x: { rule: string }) => x.rule === 'alerts.promtool-failed');
    expect(f).toMatchObject({ location: 'alerts.yml', severity: 'high' });
    expect(f.evidence).toMatch(/^alerts\.yml: \d+:\d+: .*could not parse expression/);
    expect(check(ev, 'drill.alerts.promtool')?.status).toBe('fail');
  });

  it('fails promtool: required when promtool is not on PATH', async () => {
    const dir = tree({
      'golive.yaml': alertsSpec('    files: [alerts.yml]\n    runbooks: false\n    promtool: required\n'),
      'alerts.yml': fullRules,
    });
    const r = await golive(['drill', 'alerts'], { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(check(readEvidence(dir), 'drill.alerts.promtool')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/promtool is not on PATH/),
    });
  });

  it('refuses a rule file that does not exist (exit 2, names it)', async () => {
    const dir = tree({ 'golive.yaml': alertsSpec('    files: [monitoring/alerts.yml]\n') });
    const r = await golive(['drill', 'alerts'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/drills\.alerts\.files: monitoring\/alerts\.yml matches no file/);
  });
});
