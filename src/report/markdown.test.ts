import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReportModel } from './fixture.js';
import { renderMarkdown } from './markdown.js';

const model = sampleReportModel();
const md = renderMarkdown(model);

/** Cells of a Markdown table row, honouring `\|`. */
function cells(line: string): string[] {
  return line
    .slice(2, -2)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('markdown report', () => {
  it('opens with the service, release, verdict, run, short spec hash, target version and time', () => {
    expect(md.startsWith('# checkout-api v1.4.0 — go-live gate: NO-GO\n')).toBe(true);
    expect(md).toContain(`Run \`${SAMPLE.runId}\``);
    expect(md).toContain('spec `sha256:3b1f0c9e8d7a`');
    expect(md).toContain('reports **v1.4.0-rc.3**');
    expect(md).toContain('2026-11-22 11:00 UTC');
    expect(md).toContain('Criteria met or waived **3/7**');
  });

  it('says READY / NOT READY when no decision was recorded', () => {
    expect(renderMarkdown(sampleReportModel({ decision: undefined }))).toMatch(/^# .* NOT READY\n/);
    const ready = sampleReportModel({ decision: undefined });
    ready.evaluation = { ...ready.evaluation, readiness: { ready: true, blocking: [] } };
    const text = renderMarkdown(ready);
    expect(text).toMatch(/^# .* READY\n/);
    expect(text).not.toContain('## Blocking items');
  });

  it('lays out the AC/DoD matrix as the launch issue does', () => {
    expect(md).toContain(
      '## AC/DoD coverage matrix\n\n| Item | Type | Status | Evidence | Notes |\n|---|---|---|---|---|\n',
    );
    const rows = md
      .split('\n')
      .filter((l) => /^\| \*\*(AC|DoD|NG)-/.test(l))
      .map(cells);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['**AC-1** Load test shows acceptable performance', 'AC', 'Partial'],
      ['**AC-2** Security review has no critical findings', 'AC', 'Partial'],
      ['**AC-3** All runbooks created and reviewed', 'AC', 'Met'],
      ['**AC-4** Test alarm fired and recovery verified', 'AC', 'Unverified (waived)'],
      ['**AC-5** Ops endpoints report the release under test', 'AC', 'Unmet'],
      ['**DoD-1** Benchmark report with p50, p95, p99, throughput and error rate is attached', 'DoD', 'Met'],
      ['**DoD-2** Rollback test evidence is attached', 'DoD', 'Unverified'],
      ['**NG-1** Multi-region disaster recovery program', 'Non-goal', 'Out of scope'],
    ]);
    expect(rows[3]?.[4]).toMatch(/^waived by lee@example\.com until 2026-12-31: Alertmanager in staging/);
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });

  it('escapes pipes and newlines in cells so the table stays a table', () => {
    const m = sampleReportModel();
    const c = m.evaluation.criteria[0]!;
    m.evaluation = {
      ...m.evaluation,
      criteria: [{ ...c, title: 'Ops | endpoints\nanswer', notes: 'a|b\r\nc' }, ...m.evaluation.criteria.slice(1)],
    };
    const line = renderMarkdown(m)
      .split('\n')
      .find((l) => l.startsWith('| **AC-1**'))!;
    expect(line).toContain('**AC-1** Ops \\| endpoints answer');
    expect(line).toContain('a\\|b c');
    expect(cells(line)).toHaveLength(5);
  });

  it('shows thresholds with measured values and marks amended ones', () => {
    expect(md).toContain('| Metric | Threshold | Measured | Result |');
    expect(md).toContain('| `load.latency.p95` | `< 200ms` | 142 ms | ✅ pass |');
    expect(md).toContain('| `load.error_rate` | `< 0.1%` (amended) | 0.4 % | ❌ fail — 0.4 % is not < 0.1 % |');
    expect(md).toContain(
      '| `drill.rollback.duration` | `< 5m` | — | ⚠️ no data — no collector produced drill.rollback.duration |',
    );
  });

  it('lists blocking items, findings, evidence, amendments and waivers (expired ones no longer count)', () => {
    expect(md).toContain('## Blocking items\n\n- [ ] AC-1 Load test shows acceptable performance: Partial');
    expect(md).toContain(
      'Counted in `findings.*` (open, not waived or accepted): Critical **0** · High **1** · Medium **0** · Low **2** · Info **0**',
    );
    expect(md).toContain('| high | **open** | `cors-credentials-reflect` |');
    expect(md).toContain('`c0f5a1b2c3d4` |');
    expect(md).toContain(
      '- **drill.rollback** — error: rollback drill could not start\n  - error: ./deploy.sh v1.4.0 exited 127',
    );
    expect(md).toContain('  - ✅ `ops.health` pass: GET /health → 200 in 3 ms');
    expect(md).toContain('  - artifact: load result — `runs/20261122T110000Z-7f3a9c/load.json`');
    expect(md).toContain('| `load.error_rate` | `< 0.05%` | `< 0.1%` | sam@example.com | 2026-11-21 09:00 UTC |');
    expect(md).toContain(
      '| criterion DoD-2 | sam@example.com | 2026-11-15 | rollback drill to be re-run after the deploy script fix | no — expired, no longer counts |',
    );
    expect(md).toContain('| criterion AC-4 | lee@example.com | 2026-12-31 |');
  });

  it('shows sign-offs: current, stale and awaiting', () => {
    expect(md).toContain('| Role | Owner | Signed by | Decision | When | Current? |');
    expect(md).toContain(
      '| PM | pat@example.com | pat@example.com | go | 2026-11-21 17:10 UTC | no — stale: signed on an earlier run or spec |',
    );
    expect(md).toContain('| Tech Lead | sam@example.com | — awaiting | — | — | — |');
    expect(md).toContain(
      '| QA Lead | kim@example.com | kim@example.com | no-go — login error rate 1.9 % under load | 2026-11-22 11:30 UTC | yes |',
    );
    expect(md).toContain('| Sponsor (final) | lee@example.com | — awaiting |');
  });

  it('records the decision with its hashes, and the residual risks', () => {
    expect(md).toContain('## Decision\n\n**NO-GO** by lee@example.com at 2026-11-22 11:45 UTC.');
    expect(md).toContain(`Audit head before this decision \`${SAMPLE.auditHead}\``);
    expect(md).toContain(`Record hash \`${SAMPLE.recordHash}\``);
    expect(md).toMatch(/## Residual risks\n\n- AC-1 Load test shows acceptable performance is only partly met\n/);
    expect(md).toContain('- waiver for criterion DoD-2 expired on 2026-11-15 and no longer counts');
  });

  it('carries no ANSI escapes and no raw HTML from model text', () => {
    const m = sampleReportModel({ run: { ...model.run, service: '\u001b[31mred\u001b[0m <img src=x>' } });
    const text = renderMarkdown(m);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('# red &lt;img src=x>');
  });
});
