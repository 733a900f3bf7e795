import type { RequiredAlertSpec } from '../spec/drills-ops.js';
import type { AlertRule } from './alert-rules-parse.js';

/**
 * Seed 001's "Alert configured for: high error rate (5xx), CPU > 80 %, memory
 * full, queue backlog increasing", as requirements a rule matches by name or
 * by expression. Patterns match whole words only (see `wordMatch`), so
 * `lag` finds ConsumerLag but not Flagged, and `mem` is not MemcachedDown.
 */
export const DEFAULT_REQUIRED_ALERTS: RequiredAlertSpec[] = [
  {
    id: 'error-rate-5xx',
    title: 'High error rate (5xx)',
    alert: '5xx|errors?.?rate|errors?.?ratio|http.?errors',
    expr: '5xx|5\\.\\.|(code|status)(_class)?=~?"5',
  },
  { id: 'cpu', title: 'CPU > 80 %', alert: 'cpu', expr: 'cpu' },
  { id: 'memory', title: 'Memory full', alert: 'memory|mem|oom|oom.?killed', expr: 'memory|mem|oom|oom.?killed' },
  {
    id: 'queue-backlog',
    title: 'Queue backlog increasing',
    alert: 'queue|backlog|lag',
    expr: 'queue|backlog|consumer.?lag|messages_ready',
  },
];

/** How a rule satisfied a requirement, for the check line: `name HighCpu matches "cpu"`. */
export interface RuleMatch {
  rule: AlertRule;
  /** What matched: the rule's name, its expression or its labels. */
  by: 'alert' | 'expr' | 'labels';
  /** The matched word(s) of the name or expression, or the `k=v` labels. */
  text: string;
  /** The requirement's pattern that matched (for `labels`, the labels). */
  pattern: string;
}

/**
 * Word starts and ends in an identifier or expression: the ends of the text,
 * around any character that is not a letter or digit (so snake_case, `{`, `"`
 * and spaces split), lower→Upper (CamelCase), UPPER→Upper+lower (`CPUHigh` =
 * CPU|High) and letter↔digit (`Http5xx` = Http|5xx).
 */
export function wordBoundaries(s: string): Set<number> {
  const out = new Set<number>([0, s.length]);
  const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1] as string;
    const b = s[i] as string;
    const c = s[i + 1];
    if (!alnum(a) || !alnum(b)) out.add(i);
    else if (/[a-z]/.test(a) && /[A-Z]/.test(b)) out.add(i);
    else if (/[A-Z]/.test(a) && /[A-Z]/.test(b) && c !== undefined && /[a-z]/.test(c)) out.add(i);
    else if (/[0-9]/.test(a) !== /[0-9]/.test(b) && !/^[0-9]x$/i.test(a + b)) out.add(i);
  }
  return out;
}

/**
 * The first span of `text` that the pattern matches as a whole and that
 * starts and ends on word boundaries (case-insensitive), or undefined.
 * Quadratic in the boundaries, so a cheap unanchored test runs first.
 */
export function wordMatch(pattern: string, text: string): string | undefined {
  if (!new RegExp(pattern, 'i').test(text)) return undefined;
  const whole = new RegExp(`^(?:${pattern})$`, 'i');
  const bounds = [...wordBoundaries(text)].sort((a, b) => a - b);
  for (let i = 0; i < bounds.length; i++) {
    for (let j = i + 1; j < bounds.length; j++) {
      const span = text.slice(bounds[i], bounds[j]);
      if (whole.test(span)) return span;
    }
  }
  return undefined;
}

/**
 * How a rule satisfies a requirement, or undefined: its name matches `alert`
 * on word boundaries, or its expression matches `expr`, or it carries every
 * label in `labels` (any one suffices). Patterns are case-insensitive.
 */
export function ruleMatch(req: RequiredAlertSpec, rule: AlertRule): RuleMatch | undefined {
  if (req.alert !== undefined) {
    const text = wordMatch(req.alert, rule.alert);
    if (text !== undefined) return { rule, by: 'alert', text, pattern: req.alert };
  }
  if (req.expr !== undefined) {
    const text = wordMatch(req.expr, rule.expr);
    if (text !== undefined) return { rule, by: 'expr', text, pattern: req.expr };
  }
  if (req.labels !== undefined && Object.entries(req.labels).every(([k, v]) => rule.labels[k] === v)) {
    const text = Object.entries(req.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return { rule, by: 'labels', text, pattern: text };
  }
  return undefined;
}

/** Whether a rule satisfies a requirement (see `ruleMatch`). */
export function ruleMatches(req: RequiredAlertSpec, rule: AlertRule): boolean {
  return ruleMatch(req, rule) !== undefined;
}

/** One line on how a rule matched: `HighCpuUsage (alerts.yml:12; name word "Cpu" ~ /cpu/)`. */
export function describeRuleMatch(m: RuleMatch): string {
  const how =
    m.by === 'labels' ? `labels ${m.text}` : `${m.by === 'alert' ? 'name' : 'expr'} word "${m.text}" ~ /${m.pattern}/`;
  return `${m.rule.alert} (${m.rule.file}:${m.rule.line}; ${how})`;
}

/** For each requirement, the rules that satisfy it and how (pure). */
export function matchRequirements(
  reqs: RequiredAlertSpec[],
  rules: AlertRule[],
): Array<{ req: RequiredAlertSpec; matches: RuleMatch[] }> {
  return reqs.map((req) => ({
    req,
    matches: rules.map((r) => ruleMatch(req, r)).filter((m): m is RuleMatch => m !== undefined),
  }));
}
