import { createHmac } from 'node:crypto';
import { SECRET_RULES, type SecretRule } from './secret-rules.js';

/** One secret found in a text. `secret` is the raw value: it must never leave the scanner (use `redacted`). */
export interface SecretMatch {
  rule: SecretRule;
  /** 1-based line of the match's start. */
  line: number;
  /** The raw secret; only for hashing and allowlists, never for output. */
  secret: string;
  /** What may be shown: a short prefix and the length. */
  redacted: string;
  /** A 16-bit keyed hash of the secret (4 hex digits): tells different secrets apart in the fingerprint, see secretTag. */
  tag: string;
}

export interface SecretOptions {
  /** The file's path: in program code (by extension) only quoted values count for rules with `bareOutsideCode`. */
  path?: string;
  /** A secret matching any of these is not reported. */
  allowRegexes?: readonly RegExp[];
  rules?: readonly SecretRule[];
}

/** The inline marker that accepts a line, as `gitleaks:allow` does. */
export const ALLOW_MARKER = 'golive:allow';

/**
 * Values that stand for a secret rather than being one: anything with `${`
 * (placeholders, template literals), `$VAR`, `{{ var }}`, `<token>`, `%s`,
 * runs of x or *, filler words (changeme, example, dummy, demo …) and values
 * that name themselves (`my-secret-token`). A match on one of these is not a finding.
 */
