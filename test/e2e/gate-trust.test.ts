import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, tree } from '../helpers.js';

// Issue 10: what the gate says must follow what the criteria say, and every
// output must show the same rows and counts.

let url = '';
let close: () => Promise<void> = async () => {};
beforeAll(async () => {
  const s = await serve(opsHandler());
  url = s.url;
  close = s.close;
});
afterAll(() => close());

function spec(ac2Title: string): string {
  return `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: ${url}
roles:
  PM: pat@example.com
  Tech Lead: sam@example.com
  DevOps: alex@example.com
  QA Lead: kim@example.com
  Sponsor: lee@example.com
thresholds:
  ops.endpoints.failing: "== 0"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health], thresholds: [ops.endpoints.failing] }
  - { id: AC-2, type: AC, title: ${ac2Title}, attest: DevOps }
  - { id: NG-1, type: Non-goal, title: Multi-region disaster recovery program }
signoff:
  required: [PM, Tech Lead, DevOps, QA Lead]
  final: Sponsor
`;
}

const attest = (dir: string, id = 'AC-2') =>
  golive(['attest', id, '--by', 'alex', '--role', 'DevOps', '--evidence', 'https://example.com/pentest'], {
    cwd: dir,
  });

describe('P1.5 an attestation is bound to what the criterion says', () => {
  it('goes stale when the criterion is reworded: Unverified with a note in the CLI and every report', async () => {
    const dir = tree({ 'golive.yaml': spec('Pen test passed') });
    expect((await attest(dir)).code).toBe(0);
    const ready = await golive(['check', '--format', 'md,html,json,junit'], { cwd: dir });
    expect(ready.code, ready.stdout + ready.stderr).toBe(0);
    expect(ready.stdout).toMatch(/READY/);

    writeFileSync(join(dir, 'golive.yaml'), spec('GDPR review signed off by legal'));
    const after = await golive(['check', '--format', 'md,html,json,junit'], { cwd: dir });
    expect(after.code, after.stdout).toBe(1);
    expect(after.stdout).toMatch(/NOT READY/);
    const note = /attestation stale: criterion changed since attested by alex on \d{4}-\d\d-\d\d/;
    expect(after.stdout).toMatch(/Unverified\s+AC-2/);
    expect(after.stdout).toMatch(note);

    const out = join(dir, 'golive-report');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| \*\*AC-2\*\* GDPR review signed off by legal \| AC \| Unverified \|/);
    expect(md).toMatch(note);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<span class="pill unverified">Unverified<\/span>/);
    expect(html).toMatch(note);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      evaluation: { criteria: Array<{ id: string; status: string; notes?: string }> };
    };
    const ac2 = json.evaluation.criteria.find((c) => c.id === 'AC-2');
    expect(ac2?.status).toBe('Unverified');
    expect(ac2?.notes).toMatch(note);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /name="AC-2 GDPR review signed off by legal"><failure type="unverified" message="[^"]*attestation stale/,
    );

    // Attesting the new wording makes it Met again.
    expect((await attest(dir)).code).toBe(0);
    const again = await golive(['check'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
  });

  it('refuses to attest an automated criterion, with the reason', async () => {
    const dir = tree({ 'golive.yaml': spec('Pen test passed') });
    const r = await attest(dir, 'AC-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_STATE_NOT_ATTESTABLE/);
    expect(r.stderr).toMatch(
      /AC-1 is measured by golive \(thresholds: ops\.endpoints\.failing; evidence: ops\.health\)/,
    );
    expect(r.stderr).toMatch(/hint: .*attest: ROLE/);
  });
});

describe('P2.5 a non-goal is out of scope, never met', () => {
  it('shows "Out of scope" in the CLI, Markdown, HTML, JSON and JUnit (skipped) and never blocks', async () => {
    const dir = tree({ 'golive.yaml': spec('Runbooks reviewed') });
    expect((await attest(dir)).code).toBe(0);
    const r = await golive(['check', '--format', 'md,html,json,junit'], { cwd: dir });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Out of scope\s+NG-1/);
    const out = join(dir, 'golive-report');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| \*\*NG-1\*\* Multi-region disaster recovery program \| Non-goal \| Out of scope \|/);
    expect(md).toMatch(/Criteria met or waived \*\*2\/2\*\*/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const ngRow = /<tr class="nongoal">.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(ngRow).toMatch(/<span class="pill out-of-scope">Out of scope<\/span>/);
    expect(ngRow).not.toMatch(/pill met/);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      evaluation: { criteria: Array<{ id: string; status: string }> };
    };
    expect(json.evaluation.criteria.find((c) => c.id === 'NG-1')?.status).toBe('Out of scope');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/name="NG-1 Multi-region disaster recovery program"><skipped message="out of scope/);
  });
});

