import type { Attestation, Evidence } from '../model.js';
import type { Spec } from '../spec/schema.js';

/** What a collector is given. Everything it may touch is here; it never reads process globals. */
export interface CollectContext {
  /** The validated, interpolated spec. */
  spec: Spec;
  /** Folder of the spec file; relative paths in the spec resolve against it. */
  specDir: string;
  /** Folder where this run's artifacts go (created before collectors run). */
  artifactsDir: string;
  /** Headers for every request to the target (already interpolated). */
  headers: Record<string, string>;
  /** Attestations recorded for this release. */
  attestations: Attestation[];
  /** Criterion id → hash of the criterion as written (spec/criterion-hash.ts); default: hashed from `spec`. */
  criterionHashes?: Record<string, string>;
  /** Aborted on Ctrl-C: stop promptly and return what you have. */
  signal: AbortSignal;
  /** Removes the spec's secrets (spec/redact.ts, secretValues): apply it to anything a collector writes as an artifact. */
  redact: (s: string) => string;
  /** A one-line progress note; shown while collectors run. */
  progress: (message: string) => void;
  now: () => Date;
}

/**
 * A source of evidence. Registered by name; `enabled` decides from the spec
 * whether it runs. Collectors know nothing of thresholds or the gate: they
 * measure and report. A collector that cannot do its job returns status
 * `error` with the reason; it throws only for "could not complete the run"
 * (GL_TARGET_*), which stops the check with exit 3.
 */
export interface Collector {
  /** Short id, also the prefix of its metrics and checks, e.g. `ops`. */
  name: string;
  /** One line for docs and progress. */
  description: string;
  /**
   * Metric names (or prefixes ending in `.`) this collector can produce. Used to
   * warn at validate time about thresholds no collector will ever feed.
   */
  produces: string[];
  enabled(spec: Spec): boolean;
  /**
   * Checks the collector's own input (data files, limits) before the target is
   * started or any traffic is sent; throws GL_* errors (exit 2). Optional.
   */
  prepare?(spec: Spec, specDir: string): void;
  collect(ctx: CollectContext): Promise<Evidence>;
}
