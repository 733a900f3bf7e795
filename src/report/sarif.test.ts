import { describe, expect, it } from 'vitest';
import type { TriagedFinding } from '../findings/types.js';
import type { ReportModel, Waiver } from '../model.js';
import { SAMPLE, sampleReportModel } from './fixture.js';
import { locate, renderSarif, SARIF_VERSION, TARGET_FINDING_FILE } from './sarif.js';

type Json = Record<string, unknown>;

/**
 * Problems a SARIF log has for GitHub code scanning: the SARIF 2.1.0 shape of
 * every object golive writes (required properties, enums, and no property the
 * schema does not define for that object) plus GitHub's own requirements
 * (rules with descriptions and help, a numeric `security-severity` string, a
 * physical location with a relative URI and a 1-based region for every result).
 */
function githubSarifProblems(log: Json): string[] {
  const p: string[] = [];
  const keys = (o: Json, where: string, allowed: string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) p.push(`${where}: property "${k}" is not in SARIF 2.1.0`);
  };
  const text = (v: unknown, where: string) => {
    if (typeof (v as Json | undefined)?.text !== 'string' || !((v as Json).text as string).trim()) {
      p.push(`${where}.text must be a non-empty string`);
    }
  };
  keys(log, '$', ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties']);
  if (log.version !== '2.1.0') p.push('$.version must be "2.1.0"');
  if (typeof log.$schema !== 'string' || !/sarif.*2\.1\.0/.test(log.$schema)) p.push('$.$schema must name SARIF 2.1.0');
  const runs = log.runs as Json[];
  if (!Array.isArray(runs) || runs.length === 0) return [...p, '$.runs must be a non-empty array'];
  runs.forEach((run, r) => {
    const at = `$.runs[${r}]`;
    keys(run, at, ['tool', 'invocations', 'automationDetails', 'results', 'properties', 'originalUriBaseIds']);
    const driver = (run.tool as Json | undefined)?.driver as Json | undefined;
    if (!driver || typeof driver.name !== 'string' || !driver.name) p.push(`${at}.tool.driver.name is required`);
    keys(driver ?? {}, `${at}.tool.driver`, ['name', 'rules', 'version', 'semanticVersion', 'informationUri']);
    const rules = (driver?.rules ?? []) as Json[];
    const ids = rules.map((x) => x.id);
    if (new Set(ids).size !== ids.length) p.push(`${at}: rule ids must be unique`);
    rules.forEach((rule, i) => {
      const w = `${at}.tool.driver.rules[${i}]`;
      keys(rule, w, [
        'id',
        'name',
        'shortDescription',
        'fullDescription',
        'help',
        'defaultConfiguration',
        'properties',
      ]);
      if (typeof rule.id !== 'string' || !rule.id) p.push(`${w}.id is required`);
      text(rule.shortDescription, `${w}.shortDescription`);
      text(rule.fullDescription, `${w}.fullDescription`);
      text(rule.help, `${w}.help`);
      const level = (rule.defaultConfiguration as Json | undefined)?.level;
      if (!['none', 'note', 'warning', 'error'].includes(String(level))) p.push(`${w}.defaultConfiguration.level`);
      const props = (rule.properties ?? {}) as Json;
      const sev = props['security-severity'];
      if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) > 10) {
        p.push(`${w}.properties.security-severity must be a number from 0.0 to 10.0 written as a string`);
      }
      if (!(props.tags as string[] | undefined)?.includes('security')) p.push(`${w}.properties.tags needs "security"`);
    });
    const auto = run.automationDetails as Json | undefined;
    if (auto && (typeof auto.id !== 'string' || !auto.id.includes('/'))) p.push(`${at}.automationDetails.id`);
    ((run.results ?? []) as Json[]).forEach((res, i) => {
      const w = `${at}.results[${i}]`;
      keys(res, w, [
        'ruleId',
        'ruleIndex',
        'level',
        'message',
        'locations',
        'partialFingerprints',
        'baselineState',
        'suppressions',
        'properties',
      ]);
      if (!ids.includes(res.ruleId)) p.push(`${w}.ruleId "${String(res.ruleId)}" is not a rule of the driver`);
      if (rules[res.ruleIndex as number]?.id !== res.ruleId) p.push(`${w}.ruleIndex does not point at its rule`);
      if (!['none', 'note', 'warning', 'error'].includes(String(res.level))) p.push(`${w}.level`);
      text(res.message, `${w}.message`);
      const locations = res.locations as Json[] | undefined;
      if (!Array.isArray(locations) || locations.length === 0) p.push(`${w}.locations must have one location`);
      (locations ?? []).forEach((loc, j) => {
        const lw = `${w}.locations[${j}]`;
        keys(loc, lw, ['physicalLocation', 'logicalLocations']);
        const phys = loc.physicalLocation as Json | undefined;
        const art = phys?.artifactLocation as Json | undefined;
        const uri = art?.uri;
        if (typeof uri !== 'string' || !uri || /[\s\\]/.test(uri) || uri.startsWith('/')) {
          p.push(`${lw}.physicalLocation.artifactLocation.uri must be a relative URI reference, not "${String(uri)}"`);
        }
        const region = phys?.region as Json | undefined;
        if (!Number.isInteger(region?.startLine) || (region?.startLine as number) < 1) p.push(`${lw} region.startLine`);
        for (const l of (loc.logicalLocations ?? []) as Json[])
          keys(l, `${lw}.logicalLocations[]`, ['fullyQualifiedName', 'kind']);
      });
      const fp = res.partialFingerprints as Json | undefined;
      if (!fp || !Object.values(fp).length || Object.values(fp).some((v) => typeof v !== 'string')) {
        p.push(`${w}.partialFingerprints must map names to strings`);
      }
      if (
        res.baselineState !== undefined &&
        !['new', 'unchanged', 'updated', 'absent'].includes(String(res.baselineState))
      ) {
        p.push(`${w}.baselineState`);
      }
      for (const s of (res.suppressions ?? []) as Json[]) {
        keys(s, `${w}.suppressions[]`, ['kind', 'status', 'justification']);
        if (!['inSource', 'external'].includes(String(s.kind))) p.push(`${w}.suppressions[].kind`);
        if (!['accepted', 'underReview', 'rejected'].includes(String(s.status))) p.push(`${w}.suppressions[].status`);
      }
    });
  });
  return p;
}

