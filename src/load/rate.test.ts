import { describe, expect, it } from 'vitest';
import { parseRate } from './rate.js';

describe('parseRate', () => {
  it('reads rates per second, minute and hour', () => {
    expect(parseRate('500')).toBe(500);
    expect(parseRate('500/s')).toBe(500);
    expect(parseRate('30/m')).toBe(0.5);
    expect(parseRate('3600/h')).toBe(1);
    expect(parseRate(' 2.5 / s ')).toBe(2.5);
  });
  it('refuses what is not a rate', () => {
    for (const bad of ['10/x', 'fast', '', '-5', '5/', '/s']) expect(parseRate(bad), bad).toBeUndefined();
  });
});
