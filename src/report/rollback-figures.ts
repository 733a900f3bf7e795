import type { Phase } from '../drills/timeline.js';
import type { Evidence } from '../model.js';

/**
 * One phase of the rollback drill, with the probe figures the drill recorded for
 * it (src/drills/timeline.ts `Phase`). Figures absent from older evidence stay
 * absent: shown as a dash, never recounted. Versions default to none.
 */
export type RollbackPhaseRow = Omit<Phase, 'versions'> & { versions: string[] };

/** What every report shows of a rollback drill's probe traffic. */
export interface RollbackFigures {
  phases: RollbackPhaseRow[];
  /** Probe requests and failures over the whole drill (drill.rollback.requests / .errors). */
  requests?: number;
  errors?: number;
  /** The worst per-phase p95, ms. */
  worstP95?: number;
  /** The versions seen phase by phase, repeats in a row folded: v1.3.2 → v1.4.0 → v1.3.2 is a rollback. */
  versions: string[];
}

/**
 * The rollback drill's figures, from ONE source: the phase detail the drill
 * recorded in its evidence (`data.phases`, each phase counted from the probe
 * samples sent during it, src/drills/timeline.ts `withPhaseStats`) and its
 * totals metrics. The Markdown and HTML reports both render these, so their
 * numbers agree; the 1-second buckets of `data.timeline` feed the chart only
 * (a phase shorter than a second has no bucket of its own).
 */
export function rollbackFigures(ev: Evidence): RollbackFigures {
  const raw: unknown[] = Array.isArray(ev.data?.phases) ? (ev.data.phases as unknown[]) : [];
  const phases: RollbackPhaseRow[] = raw.filter(isPhase).map((p) => ({
    name: p.name,
    startMs: p.startMs,
    endMs: p.endMs,
    ok: p.ok === true,
    ...(typeof p.detail === 'string' ? { detail: p.detail } : {}),
    ...(isNum(p.requests) ? { requests: p.requests } : {}),
    ...(isNum(p.errors) ? { errors: p.errors } : {}),
    ...(isNum(p.p95) || p.p95 === null ? { p95: p.p95 } : {}),
    versions: Array.isArray(p.versions) ? p.versions.filter((v): v is string => typeof v === 'string' && v !== '') : [],
  }));
  const metric = (name: string): number | undefined => ev.metrics.find((m) => m.name === name)?.value;
  const sum = (k: 'requests' | 'errors'): number | undefined =>
    phases.length && phases.every((p) => p[k] !== undefined) ? phases.reduce((a, p) => a + (p[k] ?? 0), 0) : undefined;
  const requests = metric('drill.rollback.requests') ?? sum('requests');
  const errors = metric('drill.rollback.errors') ?? sum('errors');
  const p95s = phases.flatMap((p) => (isNum(p.p95) ? [p.p95] : []));
  const versions = phases.flatMap((p) => p.versions).filter((v, i, all) => i === 0 || v !== all[i - 1]);
  return {
    phases,
    ...(requests !== undefined ? { requests } : {}),
    ...(errors !== undefined ? { errors } : {}),
    ...(p95s.length ? { worstP95: Math.max(...p95s) } : {}),
    versions,
  };
}

function isPhase(p: unknown): p is Phase & Record<string, unknown> {
  if (p === null || typeof p !== 'object') return false;
  const x = p as Record<string, unknown>;
  return typeof x.name === 'string' && isNum(x.startMs) && isNum(x.endMs);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
