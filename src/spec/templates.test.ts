import { describe, expect, it } from 'vitest';
import { loadSpecText } from './load.js';
import { initTemplate, TEMPLATE_NAMES } from './templates.js';

const PRODUCES = ['ops.health.latency', 'ops.endpoints.failing', 'ops.metrics.families', 'findings.', 'attest.'];

describe('initTemplate', () => {
  it.each(TEMPLATE_NAMES)('%s validates with loadSpecText', (name) => {
    const text = initTemplate(name, { service: 'checkout-api' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/golive/schema/golive.schema.json');
    const loaded = loadSpecText(text, 'golive.yaml', {}, { produces: PRODUCES });
    expect(loaded.spec.service).toBe('checkout-api');
    expect(loaded.spec.target.baseUrl).toBe('http://127.0.0.1:8080');
    // Only thresholds on collectors this version does not ship yet may warn.
    for (const w of loaded.warnings) expect(w.message).toMatch(/^no collector in this version produces (load|drill)\./);
  });

  it('web-service: security probes and the repository scan are on; the commented drills validate once uncommented', () => {
    const text = initTemplate('web-service', {});
    const { spec } = loadSpecText(text, 'golive.yaml', {}, { produces: PRODUCES });
    expect(spec.probes?.security).toBeDefined();
    expect(spec.scan?.path).toBe('.');
    expect(spec.drills).toBeUndefined();
    const lines = text.split('\n');
    const start = lines.indexOf('# drills:');
    expect(start).toBeGreaterThan(0);
    let end = start + 1;
    while (lines[end]?.startsWith('#   ')) end++;
    const uncommented = [
      ...lines.slice(0, start),
      'drills:',
      ...lines.slice(start + 1, end).map((l) => l.slice(2)),
      ...lines.slice(end),
    ].join('\n');
    const drills = loadSpecText(uncommented, 'golive.yaml', {}, { produces: PRODUCES }).spec.drills;
    expect(Object.keys(drills ?? {}).sort()).toEqual(['alarm', 'alerts', 'restore', 'rollback', 'smoke']);
  });

  it('web-service covers the seed checklists with owner roles', () => {
    const { spec, warnings } = loadSpecText(initTemplate('web-service', {}), 'golive.yaml', {}, { produces: PRODUCES });
    expect(spec.service).toBe('my-service');
    expect(Object.keys(spec.roles)).toEqual(['PM', 'Tech Lead', 'DevOps', 'QA Lead', 'Sponsor']);
    expect(spec.signoff).toEqual({ required: ['PM', 'Tech Lead', 'DevOps', 'QA Lead'], final: 'Sponsor' });
    expect(Object.keys(spec.thresholds)).toEqual([
      'load.latency.p95',
      'load.latency.p99',
      'load.error_rate',
      'load.rps',
      'findings.critical',
      'findings.high',
      'drill.rollback.duration',
    ]);
    const refs = spec.criteria.flatMap((c) => [...(c.thresholds ?? []), ...(c.evidence ?? [])]);
    expect(refs).toEqual(
      expect.arrayContaining([
        ...Object.keys(spec.thresholds),
        'ops.health',
        'ops.version',
        'ops.metrics',
        'ops.status',
      ]),
    );
    const attested = spec.criteria.filter((c) => c.attest).map((c) => `${c.attest}: ${c.title}`);
    expect(attested.join('\n')).toMatch(/DevOps: Runbooks/);
    expect(attested.join('\n')).toMatch(/DevOps: Rollback/);
    expect(attested.join('\n')).toMatch(/DevOps: A test alarm/);
    expect(attested.join('\n')).toMatch(/DevOps: Database backup/);
    expect(attested.join('\n')).toMatch(/Tech Lead: Tests pass/);
    expect(attested.join('\n')).toMatch(/Tech Lead: CI pipeline/);
    expect(attested.join('\n')).toMatch(/PM: Stakeholders/);
    expect(attested.join('\n')).toMatch(/PM: Customer support/);
    expect(attested.join('\n')).toMatch(/PM: Release notes/);
    expect(warnings.length).toBe(5); // 4 load.* + drill.rollback.duration
  });

  it('minimal has one threshold, two criteria and one role, and no warnings', () => {
    const { spec, warnings } = loadSpecText(initTemplate('minimal', {}), 'golive.yaml', {}, { produces: PRODUCES });
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
