import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep, redactHeaders } from './redact.js';

describe('createRedactor', () => {
  it('replaces every occurrence, longest secret first', () => {
    const redact = createRedactor(['abc123', 'abc123-extended', 'zz']);
    expect(redact('t=abc123-extended u=abc123 v=zz')).toBe('t=[redacted] u=[redacted] v=zz');
  });

  it('handles regex characters and JSON-escaped or URL-encoded forms', () => {
    const redact = createRedactor(['p@ss"w.rd+']);
    expect(redact('p@ss"w.rd+')).toBe('[redacted]');
    expect(redact(JSON.stringify({ h: 'p@ss"w.rd+' }))).toBe('{"h":"[redacted]"}');
    expect(redact(`?q=${encodeURIComponent('p@ss"w.rd+')}`)).toBe('?q=[redacted]');
    expect(redact('pXssXwXrd+')).toBe('pXssXwXrd+');
  });

  it('is the identity without secrets', () => {
    expect(createRedactor([])('anything')).toBe('anything');
    expect(createRedactor(['', 'a'])('a b')).toBe('a b');
  });
});

describe('redactHeaders', () => {
  it('masks credentials and anything named token, secret or key', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer abc.def',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        Cookie: 'sid=1',
        'Set-Cookie': 'sid=2',
        'X-Api-Key': 'k',
        'X-Auth-Token': 't',
        'X-Client-Secret': 's',
        'Api-Keys': 'x',
        Accept: 'application/json',
        'X-Request-Id': 'r1',
      }),
    ).toEqual({
      Authorization: 'Bearer [redacted]',
      'proxy-authorization': 'Basic [redacted]',
      Cookie: '[redacted]',
      'Set-Cookie': '[redacted]',
      'X-Api-Key': '[redacted]',
      'X-Auth-Token': '[redacted]',
      'X-Client-Secret': '[redacted]',
      'Api-Keys': '[redacted]',
      Accept: 'application/json',
      'X-Request-Id': 'r1',
    });
  });

  it('masks a bare Authorization value whole, array values item by item, and accepts undefined', () => {
    expect(redactHeaders({ authorization: 'justatoken' })).toEqual({ authorization: '[redacted]' });
    expect(redactHeaders({ 'set-cookie': ['a=1', 'b=2'], vary: undefined })).toEqual({
      'set-cookie': ['[redacted]', '[redacted]'],
      vary: undefined,
    });
    expect(redactHeaders(undefined)).toEqual({});
  });
});

describe('redactDeep', () => {
  it('redacts strings at any depth but leaves numbers, keys and encoded histograms alone', () => {
    const redact = createRedactor(['4780']);
    const out = redactDeep(
      { url: 'http://127.0.0.1:4780/', port: 4780, '4780': 'x', r: { histograms: { latency: 'HISTFAAAA4780Aw==' } } },
      redact,
    );
    expect(out).toEqual({
      url: 'http://127.0.0.1:[redacted]/',
      port: 4780,
      '4780': 'x',
      r: { histograms: { latency: 'HISTFAAAA4780Aw==' } },
    });
  });
});
