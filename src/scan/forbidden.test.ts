import { describe, expect, it } from 'vitest';
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