const PLACEHOLDER =
  /\$\{|^\$[A-Z_][A-Z0-9_]*$|\{\{.*\}\}|^<[^>]*>$|^%[sd]$|^(?:x+|\*+|\.+|#+|-+|_+)$|changeme|change_me|example|placeholder|dummy|redacted|your[_-]|\bfake\b|sample|replace[_-]?me|not[_-]?a[_-]?secret|^(?:null|none|undefined|true|false)$|password|secret|token|\bdemo\b/i;

/** Program source: a bare `token = value` there is an identifier, not a literal. */
const CODE_FILE =
  /\.(?:[cm]?[jt]sx?|java|kt|kts|scala|groovy|go|rs|py|rb|php|cs|fs|swift|c|cc|cpp|h|hpp|m|mm|dart|lua|ex|exs|erl|clj|vue|svelte|jst)$/i;

/** A bare value that is a reference to something else, e.g. `process.env.DB_PASSWORD` or `config.auth.secret`. */
const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+(?:\(\))?$/;

/**
 * Finds secrets in one file's text. Steps, cheapest first: a keyword
 * prefilter on the lower-cased text, the rule's regex, then per match the
 * inline `golive:allow` marker, placeholders, the entropy threshold, the
 * rule's own check and the allowlist regexes.
 */
export function findSecrets(text: string, opts: SecretOptions = {}): SecretMatch[] {
  const lower = text.toLowerCase();
  const out: SecretMatch[] = [];
  let lineStarts: number[] | undefined;
  const code = opts.path !== undefined && CODE_FILE.test(opts.path);
  const rules = opts.rules ?? SECRET_RULES;
  const present = keywordsIn(lower, rules);
  for (const rule of rules) {
    if (!rule.keywords.some((k) => present.has(k))) continue;
    rule.regex.lastIndex = 0;
    for (const m of text.matchAll(rule.regex)) {
      const secret = m.slice(1).find((g) => g !== undefined);
      if (!secret) continue;
      if (rule.bareOutsideCode && m[2] !== undefined && code) continue;
      const start = (m.index ?? 0) + m[0].indexOf(secret);
      lineStarts ??= indexLines(text);
      const line = lineOf(lineStarts, start);
      if (lineText(text, lineStarts, line).includes(ALLOW_MARKER)) continue;
      if (!accept(rule, secret, opts)) continue;
      // A token assigned to `token = "…"` is reported once, by its specific rule.
      if (rule.id === 'generic-secret' && out.some((o) => o.secret.includes(secret) || secret.includes(o.secret))) {
        continue;
      }
      out.push({ rule, line, secret, redacted: redactSecret(secret), tag: secretTag(secret) });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.rule.id.localeCompare(b.rule.id));
}

const keywordPatterns = new WeakMap<readonly SecretRule[], RegExp>();

/**
 * The rules' keywords present in the text, found in one pass of a single
 * alternation (V8 scans it far faster than one `includes` per keyword).
 */
function keywordsIn(lower: string, rules: readonly SecretRule[]): Set<string> {
  let pattern = keywordPatterns.get(rules);
  if (!pattern) {
    const all = [...new Set(rules.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
    pattern = new RegExp(all.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    keywordPatterns.set(rules, pattern);
  }
  const found = new Set<string>();
  pattern.lastIndex = 0;
  for (const m of lower.matchAll(pattern)) found.add(m[0]);
  return found;
}

function accept(rule: SecretRule, secret: string, opts: SecretOptions): boolean {
  if (PLACEHOLDER.test(secret)) return false;
  if (rule.id === 'generic-secret' && IDENTIFIER_PATH.test(secret)) return false;
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
  if (rule.verify && !rule.verify(secret)) return false;
  if (opts.allowRegexes?.some((r) => r.test(secret))) return false;
  return true;
}

/** Shannon entropy in bits per character: ~2 for words like "password1", 4+ for random keys. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * The only form of a secret golive ever shows: up to 4 leading characters
 * (fewer for short values, none below 8) and the length, e.g. `AKIA… (20 chars)`.
 * A private key shows its BEGIN line, which names the key type and nothing else.
 */
export function redactSecret(secret: string): string {
  if (secret.startsWith('-----BEGIN')) {
    const header = secret.slice(0, secret.indexOf('-----', 10) + 5);
    return `${header}… (${secret.length} chars)`;
  }
  const keep = Math.min(4, Math.floor(secret.length / 4));
  return `${keep >= 2 ? secret.slice(0, keep) : ''}… (${secret.length} chars)`;
}

/** Domain separation for secretTag; not a secret (the protection is the truncation). */
const TAG_KEY = 'golive/scan/secret-tag/v2';

/**
 * The part of a secret finding's fingerprint that depends on the secret: the
 * first 16 bits of HMAC-SHA256 over it. Baselines are committed, so a
 * fingerprint must not let anyone test guesses offline: with 16 bits, about
 * one candidate in 65 536 matches, so a dictionary run over a short password
 * yields thousands of equally good answers and confirms none. Still enough to
 * tell a rotated secret from the old one (the fingerprint changes, the
 * finding is new) but for a 1-in-65 536 chance.
 */
export function secretTag(secret: string): string {
  return createHmac('sha256', TAG_KEY).update(secret, 'utf8').digest('hex').slice(0, 4);
}

/** Replaces every secret the rules find in `text` with its redacted form; used on imported reports (SARIF messages). */
export function redactSecretsIn(text: string): string {
  let out = text;
  for (const m of findSecrets(text)) out = out.split(m.secret).join(m.redacted);
  return out;
}

/**
 * A line made safe to show: every secret the rules find in the whole line is
 * redacted first, then the result is cut to about `max` characters. Cutting
 * first would split a secret so the rules no longer recognise it and its
 * first part would show. The cut never falls inside a redaction (the marker
 * is kept whole, so the line may run a few characters over `max`). No `…` is
 * added: the excerpt is part of a forbidden finding's fingerprint, which must
 * stay what it was for lines without secrets.
 */
export function redactedExcerpt(line: string, max: number): string {
  const secrets = [...new Set(findSecrets(line).map((m) => m.secret))].sort((a, b) => b.length - a.length);
  let out = '';
  /** Where each redaction marker starts in `out`, and ends. */
  const marks: [number, number][] = [];
  for (let i = 0; i < line.length;) {
    const secret = secrets.find((s) => line.startsWith(s, i));
    if (secret) {
      const marker = redactSecret(secret);
      marks.push([out.length, out.length + marker.length]);
      out += marker;
      i += secret.length;
    } else {
      out += line[i];
      i++;
    }
  }
  if (out.length <= max) return out;
  let cut = max;
  for (const [from, to] of marks) if (from < cut && cut < to) cut = to;
  return out.slice(0, cut);
}

function indexLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineText(text: string, starts: number[], line: number): string {
  const from = starts[line - 1] as number;
  const to = starts[line] ?? text.length;
  return text.slice(from, to);
}
