import type { EvidenceStatus, Finding, Run, Waiver } from '../model.js';

/**
 * Where a finding stands as of the latest run of its release:
 * - `open`: seen in the latest run, or seen earlier and not looked for again since;
 * - `waived`: open, but covered by a live waiver (it has an expiry);
 * - `accepted`: open, but covered by a live accepted risk (`golive accept`);
 * - `fixed`: seen earlier; a later complete run of the collector that found it did not find it.
 */
export type FindingStatus = 'open' | 'waived' | 'accepted' | 'fixed';
export const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'waived', 'accepted', 'fixed'];

/** A run in which a finding was seen (or shown fixed): its id and start time. */
export interface Sighting {
  runId: string;
  at: string;
}

/** One evidence item of a collector that looks for findings, as triage reads it. */
export interface FindingScan {
  collector: string;
  status: EvidenceStatus;
  findings: Finding[];
}

/** One run of a release as triage reads it: what was found and which collectors looked. */
export interface FindingRun {
  run: Run;
  /** Evidence items with `scansForFindings`. */
  scans: FindingScan[];
  /** Every finding of the run (the store's `findings` table), including any no evidence item carries. */
  findings: Finding[];
}

/** A finding with its history across the runs of its release and its triage status. */
export interface TriagedFinding extends Finding {
  status: FindingStatus;
  /** The collector whose evidence carried it when last seen; absent when no evidence item did. */
  collector?: string;
  firstSeen: Sighting;
  lastSeen: Sighting;
  /** The first complete run after `lastSeen` in which its collector looked again and did not find it. */
  fixedIn?: Sighting;
  /** The live waiver or accepted risk that covers it (status `waived` / `accepted`). */
  waiver?: Waiver;
  /** The latest waiver or accepted risk on it that has expired, when no live one covers it: it no longer counts. */
  expiredWaiver?: Waiver;
}
