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
 * equal a secret (a port number, say) would corrupt the histogram.
 */
const ENCODED_KEYS = new Set(['histograms']);

/**
 * Redacts every string inside a JSON-safe value, leaving numbers, booleans,
 * object keys and encoded binary data (ENCODED_KEYS) alone — so a secret such
 * as a port number never rewrites a metric or a key, and the result stays
 * valid data.
 */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, ENCODED_KEYS.has(k) ? v : redactDeep(v, redact)]),
    ) as T;
  }
  return value;
}
