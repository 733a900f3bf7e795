import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoliveError, type Problem } from '../errors.js';
import { loadSpecFile, loadSpecText } from './load.js';

const VALID = `version: 1
service: checkout-api
release: v1.4.0
target:
  baseUrl: http://127.0.0.1:8080
  start: { command: node server.js, ready: /health, timeout: 30s }
roles:
  DevOps: alex@example.com
  Tech Lead: sam@example.com
thresholds:
  ops.health.latency: "< 200ms"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health], thresholds: [ops.health.latency] }
  - { id: AC-2, type: AC, title: Runbooks reviewed, attest: DevOps }
signoff:
  required: [DevOps]
  final: Tech Lead
`;

function problemsOf(
  text: string,
  env: Record<string, string | undefined> = {},
): { err: GoliveError; problems: Problem[] } {
  try {
    loadSpecText(text, 'golive.yaml', env);
  } catch (e) {
    expect(e).toBeInstanceOf(GoliveError);
    const err = e as GoliveError;
    return { err, problems: err.problems };
  }
  throw new Error('expected the spec to be refused');
}

function only(text: string, env: Record<string, string | undefined> = {}): Problem {
  const { problems } = problemsOf(text, env);
  expect(problems).toHaveLength(1);
  return problems[0] as Problem;
}

