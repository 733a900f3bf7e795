import type { Evidence } from '../model.js';

/**
 * Evidence in the shapes the collectors record, for renderer tests:
 * `security` with `data.observatory` (src/probes/observatory.ts), `drill.alarm`
 * with `data.timeline` (src/drills/alarm.ts) and `drill.restore` with
 * `data.rpo` / `data.tables` (src/drills/restore.ts).
 */
export function sampleSecurityEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    collector: 'security',
    status: 'fail',
    summary: 'headers grade D (35), 2 findings (1 medium, 1 low)',
    startedAt: '2026-11-22T11:00:00.000Z',
    endedAt: '2026-11-22T11:00:01.000Z',
    metrics: [],
    checks: [],
    findings: [],
    artifacts: [],
    data: {
      observatory: {
        score: 35,
        grade: 'D',
        tests: [
          {
            name: 'content-security-policy',
            result: 'csp-not-implemented',
            modifier: -25,
            pass: false,
            description: 'Content Security Policy (CSP) header not implemented',
          },
          {
            name: 'strict-transport-security',
            result: 'hsts-not-implemented-no-https',
            modifier: 0,
            pass: true,
            description:
              'HTTP Strict Transport Security (HSTS) header cannot be set for sites not available over HTTPS',
          },
          {
            name: 'x-content-type-options',
            result: 'x-content-type-options-nosniff',
            modifier: 0,
            pass: true,
            description: 'X-Content-Type-Options header set to "nosniff"',
          },
          {
            name: 'referrer-policy',
            result: 'referrer-policy-private',
            modifier: 5,
            pass: true,
            description:
              'Referrer-Policy header set to "no-referrer", "same-origin", "strict-origin" or "strict-origin-when-cross-origin"',
          },
        ],
      },
    },
    ...overrides,
  };
}

export function sampleAlarmEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    collector: 'drill.alarm',
    status: 'pass',
    summary: 'test alert notified in 1.20 s, resolved notification in 1.05 s',
    startedAt: '2026-11-22T11:00:00.000Z',
    endedAt: '2026-11-22T11:00:04.000Z',
    metrics: [],
    checks: [
      { id: 'drill.alarm.trigger', status: 'pass', summary: 'posted' },
      { id: 'drill.alarm.firing', status: 'pass', summary: 'seen' },
      { id: 'drill.alarm.resolve', status: 'pass', summary: 'resolved' },
      { id: 'drill.alarm.resolved', status: 'pass', summary: 'seen' },
    ],
    findings: [],
    artifacts: [],
    data: {
      provider: 'alertmanager',
      id: 'golive-0123456789ab',
      receiver: 'http://127.0.0.1:9097/',
      withinMs: 60_000,
      testsResolve: true,
      timeline: {
        firedAt: '2026-11-22T11:00:00.100Z',
        firingNotifiedAt: '2026-11-22T11:00:01.300Z',
        resolvedAt: '2026-11-22T11:00:01.400Z',
        resolvedNotifiedAt: '2026-11-22T11:00:02.450Z',
      },
    },
    ...overrides,
  };
}

export function sampleRestoreEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    collector: 'drill.restore',
    status: 'fail',
    summary: 'restore drill failed: 1 of 2 tables differ',
    startedAt: '2026-11-22T11:00:00.000Z',
    endedAt: '2026-11-22T11:00:04.000Z',
    metrics: [
      { name: 'drill.restore.rpo', value: 1_800_000, unit: 'ms' },
      { name: 'drill.restore.rto', value: 2500, unit: 'ms' },
    ],
    checks: [
      { id: 'drill.restore.restore', status: 'pass', summary: 'restored in 2.50 s' },
      { id: 'drill.restore.tables', status: 'fail', summary: '1 of 2 tables differ' },
    ],
    findings: [],
    artifacts: [],
    data: {
      rpo: {
        newest: 'backups/nightly.dump',
        writtenAt: '2026-11-22T10:30:00.000Z',
        ageMs: 1_800_000,
        files: 1,
        measuredAfterBackup: false,
      },
      rtoMs: 2500,
      tables: [
        {
          table: 'orders',
          match: false,
          sourceRows: 3,
          restoredRows: 3,
          sourceChecksum: 'aaaa',
          restoredChecksum: 'bbbb',
          detail: 'orders: 3 rows on both sides but the data differs (checksum bbbb ≠ aaaa)',
        },
        {
          table: 'customers',
          match: true,
          sourceRows: 2,
          restoredRows: 2,
          sourceChecksum: 'cc',
          restoredChecksum: 'cc',
          detail: 'equal',
        },
      ],
    },
    ...overrides,
  };
}
