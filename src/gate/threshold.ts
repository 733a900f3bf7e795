/**
 * The threshold grammar. A threshold is a bound on one metric, written in the
 * spec before execution (docs/thresholds.md):
 *
 *   threshold := ws? op ws? number ws? unit? ws?
 *   op        := "<" | "<=" | ">" | ">=" | "=="
 *   number    := digit+ ("." digit+)?          e.g. 200, 0.1, 99.95 (no sign, no separators, no exponent)
 *   unit      := "ms" | "s" | "m" | "h"        a duration      base unit: milliseconds
 *              | "%"                            a ratio         base unit: fraction (0.1% = 0.001)
 *              | "rps" | "/s"                   a rate          base unit: per second
 *              | (none)                         a plain number  counts, bytes, yes/no (1/0)
 *   ws        := any run of whitespace
 *
 * Examples: `< 200ms`, `<200ms`, `< 200 ms`, `<= 0.5s`, `< 5m`, `< 0.1%`, `> 99.5%`,
 * `>= 1000`, `>= 1000rps`, `>= 1000/s`, `== 0`. Units are lower case; `m` is minutes.
 *
 * A parse error is a `ThresholdSyntaxError` with the 1-based column in the
 * expression and a hint (`=<` → did you mean `<=`; `msec` → did you mean `ms`).
 *
 * Evaluation is a separate step. A bound applies only to a metric of its kind:
 *
 *   metric unit   accepts
 *   ms            duration
 *   ratio         ratio (a plain number is refused: write %, so 0.1 and 0.1% can never be confused)
 *   rps           rate, number
 *   count, bytes, bool   number
 *
 * A mismatch is `invalid` with a suggested rewrite, never a silent conversion.
 * For metrics whose unit is known from the name (metricUnitOf: `….error_rate`
 * is a ratio, `….latency.p95` is ms …), validation refuses the mismatch before
 * any run, at the column of the unit. A bound must be finite: digits that
 * overflow a double are a parse error.
 * A missing metric (or NaN) is `no-data`, which never passes. Comparisons allow
 * a relative error of 1e-9 so that `0.1%` against a measured 0.001, or `1.1s`
 * against 1100 ms, compare as equal despite binary floating point.
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
  /** 1-based column of the unit in the expression (where it would go when there is none). */
  unitColumn: number;
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

const OPS: readonly string[] = ['<', '<=', '>', '>=', '=='];

/**
 * Conversion to the base unit works on the decimal text (`"0.07" + "e-2"`), so the
 * bound is the double nearest the written value: 0.07 * 0.01 would give 0.0007000000000000001.
 */
const shift = (text: string, exp: number): number => Number(`${text}e${exp}`);
const UNITS: Record<string, { kind: ThresholdKind; toBase: (text: string) => number }> = {
  '': { kind: 'number', toBase: (t) => Number(t) },
  ms: { kind: 'duration', toBase: (t) => Number(t) },
  s: { kind: 'duration', toBase: (t) => shift(t, 3) },
  m: { kind: 'duration', toBase: (t) => shift(t, 3) * 60 },
  h: { kind: 'duration', toBase: (t) => shift(t, 3) * 3600 },
  '%': { kind: 'ratio', toBase: (t) => shift(t, -2) },
  rps: { kind: 'rate', toBase: (t) => Number(t) },
  '/s': { kind: 'rate', toBase: (t) => Number(t) },
};
const UNIT_LIST = 'ms, s, m (minutes), h, %, rps or /s';
const EXAMPLE = 'write it like "< 200ms", "< 0.1%", ">= 1000rps" or "== 0"';

/** Near misses people write, and the unit they meant. */
const UNIT_SYNONYMS: Array<[RegExp, string]> = [
  [/^(msec|msecs|millis|millisecond|milliseconds)$/i, 'ms'],
  [/^(sec|secs|second|seconds)$/i, 's'],
  [/^(min|mins|minute|minutes)$/i, 'm'],
  [/^(hr|hrs|hour|hours)$/i, 'h'],
  [/^(percent|pct)$/i, '%'],
  [/^(req\/s|reqs\/s|r\/s|rq\/s|qps|tps|\/sec)$/i, 'rps'],
];

