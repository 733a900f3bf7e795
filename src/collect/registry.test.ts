import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../spec/load.js';
import { metricSources } from './registry.js';

const spec = (extra: string) => `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: http://127.0.0.1:8080
roles:
  DevOps: alex@example.com
thresholds:
  ops.health.latency: "< 200ms"
  load.latency.p95: "< 200ms"
  findings.critical: "== 0"
  scan.coverage.lines: ">= 80%"
probes:
  ops: {}
${extra}criteria:
  - { id: AC-1, type: AC, title: Healthy, thresholds: [ops.health.latency] }
signoff:
  required: [DevOps]
`;

const warn = (text: string) =>
  loadSpecText(text, '/app/golive.yaml', {}, { sources: (s) => metricSources(s) }).warnings.map((w) => [
    w.line,
    w.column,
    w.message,
    w.hint,
  ]);

describe('metricSources: validate warns about every threshold no enabled collector feeds', () => {
  it('names the line:column of a load.latency.p95 threshold with no load section, and the section to add', () => {
    expect(warn(spec(''))).toEqual([
      [
        10,
        3,
        'threshold load.latency.p95: no enabled collector feeds it, so it will fail as no data',
        'add a `load:` section (docs/load.md)',
      ],
      [
        11,
        3,
        'threshold findings.critical: no enabled collector feeds it, so it will fail as no data',
        'add one of the sections `probes.security:`, `scan:`, `drills.alerts:` (docs/probes.md, docs/scan.md, docs/drills.md)',
      ],
      [
        12,
        3,
        'threshold scan.coverage.lines: no enabled collector feeds it, so it will fail as no data',
        'add a `scan.coverage:` section (docs/scan.md)',
      ],
    ]);
  });

  it('is quiet once each section is there, and a scan without coverage still leaves scan.coverage.* unfed', () => {
    const load = `load:
  scenarios:
    browse: { executor: constant-arrival-rate, rate: 10/s, duration: 5s, requests: [GET /] }
`;
    expect(warn(spec(`${load}scan: { path: . }\n`)).map((w) => w[2])).toEqual([
      'threshold scan.coverage.lines: no enabled collector feeds it, so it will fail as no data',
    ]);
    expect(warn(spec(`${load}scan: { path: ., coverage: { file: coverage/lcov.info } }\n`))).toEqual([]);
  });
});
