import type { RequiredAlertSpec } from '../spec/drills-ops.js';
import type { AlertRule } from './alert-rules-parse.js';

/**
 * Seed 001's "Alert configured for: high error rate (5xx), CPU > 80 %, memory
 * full, queue backlog increasing", as requirements a rule matches by name or
 * by expression. Loose on purpose: teams name alerts differently; a spec
 * that wants stricter matching lists its own `require`.
 */
export const DEFAULT_REQUIRED_ALERTS: RequiredAlertSpec[] = [
  {
    id: 'error-rate-5xx',
    title: 'High error rate (5xx)',
    alert: '5xx|error.?rate|errors?.?ratio|http.?errors',
    expr: '5xx|5\\.\\.|(code|status)(_class)?=~?"5',
  },
  { id: 'cpu', title: 'CPU > 80 %', alert: 'cpu', expr: 'cpu' },
  { id: 'memory', title: 'Memory full', alert: 'mem|oom', expr: 'memory|mem_|oom' },
  {
    id: 'queue-backlog',
    title: 'Queue backlog increasing',
    alert: 'queue|backlog|lag',
    expr: 'queue|backlog|consumer.?lag|messages_ready',
  },
];

/**
 * Whether a rule satisfies a requirement: its name matches `alert`, or its
 * expression matches `expr`, or it carries every label in `labels` (any one
 * suffices). Regular expressions are case-insensitive.
 */
export function ruleMatches(req: RequiredAlertSpec, rule: AlertRule): boolean {
  if (req.alert !== undefined && new RegExp(req.alert, 'i').test(rule.alert)) return true;
  if (req.expr !== undefined && new RegExp(req.expr, 'i').test(rule.expr)) return true;
  if (req.labels !== undefined && Object.entries(req.labels).every(([k, v]) => rule.labels[k] === v)) return true;
  return false;
}

/** For each requirement, the rules that satisfy it (pure). */
export function matchRequirements(
  reqs: RequiredAlertSpec[],
  rules: AlertRule[],
): Array<{ req: RequiredAlertSpec; matches: AlertRule[] }> {
  return reqs.map((req) => ({ req, matches: rules.filter((r) => ruleMatches(req, r)) }));
}
