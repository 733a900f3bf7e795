import { describe, expect, it } from 'vitest';
import { mergedStoppedBy } from './workers.js';

describe('the stop reason of merged worker results', () => {
  it('is interrupted when any worker was, whatever another reported first', () => {
    expect(mergedStoppedBy([{ stoppedBy: 'abort-on-fail: load.error_rate' }, { stoppedBy: 'interrupted' }, {}])).toBe(
      'interrupted',
    );
    expect(mergedStoppedBy([{}, { stoppedBy: 'abort-on-fail: load.error_rate' }, {}])).toBe(
      'abort-on-fail: load.error_rate',
    );
    expect(mergedStoppedBy([{}, {}])).toBeUndefined();
  });
});
