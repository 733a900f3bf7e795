import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { GoliveError, type Problem } from '../errors.js';
import { specHash } from './hash.js';
import { interpolate, type SpecPath } from './interpolate.js';
import { secretValues, tooShortToRedact, MIN_SECRET_LENGTH } from './redact.js';
import { formatPath, Locator } from './locate.js';
import { SpecSchema, type Spec } from './schema.js';
import {
  crossFieldProblems,
  specErrorMap,
  specWarnings,
  zodProblems,
  type MetricSource,
  type PathProblem,
} from './validate.js';

export interface LoadedSpec {
  /** The spec after `${VAR}` interpolation, validated, with defaults applied. */
  spec: Spec;
  /** The parsed YAML as written (before interpolation and defaults), for hashing and storage. Holds no env values. */
  raw: unknown;
  /** `sha256:<hex>` of the canonical form of `raw`; see hash.ts. */
  specHash: string;
  /** The spec file, as given (loadSpecFile gives an absolute path). */
  file: string;
  /** The folder of the spec file: relative paths in the spec resolve against it. */
  dir: string;
  /** The secrets among the values from the environment (redact.ts, secretValues); every output layer redacts them (createRedactor). */
  secrets: string[];
  /**
   * Text written literally in the spec that the gate reads: threshold names and
   * expressions, criterion ids. Never redacted (createRedactor's `keep`): no
   * environment value is in it, and rewriting it would change the verdict.
   */
  literals: string[];
  /** Things that are valid but probably not what the author meant. */
  warnings: Problem[];
}

export interface LoadOptions {
  /** Metric names and prefixes (ending in ".") that collectors produce; thresholds on anything else get a warning. */
  produces?: readonly string[];
  /**
   * What can feed a threshold in a spec, and whether the spec turns it on
   * (src/collect/registry.ts `metricSources`). With it, thresholds no enabled
   * collector feeds get a warning naming the section to add.
   */
  sources?: (spec: Spec) => readonly MetricSource[];
}

const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation, and that every [, { and quote is closed',
  DUPLICATE_KEY: 'each key may appear once in a mapping; remove or merge the duplicate',
  MISSING_CHAR: 'a bracket, brace or quote is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key and its colon must be on one line; quote values that contain ": "',
  BLOCK_AS_IMPLICIT_KEY: 'a key and its colon must be on one line; quote values that contain ": "',
  UNEXPECTED_TOKEN: 'quote values that start with a special character such as @, `, %, * or &',
  MULTIPLE_DOCS: 'golive.yaml holds one document; remove the extra ---',
};

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? Infinity) - (b.column ?? Infinity);
}

function fail(file: string, problems: Problem[], onlyEnv: boolean): never {
  problems.sort(byPosition);
  const n = problems.length;
  if (onlyEnv) {
    const names = [...new Set(problems.map((p) => /environment variable (\S+)/.exec(p.message)?.[1] ?? '?'))];
    const first = names[0] ?? 'NAME';
    throw new GoliveError(
      'GL_SPEC_ENV_UNSET',
      names.length === 1
        ? `environment variable ${first} is not set`
        : `${names.length} environment variables are not set: ${names.join(', ')}`,
      { problems, hint: `export ${names.length === 1 ? 'it' : 'them'}, or write \${${first}:-default} in the spec` },
    );
  }
  throw new GoliveError('GL_SPEC_INVALID', `${basename(file)} has ${n} problem${n === 1 ? '' : 's'}`, {
    problems,
    hint: 'fix them and run golive validate',
  });
}

function emptyProblem(file: string): Problem {
  return {
    file,
    line: 1,
    column: 1,
    message: 'the file is empty; run golive init',
    hint: 'golive init writes a commented golive.yaml to start from, or pass -c FILE to use another one',
  };
}

/**
 * Parses, interpolates and validates a spec's text. Pure: reads no file and no
 * process global. Throws GL_SPEC_INVALID (or GL_SPEC_ENV_UNSET when unset
 * variables are the only problem) with EVERY problem at once, each located
 * at file:line:column and sorted by position.
 *
 * YAML syntax errors stop the load before validation: the rest of a broken
 * document cannot be trusted, so only the syntax errors are reported.
 */