describe('P2.6 one sign-off count, from the gate', () => {
  it('counts the required roles and the final role the same in the CLI, Markdown, HTML and JSON', async () => {
    const dir = tree({ 'golive.yaml': spec('Runbooks reviewed') });
    expect((await attest(dir)).code).toBe(0);
    const r = await golive(['check', '--format', 'md,html,json'], { cwd: dir });
    expect(r.code, r.stdout).toBe(0);
    expect((await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'], { cwd: dir })).code).toBe(0);
    expect((await golive(['signoff', '--role', 'Sponsor', '--by', 'lee', '--decision', 'go'], { cwd: dir })).code).toBe(
      0,
    );
    const rep = await golive(['report', '--format', 'md,html,json'], { cwd: dir });
    expect(rep.code, rep.stdout + rep.stderr).toBe(0);
    const cli = await golive(['check', '--format', 'md,html,json'], { cwd: dir });
    // A new check makes the sign-offs stale: 0 of 5 signed, the final role included.
    expect(cli.stdout).toMatch(
      /Sign-offs: 0 of 5 signed go on this run \(4 required roles and the final role Sponsor\)/,
    );
    const out = join(dir, 'golive-report');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/required sign-offs \*\*0\/5\*\*/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(
      /Required sign-offs<\/div><div class="tile-value">0<small> \/ 5<\/small>/,
    );
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      signoffStatus: { required: number; signed: number; rows: Array<{ role: string; state: string }> };
    };
    expect(json.signoffStatus.required).toBe(5);
    expect(json.signoffStatus.signed).toBe(0);
    expect(json.signoffStatus.rows.map((x) => `${x.role}:${x.state}`)).toEqual([
      'PM:stale',
      'Tech Lead:missing',
      'DevOps:missing',
      'QA Lead:missing',
      'Sponsor:stale',
    ]);
  });

  it('the report right after two sign-offs says 2 of 5 everywhere', async () => {
    const dir = tree({ 'golive.yaml': spec('Runbooks reviewed') });
    expect((await attest(dir)).code).toBe(0);
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    for (const [role, by] of [
      ['PM', 'pat'],
      ['Sponsor', 'lee'],
    ]) {
      expect(
        (await golive(['signoff', '--role', role as string, '--by', by as string, '--decision', 'go'], { cwd: dir }))
          .code,
      ).toBe(0);
    }
    const rep = await golive(['report', '--format', 'md,html'], { cwd: dir });
    expect(rep.code, rep.stdout + rep.stderr).toBe(0);
    const out = join(dir, 'golive-report');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/required sign-offs \*\*2\/5\*\*/);
    expect(rep.stdout).toMatch(/Sign-offs: 2 of 5 signed go on this run/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(
      /Required sign-offs<\/div><div class="tile-value">2<small> \/ 5<\/small>/,
    );
  });
});

describe('P2.8 validate warns about every threshold no enabled collector can feed', () => {
  it('init each template, validate: warnings exactly for the thresholds whose section is commented out', async () => {
    const expected: Record<string, string[]> = {
      'web-service': [
        'scan.coverage.lines',
        'drill.rollback.duration',
        'drill.restore.rto',
        'drill.restore.rpo',
        'drill.alerts.missing',
      ],
      minimal: [],
    };
    for (const [template, unfed] of Object.entries(expected)) {
      const dir = tree();
      expect((await golive(['init', '--template', template], { cwd: dir })).code).toBe(0);
      const v = await golive(['validate'], { cwd: dir });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^valid golive\.yaml/);
      const warned = [
        ...v.stderr.matchAll(/^warning \S+golive\.yaml:\d+:\d+: threshold (\S+): no enabled collector feeds it/gm),
      ];
      expect(
        warned.map((m) => m[1]),
        `${template}: ${v.stderr}`,
      ).toEqual(unfed);
      // Besides those, web-service warns once per evidence ref of a commented-out drill (AC-5..AC-8).
      const refs = [...v.stderr.matchAll(/^warning \S+golive\.yaml:\d+:\d+: criterion \S+ names evidence (\S+),/gm)];
      const drills =
        template === 'web-service' ? ['drill.rollback', 'drill.alarm', 'drill.restore', 'drill.alerts'] : [];
      expect(refs.map((m) => m[1])).toEqual(drills);
      expect(v.stderr.match(/^warning /gm)?.length ?? 0).toBe(unfed.length + drills.length);
    }
  });

  it('names line:column and the section to add for a load.latency.p95 threshold with no load section', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: http://127.0.0.1:8080
thresholds:
  load.latency.p95: "< 200ms"
`,
    });
    const v = await golive(['validate'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(
      /^warning \S+\/golive\.yaml:7:3: threshold load\.latency\.p95: no enabled collector feeds it, so it will fail as no data\n {4}hint: add a `load:` section \(docs\/load\.md\)$/m,
    );
  });
});

describe('a spec that shows nothing and names nobody is never READY, never GO', () => {
  const bare = (): string => `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: ${url}
`;

  it('validate warns at 1:1, check is NOT READY with the reason, decide --by x writes NO-GO', async () => {
    const dir = tree({ 'golive.yaml': bare() });
    const v = await golive(['validate'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /^warning \S+\/golive\.yaml:1:1: no criteria: nothing in golive\.yaml shows the release is ready, so check is never READY$/m,
    );
    expect(v.stderr).toMatch(
      /^warning \S+\/golive\.yaml:1:1: no sign-off roles: nobody signs the decision, so decide is always NO-GO\n {4}hint: add signoff: \{ required: /m,
    );
    const check = await golive(['check'], { cwd: dir });
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toMatch(/NOT READY/);
    expect(check.stdout).toMatch(/no criteria: nothing in golive\.yaml shows the release is ready/);
    const decide = await golive(['decide', '--by', 'x'], { cwd: dir });
    expect(decide.code, decide.stdout + decide.stderr).toBe(1);
    expect(decide.stdout).toMatch(/NO-GO/);
    expect(decide.stdout).toMatch(/^NO-GO — shop v1\.0\.0/m);
    expect(decide.stdout).toMatch(/no sign-off roles: add signoff\.required to golive\.yaml/);
  });

  it('validate warns at the evidence ref whose collector is not enabled, naming the section to add', async () => {
    const dir = tree({
      'golive.yaml': `${bare()}roles:
  DevOps: alex@example.com
criteria:
  - id: AC-6
    type: AC
    title: A test alarm fired
    evidence: [ops.health, drill.alarm]
signoff:
  required: [DevOps]
`,
    });
    const v = await golive(['validate'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /^warning \S+\/golive\.yaml:12:28: criterion AC-6 names evidence drill\.alarm, but its collector drill\.alarm is not enabled, so it will stay missing\n {4}hint: add a `drills\.alarm:` section \(docs\/drills\.md\)$/m,
    );
    // ops.health is not enabled either (no probes.ops)
    expect(v.stderr).toMatch(
      /golive\.yaml:12:16: criterion AC-6 names evidence ops\.health,.*\n {4}hint: add a `probes\.ops:` section/,
    );
  });

  it('validate warns at signoff.required when two required roles have one owner, unless allowSamePerson', async () => {
    const text = `${bare()}roles:
  PM: sam@example.com
  Tech Lead: sam@example.com
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health] }
signoff:
  required: [PM, Tech Lead]
`;
    const v = await golive(['validate'], { cwd: tree({ 'golive.yaml': text }) });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /^warning \S+\/golive\.yaml:14:3: signoff: PM and Tech Lead are both owned by sam@example\.com under roles:, and one person does not sign two required roles, so this spec cannot reach GO\n {4}hint: .*signoff\.allowSamePerson: true$/m,
    );
    const allowed = await golive(['validate'], {
      cwd: tree({ 'golive.yaml': `${text}  allowSamePerson: true\n` }),
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).not.toMatch(/warning/);
  });
});
