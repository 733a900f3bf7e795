import { GoliveError, isGoliveError } from '../errors.js';
import type { Substitution } from './interpolate.js';

/** What every secret is replaced with in output. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not redacted: masking every "200" or "abc"
 * would rewrite thresholds, counts and ids in the output. A declared secret
 * shorter than this gets a validate warning (tooShortToRedact).
 */
export const MIN_SECRET_LENGTH = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Text golive writes itself and that no secret can be in: run ids
 * (`20261122T093015Z-1abcde`) and hashes (`sha256:…`, whole or shortened).
 * A secret that happens to be part of one is not a leak; rewriting it would
 * break the id.
 */
const ALWAYS_SHOWN = [/\b\d{8}T\d{6}Z-[0-9a-f]{6}\b/, /\bsha256:[0-9a-f]{6,64}\b/];

/**
 * Returns a function that replaces every occurrence of each secret with
 * `[redacted]`, longest secret first (so a secret that contains another is
 * masked whole). Also masks the JSON-escaped and URL-encoded forms of each
 * secret, so `redact(JSON.stringify(x))` and URLs are covered.
 *
 * An occurrence that lies wholly inside a run id, a hash (ALWAYS_SHOWN) or one
 * of the `keep` texts is left alone: `keep` is text written literally in the
 * spec that the gate reads (threshold names and expressions, criterion ids;
 * LoadedSpec.literals), where a value equal to a secret is not a leak.
 */
export function createRedactor(secrets: readonly string[], keep: readonly string[] = []): (s: string) => string {
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
  const kept = new RegExp(
    [
      ...ALWAYS_SHOWN.map((r) => r.source),
      ...[...new Set(keep)]
        .filter((k) => typeof k === 'string' && k.length >= MIN_SECRET_LENGTH)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp),
    ].join('|'),
    'g',
  );
  return (s) => {
    if (typeof s !== 'string') return s;
    pattern.lastIndex = 0;
    let m = pattern.exec(s);
    if (!m) return s; // most strings hold no secret: no need to look for kept text
    const spans = [...s.matchAll(kept)].map((k) => [k.index, k.index + k[0].length] as const);
    let out = '';
    let last = 0;
    for (; m; m = pattern.exec(s)) {
      const from = m.index;
      const to = from + m[0].length;
      if (spans.some(([a, b]) => a <= from && to <= b)) {
        pattern.lastIndex = from + 1; // inside kept text: look for a secret that starts later
        continue;
      }
      out += s.slice(last, from) + REDACTED;
      last = to;
    }
    return out + s.slice(last);
  };
}

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** True for headers whose value must never be shown: credentials, cookies, and any header named like a secret (isSecretName). */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase()) || isSecretName(name);
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
 * Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, and any header named
 * like a secret (isSecretName: X-Auth-Token, X-Client-Secret, X-Hub-Signature). Array values (as in
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
 * `API_KEY`, `ADMIN_PW`), a query parameter (`?access_token=`, `?sig=`), a
 * `key=value` in a command, a header or a mapping key (`env: { PGPASSWORD: … }`).
 * docs/spec.md, "Which values are secret".
 *
 * SECRET_NAME_PARTS match anywhere in the name, case-insensitive (they are
 * long enough never to be part of an ordinary word: `PGPASSWORD`, `accessToken`).
 * SECRET_NAME_WORDS match only as a whole word: between `_`, `-`, `.`, the
 * start or end, or a lower-to-upper case change (`apiKey`), so `MONKEY`,
 * `AUTHOR`, `PASSENGER` and `SIGNAL` are not secret but `API_KEY`, `BASIC_AUTH`
 * and `URL_SIG` are.
 */
export const SECRET_NAME_PARTS = ['token', 'secret', 'password', 'passwd', 'passphrase', 'credential', 'authorization'];
export const SECRET_NAME_WORDS = [
  'pass',
  'pw',
  'pwd',
  'key',
  'auth',
  'jwt',
  'cookie',
  'sig',
  'signature',
  'cred',
  'dsn',
];

/**
 * The name words that say the value is a secret whatever it looks like: every
 * SECRET_NAME_PARTS word, and the whole words `pw`, `pwd`, `cred` (and plurals).
 * A variable named with one is secret even when its value is a plain word or
 * a number (`DB_PASSWORD=correcthorsebatterystaple`, `APP_SECRET=1234567890`).
 * The other SECRET_NAME_WORDS (`pass`, `key`, `auth`, `jwt`, `cookie`, `sig`,
 * `signature`, `dsn`) are weak: an unused variable named only with them is left
 * alone when its value is a plain word or a number (PLAIN: `FEATURE_PASS=enabled`).
 */
