import { describe, expect, it } from 'vitest';
import { parseRuleFile } from './alert-rules-parse.js';
import { DEFAULT_REQUIRED_ALERTS, matchRequirements, ruleMatches } from './alert-rules-require.js';

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
    expect(m.map(({ req, matches }) => [req.id, matches.map((r) => r.alert)])).toEqual([
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
