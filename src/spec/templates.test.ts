import { describe, expect, it } from 'vitest';
import { metricSources, producedMetrics } from '../collect/registry.js';
import { loadSpecText } from './load.js';
import { initTemplate, TEMPLATE_NAMES } from './templates.js';

const PRODUCES = producedMetrics();
/** As golive validate loads a spec: with what each collector feeds and whether the spec turns it on. */
const AS_VALIDATE = { produces: PRODUCES, sources: metricSources };

/** The text with the commented `# drills:` block and the `# coverage:` line of scan uncommented. */
function uncommented(text: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf('# drills:');
  let end = start + 1;
  while (lines[end]?.startsWith('#   ')) end++;
  return [
    ...lines.slice(0, start),
    'drills:',
    ...lines.slice(start + 1, end).map((l) => l.slice(2)),
    ...lines.slice(end),
  ]
    .join('\n')
    .replace('  # coverage:', '  coverage:');
}

describe('initTemplate', () => {
  it.each(TEMPLATE_NAMES)('%s validates with loadSpecText', (name) => {
    const text = initTemplate(name, { service: 'checkout-api' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/golive/schema/golive.schema.json');
    const loaded = loadSpecText(text, 'golive.yaml', {}, { produces: PRODUCES });
    expect(loaded.spec.service).toBe('checkout-api');
    expect(loaded.spec.target.baseUrl).toBe('http://127.0.0.1:8080');
    // Every threshold is a metric some collector of this version produces.
    for (const w of loaded.warnings) expect(w.message).not.toMatch(/no collector in this version produces/);
  });

  it('web-service: security probes and the repository scan are on; the commented drills validate once uncommented', () => {
    const text = initTemplate('web-service', {});
    const { spec } = loadSpecText(text, 'golive.yaml', {}, { produces: PRODUCES });
    expect(spec.probes?.security).toBeDefined();
    expect(spec.scan?.path).toBe('.');
    expect(spec.drills).toBeUndefined();
    expect(text.split('\n').indexOf('# drills:')).toBeGreaterThan(0);
    const drills = loadSpecText(uncommented(text), 'golive.yaml', {}, { produces: PRODUCES }).spec.drills;
    expect(Object.keys(drills ?? {}).sort()).toEqual(['alarm', 'alerts', 'restore', 'rollback', 'smoke']);
  });

  it('web-service: each threshold has its section; validate warns exactly for those whose section is commented out', () => {
    const text = initTemplate('web-service', {});
    const all = loadSpecText(text, 'golive.yaml', {}, AS_VALIDATE);
    const { spec } = all;
    const warnings = all.warnings.filter((w) => w.message.startsWith('threshold '));
    const unfed = [
      'scan.coverage.lines',
      'drill.rollback.duration',
      'drill.restore.rto',
      'drill.restore.rpo',
      'drill.alerts.missing',
    ];
    expect(warnings.map((w) => /^threshold (\S+): no enabled collector feeds it/.exec(w.message)?.[1])).toEqual(unfed);
    const lines = text.split('\n');
    for (const w of warnings) {
      const name = /^threshold (\S+):/.exec(w.message)?.[1] ?? '';
      expect(lines[(w.line ?? 0) - 1]?.slice((w.column ?? 1) - 1)).toMatch(
        new RegExp(`^${name.replace(/\./g, '\\.')}:`),
      );
    }
    expect(warnings.map((w) => w.hint)).toEqual([
      'add a `scan.coverage:` section (docs/scan.md)',
      'add a `drills.rollback:` section (docs/drills.md)',
      'add a `drills.restore:` section (docs/drills.md)',
      'add a `drills.restore:` section (docs/drills.md)',
      'add a `drills.alerts:` section (docs/drills.md)',
    ]);
    // Uncommented, every threshold is fed and nothing warns.
    expect(loadSpecText(uncommented(text), 'golive.yaml', {}, AS_VALIDATE).warnings).toEqual([]);
    expect(spec.load?.scenarios).toBeDefined();
  });

  it('web-service: each evidence ref of a commented-out drill warns at the ref, naming the section to add', () => {
    const text = initTemplate('web-service', {});
    const warnings = loadSpecText(text, 'golive.yaml', {}, AS_VALIDATE).warnings.filter((w) =>
      /^criterion \S+ names evidence/.test(w.message),
    );
    expect(warnings.map((w) => /names evidence (\S+),/.exec(w.message)?.[1])).toEqual([
      'drill.rollback',
      'drill.alarm',
      'drill.restore',
      'drill.alerts',
    ]);
    const lines = text.split('\n');
    for (const w of warnings) {
      const ref = /names evidence (\S+),/.exec(w.message)?.[1] ?? '';
      expect(lines[(w.line ?? 0) - 1]?.slice((w.column ?? 1) - 1).startsWith(ref)).toBe(true);
      expect(w.hint).toBe(`add a \`${ref.replace(/^drill\./, 'drills.')}:\` section (docs/drills.md)`);
    }
    expect(warnings[1]?.message).toBe(
      'criterion AC-6 names evidence drill.alarm, but its collector drill.alarm is not enabled, so it will stay missing',
    );
  });

  it('web-service measures what golive measures and attests only what a person must vouch for, with seed 004 owners', () => {
    const { spec } = loadSpecText(initTemplate('web-service', {}), 'golive.yaml', {}, AS_VALIDATE);
    expect(spec.service).toBe('my-service');
    expect(Object.keys(spec.roles)).toEqual(['PM', 'Tech Lead', 'DevOps', 'QA Lead', 'CS Lead', 'Sponsor']);
    expect(spec.signoff).toEqual({ required: ['PM', 'Tech Lead', 'DevOps', 'QA Lead'], final: 'Sponsor' });
    const refs = spec.criteria.flatMap((c) => [...(c.thresholds ?? []), ...(c.evidence ?? [])]);
    expect(refs).toEqual(expect.arrayContaining(Object.keys(spec.thresholds)));
    // What a collector measures (alarm, restore, rollback, coverage, CI, release notes) rests on evidence.
    for (const ref of [
      'drill.alarm',
      'drill.restore',
      'drill.rollback',
      'scan.coverage',
      'scan.ci',
      'scan.changelog',
      'scan.runbooks',
    ]) {
      expect(refs).toContain(ref);
    }
    const attested = spec.criteria.filter((c) => c.attest).map((c) => `${c.attest}: ${c.title}`);
    expect(attested).toEqual([
      'DevOps: Runbooks written (index links resolve) and reviewed with on-call',
      'Tech Lead: Rollback plan reviewed and practiced',
      'PM: Stakeholders notified of the launch window',
      'CS Lead: Customer support trained and ready',
    ]);
    expect(spec.criteria.find((c) => c.type === 'Non-goal')?.title).toBe('Multi-region disaster recovery program');
  });

  it('minimal has one threshold, two criteria and one role, and no warnings', () => {
    const { spec, warnings } = loadSpecText(initTemplate('minimal', {}), 'golive.yaml', {}, AS_VALIDATE);
    expect(Object.keys(spec.thresholds)).toHaveLength(1);
    expect(spec.criteria).toHaveLength(2);
    expect(Object.keys(spec.roles)).toHaveLength(1);
    expect(spec.probes?.ops).toBeDefined();
    expect(warnings).toEqual([]);
  });

  it('quotes a service name YAML would misread', () => {
    for (const service of ['my api', 'true', '1.0', 'a: b', '#x']) {
      expect(loadSpecText(initTemplate('minimal', { service }), 'golive.yaml', {}).spec.service).toBe(service);
    }
  });
});
