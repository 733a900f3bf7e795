/**
 * Picks a flow per iteration by weight, by smooth weighted round robin (the
 * algorithm nginx uses for upstream weights): deterministic, exact over every
 * cycle of the weights' sum when the weights are whole numbers, and
 * interleaved — weights 3:1 give a a b a, a a b a …, never a a a b bursts that
 * would load one flow's endpoints in waves.
 */
export function weightedPicker(weights: readonly number[]): () => number {
  if (weights.length === 0 || weights.some((w) => !(w > 0) || !Number.isFinite(w))) {
    throw new RangeError('weights must be positive numbers');
  }
  if (weights.length === 1) return () => 0;
  const total = weights.reduce((a, w) => a + w, 0);
  const current = weights.map(() => 0);
  return () => {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i] = (current[i] as number) + (weights[i] as number);
      if ((current[i] as number) > (current[best] as number)) best = i;
    }
    current[best] = (current[best] as number) - total;
    return best;
  };
}
