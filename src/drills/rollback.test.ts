import { describe, expect, it } from 'vitest';
import { isGoliveError } from '../errors.js';
import { loadSpecText } from '../spec/load.js';
import { problemsOf } from './test-helpers.js';
import { planRollback, rollbackCollector } from './rollback.js';
import { sameVersion } from './wait-version.js';

const spec = (drill: string, extra = '') =>
  loadSpecText(
    `version: 1
service: shop
release: v1.4.0
target: { baseUrl: "http://127.0.0.1:8080/app/" }
${extra}
drills:
  rollback: ${drill}
`,
    'golive.yaml',
    {},
  ).spec;

describe('planRollback', () => {
  it('fills the defaults: 2m deploy timeout, rollback timeout = within, 10/s, /health and /version', () => {
    const p = planRollback(spec('{ deploy: ./deploy.sh, rollback: ./rollback.sh, expectVersion: v1.3.2 }'));
    expect(p).toMatchObject({
      newVersion: 'v1.4.0',
      healthUrl: 'http://127.0.0.1:8080/health',
      versionUrl: 'http://127.0.0.1:8080/version',
      withinMs: 300_000,
      settleMs: 5000,
      verifyMs: 60_000,
      requestTimeoutMs: 2000,
      rate: 10,
      deployTimeoutMs: 120_000,
      rollbackTimeoutMs: 300_000,
    });
  });

  it('takes the ops probe paths, per-command timeouts and an explicit new version', () => {
    const p = planRollback(
      spec(
        '{ deploy: { command: ./deploy.sh, timeout: 30s }, rollback: { command: ./rollback.sh, timeout: 90s }, expectVersion: "1.3.2", newVersion: "1.4.0-rc1", within: 2m, rate: 4/s }',
        'probes: { ops: { health: /healthz, version: /build } }',
      ),
    );
    expect(p).toMatchObject({
      newVersion: '1.4.0-rc1',
      healthUrl: 'http://127.0.0.1:8080/healthz',
      versionUrl: 'http://127.0.0.1:8080/build',
      deployTimeoutMs: 30_000,
      rollbackTimeoutMs: 90_000,
      withinMs: 120_000,
      rate: 4,
    });
  });
});

describe('drills.rollback validation', () => {
  it('refuses an expectVersion equal to the deployed version (a rollback could not be told from no change)', () => {
    const s = spec('{ deploy: a, rollback: b, expectVersion: "1.4.0" }');
    let err: unknown;
    try {
      rollbackCollector.prepare?.(s, '.');
    } catch (e) {
      err = e;
    }
    expect(isGoliveError(err) && err.code).toBe('GL_SPEC_INVALID');
    expect((err as Error).message).toMatch(/expectVersion is 1\.4\.0, the same as the version deployed \(v1\.4\.0\)/);
  });

  it('refuses a probe rate above 100/s and a duration without a unit', () => {
    expect(problemsOf(() => spec('{ deploy: a, rollback: b, expectVersion: v1, rate: 500/s }'))).toMatch(
      /drills\.rollback\.rate: the probe rate must be between 0 and 100\/s/,
    );
    expect(problemsOf(() => spec('{ deploy: a, rollback: b, expectVersion: v1, within: 300 }'))).toMatch(
      /drills\.rollback\.within: expected a duration with a unit/,
    );
  });
});

describe('sameVersion', () => {
  it('ignores a leading v and surrounding space', () => {
    expect(sameVersion('v1.3.2', '1.3.2 ')).toBe(true);
    expect(sameVersion('v1.3.2', 'v1.4.0')).toBe(false);
  });
});
