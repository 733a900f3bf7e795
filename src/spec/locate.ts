import { isAlias, isCollection, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Problem } from '../errors.js';
import type { SpecPath } from './interpolate.js';

/** `criteria[2].id`, `thresholds.load.latency.p95`, `roles["Tech Lead"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$.-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface Located {
  /** The deepest node found along the path (the value itself when `complete`). */
  node: Node | null;
  /** The mapping key that leads to `node`, when `node` is a mapping value. */
  key: Node | null;
  /** True when every segment of the path was found. */
  complete: boolean;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Maps spec paths and source offsets to file:line:column. */
export class Locator {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  locate(path: readonly (string | number)[]): Located {
    let node: Node | null = (this.doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return { node, key, complete: false };
        key = (pair.key as Node | null) ?? null;
        const value = (pair.value as Node | null) ?? null;
        if (value === null) return { node: key, key, complete: false };
        node = value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = (node.items[seg] as Node | undefined) ?? null;
        if (item === null) return { node, key, complete: false };
        node = item;
        key = null;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  /** Offset of the value at `path` (or of the deepest node found on the way). */
  valueOffset(path: readonly (string | number)[]): number | undefined {
    const { node, key } = this.locate(path);
    if (node && isCollection(node) && !node.flow && key?.range) return key.range[0];
    if (isAlias(node) && node.range) return node.range[0];
    return node?.range?.[0] ?? undefined;
  }

  /** Offset of the mapping key at the end of `path` (e.g. an unknown key). */
  keyOffset(path: readonly (string | number)[]): number | undefined {
    const { key, complete } = this.locate(path);
    if (complete && key?.range) return key.range[0];
    return this.valueOffset(path);
  }

  /** Offset where the text of a scalar's value starts: after the opening quote of a quoted scalar. */
  scalarTextOffset(path: readonly (string | number)[]): number | undefined {
    const { node, complete } = this.locate(path);
    if (!complete || !isScalar(node) || !node.range) return this.valueOffset(path);
    return node.range[0] + (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0);
  }

  /** The source text of the node at `path`, with its start offset. */
  source(path: readonly (string | number)[]): { start: number; text: string } | undefined {
    const { node, complete } = this.locate(path);
    if (!complete || !node?.range) return undefined;
    return { start: node.range[0], text: this.text.slice(node.range[0], node.range[1]) };
  }

  problem(offset: number | undefined, path: SpecPath | undefined, message: string, hint?: string): Problem {
    const p: Problem = { file: this.file, message };
    if (offset !== undefined) {
      const { line, col } = this.lines.linePos(offset);
      p.line = line;
      p.column = col;
    } else {
      p.line = 1;
      p.column = 1;
    }
    if (path && path.length > 0) p.path = formatPath(path);
    if (hint !== undefined) p.hint = hint;
    return p;
  }
}
