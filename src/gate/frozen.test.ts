import { describe, expect, it } from 'vitest';
import { compareFrozen } from './frozen.js';

describe('compareFrozen', () => {
  it('lists changed, added and removed thresholds', () => {
    expect(compareFrozen({ a: '< 200ms', b: '== 0', c: '< 1s' }, { a: '< 200ms', b: '== 1', d: '> 5' })).toEqual([
      { name: 'b', frozen: '== 0', current: '== 1' },
      { name: 'd', frozen: null, current: '> 5' },
      { name: 'c', frozen: '< 1s', current: null },
    ]);
  });

  it('ignores whitespace but not a change of unit or operator', () => {
    expect(compareFrozen({ a: '< 200ms', b: '>= 1000' }, { a: ' <200 ms ', b: '>=1000' })).toEqual([]);
    expect(compareFrozen({ a: '< 200ms' }, { a: '< 200s' })).toEqual([
      { name: 'a', frozen: '< 200ms', current: '< 200s' },
    ]);
    expect(compareFrozen({ a: '< 200ms' }, { a: '<= 200ms' })).toHaveLength(1);
  });

  it('is empty when nothing changed, including when both are empty', () => {
    expect(compareFrozen({}, {})).toEqual([]);
    expect(compareFrozen({ x: '== 0' }, { x: '== 0' })).toEqual([]);
  });
});