describe('loadSpecText: a valid spec', () => {
  it('returns the validated spec with defaults, the raw form, hash, dir and no warnings', () => {
    const loaded = loadSpecText(VALID, '/work/app/golive.yaml', {}, { produces: ['ops.health.latency'] });
    expect(loaded.spec.service).toBe('checkout-api');
    expect(loaded.spec.target.timeout).toBe('10s');
    expect(loaded.spec.probes?.ops).toEqual({
      health: '/health',
      version: '/version',
      metrics: '/metrics',
      status: '/status',
    });
    expect(loaded.spec.store.path).toBe('.golive/golive.db');
    expect((loaded.raw as Record<string, unknown>).store).toBeUndefined();
    expect(loaded.specHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loaded.file).toBe('/work/app/golive.yaml');
    expect(loaded.dir).toBe('/work/app');
    expect(loaded.secrets).toEqual([]);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('loadSpecText: every bad input gets file:line:column and a hint', () => {
  it('empty file', () => {
    for (const text of ['', '   \n\n', '# only a comment\n']) {
      const p = only(text);
      expect(p).toMatchObject({
        file: 'golive.yaml',
        line: 1,
        column: 1,
        message: 'the file is empty; run golive init',
      });
    }
  });

  it('YAML syntax error with line and column', () => {
    let { err, problems } = problemsOf('version: 1\nservice: x\n  release: y\n');
    expect(err.code).toBe('GL_SPEC_INVALID');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'golive.yaml', line: 2, column: 10 });
    expect(problems[0]?.message).toMatch(/^YAML: /);
    ({ err, problems } = problemsOf('version: 1\nroles:\n\tPM: pat\n'));
    expect(problems).toEqual([
      {
        file: 'golive.yaml',
        line: 3,
        column: 1,
        message: 'YAML: Tabs are not allowed as indentation',
        hint: 'indent with spaces, not tabs',
      },
    ]);
  });

  it('duplicate YAML key', () => {
    const p = only(VALID.replace('release: v1.4.0\n', 'release: v1.4.0\nrelease: v1.4.1\n'));
    expect(p).toMatchObject({ line: 4, column: 1 });
    expect(p.hint).toMatch(/once/);
  });

  it('an alias without an anchor points at the alias, not at line 1', () => {
    const p = only(VALID.replace('service: checkout-api', 'service: *nope'));
    expect(p).toMatchObject({ line: 2, column: 10 });
    expect(p.message).toMatch(/alias/);
  });

  it('a base URL that is not http(s)', () => {
    const p = only(VALID.replace(/baseUrl: \S+/, 'baseUrl: ftp://127.0.0.1/'));
    expect(p.message).toMatch(/http\(s\) URL/);
  });

  it('unknown key points at the key and suggests the allowed one', () => {
    const p = only(VALID.replace('thresholds:\n', 'threshold:\n').replace(', thresholds: [ops.health.latency]', ''));
    expect(p).toMatchObject({ line: 10, column: 1, path: 'threshold', message: 'unknown key `threshold`' });
    expect(p.hint).toBe('did you mean `thresholds`?');
  });

  it('unknown nested key', () => {
    const p = only(VALID.replace('ready: /health', 'raedy: /health, ready: /health'));
    expect(p).toMatchObject({ line: 6, column: 37, path: 'target.start.raedy' });
    expect(p.hint).toBe('did you mean `ready`?');
  });

  it('wrong types', () => {
    let p = only(VALID.replace('version: 1', 'version: "one"'));
    expect(p).toMatchObject({ line: 1, column: 10, path: 'version', message: 'expected version: 1' });
    p = only(VALID.replace(/criteria:\n[\s\S]*?signoff:/, 'criteria: {}\nsignoff:'));
    expect(p).toMatchObject({ line: 14, column: 11, path: 'criteria', message: 'expected a list, got a mapping' });
    p = only(VALID.replace('release: v1.4.0', 'release: 1.0'));
    expect(p).toMatchObject({ line: 3, message: 'expected text, got the number 1' });
    expect(p.hint).toContain('"1.0"');
  });

  it('missing required key points at the parent mapping', () => {
    const p = only(
      VALID.replace(
        '  - { id: AC-2, type: AC, title: Runbooks reviewed, attest: DevOps }',
        '  - { id: AC-2, type: AC, attest: DevOps }',
      ),
    );
    expect(p).toMatchObject({
      line: 16,
      column: 5,
      path: 'criteria[1].title',
      message: 'missing required key `title` in criteria[1]',
    });
  });

  it('bad threshold expression: column inside the expression, hint from the parser', () => {
    const p = only(VALID.replace('ops.health.latency: "< 200ms"', 'ops.health.latency: "< 200 msec"'));
    // line 11 is `  ops.health.latency: "< 200 msec"`: the quote is column 23, "msec" starts at column 30.
    expect(p).toMatchObject({ line: 11, column: 30, path: 'thresholds.ops.health.latency' });
    expect(p.message).toContain('unknown unit "msec"');
    expect(p.hint).toContain('did you mean "ms"?');
    const q = only(VALID.replace('ops.health.latency: "< 200ms"', 'ops.health.latency: =< 200ms'));
    expect(q).toMatchObject({ line: 11, column: 23 });
    expect(q.hint).toContain('"<="');
  });

  it('duration without a unit', () => {
    const p = only(VALID.replace('timeout: 30s', 'timeout: 30'));
    expect(p).toMatchObject({ line: 6, path: 'target.start.timeout' });
    expect(p.message).toContain('expected a duration with a unit');
    expect(p.hint).toContain('30s');
  });

  it('unknown role in attest, signoff.required and signoff.final', () => {
    let p = only(VALID.replace('attest: DevOps', 'attest: Devops'));
    expect(p).toMatchObject({ line: 16, path: 'criteria[1].attest' });
    expect(p.message).toContain('`Devops` is not defined under roles');
    expect(p.hint).toBe('did you mean `DevOps`?');
    p = only(VALID.replace('required: [DevOps]', 'required: [DevOps, QA]'));
    expect(p).toMatchObject({ line: 18, column: 22, path: 'signoff.required[1]' });
    p = only(VALID.replace('final: Tech Lead', 'final: TechLead'));
    expect(p).toMatchObject({ line: 19, column: 10, hint: 'did you mean `Tech Lead`?' });
  });

  it('criteria thresholds must be defined', () => {
    const p = only(VALID.replace('thresholds: [ops.health.latency]', 'thresholds: [ops.health.latncy]'));
    expect(p).toMatchObject({
      line: 15,
      path: 'criteria[0].thresholds[0]',
      hint: 'did you mean `ops.health.latency`?',
    });
  });

  it('duplicate criterion id', () => {
    const p = only(VALID.replace('id: AC-2', 'id: AC-1'));
    expect(p).toMatchObject({ line: 16, column: 11, path: 'criteria[1].id' });
    expect(p.message).toBe('criterion id `AC-1` is used twice (first at line 15)');
  });

  it('target.start.ready must be a path or an absolute URL', () => {
    const p = only(VALID.replace('ready: /health', 'ready: health'));
    expect(p).toMatchObject({ line: 6, path: 'target.start.ready' });
    expect(() =>
      loadSpecText(VALID.replace('ready: /health', 'ready: "http://127.0.0.1:9000/ready"'), 'g.yaml', {}),
    ).not.toThrow();
  });

  it('reports several problems together, ordered by line', () => {
    const text = VALID.replace('version: 1', 'version: 2')
      .replace('thresholds:\n', 'threshold:\n')
      .replace(', thresholds: [ops.health.latency]', '')
      .replace('timeout: 30s', 'timeout: 30')
      .replace('attest: DevOps', 'attest: Devops')
      .replace('final: Tech Lead', 'final: Sponsor');
    const { err, problems } = problemsOf(text);
    expect(err.code).toBe('GL_SPEC_INVALID');
    expect(err.message).toBe('golive.yaml has 5 problems');
    expect(problems.map((p) => p.line)).toEqual([1, 6, 10, 16, 19]);
    expect(problems.map((p) => p.path)).toEqual([
      'version',
      'target.start.timeout',
      'threshold',
      'criteria[1].attest',
      'signoff.final',
    ]);
    expect(problems.every((p) => p.file === 'golive.yaml' && p.column !== undefined)).toBe(true);
  });
});

describe('loadSpecText: environment variables', () => {
  const WITH_ENV = VALID.replace(
    '  start:',
    '  headers: { Authorization: "Bearer ${STAGING_TOKEN}", X-Trace: "${TRACE_ID:-none}" }\n  start:',
  );

  it('substitutes UPPER_SNAKE_CASE variables and collects their values as secrets', () => {
    const loaded = loadSpecText(WITH_ENV, 'golive.yaml', { STAGING_TOKEN: 's3cr3t-token' });
    expect(loaded.spec.target.headers).toEqual({ Authorization: 'Bearer s3cr3t-token', 'X-Trace': 'none' });
    expect(loaded.secrets).toEqual(['s3cr3t-token']);
    // raw keeps the spec as written: no secret in it
    expect(JSON.stringify(loaded.raw)).not.toContain('s3cr3t-token');
    expect(JSON.stringify(loaded.raw)).toContain('${STAGING_TOKEN}');
  });

  it('an unset variable alone is GL_SPEC_ENV_UNSET, named with its position', () => {
    const { err, problems } = problemsOf(WITH_ENV);
    expect(err.code).toBe('GL_SPEC_ENV_UNSET');
    expect(err.message).toBe('environment variable STAGING_TOKEN is not set');
    expect(problems).toHaveLength(1);
    // line 6: `  headers: { Authorization: "Bearer ${STAGING_TOKEN}", …`; `${` is at column 37
    expect(problems[0]).toMatchObject({
      line: 6,
      column: 37,
      path: 'target.headers.Authorization',
      message: 'environment variable STAGING_TOKEN is not set',
      hint: 'export it, or write ${STAGING_TOKEN:-default}',
    });
  });

  it('an unset variable among other problems joins the GL_SPEC_INVALID list', () => {
    const { err, problems } = problemsOf(WITH_ENV.replace('version: 1', 'version: 3'));
    expect(err.code).toBe('GL_SPEC_INVALID');
    expect(problems.map((p) => p.message)).toEqual([
      'expected version: 1',
      'environment variable STAGING_TOKEN is not set',
    ]);
  });

  it('a value emptied by an unset variable reports only the variable', () => {
    const { err, problems } = problemsOf(VALID.replace('baseUrl: http://127.0.0.1:8080', 'baseUrl: ${BASE_URL}'));
    expect(err.code).toBe('GL_SPEC_ENV_UNSET');
    expect(problems).toHaveLength(1);
  });
});

describe('loadSpecText: warnings', () => {
  it('warns about thresholds no collector produces and criteria nothing can verify', () => {
    const text = VALID.replace('thresholds:\n', 'thresholds:\n  load.latency.p95: "< 200ms"\n').replace(
      '  - { id: AC-2',
      '  - { id: AC-3, type: DoD, title: Nothing points here }\n  - { id: NG-1, type: Non-goal, title: Multi-region }\n  - { id: AC-2',
    );
    const loaded = loadSpecText(text, 'golive.yaml', {}, { produces: ['ops.', 'findings.'] });
    expect(loaded.warnings.map((w) => [w.line, w.message])).toEqual([
      [11, 'no collector in this version produces load.latency.p95; it will fail as no data'],
      [17, 'criterion AC-3 has no thresholds, evidence or attest; nothing can show it is met'],
    ]);
  });

  it('warns about a daemon target nothing stops, and a stop without a start', () => {
    const daemon = VALID.replace('timeout: 30s }', 'timeout: 30s, daemon: true }');
    expect(loadSpecText(daemon, 'golive.yaml', {}).warnings.map((w) => [w.line, w.path, w.message])).toEqual([
      [
        6,
        'target.start.daemon',
        'target.start.daemon: golive does not stop a service handed to a supervisor, and target.stop is not set',
      ],
    ]);
    const stopped = daemon.replace('  start:', '  stop: { command: docker compose down }\n  start:');
    expect(loadSpecText(stopped, 'golive.yaml', {}).warnings).toEqual([]);
    const noStart = VALID.replace(/ {2}start: .*\n/, '  stop: { command: docker compose down }\n');
    expect(loadSpecText(noStart, 'golive.yaml', {}).warnings.map((w) => w.message)).toEqual([
      'target.stop runs only for a target golive starts, and target.start is not set',
    ]);
  });

  it('warns that a spec with no criteria (or only Non-goals) is never ready, and one with no signoff never GO', () => {
    const bare = 'version: 1\nservice: shop\nrelease: v1\ntarget:\n  baseUrl: http://127.0.0.1:8080\n';
    expect(loadSpecText(bare, 'golive.yaml', {}).warnings.map((w) => [w.line, w.column, w.message, w.hint])).toEqual([
      [
        1,
        1,
        'no criteria: nothing in golive.yaml shows the release is ready, so check is never READY',
        'add criteria: with at least one AC or DoD row that names thresholds, evidence or attest (docs/spec.md)',
      ],
      [
        1,
        1,
        'no sign-off roles: nobody signs the decision, so decide is always NO-GO',
        'add signoff: { required: [ROLE, …] } naming roles defined under roles: (docs/decision-rules.md)',
      ],
    ]);
    const nonGoals = VALID.replace(
      /criteria:\n( {2}- .*\n)+/,
      'criteria:\n  - { id: NG-1, type: Non-goal, title: Multi-region }\n',
    );
    expect(
      loadSpecText(nonGoals, 'golive.yaml', {}).warnings.map((w) => [w.line, w.column, w.path, w.message]),
    ).toEqual([
      [
        14,
        1,
        'criteria',
        'every criterion is a Non-goal: nothing in golive.yaml shows the release is ready, so check is never READY',
      ],
    ]);
  });

  it('warns at signoff.required when two signing roles have the same owner, unless allowSamePerson', () => {
    const same = VALID.replace('Tech Lead: sam@example.com', 'Tech Lead: " Alex@example.com"');
    expect(
      loadSpecText(same, 'golive.yaml', {}).warnings.map((w) => [w.line, w.column, w.path, w.message, w.hint]),
    ).toEqual([
      [
        18,
        3,
        'signoff.required',
        'signoff: DevOps and Tech Lead are both owned by alex@example.com under roles:, and one person does not sign two required roles, so this spec cannot reach GO',
        'give each signing role its own owner under roles:, or set signoff.allowSamePerson: true',
      ],
    ]);
    const allowed = same.replace('  final: Tech Lead\n', '  final: Tech Lead\n  allowSamePerson: true\n');
    expect(loadSpecText(allowed, 'golive.yaml', {}).warnings).toEqual([]);
    // a role that does not sign may share its owner
    const notSigning = VALID.replace('  final: Tech Lead\n', '').replace(
      'Tech Lead: sam@example.com',
      'Tech Lead: alex@example.com',
    );
    expect(loadSpecText(notSigning, 'golive.yaml', {}).warnings).toEqual([]);
  });

  it('does not warn about metrics when produces is not given', () => {
    const text = VALID.replace('thresholds:\n', 'thresholds:\n  load.latency.p95: "< 200ms"\n');
    expect(loadSpecText(text, 'golive.yaml', {}).warnings).toEqual([]);
  });
});

describe('loadSpecFile', () => {
  it('reads the file and resolves its folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-spec-'));
    writeFileSync(join(dir, 'golive.yaml'), VALID);
    const loaded = loadSpecFile(join(dir, 'golive.yaml'), {});
    expect(loaded.dir).toBe(dir);
    expect(loaded.file).toBe(join(dir, 'golive.yaml'));
  });

  it('a missing file is GL_SPEC_NOT_FOUND with a hint', () => {
    try {
      loadSpecFile(join(tmpdir(), 'golive-no-such-dir', 'golive.yaml'), {});
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'GL_SPEC_NOT_FOUND', hint: 'run golive init to write one, or pass -c FILE' });
    }
  });
});

describe('secrets and the texts kept shown', () => {
  it('warns, at the entry, that a declared secret shorter than 6 characters cannot be redacted', () => {
    const text = `${VALID}secrets: [DB_PW, DB_PASSWORD]\n`;
    const loaded = loadSpecText(text, 'golive.yaml', { DB_PW: 'abc', DB_PASSWORD: 'hunter22' });
    expect(loaded.secrets).toContain('hunter22');
    const w = loaded.warnings.filter((p) => p.message.includes('DB_PW'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ line: text.split('\n').length - 1, column: 11 });
    expect(w[0]?.message).toMatch(/shorter than 6 characters.*cannot be redacted/);
    expect(w[0]?.message).not.toContain('abc');
  });

  it('lists threshold names and expressions and criterion ids written literally', () => {
    const loaded = loadSpecText(VALID, 'golive.yaml', {});
    expect(loaded.literals).toEqual(['ops.health.latency', '< 200ms', 'AC-1', 'AC-2']);
  });
});
