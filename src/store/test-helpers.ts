import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attestation, Evidence, Signoff, Waiver } from '../model.js';
import type { StoredRun } from './types.js';

/** A fresh store path in a new temp folder; the `.golive` parent does not exist yet. */
export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'golive-store-')), '.golive', 'golive.db');
}

/** Runs SQL on the file through a separate connection, as someone tampering with it would. */
export function rawSql(path: string, text: string): void {
  const db = new Database(path);
  try {
    db.exec(text);
  } finally {
    db.close();
  }
}

export const evidence = (collector = 'ops'): Evidence => ({
  collector,
  status: 'pass',
  summary: 'ok',
  startedAt: '2026-11-22T10:00:00.000Z',
  endedAt: '2026-11-22T10:00:01.000Z',
  metrics: [
    { name: `${collector}.health.latency`, value: 3.2, unit: 'ms' },
    { name: `${collector}.up`, value: 1, unit: 'bool' },
  ],
  checks: [{ id: `${collector}.health`, status: 'pass', summary: 'GET /health → 200' }],
  findings: [],
  artifacts: [{ name: 'log', path: 'ops/log.txt', contentType: 'text/plain' }],
  data: { version: 'v1', nested: { z: 1, a: [1, 'two', null] } },
  scansForFindings: true,
});

export function storedRun(id: string, startedAt: string, release = 'v1', service = 'shop'): StoredRun {
  return {
    run: {
      id,
      service,
      release,
      specHash: 'sha256:aa',
      targetVersion: 'v1.0.3',
      baseUrl: 'http://127.0.0.1:1',
      startedAt,
      endedAt: startedAt,
      status: 'complete',
    },
    specJson: { version: 1, service, release, thresholds: { 'ops.health.latency': '< 200ms' } },
    evidence: [evidence('ops'), { ...evidence('scan'), status: 'fail', error: undefined }],
    findings: [
      {
        rule: 'secret.aws',
        severity: 'high',
        title: 'AWS key',
        location: 'src/a.ts:3',
        evidence: 'AKIA****',
        remediation: 'rotate it',
        fingerprint: 'fp1',
      },
      { rule: 'hdr.csp', severity: 'low', title: 'No CSP', location: 'GET /', fingerprint: 'fp2' },
    ],
  };
}

export const key = { service: 'shop', release: 'v1' };

export const attestation: Attestation = {
  id: 'a1',
  service: 'shop',
  release: 'v1',
  criterionId: 'AC-3',
  by: 'alex@example.com',
  role: 'DevOps',
  evidence: 'https://wiki/runbook',
  comment: 'reviewed',
  createdAt: '2026-11-22T10:30:00.000Z',
};

export const waiver: Waiver = {
  id: 'w1',
  service: 'shop',
  release: 'v1',
  subject: 'finding',
  subjectId: 'fp2',
  reason: 'CSP comes with the CDN',
  by: 'lee@example.com',
  expiresAt: '2026-12-31T00:00:00.000Z',
  createdAt: '2026-11-22T10:40:00.000Z',
};

export function signoff(id: string, runId: string, decision: 'go' | 'no-go', createdAt: string): Signoff {
  return { id, runId, specHash: 'sha256:aa', role: 'PM', by: 'pat@example.com', decision, createdAt };
}