/** Parses a threshold expression; throws ThresholdSyntaxError with a column and a hint. */
export function parseThreshold(expr: string): ParsedThreshold {
  let i = 0;
  const col = (): number => i + 1;
  const skip = (): void => {
    while (i < expr.length && /\s/.test(expr.charAt(i))) i++;
  };

  skip();
  if (i >= expr.length) throw new ThresholdSyntaxError('empty threshold', 1, EXAMPLE);

  // Operator: the whole run of operator characters, so "=<" and "<<" are caught as one token.
  const rawOp = /^[<>=!]+/.exec(expr.slice(i))?.[0];
  if (rawOp === undefined) {
    const startsWithNumber = /^\d/.test(expr.slice(i));
    throw new ThresholdSyntaxError(
      `expected an operator (<, <=, >, >=, ==) ${startsWithNumber ? 'before the number' : `at "${expr.slice(i)}"`}`,
      col(),
      startsWithNumber ? `put the comparison first, like "< ${expr.trim()}" or "== ${expr.trim()}"` : EXAMPLE,
    );
  }
  if (!OPS.includes(rawOp)) {
    const fixes: Record<string, string> = { '=<': '<=', '=>': '>=', '=': '==', '===': '==', '<<': '<', '>>': '>' };
    const fix = fixes[rawOp];
    throw new ThresholdSyntaxError(
      rawOp === '!=' ? 'the operator "!=" is not supported' : `unknown operator "${rawOp}"`,
      col(),
      rawOp === '!='
        ? 'bound the value from one side with <, <=, > or >=, or require it exactly with =='
        : fix
          ? `did you mean "${fix}"? operators: <, <=, >, >=, ==`
          : 'operators: <, <=, >, >=, ==',
    );
  }
  const op = rawOp as ThresholdOp;
  i += rawOp.length;
  skip();

  const rest = expr.slice(i);
  const numText = /^\d+(?:\.\d+)?/.exec(rest)?.[0];
  if (numText === undefined) {
    if (rest === '') throw new ThresholdSyntaxError(`expected a number after "${op}"`, col(), EXAMPLE);
    if (rest.startsWith('-')) {
      throw new ThresholdSyntaxError('a bound cannot be negative', col(), 'metrics are never negative; use 0 or more');
    }
    if (/^\.\d/.test(rest)) {
      throw new ThresholdSyntaxError(`expected a digit before "."`, col(), `write it as "${op} 0${rest.trim()}"`);
    }
    throw new ThresholdSyntaxError(`expected a number after "${op}", found "${rest.trim()}"`, col(), EXAMPLE);
  }
  const num = Number(numText);
  i += numText.length;

  // Separators and exponents read as a unit otherwise; say what is wrong with the number.
  if (/^[,_]\d/.test(expr.slice(i))) {
    const digits = /^[\d,_.]+/.exec(expr.slice(i - numText.length))?.[0] ?? numText;
    throw new ThresholdSyntaxError(
      `unexpected "${expr.charAt(i)}" in the number`,
      col(),
      `write numbers without separators, like "${op} ${digits.replace(/[,_]/g, '')}"`,
    );
  }
  if (/^\.(\D|$)/.test(expr.slice(i))) {
    throw new ThresholdSyntaxError('expected a digit after "."', col() + 1, `write it like "${op} ${numText}.5"`);
  }
  if (/^e[+-]?\d/i.test(expr.slice(i))) {
    throw new ThresholdSyntaxError('exponents are not supported', col(), 'write the number out in full, like 1000');
  }

  skip();
  const unitStart = i;
  const unitText = /^\S*/.exec(expr.slice(i))?.[0] ?? '';
  i += unitText.length;
  skip();
  if (i < expr.length) {
    throw new ThresholdSyntaxError(
      `unexpected "${expr.slice(i).trimEnd()}" after the threshold`,
      col(),
      'a threshold is one bound, like "< 200ms"; write separate thresholds for separate metrics',
    );
  }

  const unit = UNITS[unitText];
  if (!unit) {
    const lower = unitText.toLowerCase();
    const near = UNITS[lower] && lower !== unitText ? lower : UNIT_SYNONYMS.find(([re]) => re.test(unitText))?.[1];
    let hint = near
      ? `did you mean "${near}"? units: ${UNIT_LIST}, or none for a plain number`
      : `units allowed: ${UNIT_LIST}, or none for a plain number`;
    if (/^(us|µs|μs|ns|micros?|nanos?)$/i.test(unitText))
      hint = `the smallest duration unit is ms; write fractions like "${op} 0.5ms"`;
    else if (/^\/(m|min|h|hr)$/i.test(unitText)) hint = `rates are per second; write rps or /s, like "${op} 10/s"`;
    else if (/^(b|kb|mb|gb|kib|mib|gib|bytes?)$/i.test(unitText))
      hint = `sizes are plain numbers of bytes; write "${op} ${num}" with the number in bytes`;
    throw new ThresholdSyntaxError(`unknown unit "${unitText}"`, unitStart + 1, hint);
  }
  const value = unit.toBase(numText);
  if (!Number.isFinite(value)) {
    throw new ThresholdSyntaxError(
      'the bound is too large to be a number',
      unitStart - numText.length + 1,
      'write a bound a metric can reach, like "< 200ms" or ">= 1000"',
    );
  }
  return { op, value, kind: unit.kind, source: expr, unitColumn: unitStart + 1 };
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

/**
 * The unit of a metric, known from its name before any run: load, drill and
 * probe metrics follow fixed suffixes (docs/thresholds.md lists them). Undefined
 * for names it does not know; those are checked when a run measures them.
 * Ratios come first, so a request named "latency" still has a ratio error_rate.
 */
const METRIC_UNITS: Array<[RegExp, MetricUnit]> = [
  [/(?:^|\.)(?:error_rate|hit_ratio|share)$/, 'ratio'],
  [/^scan\.coverage\.[^.]+$/, 'ratio'],
  [/(?:^|\.)(?:latency|service_time)\.(?:p\d+|max|mean)$/, 'ms'],
  [/(?:^|[._])(?:latency|duration)$/, 'ms'],
  [/^drill\.restore\.(?:rto|rpo)$/, 'ms'],
  [/(?:^|\.)rps$/, 'rps'],
  [/^findings\.(?:critical|high|medium|low|info)$/, 'count'],
];

export function metricUnitOf(name: string): MetricUnit | undefined {
  return METRIC_UNITS.find(([re]) => re.test(name))?.[1];
}

/**
 * Why the bound cannot apply to the metric named `name`, whose unit is known
 * from its name (metricUnitOf), with how to write it; undefined when it fits or
 * the unit is not known before a run. Validation reports it at the unit's column.
 */
export function unitMismatch(name: string, t: ParsedThreshold): { message: string; hint: string } | undefined {
  const unit = metricUnitOf(name);
  if (unit === undefined || APPLIES[unit].includes(t.kind)) return undefined;
  const text = mismatch(name, t, unit);
  const cut = text.indexOf('; ');
  return { message: text.slice(0, cut), hint: text.slice(cut + 2) };
}

/** Equal within a relative error of 1e-9, so unit conversions in binary floating point do not flip a boundary. */
function nearlyEqual(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** True when `measured op bound` holds (with the tolerance described in the module comment). */
export function compare(op: ThresholdOp, measured: number, bound: number): boolean {
  const eq = nearlyEqual(measured, bound);
  switch (op) {
    case '<':
      return measured < bound && !eq;
    case '<=':
      return measured < bound || eq;
    case '>':
      return measured > bound && !eq;
    case '>=':
      return measured > bound || eq;
    case '==':
      return eq;
  }
}

interface Shown {
  text: string;
  /** The rounded number as shown, back in the base unit. */
  shown: number;
}

/** `extra` adds decimals, used when the rounded form would contradict a failure ("1000 rps is not >= 1000"). */
function present(value: number, unit: MetricUnit, extra = 0): Shown {
  const fixed = (n: number, digits: number, scale: number, suffix: string): Shown => {
    const r = Number(n.toFixed(Math.min(digits + extra, 20)));
    return { text: `${String(r)}${suffix}`, shown: r * scale };
  };
  const abs = Math.abs(value);
  switch (unit) {
    case 'ms':
      if (abs >= 60_000) return fixed(value / 60_000, 2, 60_000, ' min');
      if (abs >= 1000) return fixed(value / 1000, 2, 1000, ' s');
      return fixed(value, abs < 10 ? 2 : 1, 1, ' ms');
    case 'ratio': {
      const pct = value * 100;
      const r = fixed(pct, Math.abs(pct) >= 10 ? 1 : Math.abs(pct) >= 1 ? 2 : 3, 1, ' %');
      return { text: r.text, shown: r.shown / 100 };
    }
    case 'rps':
      return fixed(value, abs >= 100 ? 0 : 1, 1, ' rps');
    case 'bytes':
      return fixed(value, 0, 1, ' B');
    case 'bool':
      if (value === 0 || value === 1) return { text: value === 1 ? 'yes (1)' : 'no (0)', shown: value };
      return fixed(value, 3, 1, '');
    case 'count':
      return fixed(value, 3, 1, '');
  }
}

/**
 * A measured value as a reader wants to see it: 142 → "142 ms", 1500 ms → "1.5 s",
 * 180000 ms → "3 min", ratio 0.0005 → "0.05 %", 1234.5 rps → "1235 rps",
 * 42.25 rps → "42.3 rps", counts plain ("3"), bytes "2048 B", bool "yes (1)".
 */
export function formatValue(value: number, unit: MetricUnit): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'no value' : String(value);
  return present(value, unit).text;
}

/** Shows `value` with enough decimals that it visibly fails `op bound`. */
function formatFailing(value: number, unit: MetricUnit, op: ThresholdOp, bound: number): string {
  if (!Number.isFinite(value)) return formatValue(value, unit);
  for (let extra = 0; extra < 12; extra++) {
    const s = present(value, unit, extra);
    if (!compare(op, s.shown, bound)) return s.text;
  }
  return present(value, unit, 12).text;
}

/** The metric unit a threshold kind is shown in. */
function unitOfKind(kind: ThresholdKind): MetricUnit {
  return kind === 'duration' ? 'ms' : kind === 'ratio' ? 'ratio' : kind === 'rate' ? 'rps' : 'count';
}

/**
 * Evaluates one threshold against the metric a run produced (or none).
 * Order: an unparsable expression is `invalid` (even without data); no metric
 * or NaN is `no-data`; a unit mismatch is `invalid`; then `pass` or `fail`.
 */
export function evaluateThreshold(name: string, expr: string, metric: Metric | undefined): ThresholdResult {
  let parsed: ParsedThreshold;
  try {
    parsed = parseThreshold(expr);
  } catch (e) {
    if (e instanceof ThresholdSyntaxError) {
      return {
        name,
        expr,
        outcome: 'invalid',
        reason: `invalid threshold at column ${e.column}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`,
      };
    }
    throw e;
  }
  if (!metric) return { name, expr, outcome: 'no-data', reason: `no collector produced ${name}` };
  if (Number.isNaN(metric.value)) {
    return { name, expr, outcome: 'no-data', unit: metric.unit, reason: `the collector reported no value for ${name}` };
  }
  const measured = { value: metric.value, unit: metric.unit, display: formatValue(metric.value, metric.unit) };
  if (!APPLIES[metric.unit].includes(parsed.kind)) {
    return { name, expr, outcome: 'invalid', ...measured, reason: mismatch(name, parsed, metric.unit) };
  }
  if (compare(parsed.op, metric.value, parsed.value)) return { name, expr, outcome: 'pass', ...measured };
  const shown = formatFailing(metric.value, metric.unit, parsed.op, parsed.value);
  return {
    name,
    expr,
    outcome: 'fail',
    ...measured,
    reason: `${shown} is not ${parsed.op} ${formatValue(parsed.value, unitOfKind(parsed.kind))}`,
  };
}

/** Why a bound of this kind does not apply to a metric in this unit, and how to write it instead. */
function mismatch(name: string, t: ParsedThreshold, unit: MetricUnit): string {
  const kindName = { duration: 'a duration', ratio: 'a percentage', rate: 'a rate', number: 'a plain number' }[t.kind];
  const unitName = {
    ms: 'milliseconds',
    ratio: 'a ratio',
    rps: 'requests per second',
    count: 'a count',
    bytes: 'bytes',
    bool: 'yes/no (1/0)',
  }[unit];
  const head = `${name} is measured in ${unitName}, but "${t.source.trim()}" is ${kindName}`;
  switch (unit) {
    case 'ms':
      return t.kind === 'number'
        ? `${head}; write it with ms, s, m or h, like "${t.op} ${t.value}ms"`
        : `${head}; write it with ms, s, m or h`;
    case 'ratio':
      return t.kind === 'number'
        ? `${head}; ratios need %, so 0.1 and 0.1% cannot be confused: "${t.op} ${Number((t.value * 100).toPrecision(12))}%" if you meant a fraction, or "${t.op} ${t.value}%"`
        : `${head}; write it with %, like "${t.op} 0.1%"`;
    case 'rps':
      return `${head}; write it with rps or /s, or as a plain number`;
    default:
      return `${head}; write a plain number, like "${t.op} 0"`;
  }
}

/** True when a collector producing `produces` (exact names, or prefixes ending in ".") can feed a threshold on `name`. */
export function knownMetric(name: string, produces: string[]): boolean {
  return produces.some((p) => p === name || (p.endsWith('.') && name.startsWith(p)));
}