const STRONG_NAME_WORDS = new Set(['pw', 'pwd', 'cred'].flatMap((w) => [w, `${w}s`]));

/**
 * Last words that say a name is about a secret, not the secret itself: a path
 * or file (`KEY_PATH`, `DB_PASSWORD_FILE`), a duration (`AUTH_TIMEOUT_MS`), a
 * mode, a switch, a name or a size, where to find it (`AUTH_URL`,
 * `OAUTH_TOKEN_URL`, `TOKEN_URI`, `AUTH_ENDPOINT`, `SECRETS_HOST`). A name
 * ending in one is not secret; a password inside such a URL value is still
 * found (credentialsIn runs on every environment value).
 */
const ABOUT_WORDS = new Set(
  (
    'path file dir directory sock socket mode type timeout ttl ms sec secs seconds minutes expiry expires ' +
    'enabled disabled enable disable name length len size count algorithm alg provider issuer method scheme host port ' +
    'url uri endpoint'
  ).split(' '),
);

/** Names that end in a secret word but are the shell's own: the working folders. */
const NOT_SECRET_NAMES = new Set(['pwd', 'oldpwd']);

const PARTS = new RegExp(SECRET_NAME_PARTS.join('|'), 'i');
const WORDS = new Set(SECRET_NAME_WORDS.flatMap((w) => [w, `${w}s`]));

/** The words of a name: split at non-alphanumerics and lower-to-upper case changes, lowercased. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const secretWord = (w: string): boolean => WORDS.has(w) || PARTS.test(w);

/** True for a name (variable, parameter, header, key) that holds a secret by the naming rule. */
export function isSecretName(name: string): boolean {
  if (NOT_SECRET_NAMES.has(name.toLowerCase())) return false;
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined || (ABOUT_WORDS.has(last) && !secretWord(last))) return false;
  return words.some(secretWord);
}

/** True for a secret name (isSecretName) with a strong word in it (STRONG_NAME_WORDS): its value is secret even when plain. */
export function isStrongSecretName(name: string): boolean {
  return isSecretName(name) && nameWords(name).some((w) => STRONG_NAME_WORDS.has(w) || PARTS.test(w));
}

