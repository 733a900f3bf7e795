import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

/** One Prometheus alerting rule, where it is written. */
export interface AlertRule {
  file: string;
  group: string;
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  line: number;
  column: number;
}

/** A problem in a rule file, at file:line:column. */
export interface RuleFileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ParsedRuleFile {
  rules: AlertRule[];
  /** Recording rules seen (counted, not checked). */
  recording: number;
  problems: RuleFileProblem[];
}

/**
 * Parses a Prometheus rule file (`groups: [{ name, rules: [{ alert, expr,
 * for, labels, annotations }] }]`) keeping each rule's line and column (pure:
 * takes the text). Recording rules (`record:`) are counted and skipped.
 * Structure problems are listed with their position rather than thrown, so
 * every problem of every file can be reported at once.
 */
export function parseRuleFile(file: string, text: string): ParsedRuleFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: RuleFileProblem[] = [];
  const at = (node: Node | null | undefined, message: string): void => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    problems.push({ file, line, column: col, message });
  };
  for (const e of doc.errors) {
    const { line, col } = lines.linePos(e.pos[0]);
    problems.push({ file, line, column: col, message: `YAML: ${e.message.split('\n')[0]}` });
  }
  const out: ParsedRuleFile = { rules: [], recording: 0, problems };
  if (doc.errors.length > 0) return out;
  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    at(root, 'expected a mapping with `groups:` (a Prometheus rule file)');
    return out;
  }
  const groups = root.get('groups', true) as Node | undefined;
  if (!isSeq(groups)) {
    at(groups ?? root, 'expected `groups:` to be a list of rule groups');
    return out;
  }
  for (const g of groups.items as Node[]) {
    if (!isMap(g)) {
      at(g, 'expected a rule group: { name, rules }');
      continue;
    }
    const name = scalar(g, 'name') ?? '';
    if (!name) at(g, 'rule group without a `name`');
    const rules = g.get('rules', true) as Node | undefined;
    if (!isSeq(rules)) {
      at(rules ?? g, `group "${name}": expected \`rules:\` to be a list`);
      continue;
    }
    for (const r of rules.items as Node[]) {
      if (!isMap(r)) {
        at(r, `group "${name}": expected a rule mapping`);
        continue;
      }
      if (r.has('record')) {
        out.recording++;
        continue;
      }
      const alert = scalar(r, 'alert');
      if (!alert) {
        at(r, `group "${name}": a rule needs \`alert:\` or \`record:\``);
        continue;
      }
      const expr = scalar(r, 'expr');
      if (!expr) at(r, `alert ${alert}: no \`expr\``);
      const { line, col } = lines.linePos(r.range?.[0] ?? 0);
      out.rules.push({
        file,
        group: name,
        alert,
        expr: expr ?? '',
        labels: stringMap(r, 'labels'),
        annotations: stringMap(r, 'annotations'),
        line,
        column: col,
      });
    }
  }
  return out;
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const v = map.get(key, true) as Node | undefined;
  if (!isScalar(v) || v.value === null || v.value === undefined) return undefined;
  return String(v.value);
}

function stringMap(map: YAMLMap, key: string): Record<string, string> {
  const v = map.get(key, true) as Node | undefined;
  const out: Record<string, string> = {};
  if (!isMap(v)) return out;
  for (const pair of v.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const val = pair.value as Node | null;
    if (isScalar(val) && val.value !== null) out[k] = String(val.value);
  }
  return out;
}
