import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/**
 * The spec hash: `sha256:` + hex sha256 of the canonical JSON of the spec AS
 * WRITTEN (parsed YAML, before `${VAR}` interpolation and before defaults).
 *
 * - Any edit to the written spec changes it (so sign-offs given on the old spec go stale).
 * - Reordering keys, reformatting or editing comments does not.
 * - Rotating a secret in the environment does not.
 */
export function specHash(raw: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(raw), 'utf8').digest('hex')}`;
}
