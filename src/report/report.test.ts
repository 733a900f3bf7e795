import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleReportModel } from './fixture.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { reporters } from './reporter.js';

const model = sampleReportModel();

describe('markdown report', () => {
  const md = renderMarkdown(model);
  it('lays out the AC/DoD matrix as the launch issue does, escaping pipes', () => {
    expect(md).toContain('| Item | Type | Status | Evidence | Notes |');
    expect(md).toContain('| AC-1 Load test shows acceptable performance | AC | Partial |');
    expect(md).toContain('| AC-2 Ops endpoints \\| answer | AC | Unmet |');
    expect(md).toMatch(
      /\| AC-4 Test alarm fired \| AC \| Unverified \(waived\) \| — \| .*waived by lee until 2026-12-31: alarm test booked for Monday \|/,
    );
  });
  it('shows thresholds with measured values, amendments, expired waivers, stale and missing sign-offs and the decision', () => {
    expect(md).toContain('| `load.error_rate` | `< 0.1%` (amended) | 0.4 % | ❌ fail — 0.4 % is not < 0.1 % |');
    expect(md).toContain('| `load.rps` | `>= 1000` | — | ❌ no data — no collector produced load.rps |');
    expect(md).toContain('| criterion AC-9 | lee | 2026-11-01 | alarm test booked for Monday | no — expired |');
    expect(md).toContain('| PM | pat@example.com | pat | go | 2026-11-21 10:00 | stale: earlier run or spec |');
    expect(md).toContain('| Tech Lead | sam@example.com | — | awaiting | — | — |');
    expect(md).toContain('# Go-live gate: checkout-api v1.4.0 — **NO-GO**');
    expect(md).toContain(`audit head \`${'a'.repeat(64)}\``);
    expect(md).toMatch(/## Residual risks\n\n- AC-4 Test alarm fired is Unverified, waived/);
  });
});

describe('html report', () => {
  const html = renderHtml(model);
  it('is one self-contained file: no external scripts, styles, images or fonts', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toMatch(/^<!doctype html>/);
  });
  it('escapes every piece of model text', () => {
    const evil = renderHtml(sampleReportModel({ run: { ...model.run, service: '<script>alert(1)</script>' } }));
    expect(evil).not.toContain('<script>alert(1)</script>');
    expect(evil).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  it('shows the verdict, the matrix, the blocking items and the sign-off state', () => {
    expect(html).toContain('<div class="badge">NO-GO</div>');
    expect(html).toContain('<span class="pill partial">Partial</span>');
    expect(html).toContain('Blocking items <span class="count">3</span>');
    expect(html).toContain('stale: signed on an earlier run or spec');
    expect(html).toContain('expired: no longer counts');
  });
});

describe('junit report', () => {
  const xml = renderJunit(model);
  it('has one testcase per criterion and per threshold with the right failures and errors', () => {
    expect(xml).toContain('<testsuites name="golive checkout-api v1.4.0" tests="7" failures="3" errors="1">');
    expect(xml).toContain('<testsuite name="criteria" tests="4" failures="2" errors="0"');
    expect(xml).toContain('<testsuite name="thresholds" tests="3" failures="1" errors="1"');
    expect(xml).toContain('name="AC-2 Ops endpoints | answer"><failure type="unmet"');
    expect(xml).toContain('<error type="no-data" message="no collector produced load.rps"/>');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(7);
    expect((xml.match(/<testsuite /g) ?? []).length).toBe((xml.match(/<\/testsuite>/g) ?? []).length);
  });
  it('escapes XML and drops characters XML cannot carry', () => {
    const x = renderJunit(sampleReportModel({ run: { ...model.run, service: 'a&b<"c">\u0001' } }));
    expect(x).toContain('golive a&amp;b&lt;&quot;c&quot;&gt; v1.4.0');
    expect(x).not.toContain('\u0001');
  });
});

describe('json report', () => {
  it('round-trips the model with its kind and schema version, and matches the published schema', () => {
    const parsed = JSON.parse(renderJson(model));
    expect(parsed.kind).toBe('golive-report');
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.evaluation).toEqual(model.evaluation);
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'));
    for (const key of schema.required as string[]) expect(parsed).toHaveProperty(key);
    for (const [key, def] of Object.entries(schema.properties as Record<string, { type?: string }>)) {
      if (def.type && key in parsed)
        expect(Array.isArray(parsed[key]) ? 'array' : typeof parsed[key], key).toBe(
          def.type === 'integer' ? 'number' : def.type,
        );
    }
  });
});

describe('reporters', () => {
  it('are pure: the same model gives the same text', () => {
    for (const r of Object.values(reporters)) expect(r.render(sampleReportModel())).toBe(r.render(sampleReportModel()));
  });
});
