import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AlertRule } from './alert-rules-parse.js';

/** Annotations that name a runbook, in the order they are read. */
export const RUNBOOK_ANNOTATIONS = ['runbook_url', 'runbook'] as const;

export type RunbookState =
  | { state: 'missing' }
  | { state: 'url'; value: string }
  | { state: 'file'; value: string; path: string }
  | { state: 'broken'; value: string; tried: string[] };

/**
 * Where an alert's runbook is. A URL (http, https) counts as given and is not
 * fetched: golive sends traffic only where the user pointed it. Anything else
 * is a path (an `#anchor` or `?query` ignored) that must exist, relative to
 * the rule file's folder or to the spec folder (usually the repository root).
 */
export function resolveRunbook(rule: AlertRule, ruleFileAbs: string, specDir: string): RunbookState {
  const key = RUNBOOK_ANNOTATIONS.find((k) => (rule.annotations[k] ?? '').trim() !== '');
  if (key === undefined) return { state: 'missing' };
  const value = (rule.annotations[key] as string).trim();
  if (/^https?:\/\/\S+$/i.test(value)) return { state: 'url', value };
  const plain = value.replace(/^file:\/\//i, '').replace(/[#?].*$/, '');
  const tried = isAbsolute(plain) ? [plain] : [resolve(dirname(ruleFileAbs), plain), resolve(specDir, plain)];
  const found = tried.find((p) => existsSync(p));
  return found ? { state: 'file', value, path: found } : { state: 'broken', value, tried };
}
