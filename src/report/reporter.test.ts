import { describe, expect, it } from 'vitest';
import { sampleReportModel } from './fixture.js';
import { getReporter, isReportFormat, reporters } from './reporter.js';

describe('reporters', () => {
  it('are registered by name with their file names', () => {
    expect(Object.keys(reporters)).toEqual(['md', 'html', 'json', 'junit', 'sarif']);
    expect(Object.values(reporters).map((r) => r.fileName)).toEqual([
      'report.md',
      'report.html',
      'report.json',
      'junit.xml',
      'golive.sarif',
    ]);
    for (const [name, r] of Object.entries(reporters)) {
      expect(r.format).toBe(name);
      expect(r.fileName.endsWith(`.${r.extension}`)).toBe(true);
    }
    expect(getReporter('md')).toBe(reporters.md);
    expect(getReporter('sarif')).toBe(reporters.sarif);
    expect(getReporter('xml')).toBeUndefined();
    expect(isReportFormat('toString')).toBe(false);
  });

  it('are pure: the same model gives the same text, and the model is not changed', () => {
    for (const r of Object.values(reporters)) {
      const model = sampleReportModel();
      const before = JSON.stringify(model);
      const a = r.render(model);
      expect(r.render(sampleReportModel())).toBe(a);
      expect(r.render(model)).toBe(a);
      expect(JSON.stringify(model)).toBe(before);
    }
  });

  it('never emit ANSI escapes', () => {
    for (const r of Object.values(reporters)) expect(r.render(sampleReportModel())).not.toContain('\u001b');
  });

  it('cope with an empty run: no evidence, criteria, thresholds, sign-offs or decision', () => {
    const m = sampleReportModel({
      evidence: [],
      findings: [],
      signoffs: [],
      requiredRoles: [],
      finalRole: undefined,
      roles: {},
      amendments: [],
      waivers: [],
      decision: undefined,
    });
    m.evaluation = {
      ...m.evaluation,
      thresholds: [],
      criteria: [],
      findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      residualRisks: [],
      expiredWaivers: [],
      readiness: { ready: true, blocking: [] },
    };
    for (const r of Object.values(reporters)) expect(r.render(m).length).toBeGreaterThan(100);
    expect(reporters.md.render(m)).toContain('Not looked for in this run');
  });
});