const sighting = (runId: string, at = '2026-11-20T10:00:00.000Z') => ({ runId, at });
const live: Waiver = {
  id: 'w1',
  service: SAMPLE.service,
  release: SAMPLE.release,
  subject: 'finding',
  subjectId: 'fp-hsts',
  reason: 'HSTS is set at the CDN',
  by: 'lee',
  expiresAt: '2026-12-31T23:59:59.000Z',
  createdAt: '2026-11-21T00:00:00.000Z',
};

/** A triage with every status: an open file finding, a waived and an accepted target finding, a fixed one. */
function triagedModel(): ReportModel {
  const base = sampleReportModel();
  const thisRun = base.run.id;
  const triage: TriagedFinding[] = [
    {
      rule: 'secret.aws-access-key',
      severity: 'critical',
      title: 'AWS access key committed',
      location: './src/config/aws keys.ts:12:7',
      evidence: 'AKIA************MPLE',
      remediation: 'Rotate the key and load it from the environment.',
      fingerprint: 'fp-secret',
      status: 'open',
      collector: 'scan',
      firstSeen: sighting('run-0'),
      lastSeen: sighting(thisRun),
    },
    {
      rule: 'header-hsts-missing',
      severity: 'low',
      title: 'Strict-Transport-Security header missing',
      location: 'GET http://127.0.0.1:8080/products',
      fingerprint: 'fp-hsts',
      status: 'waived',
      collector: 'probes',
      firstSeen: sighting(thisRun),
      lastSeen: sighting(thisRun),
      waiver: live,
    },
    {
      rule: 'header-hsts-missing',
      severity: 'medium',
      title: 'Strict-Transport-Security header missing',
      location: 'http://127.0.0.1:8080/orders',
      fingerprint: 'fp-hsts-2',
      status: 'accepted',
      firstSeen: sighting('run-0'),
      lastSeen: sighting(thisRun),
      waiver: { ...live, id: 'w2', kind: 'accepted-risk', subjectId: 'fp-hsts-2', reason: 'internal only' },
    },
    {
      rule: 'debug-endpoint',
      severity: 'high',
      title: '/debug is reachable',
      location: 'GET /debug',
      fingerprint: 'fp-debug',
      status: 'fixed',
      firstSeen: sighting('run-0'),
      lastSeen: sighting('run-0'),
      fixedIn: sighting(thisRun),
    },
  ];
  return { ...base, findingsTriage: triage };
}

