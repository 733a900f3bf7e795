import type { Artifact, Check, Evidence, EvidenceStatus, Metric } from '../model.js';

/** What a command-running drill (restore, rollback) has gathered when it ends. */
export interface DrillOutcome {
  collector: string;
  status: EvidenceStatus;
  summary: string;
  startedAt: string;
  /** When the drill ended (ctx.now()). */
  endedAt: Date;
  metrics: Metric[];
  checks: Check[];
  artifacts: Artifact[];
  data: Record<string, unknown>;
  /** Why the drill could not complete; kept only when status is `error`. Default none. */
  error?: string | undefined;
}

/** The evidence of a drill: findings are always empty (drills measure, scanners find). */
export function drillEvidence(o: DrillOutcome): Evidence {
  return {
    collector: o.collector,
    status: o.status,
    summary: o.summary,
    startedAt: o.startedAt,
    endedAt: o.endedAt.toISOString(),
    metrics: o.metrics,
    checks: o.checks,
    findings: [],
    artifacts: o.artifacts,
    data: o.data,
    ...(o.status === 'error' && o.error !== undefined ? { error: o.error } : {}),
  };
}
