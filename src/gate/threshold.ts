/**
 * The threshold grammar. A threshold is a bound on one metric, written in the
 * spec before execution:
 *
 *   threshold := op number unit?
 *   op        := "<" | "<=" | ">" | ">=" | "=="
 *   number    := digits ("." digits)?          e.g. 200, 0.1, 99.95
 *   unit      := "ms" | "s" | "m" | "h"        a duration  (compared in ms)
 *              | "%"                            a ratio     (0.1% = 0.001)
 *              | "rps" | "/s"                   a rate      (per second)
 *              | (none)                         a plain number (counts, bytes)
 *
 * Whitespace between the parts is optional: `<200ms`, `< 200 ms`, `>= 1000/s`.
 *
 * Evaluation is a separate step: a duration bound only applies to a metric in
 * ms, a % bound only to a ratio, a rate bound to an rps metric, and a plain
 * number to counts, bytes, booleans and rates. A mismatch is `invalid`, never a
 * silent conversion. A metric with no sample is `no-data`, which never passes.
 */
import type { Metric, MetricUnit, ThresholdResult } from '../model.js';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==';
export type ThresholdKind = 'duration' | 'ratio' | 'rate' | 'number';

export interface ParsedThreshold {
  op: ThresholdOp;
  /** The bound in the base unit of its kind: ms, fraction, per second, or plain. */
  value: number;
  kind: ThresholdKind;
  /** The expression as written. */
  source: string;
}

export class ThresholdSyntaxError extends Error {
  /** 1-based column within the expression. */
  readonly column: number;
  readonly hint: string | undefined;
  constructor(message: string, column: number, hint?: string) {
    super(message);
    this.name = 'ThresholdSyntaxError';
    this.column = column;
    this.hint = hint;
  }
}

const UNITS: Record<string, { kind: ThresholdKind; factor: number }> = {
  ms: { kind: 'duration', factor: 1 },
  s: { kind: 'duration', factor: 1000 },
  m: { kind: 'duration', factor: 60_000 },
  h: { kind: 'duration', factor: 3_600_000 },
  '%': { kind: 'ratio', factor: 0.01 },
  rps: { kind: 'rate', factor: 1 },
  '/s': { kind: 'rate', factor: 1 },
  '': { kind: 'number', factor: 1 },
};
const UNIT_LIST = 'ms, s, m, h, %, rps or /s';

export function parseThreshold(expr: string): ParsedThreshold {
  let i = 0;
  const skip = (): void => {
    while (i < expr.length && /\s/.test(expr[i] as string)) i++;
  };
  skip();
  const opMatch = /^(<=|>=|==|<|>|=<|=>|=|!=)/.exec(expr.slice(i));
  if (!opMatch) {
    throw new ThresholdSyntaxError(
      expr.trim() === '' ? 'empty threshold' : `expected an operator (<, <=, >, >=, ==) at the start of "${expr}"`,
      i + 1,
      'write it like "< 200ms", ">= 1000rps" or "== 0"',
    );
  }
  const rawOp = opMatch[1] as string;
  const fixes: Record<string, string> = { '=<': '<=', '=>': '>=', '=': '==' };
  if (rawOp in fixes) {
    throw new ThresholdSyntaxError(`unknown operator "${rawOp}"`, i + 1, `did you mean "${fixes[rawOp]}"?`);
  }
  if (rawOp === '!=') throw new ThresholdSyntaxError('"!=" is not supported', i + 1, 'use < or > to bound a value');
  const op = rawOp as ThresholdOp;
  i += rawOp.length;
  skip();
  const numMatch = /^-?\d+(?:\.\d+)?/.exec(expr.slice(i));
  if (!numMatch) {
    throw new ThresholdSyntaxError(`expected a number after "${op}"`, i + 1, 'write it like "< 200ms"');
  }
  const num = Number(numMatch[0]);
  i += numMatch[0].length;
  skip();
  const unitText = expr.slice(i).trimEnd();
  const unit = UNITS[unitText];
  if (!unit) {
    const near = /^(msec|millis|milliseconds?)$/i.test(unitText)
      ? 'ms'
      : /^(sec|secs|seconds?)$/i.test(unitText)
        ? 's'
        : /^(min|mins|minutes?)$/i.test(unitText)
          ? 'm'
          : /^(percent|pct)$/i.test(unitText)
            ? '%'
            : /^(req\/s|rq\/s|qps)$/i.test(unitText)
              ? 'rps'
              : undefined;
    throw new ThresholdSyntaxError(
      `unknown unit "${unitText}"`,
      i + 1,
      near ? `did you mean "${near}"? units: ${UNIT_LIST}` : `units: ${UNIT_LIST}, or none for a plain number`,
    );
  }
  return { op, value: num * unit.factor, kind: unit.kind, source: expr };
}

