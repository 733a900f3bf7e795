import type { Substitution } from './interpolate.js';

/** What every secret is replaced with in output. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not redacted: masking every "1" or "on" would destroy the output. */
export const MIN_SECRET_LENGTH = 3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns a function that replaces every occurrence of each secret with
 * `[redacted]`, longest secret first (so a secret that contains another is
 * masked whole). Also masks the JSON-escaped and URL-encoded forms of each
 * secret, so `redact(JSON.stringify(x))` and URLs are covered.
 */
export function createRedactor(secrets: readonly string[]): (s: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // lone surrogates cannot be URL-encoded; the raw form is still masked
    }
  }
  if (forms.size === 0) return (s) => s;
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return (s) => (typeof s === 'string' ? s.replace(pattern, REDACTED) : s);
}

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const SENSITIVE_PARTS = ['token', 'secret', 'key'];

/** True for headers whose value must never be shown: credentials, cookies, and anything named *token*, *secret* or *key*. */
export function isSensitiveHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SENSITIVE_HEADERS.has(n) || SENSITIVE_PARTS.some((part) => n.includes(part));
}

function maskValue(name: string, value: string): string {
  // Keep the auth scheme ("Bearer [redacted]"): it helps a reader and reveals nothing.
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') {
    const m = /^([A-Za-z][\w-]*)\s+\S/.exec(value);
    if (m) return `${m[1]} ${REDACTED}`;
  }
  return REDACTED;
}

/**
 * A copy of `headers` with the values of sensitive headers masked: Authorization,
 * Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, and any header whose
 * name contains token, secret or key (case-insensitive). Array values (as in
 * Node's IncomingHttpHeaders) are masked item by item; undefined stays undefined.
 */
export function redactHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string>;
export function redactHeaders<V extends string | readonly string[] | number | undefined>(
  headers: Readonly<Record<string, V>> | undefined,
): Record<string, V | string | string[]>;
export function redactHeaders<V extends string | readonly string[] | number | undefined>(
  headers: Readonly<Record<string, V>> | undefined,
): Record<string, V | string | string[]> {
  const out: Record<string, V | string | string[]> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers) as [string, V][]) {
    if (value === undefined || !isSensitiveHeader(name)) out[name] = value;
    else if (Array.isArray(value)) out[name] = (value as readonly string[]).map((v) => maskValue(name, String(v)));
    else out[name] = maskValue(name, String(value));
  }
  return out;
}

/**
 * Keys whose values are encoded binary data (base64 HdrHistograms), never text
 * a secret could be in: rewriting a run of their characters that happens to
 * equal a secret would corrupt the histogram.
 */
const ENCODED_KEYS = new Set(['histograms']);

/**
 * Redacts every string inside a JSON-safe value, object keys included (a
 * per-request metric is keyed by a request name, and a request path can hold
 * a secret), leaving numbers, booleans and encoded binary data (ENCODED_KEYS)
 * alone, so the result stays valid data. Two keys that are the same once
 * redacted are both kept: the second gets " #2", the third " #3" …
 */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const masked = redact(k);
      let key = masked;
      for (let n = 2; Object.hasOwn(out, key); n++) key = `${masked} #${n}`;
      out[key] = ENCODED_KEYS.has(k) ? v : redactDeep(v, redact);
    }
    return out as T;
  }
  return value;
}

// ------------------------------------------------------------------ which values are secrets

/**
 * Words that make a name secret: a variable (`STAGING_TOKEN`, `DB_PASSWORD`,
 * `API_KEY`), a query parameter (`?access_token=`, `?sig=`), a `key=value`
 * in a command, or a mapping key (`env: { PGPASSWORD: … }`). Case-insensitive,
 * anywhere in the name. docs/spec.md, "Which values are secret".
 */
export const SECRET_NAME_WORDS = [
  'token',
  'secret',
  'pass',
  'pwd',
  'key',
  'credential',
  'auth',
  'jwt',
  'cookie',
  'sig',
];
const SECRET_NAME = new RegExp(SECRET_NAME_WORDS.join('|'), 'i');

