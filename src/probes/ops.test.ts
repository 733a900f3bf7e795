import { describe, expect, it } from 'vitest';
import { readVersion } from './ops.js';

const res = (body: string) => ({ url: 'u', status: 200, headers: {}, body, ms: 1 });

describe('readVersion', () => {
  it('reads JSON version, release or build.version, and short plain text', () => {
    expect(readVersion(res('{"version":"v1.4.0"}'))).toBe('v1.4.0');
    expect(readVersion(res('{"release":"2.0.1"}'))).toBe('2.0.1');
    expect(readVersion(res('{"build":{"version":"3.1"}}'))).toBe('3.1');
    expect(readVersion(res('v1.4.0\n'))).toBe('v1.4.0');
  });
  it('finds nothing in HTML, multi-line text, JSON without a version or broken JSON', () => {
    expect(readVersion(res('<html>v1</html>'))).toBeUndefined();
    expect(readVersion(res('a\nb'))).toBeUndefined();
    expect(readVersion(res('{"name":"x"}'))).toBeUndefined();
    expect(readVersion(res('{"version":'))).toBeUndefined();
    expect(readVersion(res(''))).toBeUndefined();
  });
});
