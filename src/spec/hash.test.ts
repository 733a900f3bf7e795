import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { specHash } from './hash.js';
import { loadSpecText } from './load.js';

const SPEC = `version: 1
service: checkout-api
release: v1.4.0
target:
  baseUrl: http://127.0.0.1:8080
  headers: { Authorization: "Bearer \${STAGING_TOKEN}" }
thresholds:
  load.latency.p95: "< 200ms"
  findings.high: "== 0"
`;

const REORDERED = `# comments and key order do not matter
release: v1.4.0
thresholds: { findings.high: "== 0", load.latency.p95: "< 200ms" }
target:
  headers:
    Authorization: "Bearer \${STAGING_TOKEN}"
  baseUrl: http://127.0.0.1:8080
service: checkout-api
version: 1
`;

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, 'é'])).toBe('[null,"é"]');
  });
});

describe('specHash', () => {
  it('is sha256 of the canonical form', () => {
    expect(specHash({ a: 1 })).toBe('sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('is stable under key reorder and formatting', () => {
    const a = loadSpecText(SPEC, 'golive.yaml', { STAGING_TOKEN: 'one' });
    const b = loadSpecText(REORDERED, 'golive.yaml', { STAGING_TOKEN: 'one' });
    expect(a.specHash).toBe(b.specHash);
  });

  it('does not change when only an environment value changes', () => {
    const a = loadSpecText(SPEC, 'golive.yaml', { STAGING_TOKEN: 'old-token' });
    const b = loadSpecText(SPEC, 'golive.yaml', { STAGING_TOKEN: 'rotated-token' });
    expect(a.specHash).toBe(b.specHash);
    expect(a.spec.target.headers).not.toEqual(b.spec.target.headers);
  });

  it('changes with any edit to the written spec', () => {
    const a = loadSpecText(SPEC, 'golive.yaml', { STAGING_TOKEN: 'x' });
    const b = loadSpecText(SPEC.replace('< 200ms', '< 250ms'), 'golive.yaml', { STAGING_TOKEN: 'x' });
    const c = loadSpecText(SPEC.replace('${STAGING_TOKEN}', '${PROD_TOKEN}'), 'golive.yaml', { PROD_TOKEN: 'x' });
    expect(new Set([a.specHash, b.specHash, c.specHash]).size).toBe(3);
  });
});
