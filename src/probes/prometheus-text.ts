/**
 * A parser for the Prometheus text exposition format (version 0.0.4), strict
 * enough to tell a real /metrics endpoint from an HTML page or JSON:
 *
 *   # HELP <name> <docstring>
 *   # TYPE <name> counter|gauge|histogram|summary|untyped
 *   <name>{<label>="<value>",…} <value> [<timestamp>]
 *
 * Values may be floats, `NaN`, `+Inf`, `-Inf`. Other `#` lines are comments.
 * Histogram and summary samples (`_bucket`, `_sum`, `_count`) belong to their family.
 */

export interface MetricFamily {
  name: string;
  type: string;
  help?: string;
  samples: number;
}

export interface ParseError {
  line: number;
  message: string;
}

export interface ParsedExposition {
  families: MetricFamily[];
  errors: ParseError[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^}"\\]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

export function parsePrometheusText(text: string): ParsedExposition {
  const families = new Map<string, MetricFamily>();
  const errors: ParseError[] = [];
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'untyped', samples: 0 };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) return; // plain comment
      const [, kind, name = '', rest = ''] = m;
      if (!NAME.test(name)) return void errors.push({ line: lineNo, message: `invalid metric name "${name}"` });
      if (kind === 'TYPE') {
        if (!TYPES.has(rest.trim()))
          return void errors.push({ line: lineNo, message: `unknown metric type "${rest.trim()}"` });
        family(name).type = rest.trim();
      } else {
        family(name).help = rest;
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) return void errors.push({ line: lineNo, message: `not a sample line: ${truncate(line)}` });
    const [, name = '', labels, value = ''] = m;
    if (labels && !labelsValid(labels.slice(1, -1))) {
      return void errors.push({ line: lineNo, message: `malformed labels ${truncate(labels)}` });
    }
    if (!isValue(value)) return void errors.push({ line: lineNo, message: `"${truncate(value)}" is not a number` });
    family(familyOf(name, families)).samples++;
  });
  return { families: [...families.values()].filter((f) => f.samples > 0 || f.type !== 'untyped'), errors };
}

function familyOf(sample: string, families: Map<string, MetricFamily>): string {
  if (families.has(sample)) return sample;
  for (const s of SUFFIXES) {
    if (sample.endsWith(s)) {
      const base = sample.slice(0, -s.length);
      if (families.has(base)) return base;
    }
  }
  return sample;
}

function labelsValid(inner: string): boolean {
  if (inner.trim() === '') return true;
  // Split on commas outside quotes.
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && quoted) {
      cur += c + (inner[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.every((p) => LABEL.test(p));
}

function isValue(v: string): boolean {
  return v === 'NaN' || v === '+Inf' || v === '-Inf' || v === 'Inf' || !Number.isNaN(Number(v));
}

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
