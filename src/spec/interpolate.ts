/**
 * `${VAR}` interpolation of spec string values from the environment.
 *
 * Rules (docs/spec.md, "Environment variables"):
 * - `${NAME}` is replaced by the environment variable NAME, but ONLY when NAME
 *   is UPPER_SNAKE_CASE (`[A-Z_][A-Z0-9_]*`). Any other `${…}` — `${vu}`,
 *   `${iter}`, `${token}`, `${sku}` — is left exactly as written: those are
 *   placeholders the load engine fills per request at run time.
 * - `${NAME:-default}` uses `default` when NAME is unset or empty. The default
 *   cannot contain `}`.
 * - `$${` is an escape: it becomes a literal `${` and is never interpolated
 *   (`$${HOME}` → `${HOME}`).
 * - `${NAME}` with NAME unset (and no default) is a problem; an empty value is allowed.
 * - Only string VALUES are interpolated, never mapping keys. Interpolation is a
 *   single pass: a value taken from the environment is not scanned again.
 *
 * Every value taken from the environment is reported as a substitution (where
 * it went, and the text around it), so redact.ts can tell secrets from the
 * rest (`secretValues`). Defaults are written in the spec itself and are not
 * reported.
 */

export type SpecPath = (string | number)[];

/** An `${NAME}` whose variable is not set. `index` is where `${` starts in the string as written. */
export interface UnsetVariable {
  name: string;
  path: SpecPath;
  index: number;
}

/** One `${NAME}` replaced by a value from the environment. */
export interface Substitution {
  name: string;
  value: string;
  /** Where in the spec the string is. */
  path: SpecPath;
  /** The whole string after interpolation, and where the value sits in it. */
  text: string;
  start: number;
  end: number;
}

export interface InterpolationResult<T = unknown> {
  value: T;
  /** Every value taken from the environment (defaults are not), in spec order. */
  substitutions: Substitution[];
  unset: UnsetVariable[];
}

const ENV_NAME = /^([A-Z_][A-Z0-9_]*)(?::-([^}]*))?$/;
const TOKEN = /\$\$\{|\$\{([^}]*)\}/g;

type Env = Record<string, string | undefined>;

interface Acc {
  substitutions: Substitution[];
  unset: UnsetVariable[];
}

function interpolateInto(s: string, env: Env, path: SpecPath, acc: Acc): string {
  if (!s.includes('${')) return s;
  let out = '';
  let last = 0;
  const found: Omit<Substitution, 'text'>[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const whole = m[0];
    const inner = m[1];
    const index = m.index;
    out += s.slice(last, index);
    last = index + whole.length;
    if (inner === undefined) {
      out += '${'; // the `$${` escape
      continue;
    }
    const em = ENV_NAME.exec(inner);
    if (!em) {
      out += whole; // not an environment reference: leave it for the load engine
      continue;
    }
    const name = em[1] as string;
    const fallback = em[2];
    const fromEnv = env[name];
    if (fallback !== undefined && (fromEnv === undefined || fromEnv === '')) {
      out += fallback;
      continue;
    }
    if (fromEnv === undefined) {
      acc.unset.push({ name, path, index });
      continue;
    }
    found.push({ name, value: fromEnv, path, start: out.length, end: out.length + fromEnv.length });
    out += fromEnv;
  }
  out += s.slice(last);
  for (const f of found) acc.substitutions.push({ ...f, text: out });
  return out;
}

function walk(value: unknown, env: Env, path: SpecPath, acc: Acc): unknown {
  if (typeof value === 'string') return interpolateInto(value, env, path, acc);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, env, [...path, i], acc));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, env, [...path, k], acc);
    return out;
  }
  return value;
}

/** Interpolates every string value inside `value` (a parsed spec). Pure: returns a copy. */
export function interpolate<T = unknown>(value: T, env: Env): InterpolationResult<T> {
  const acc: Acc = { substitutions: [], unset: [] };
  const out = walk(value, env, [], acc) as T;
  return { value: out, substitutions: acc.substitutions, unset: acc.unset };
}

/** Interpolates one string; see the module comment for the rules. */
export function interpolateString(s: string, env: Env): InterpolationResult<string> {
  return interpolate(s, env);
}