/** True for a name (variable, parameter, key) that holds a secret by the naming rule. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The text just before a value that makes it a credential: `?token=`, `password: `, `--api-key `, `Bearer `, `Cookie: a=`. */
const NAMED_BEFORE = /([A-Za-z0-9_.-]+)["']?\s*(?:[=:]\s*|\s+)["']?$/;
const SCHEME_BEFORE = /\b(?:bearer|basic|digest|token)\s+$/i;
const COOKIE_BEFORE = /\bcookie\s*:[^"'\n]*$/i;
/** `scheme://user:password@`: group 1 is everything up to the password's colon, group 2 the password. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#'"]*:)([^\s@/?#'"]*)@/gi;

/** Map keys under which every value is a credential: header maps and the security probes' role credentials. */
const HEADER_MAPS = new Set(['headers', 'credentials']);

function usedAsCredential(s: Substitution): boolean {
  if (s.path.slice(0, -1).some((seg) => typeof seg === 'string' && HEADER_MAPS.has(seg))) return true;
  const key = s.path[s.path.length - 1];
  if (typeof key === 'string' && isSecretName(key)) return true;
  const before = s.text.slice(0, s.start);
  if (SCHEME_BEFORE.test(before) || COOKIE_BEFORE.test(before)) return true;
  const named = NAMED_BEFORE.exec(before)?.[1];
  return named !== undefined && isSecretName(named);
}

/** The parts of `s.value` that are a URL password in the interpolated text. */
function userinfoParts(s: Substitution): string[] {
  const out: string[] = [];
  for (const m of s.text.matchAll(USERINFO)) {
    const from = m.index + (m[1] as string).length;
    const to = from + (m[2] as string).length;
    const a = Math.max(from, s.start);
    const b = Math.min(to, s.end);
    if (a < b) out.push(s.text.slice(a, b));
  }
  return out;
}

/**
 * Which values from the environment are secrets, the ones every output
 * redacts (createRedactor). A value is secret when its variable is listed in
 * the spec's `secrets:` or is named like a secret (isSecretName), or when it is
 * used as a credential: in a header or role credential, under a key named like
 * a secret, after `Bearer ` / `Basic ` or in a cookie, as the value of a
 * parameter named like a secret (`?sig=…`, `password=…`), or as a URL's
 * password (only that part is secret). Everything else — a host, a port, a
 * path — is shown, and so is the target (`baseUrl`): a value that is the
 * target's origin, host or port is never secret, so every record says what was
 * tested. Values shorter than MIN_SECRET_LENGTH are never secret.
 */
export function secretValues(
  substitutions: readonly Substitution[],
  declared: readonly string[] = [],
  baseUrl?: string,
): string[] {
  const shown = new Set<string>();
  if (baseUrl) {
    try {
      const u = new URL(baseUrl);
      for (const v of [u.origin, u.host, u.hostname, u.port, u.href, baseUrl]) if (v) shown.add(v);
    } catch {
      // not a URL: the schema reports it
    }
  }
  const out = new Set<string>();
  for (const s of substitutions) {
    const whole = declared.includes(s.name) || isSecretName(s.name) || usedAsCredential(s);
    for (const v of whole ? [s.value] : userinfoParts(s)) {
      if (v.length >= MIN_SECRET_LENGTH && !shown.has(v)) out.add(v);
    }
  }
  return [...out];
}

/**
 * A spec as it may be stored or shown: every secret redacted, and the
 * sensitive headers of every header map (target, requests, role credentials)
 * masked even when written literally in the spec.
 */
export function redactSpec<T>(spec: T, redact: (s: string) => string): T {
  const mask = (v: unknown, parent?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => mask(x));
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (parent === 'headers') return redactHeaders(v as Record<string, string>);
    if (parent === 'credentials')
      return Object.fromEntries(entries.map(([k, h]) => [k, redactHeaders(h as Record<string, string>)]));
    return Object.fromEntries(entries.map(([k, x]) => [k, mask(x, k)]));
  };
  return redactDeep(mask(spec) as T, redact);
}