describe('SARIF export', () => {
  it('is a SARIF 2.1.0 log GitHub code scanning accepts', () => {
    const log = JSON.parse(renderSarif(triagedModel())) as Json;
    expect(githubSarifProblems(log)).toEqual([]);
    expect(log.version).toBe(SARIF_VERSION);
    // The checker itself catches what GitHub refuses.
    const broken = JSON.parse(renderSarif(triagedModel())) as { runs: Array<{ tool: { driver: { rules: Json[] } } }> };
    const rule = broken.runs[0]?.tool.driver.rules[0] as Json;
    (rule.properties as Json)['security-severity'] = 9.5;
    delete rule.help;
    rule.extra = true;
    expect(githubSarifProblems(broken as unknown as Json)).toEqual([
      '$.runs[0].tool.driver.rules[0]: property "extra" is not in SARIF 2.1.0',
      '$.runs[0].tool.driver.rules[0].help.text must be a non-empty string',
      '$.runs[0].tool.driver.rules[0].properties.security-severity must be a number from 0.0 to 10.0 written as a string',
    ]);
  });

  it('has one rule per finding rule, described by its most severe finding, with help and security-severity', () => {
    const log = JSON.parse(renderSarif(triagedModel()));
    const rules = log.runs[0].tool.driver.rules;
    expect(log.runs[0].tool.driver.name).toBe('golive');
    expect(rules.map((r: Json) => r.id)).toEqual(['secret.aws-access-key', 'header-hsts-missing']);
    expect(rules[0]).toMatchObject({
      shortDescription: { text: 'AWS access key committed' },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', tags: ['security', 'golive', 'scan'] },
    });
    expect(rules[0].fullDescription.text).toBe(
      'AWS access key committed. Reported by the golive scan collector (rule secret.aws-access-key, severity critical).',
    );
    expect(rules[0].help.text).toMatch(/^Fix: Rotate the key/);
    expect(rules[0].help.markdown).toMatch(/`golive accept FINGERPRINT/);
    // The accepted medium finding outranks the waived low one of the same rule.
    expect(rules[1].properties['security-severity']).toBe('5.5');
    expect(rules[1].defaultConfiguration.level).toBe('warning');
  });

  it('leaves fixed findings out, suppresses waived and accepted ones, and marks new ones', () => {
    const results = JSON.parse(renderSarif(triagedModel())).runs[0].results as Json[];
    expect(results.map((r) => (r.partialFingerprints as Json)['goliveFingerprint/v1'])).toEqual([
      'fp-secret',
      'fp-hsts',
      'fp-hsts-2',
    ]);
    const [secret, waived, accepted] = results as [Json, Json, Json];
    expect(secret).toMatchObject({
      ruleId: 'secret.aws-access-key',
      ruleIndex: 0,
      level: 'error',
      baselineState: 'unchanged',
      message: { text: 'AWS access key committed at ./src/config/aws keys.ts:12:7: AKIA************MPLE' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/config/aws%20keys.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, startColumn: 7 },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: 'fp-secret:1' },
      properties: { status: 'open', severity: 'critical', firstSeen: { runId: 'run-0' } },
    });
    expect(secret.suppressions).toBeUndefined();
    expect(waived).toMatchObject({
      ruleIndex: 1,
      level: 'note',
      baselineState: 'new',
      suppressions: [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'waived by lee until 2026-12-31: HSTS is set at the CDN',
        },
      ],
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: TARGET_FINDING_FILE }, region: { startLine: 1 } },
          logicalLocations: [{ fullyQualifiedName: 'GET http://127.0.0.1:8080/products', kind: 'resource' }],
        },
      ],
    });
    expect((accepted.suppressions as Json[])[0]?.justification).toBe(
      'accepted risk by lee until 2026-12-31: internal only',
    );
  });

  it('falls back to the run findings when the model has no triage, and is valid with no findings at all', () => {
    const plain = JSON.parse(renderSarif(sampleReportModel()));
    expect(githubSarifProblems(plain)).toEqual([]);
    expect(plain.runs[0].results).toHaveLength(3);
    expect(plain.runs[0].automationDetails.id).toBe(`golive/${SAMPLE.service}/${SAMPLE.runId}`);
    expect(plain.runs[0].invocations[0]).toMatchObject({ executionSuccessful: true });

    const empty = JSON.parse(renderSarif(sampleReportModel({ findings: [], findingsTriage: [] })));
    expect(githubSarifProblems(empty)).toEqual([]);
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe('SARIF locations', () => {
  it('maps files with line and column, bare files, URLs and endpoints', () => {
    expect(locate('src/a.ts:3')).toEqual({ uri: 'src/a.ts', absolute: false, line: 3 });
    expect(locate('src\\win\\b.ts:4:2')).toEqual({ uri: 'src/win/b.ts', absolute: false, line: 4, column: 2 });
    expect(locate('Dockerfile')).toEqual({ uri: 'Dockerfile', absolute: false, line: 1 });
    expect(locate('docs/a#b.md:0')).toEqual({ uri: 'docs/a%23b.md', absolute: false, line: 1 });
    expect(locate('/srv/app/x.js:9')).toEqual({ uri: 'file:///srv/app/x.js', absolute: true, line: 9 });
    expect(locate('https://shop.example/admin')).toEqual({
      uri: TARGET_FINDING_FILE,
      absolute: false,
      line: 1,
      logical: 'https://shop.example/admin',
    });
    expect(locate('POST /login')).toMatchObject({ uri: TARGET_FINDING_FILE, logical: 'POST /login' });
    expect(locate('the admin page')).toMatchObject({ uri: TARGET_FINDING_FILE, logical: 'the admin page' });
    expect(locate('')).toEqual({ uri: TARGET_FINDING_FILE, absolute: false, line: 1 });
  });
});
