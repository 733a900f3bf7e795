import { MIN_SECRET_LENGTH } from './redact.js';

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
 * Values taken from the environment are collected as secrets (when at least
 * 3 characters long) so every output can redact them. Defaults are written in
 * the spec itself and are not secrets.
 */

export type SpecPath = (string | number)[];

/** An `${NAME}` whose variable is not set. `index` is where `${` starts in the string as written. */
export interface UnsetVariable {
  name: string;
  path: SpecPath;
  index: number;
}

export interface InterpolationResult<T = unknown> {
  value: T;
  /** Environment values that were substituted (length >= 3), without duplicates. */
  secrets: string[];
  unset: UnsetVariable[];
}

const ENV_NAME = /^([A-Z_][A-Z0-9_]*)(?::-([^}]*))?$/;
const TOKEN = /\$\$\{|\$\{([^}]*)\}/g;

type Env = Record<string, string | undefined>;

interface Acc {
  secrets: Set<string>;
  unset: UnsetVariable[];
}

function interpolateInto(s: string, env: Env, path: SpecPath, acc: Acc): string {
  if (!s.includes('${')) return s;
  return s.replace(TOKEN, (whole: string, inner: string | undefined, index: number) => {
    if (inner === undefined) return '${'; // the `$${` escape
    const m = ENV_NAME.exec(inner);
    if (!m) return whole; // not an environment reference: leave it for the load engine
    const name = m[1] as string;
    const fallback = m[2];
    const fromEnv = env[name];
    if (fallback !== undefined) {
      if (fromEnv === undefined || fromEnv === '') return fallback;
    } else if (fromEnv === undefined) {
      acc.unset.push({ name, path, index });
      return '';
    }
    if (fromEnv.length >= MIN_SECRET_LENGTH) acc.secrets.add(fromEnv);
    return fromEnv;
  });
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
  const acc: Acc = { secrets: new Set(), unset: [] };
  const out = walk(value, env, [], acc) as T;
  return { value: out, secrets: [...acc.secrets], unset: acc.unset };
}

/** Interpolates one string; see the module comment for the rules. */
export function interpolateString(s: string, env: Env): InterpolationResult<string> {
  return interpolate(s, env);
}