/** Which threshold kinds apply to a metric of this unit. */
const APPLIES: Record<MetricUnit, ThresholdKind[]> = {
  ms: ['duration'],
  ratio: ['ratio'],
  rps: ['rate', 'number'],
  count: ['number'],
  bytes: ['number'],
  bool: ['number'],
};

export function compare(op: ThresholdOp, measured: number, bound: number): boolean {
  switch (op) {
    case '<':
      return measured < bound;
    case '<=':
      return measured <= bound;
    case '>':
      return measured > bound;
    case '>=':
      return measured >= bound;
    case '==':
      return measured === bound;
  }
}

/** A measured value as a reader wants to see it. */
export function formatValue(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'ms':
      if (Math.abs(value) >= 60_000) return `${trim(value / 60_000, 2)} min`;
      if (Math.abs(value) >= 1000) return `${trim(value / 1000, 2)} s`;
      return `${trim(value, value < 10 ? 2 : 1)} ms`;
    case 'ratio':
      return `${trim(value * 100, 3)} %`;
    case 'rps':
      return `${trim(value, 1)} rps`;
    case 'bytes':
      return `${Math.round(value)} B`;
    default:
      return `${trim(value, 3)}`;
  }
}

/** A bound in the threshold's own words, for messages: 100 ms, 0.1 %, 1000 rps. */
function formatBound(t: ParsedThreshold): string {
  const unit: MetricUnit =
    t.kind === 'duration' ? 'ms' : t.kind === 'ratio' ? 'ratio' : t.kind === 'rate' ? 'rps' : 'count';
  return formatValue(t.value, unit);
}

export function evaluateThreshold(name: string, expr: string, metric: Metric | undefined): ThresholdResult {
  let parsed: ParsedThreshold;
  try {
    parsed = parseThreshold(expr);
  } catch (e) {
    return { name, expr, outcome: 'invalid', reason: (e as Error).message };
  }
  if (!metric) return { name, expr, outcome: 'no-data', reason: `no collector produced ${name}` };
  const measured = { value: metric.value, unit: metric.unit, display: formatValue(metric.value, metric.unit) };
  if (!APPLIES[metric.unit].includes(parsed.kind)) {
    return {
      name,
      expr,
      outcome: 'invalid',
      ...measured,
      reason: `${name} is measured in ${unitName(metric.unit)}, but "${expr}" is a ${parsed.kind} bound${hintFor(metric.unit)}`,
    };
  }
  if (Number.isNaN(metric.value)) return { name, expr, outcome: 'no-data', ...measured, reason: `${name} is NaN` };
  const ok = compare(parsed.op, metric.value, parsed.value);
  return ok
    ? { name, expr, outcome: 'pass', ...measured }
    : {
        name,
        expr,
        outcome: 'fail',
        ...measured,
        reason: `${measured.display} is not ${parsed.op} ${formatBound(parsed)}`,
      };
}

/** True when a collector that produces `produces` can feed a threshold on `name`. */
export function knownMetric(name: string, produces: string[]): boolean {
  return produces.some((p) => p === name || (p.endsWith('.') && name.startsWith(p)));
}

function unitName(unit: MetricUnit): string {
  return {
    ms: 'milliseconds',
    ratio: 'a ratio',
    rps: 'requests per second',
    count: 'a count',
    bytes: 'bytes',
    bool: 'a yes/no value',
  }[unit];
}

function hintFor(unit: MetricUnit): string {
  return {
    ms: '; write it with ms, s or m',
    ratio: '; write it with %',
    rps: '; write it with rps',
    count: '; write a plain number',
    bytes: '; write a plain number',
    bool: '; write 0 or 1',
  }[unit];
}

function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}
