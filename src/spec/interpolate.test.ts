import { describe, expect, it } from 'vitest';
import { interpolate, interpolateString } from './interpolate.js';
import { loadSpecText } from './load.js';

describe('interpolate', () => {
  it('substitutes ${VAR} and ${VAR:-default}', () => {
    const env = { HOST: 'staging.example.com', EMPTY: '' };
    expect(interpolateString('https://${HOST}/x', env).value).toBe('https://staging.example.com/x');
    expect(interpolateString('${PORT:-8080}', env).value).toBe('8080');
    expect(interpolateString('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateString('[${EMPTY}]', env).value).toBe('[]');
  });

  it('leaves lowercase and mixed-case placeholders verbatim for the load engine', () => {
    const r = interpolateString('/products/${sku}?vu=${vu}&i=${iter} Bearer ${token} ${Mixed} ${a-b}', {
      sku: 'NO',
      vu: 'NO',
    });
    expect(r.value).toBe('/products/${sku}?vu=${vu}&i=${iter} Bearer ${token} ${Mixed} ${a-b}');
    expect(r.unset).toEqual([]);
    expect(r.substitutions).toEqual([]);
  });

  it('$${ escapes a literal ${', () => {
    expect(interpolateString('$${HOME} and $${vu}', { HOME: '/root' }).value).toBe('${HOME} and ${vu}');
    expect(interpolateString('cost: $5 ${X}', { X: 'abc' }).value).toBe('cost: $5 abc');
  });

  it('does not re-scan values from the environment', () => {
    expect(interpolateString('${A}', { A: '${B}', B: 'nope' }).value).toBe('${B}');
  });

  it('reports unset variables with their path and index', () => {
    const r = interpolate({ target: { headers: { Authorization: 'Bearer ${STAGING_TOKEN}' } }, list: ['x${Y}'] }, {});
    expect(r.unset).toEqual([
      { name: 'STAGING_TOKEN', path: ['target', 'headers', 'Authorization'], index: 7 },
      { name: 'Y', path: ['list', 0], index: 1 },
    ]);
  });

  it('reports each value from the environment with its place and the text around it, not defaults', () => {
    const r = interpolate(
      { a: 'Bearer ${TOKEN}', b: ['${TOKEN}'], d: '${UNSET:-default-value}', e: 42, f: '$${X}-${SHORT}' },
      { TOKEN: 'tok-123', SHORT: 'ab' },
    );
    expect(r.value).toEqual({ a: 'Bearer tok-123', b: ['tok-123'], d: 'default-value', e: 42, f: '${X}-ab' });
    expect(r.substitutions).toEqual([
      { name: 'TOKEN', value: 'tok-123', path: ['a'], text: 'Bearer tok-123', start: 7, end: 14 },
      { name: 'TOKEN', value: 'tok-123', path: ['b', 0], text: 'tok-123', start: 0, end: 7 },
      { name: 'SHORT', value: 'ab', path: ['f'], text: '${X}-ab', start: 5, end: 7 },
    ]);
  });

  it('does not interpolate mapping keys', () => {
    expect(interpolate({ '${KEY}': '${VAL}' }, { KEY: 'k', VAL: 'value' }).value).toEqual({ '${KEY}': 'value' });
  });

  it('is applied by loadSpecText, which keeps load placeholders intact', () => {
    const text = `version: 1
service: s
release: r
target:
  baseUrl: http://\${HOST:-127.0.0.1}:8080
  headers: { Authorization: "Bearer \${token}", X-Literal: "$\${NOT_EXPANDED}" }
`;
    const loaded = loadSpecText(text, 'golive.yaml', { HOST: 'localhost' });
    expect(loaded.spec.target.baseUrl).toBe('http://localhost:8080');
    expect(loaded.spec.target.headers).toEqual({ Authorization: 'Bearer ${token}', 'X-Literal': '${NOT_EXPANDED}' });
    // A host in the target URL is not a secret: the target is always shown.
    expect(loaded.secrets).toEqual([]);
  });
});
