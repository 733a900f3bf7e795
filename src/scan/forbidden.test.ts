import { describe, expect, it } from 'vitest';
import { fakeSecrets } from '../../test/secret-corpus.js';
import {
  DEFAULT_FORBIDDEN_EXCLUDE,
  DEFAULT_FORBIDDEN_INCLUDE,
  DEFAULT_FORBIDDEN_RULES,
  findForbidden,
  sourceMatcher,
} from './forbidden.js';

const ids = (text: string): string[] => findForbidden('src/a.ts', text, DEFAULT_FORBIDDEN_RULES).map((m) => m.rule.id);

describe('findForbidden', () => {
  it('finds console.log/debug/trace calls and debugger statements', () => {
    expect(ids('console.log("x");\nconsole.debug(1)\n  debugger;\nif (a) { debugger }\n')).toEqual([
      'console-log',
      'console-log',
      'debugger',
      'debugger',
    ]);
  });

  it('leaves console.error/warn, comments and words containing debugger alone', () => {
    expect(
      ids('console.error("x");\nconsole.warn(1)\n// console.log(x)\n * debugger;\nconst debuggerPort = 9229;\n'),
    ).toEqual([]);
  });

  it('reports the line and counts identical lines so fingerprints stay distinct', () => {
    const m = findForbidden('src/a.ts', 'a\nconsole.log(1)\nb\nconsole.log(1)\n', DEFAULT_FORBIDDEN_RULES);
    expect(m.map((x) => [x.line, x.occurrence, x.excerpt])).toEqual([
      [2, 0, 'console.log(1)'],
      [4, 1, 'console.log(1)'],
    ]);
  });
  it('redacts a secret the 120-character cut would split, instead of showing its start', () => {
    const key = fakeSecrets.awsKeyId('cut');
    const line = `console.log("${'a'.repeat(98)} ${key}")`;
    const [m] = findForbidden('src/a.ts', line, DEFAULT_FORBIDDEN_RULES);
    expect(m?.excerpt).not.toContain(key.slice(0, 8));
    // The cut falls inside the redaction marker, which is kept whole.
    expect(m?.excerpt).toBe(`console.log("${'a'.repeat(98)} ${key.slice(0, 4)}… (20 chars)`);
    // A long line without a secret is cut at 120 as before (its fingerprint does not change).
    const plain = `console.log("${'b'.repeat(200)}")`;
    expect(findForbidden('src/a.ts', plain, DEFAULT_FORBIDDEN_RULES)[0]?.excerpt).toBe(plain.slice(0, 120));
  });
});

describe('sourceMatcher defaults', () => {
  const isSource = sourceMatcher({ include: DEFAULT_FORBIDDEN_INCLUDE, exclude: DEFAULT_FORBIDDEN_EXCLUDE });
  it.each([
    ['src/server.ts', true],
    ['lib/util.mjs', true],
    ['src/server.test.ts', false],
    ['src/api.spec.js', false],
    ['test/helpers.ts', false],
    ['packages/a/__tests__/x.js', false],
    ['dist/index.js', false],
    ['scripts/release.js', false],
    ['README.md', false],
    ['src/types.d.ts', false],
  ])('%s → %s', (path, expected) => {
    expect(isSource(path)).toBe(expected);
  });
});
