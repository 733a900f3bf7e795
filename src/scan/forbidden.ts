import picomatch from 'picomatch';
import type { Severity } from '../model.js';
import { redactedExcerpt } from './secrets.js';

/** One compiled forbidden-code pattern. */
export interface ForbiddenRule {
  id: string;
  regex: RegExp;
  severity: Severity;
  title: string;
}

export interface ForbiddenConfig {
  include: string[];
  exclude: string[];
  rules: ForbiddenRule[];
}

export const DEFAULT_FORBIDDEN_INCLUDE = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,vue,svelte}'];

/** Tests may log and break; generated output is not the team's code. */
export const DEFAULT_FORBIDDEN_EXCLUDE = [
  '**/*.{test,spec}.*',
  '**/{test,tests,__tests__,__mocks__,e2e,spec}/**',
  '**/{dist,build,out,coverage,vendor}/**',
  // Command-line scripts and examples print on purpose.
  '**/{scripts,bench,benchmarks,examples,bin}/**',
  '**/*.min.js',
  '**/*.d.ts',
];

export const DEFAULT_FORBIDDEN_RULES: ForbiddenRule[] = [
  {
    id: 'console-log',
    regex: /\bconsole\.(?:log|debug|trace)\s*\(/,
    severity: 'low',
    title: 'console.log left in source',
  },
  {
    id: 'debugger',
    regex: /(?:^|[;{}\s])debugger\s*(?:[;}]|$)/,
    severity: 'medium',
    title: 'debugger statement left in',
  },
];

/** How much of an offending line a finding shows. */
const EXCERPT_CHARS = 120;

/** One match of a forbidden pattern. */
export interface ForbiddenMatch {
  rule: ForbiddenRule;
  path: string;
  line: number;
  /** The trimmed source line with any secret in it redacted, then cut to about 120 characters. */
  excerpt: string;
  /** How many identical lines came before in the same file: keeps fingerprints distinct without line numbers. */
  occurrence: number;
}

/** Returns a predicate telling whether a repository path is a source file the patterns apply to. */
export function sourceMatcher(config: Pick<ForbiddenConfig, 'include' | 'exclude'>): (path: string) => boolean {
  const include = picomatch(config.include, { dot: true });
  const exclude = config.exclude.length ? picomatch(config.exclude, { dot: true }) : () => false;
  return (path) => include(path) && !exclude(path);
}

/**
 * Finds forbidden code in one source file. Lines whose code is a comment
 * (`//`, `/*`, `*`, `#`) are skipped: a commented-out console.log ships nothing.
 */
export function findForbidden(path: string, text: string, rules: readonly ForbiddenRule[]): ForbiddenMatch[] {
  const out: ForbiddenMatch[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    if (!trimmed || /^(?:\/\/|\/\*|\*|#)/.test(trimmed)) continue;
    for (const rule of rules) {
      if (!rule.regex.test(trimmed)) continue;
      const key = `${rule.id}\0${trimmed}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      // Redact the whole line before cutting it: a secret split by the cut would no longer be recognised.
      out.push({ rule, path, line: i + 1, excerpt: redactedExcerpt(trimmed, EXCERPT_CHARS), occurrence });
    }
  }
  return out;
}
