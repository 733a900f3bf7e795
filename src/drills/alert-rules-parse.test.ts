import { describe, expect, it } from 'vitest';
import { parseRuleFile } from './alert-rules-parse.js';
import type { AlertRule } from './alert-rules-parse.js';
import {
  DEFAULT_REQUIRED_ALERTS,
  describeRuleMatch,
  matchRequirements,
  ruleMatch,
  ruleMatches,
  wordMatch,
} from './alert-rules-require.js';

const text = `groups:
  - name: api
    rules:
      - record: job:rate5m
        expr: sum(rate(x[5m]))
      - alert: HighErrorRate
        expr: sum(rate(http_requests_total{status=~"5.."}[5m])) > 1
        labels: { severity: page }
        annotations:
          runbook_url: runbooks/errors.md
  - name: infra
    rules:
      - alert: ContainerOOMKilled
        expr: kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1
`;

describe('parseRuleFile', () => {
  it('reads alerting rules with positions and counts recording rules', () => {
    const parsed = parseRuleFile('alerts.yml', text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.recording).toBe(1);
    expect(parsed.rules.map((r) => [r.alert, r.group, r.line, r.column])).toEqual([
      ['HighErrorRate', 'api', 6, 9],
      ['ContainerOOMKilled', 'infra', 13, 9],
    ]);
    expect(parsed.rules[0]?.labels).toEqual({ severity: 'page' });
    expect(parsed.rules[0]?.annotations).toEqual({ runbook_url: 'runbooks/errors.md' });
  });
  it('lists structure problems with positions instead of throwing', () => {
    expect(parseRuleFile('a.yml', 'rules: []\n').problems[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/groups/),
    });
    const p = parseRuleFile('a.yml', 'groups:\n  - name: x\n    rules:\n      - expr: up\n').problems[0];
    expect(p).toMatchObject({
      file: 'a.yml',
      line: 4,
      column: 9,
      message: expect.stringMatching(/needs `alert:` or `record:`/),
    });
    expect(parseRuleFile('a.yml', 'groups: [\n').problems[0]?.message).toMatch(/^YAML: /);
  });
});

describe('required alerts', () => {
  const rules = parseRuleFile('alerts.yml', text).rules;
  it("matches seed 001's defaults by name or expression", () => {
    const m = matchRequirements(DEFAULT_REQUIRED_ALERTS, rules);
    expect(m.map(({ req, matches }) => [req.id, matches.map((r) => r.rule.alert)])).toEqual([
      ['error-rate-5xx', ['HighErrorRate']],
      ['cpu', []],
      ['memory', ['ContainerOOMKilled']],
      ['queue-backlog', []],
    ]);
  });
  it('matches by labels when the spec says so', () => {
    expect(ruleMatches({ id: 'x', labels: { severity: 'page' } }, rules[0]!)).toBe(true);
    expect(ruleMatches({ id: 'x', labels: { severity: 'page' } }, rules[1]!)).toBe(false);
  });
});

describe('required alerts match whole words only', () => {
  const rule = (alert: string, expr = 'up == 0'): AlertRule =>
    ({ alert, expr, labels: {}, annotations: {}, group: 'g', file: 'alerts.yml', line: 3, column: 9 }) as AlertRule;
  const req = (id: string) => DEFAULT_REQUIRED_ALERTS.find((r) => r.id === id)!;
  // [requirement, alert name, expression, matches?]
  const cases: Array<[string, string, string, boolean]> = [
    ['queue-backlog', 'Flagged', 'up == 0', false],
    ['queue-backlog', 'Collagen', 'up == 0', false],
    ['memory', 'MemcachedDown', 'up == 0', false],
    ['memory', 'MemberlistUnhealthy', 'up == 0', false],
    ['memory', 'ZoomLinkDown', 'up == 0', false],
    ['cpu', 'GpuCpufreqMissing', 'up == 0', false],
    ['memory', 'CacheDown', 'memcached_up == 0', false],
    ['queue-backlog', 'X', 'flagged_total > 0', false],
    ['queue-backlog', 'KafkaConsumerLag', 'up == 0', true],
    ['memory', 'HostMemoryFull', 'up == 0', true],
    ['memory', 'ContainerOOMKilled', 'up == 0', true],
    ['cpu', 'CPUThrottlingHigh', 'up == 0', true],
    ['cpu', 'host_high_cpu_load', 'up == 0', true],
    ['error-rate-5xx', 'Http5xxErrors', 'up == 0', true],
    ['error-rate-5xx', 'HighErrorRate', 'up == 0', true],
    ['memory', 'X', 'node_memory_MemAvailable_bytes < 1e8', true],
    ['queue-backlog', 'X', 'rabbitmq_queue_messages_ready > 1000', true],
  ];
  it.each(cases)('%s ~ %s / %s: %s (whole words, CamelCase, snake_case, digits)', (id, alert, expr, want) => {
    expect(ruleMatches(req(id), rule(alert, expr))).toBe(want);
  });
  it('matches an expression pattern between punctuation', () => {
    expect(wordMatch('5\\.\\.', 'rate(x{code=~"5.."}[5m])')).toBe('5..');
  });
  it('says which rule and which word of the name or expression matched', () => {
    const byName = ruleMatch(req('queue-backlog'), rule('ConsumerLagHigh'))!;
    expect(describeRuleMatch(byName)).toBe('ConsumerLagHigh (alerts.yml:3; name word "Lag" ~ /queue|backlog|lag/)');
    const byExpr = ruleMatch(req('cpu'), rule('NodeBusy', 'avg(rate(node_cpu_seconds_total[5m])) > 0.8'))!;
    expect(byExpr.by).toBe('expr');
    expect(describeRuleMatch(byExpr)).toMatch(/^NodeBusy \(alerts\.yml:3; expr word "cpu" ~ \/cpu\/\)$/);
    const byLabels = ruleMatch({ id: 'x', labels: { team: 'db' } }, { ...rule('A'), labels: { team: 'db' } })!;
    expect(describeRuleMatch(byLabels)).toBe('A (alerts.yml:3; labels team=db)');
  });
});
