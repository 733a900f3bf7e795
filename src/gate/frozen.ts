export interface ThresholdChange {
  name: string;
  /** Frozen expression; null when the threshold was added. */
  frozen: string | null;
  /** Current expression; null when the threshold was removed. */
  current: string | null;
}

/**
 * Thresholds are written before execution: once a release has evidence, the
 * spec's thresholds must equal the frozen ones (with amendments applied).
 * Returns every added, removed or changed threshold; whitespace does not count.
 */
export function compareFrozen(frozen: Record<string, string>, current: Record<string, string>): ThresholdChange[] {
  const changes: ThresholdChange[] = [];
  for (const [name, expr] of Object.entries(current)) {
    const was = frozen[name];
    if (was === undefined) changes.push({ name, frozen: null, current: expr });
    else if (normalize(was) !== normalize(expr)) changes.push({ name, frozen: was, current: expr });
  }
  for (const [name, expr] of Object.entries(frozen)) {
    if (!(name in current)) changes.push({ name, frozen: expr, current: null });
  }
  return changes;
}

const normalize = (s: string): string => s.replace(/\s+/g, '');
