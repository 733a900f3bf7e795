import { createHash } from 'node:crypto';

/**
 * A finding's fingerprint: the same problem at the same place gets the same
 * value in every run, so first seen / last seen, waivers and baselines can
 * refer to it. Build it from what identifies the problem (rule id, a
 * location without volatile parts such as ports or line numbers that shift,
 * and a discriminator such as an occurrence number or a short, truncated
 * keyed tag of a matched secret — never a full hash of it: baselines are
 * committed, and a fast hash of a short password can be reversed offline; see
 * docs/scan.md), never from timestamps or measured values.
 *
 * Returns 16 hex characters (64 bits) of sha256 over the parts joined by NUL.
 */
export function findingFingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0'), 'utf8').digest('hex').slice(0, 16);
}