export function loadSpecText(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  opts: LoadOptions = {},
): LoadedSpec {
  if (text.replace(/^\uFEFF/, '').trim() === '') fail(file, [emptyProblem(file)], false);

  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = new Locator(file, text, doc, lines);

  if (doc.errors.length > 0) {
    // The parser often reports one mistake twice at the same place; keep the first.
    const seenAt = new Set<number>();
    const errors = doc.errors.filter((e) => !seenAt.has(e.pos[0]) && seenAt.add(e.pos[0]));
    fail(
      file,
      errors.map((e) => at.problem(e.pos[0], undefined, `YAML: ${e.message}`, YAML_HINTS[e.code])),
      false,
    );
  }
  if (doc.contents === null) fail(file, [emptyProblem(file)], false);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    fail(file, [at.problem(unresolvedAliasAt(doc) ?? 0, undefined, `YAML: ${(e as Error).message}`)], false);
  }

  const { value: data, substitutions, unset } = interpolate(raw, env);

  const envProblems: PathProblem[] = unset.map((u) => {
    const src = at.source(u.path);
    const i = src ? src.text.indexOf(`\${${u.name}`) : -1;
    const offset = src ? src.start + Math.max(i, 0) : at.valueOffset(u.path);
    return {
      path: u.path,
      problem: at.problem(
        offset,
        u.path,
        `environment variable ${u.name} is not set`,
        `export it, or write \${${u.name}:-default}`,
      ),
    };
  });

  const parsed = SpecSchema.safeParse(data, { error: specErrorMap });
  const other: PathProblem[] = [
    ...(parsed.success ? [] : zodProblems(parsed.error.issues, data, at)),
    ...crossFieldProblems(data, at),
  ];
  // A value emptied by an unset variable fails other rules too; report only the variable.
  const emptied = new Set(unset.map((u) => formatPath(u.path)));
  const kept = other.filter((p) => !emptied.has(formatPath(p.path as SpecPath)));

  if (envProblems.length + kept.length > 0) {
    fail(
      file,
      [...envProblems, ...kept].map((p) => p.problem),
      kept.length === 0,
    );
  }
  if (!parsed.success) throw new Error('unreachable: schema failed without problems'); // keeps the types honest

  const spec = parsed.data;
  const secrets = secretValues(substitutions, spec.secrets, spec.target.baseUrl, env);
  const short = tooShortToRedact(spec.secrets, env).map((name) => {
    const path = ['secrets', spec.secrets.indexOf(name)];
    return at.problem(
      at.valueOffset(path),
      path,
      `secret ${name} is shorter than ${MIN_SECRET_LENGTH} characters, so it cannot be redacted safely and is shown`,
      `use a longer value for ${name}; masking a value this short would rewrite ordinary text in every report`,
    );
  });
  const warnings = [
    ...doc.warnings.map((w) => at.problem(w.pos[0], undefined, `YAML: ${w.message}`)),
    ...specWarnings(spec, at, opts.produces, opts.sources?.(spec)),
    ...short,
  ].sort(byPosition);

  return { spec, raw, specHash: specHash(raw), file, dir: dirname(file), secrets, literals: literals(raw), warnings };
}

/** Threshold names and expressions and criterion ids as written (no `${…}` in them): LoadedSpec.literals. */
function literals(raw: unknown): string[] {
  const out: string[] = [];
  const plain = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');
  const r = (raw ?? {}) as { thresholds?: unknown; criteria?: unknown };
  if (r.thresholds && typeof r.thresholds === 'object') {
    for (const [name, expr] of Object.entries(r.thresholds)) out.push(name, ...(plain(expr) ? [expr] : []));
  }
  if (Array.isArray(r.criteria)) {
    for (const c of r.criteria as { id?: unknown }[]) if (plain(c?.id)) out.push(c.id);
  }
  return out;
}

/**
 * Reads and loads a spec file (see loadSpecText). A missing file is
 * GL_SPEC_NOT_FOUND; an unreadable one GL_FILE_NOT_FOUND.
 */
export function loadSpecFile(
  path: string,
  env: Record<string, string | undefined>,
  opts: LoadOptions = {},
): LoadedSpec {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new GoliveError('GL_SPEC_NOT_FOUND', `no spec at ${file}`, {
        hint: 'run golive init to write one, or pass -c FILE',
        cause: e,
      });
    }
    if (code === 'EISDIR') {
      throw new GoliveError('GL_SPEC_NOT_FOUND', `${file} is a folder, not a spec file`, {
        hint: 'pass -c FILE with the path of the golive.yaml',
        cause: e,
      });
    }
    throw new GoliveError('GL_FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  return loadSpecText(text, file, env, opts);
}

/** Where the first alias without an anchor before it sits (toJS throws on it without a position). */
function unresolvedAliasAt(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}
