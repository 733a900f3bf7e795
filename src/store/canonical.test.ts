import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, whatever order they were built in', () => {
    const a = { b: 1, a: { d: [3, { y: 1, x: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { x: 2, y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('is stable across a JSON round trip and repeated calls', () => {
    const value = { z: 'ü ✓ "q"\n', n: -0, f: 1.5e-7, list: [true, false, null], empty: {}, arr: [] };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(canonicalJson(value)).toBe(text);
    expect(text).toBe('{"arr":[],"empty":{},"f":1.5e-7,"list":[true,false,null],"n":0,"z":"ü ✓ \\"q\\"\\n"}');
  });

  it('drops undefined members like JSON, keeps array slots as null, honours toJSON', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
    expect(canonicalJson(Number.NaN)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('orders keys by code unit, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"B":2,"_":4,"a":3,"b":1}');
  });
});
