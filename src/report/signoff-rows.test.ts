import { describe, expect, it } from 'vitest';
import type { SignoffView } from '../model.js';
import { sampleReportModel } from './fixture.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

// Every renderer shows the sign-off rows only as the gate states them (src/gate/signoffs.ts).
const go = (role: string, by: string): SignoffView => ({
  id: `x-${role}`,
  runId: sampleReportModel().run.id,
  specHash: sampleReportModel().run.specHash,
  role,
  by,
  decision: 'go',
  createdAt: '2026-11-22T11:40:00.000Z',
  stale: false,
});

describe('sign-off rows the gate does not count', () => {
  const model = sampleReportModel({
    signoffs: [go('PM', 'mallory@evil'), go('DevOps', 'Mallory@Evil'), go('Tech Lead', 'sam')],
  });

  it('Markdown: a duplicate row says it does not count and why; a non-owner is "signed by X for owner Y"', () => {
    const md = renderMarkdown(model);
    expect(md).toMatch(
      /\| PM \| pat@example\.com \| mallory@evil \(signed by mallory@evil for owner pat@example\.com\) \| go \| [^|]+ \| no — does not count: mallory@evil signed go for PM, DevOps: one person does not sign two required roles/,
    );
    expect(md).toMatch(/\| Tech Lead \| sam@example\.com \| sam \(signed by sam for owner sam@example\.com\) \| go/);
    expect(md).toMatch(/required sign-offs \*\*1\/5\*\*/);
  });

  it('HTML: the row is marked "does not count" with the reason, and the tile counts 1 of 5', () => {
    const html = renderHtml(model);
    expect(html).toMatch(
      /<span class="pill unmet">does not count<\/span><div class="reason">mallory@evil signed go for PM, DevOps/,
    );
    expect(html).toMatch(/signed by mallory@evil for owner pat@example\.com/);
    expect(html).toMatch(/Required sign-offs<\/div><div class="tile-value">1<small> \/ 5<\/small>/);
    expect(html).toMatch(/same person: PM, DevOps/);
  });
});