/** The text just before a value that makes it a credential: `?token=`, `password: `, `--api-key `, `Bearer `, `Cookie: a=`. */
const NAMED_BEFORE = /([A-Za-z0-9_.-]+)["']?\s*(?:[=:]\s*|\s+)["']?$/;
const SCHEME_BEFORE = /\b(?:bearer|basic|digest|token)\s+$/i;
const COOKIE_BEFORE = /\bcookie\s*:[^"'\n]*$/i;
/** `scheme://user:password@`: group 1 is everything up to the password's colon, group 2 the password. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#'"]*:)([^\s@/?#'"]*)@/gi;
/** `name=value`, `name: value`, `"name": "value"` (group 1 the name, group 2 a quoted value, group 3 a bare one). */
// The value is in a lookahead, so a pair inside a value (`mysql://h/db?password=…`) is found too.
const NAMED_VALUE = /([A-Za-z0-9_.-]+)["']?\s*[=:]\s*(?=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s&;,"'}\]]+)))/g;
/** `Bearer abc`, `Basic dXNl…` (group 1 the credential). */
const SCHEME_VALUE = /\b(?:bearer|basic|digest)\s+([^\s"',;]+)/gi;

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

/**
 * The credentials written inside a text: URL passwords (`mysql://u:pw@h`),
 * values of secret-named parameters and keys (`?api_key=…`, `password=…` in a
 * DSN, `"token": "…"`), and what follows `Bearer ` / `Basic ` / `Digest `.
 */
export function credentialsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(USERINFO)) if (m[2]) out.push(m[2]);
  for (const m of text.matchAll(NAMED_VALUE)) {
    const v = m[2] ?? m[3] ?? m[4];
    if (v && isSecretName(m[1] as string)) out.push(v);
  }
  for (const m of text.matchAll(SCHEME_VALUE)) if (m[1]) out.push(m[1]);
  return out;
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
 * A value from the environment that only a weak name word makes secret
 * (STRONG_NAME_WORDS), and the spec never uses: a plain word (`enabled`) or a
 * number is left alone, since masking it everywhere would rewrite ordinary
 * output. Declare the variable under `secrets:` to have such a value redacted too.
 */
const PLAIN = /^(?:[A-Za-z]+|[0-9.]+)$/;

/** The parts of `baseUrl` that stay shown however a value is named: the target's origin, host, port and path. */
function targetParts(baseUrl: string | undefined): Set<string> {
  const shown = new Set<string>();
  if (!baseUrl) return shown;
  try {
    const u = new URL(baseUrl);
    for (const v of [u.origin, u.host, u.hostname, u.port, `${u.origin}${u.pathname}`]) if (v) shown.add(v);
    // The whole URL only when nothing in it is a credential (`?api_key=`, `user:pw@`).
    if (credentialsIn(baseUrl).length === 0) for (const v of [u.href, baseUrl]) shown.add(v);
  } catch {
    // not a URL: the schema reports it
  }
  return shown;
}

/**
 * Which values are secrets, the ones every output redacts (createRedactor).
 *
 * - Every variable listed in the spec's `secrets:`, whether or not the spec
 *   uses it: the target and the drill commands get the whole environment and
 *   what they print is stored. A declared value is always secret, even when it
 *   is the target URL.
 * - Every value substituted into the spec (`${VAR}`) whose variable is named
 *   like a secret (isSecretName) or that is used as a credential: in a header
 *   or role credential, under a key named like a secret, after `Bearer ` /
 *   `Basic ` or in a cookie, as the value of a parameter named like a secret
 *   (`?sig=…`, `password=…`).
 * - The credentials inside a substituted value and inside `baseUrl`
 *   (credentialsIn): a URL password, `password=…` in a DSN, `?api_key=…`.
 * - Every other variable of `env` named like a secret, unless only a weak
 *   word makes it one and its value is a plain word or a number (PLAIN,
 *   STRONG_NAME_WORDS): the target sees it and may print it.
 * - The credentials inside every other value of `env` (credentialsIn), used by
 *   the spec or not: `DATABASE_URL=postgres://app:pw@db/shop` makes `pw` secret.
 *
 * Everything else — a host, a port, a path — is shown, and so is the target:
 * a value that is the target's origin, host, port or path is never secret
 * (unless declared), so every record says what was tested. Values shorter than
 * MIN_SECRET_LENGTH are never secret (tooShortToRedact names the declared ones).
 */
export function secretValues(
  substitutions: readonly Substitution[],
  declared: readonly string[] = [],
  baseUrl?: string,
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const shown = targetParts(baseUrl);
  const out = new Set<string>();
  const add = (v: string | undefined, always = false): void => {
    if (v !== undefined && v.length >= MIN_SECRET_LENGTH && (always || !shown.has(v))) out.add(v);
  };
  for (const name of declared) add(env[name], true);
  for (const s of substitutions) {
    if (declared.includes(s.name)) add(s.value, true);
    else if (isSecretName(s.name) || usedAsCredential(s)) add(s.value);
    else for (const v of [...userinfoParts(s), ...credentialsIn(s.value)]) add(v);
  }
  if (baseUrl) for (const v of credentialsIn(baseUrl)) add(v, true);
  for (const [name, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (isSecretName(name) && (!PLAIN.test(v) || isStrongSecretName(name))) add(v);
    else for (const c of credentialsIn(v)) add(c);
  }
  return [...out];
}

/** The declared secrets (`secrets:`) whose value is set but too short to redact safely (MIN_SECRET_LENGTH). */
export function tooShortToRedact(
  declared: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return declared.filter((name) => {
    const v = env[name];
    return v !== undefined && v !== '' && v.length < MIN_SECRET_LENGTH;
  });
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

/**
 * A redactor for when no spec is loaded (an error printed by the CLI): the
 * values of the environment's variables named like a secret (secretValues).
 */
export function environmentRedactor(env: Readonly<Record<string, string | undefined>>): (s: string) => string {
  return createRedactor(secretValues([], [], undefined, env));
}

/** The redactor of a loaded spec: its secrets, with the text it writes literally for the gate kept (createRedactor). */
export function specRedactor(loaded: {
  readonly secrets: readonly string[];
  readonly literals?: readonly string[];
}): (s: string) => string {
  return createRedactor(loaded.secrets, loaded.literals ?? []);
}

/**
 * The same error with every secret removed from what is printed of it: a
 * GoliveError keeps its code, and its message, hint and problems are redacted;
 * any other error (a bug, exit 4) becomes an Error of the same name with its
 * message and stack redacted. The cause is dropped: it is never printed.
 */
export function redactError(e: unknown, redact: (s: string) => string): Error {
  if (isGoliveError(e)) {
    const out = new GoliveError(e.code, redact(e.message), {
      ...(e.hint ? { hint: redact(e.hint) } : {}),
      problems: e.problems.map((p) => redactDeep(p, redact)),
    });
    if (e.stack) out.stack = redact(e.stack);
    return out;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const out = new Error(redact(err.message));
  out.name = err.name;
  out.stack = err.stack ? redact(err.stack) : `${out.name}: ${out.message}`;
  return out;
}
