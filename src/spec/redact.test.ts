import { describe, expect, it } from 'vitest';
import type { Substitution } from './interpolate.js';
import { interpolate } from './interpolate.js';
import { createRedactor, isSecretName, redactDeep, redactHeaders, redactSpec, secretValues } from './redact.js';

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
  it('redacts strings and keys at any depth but leaves numbers and encoded histograms alone', () => {
    const redact = createRedactor(['Tok3n']);
    const out = redactDeep(
      {
        url: 'http://h/x?k=Tok3n',
        n: 4780,
        perRequest: { 'GET /x?k=Tok3n': { requests: 3 } },
        r: { histograms: { latency: 'HISTFAAAATok3nAw==' } },
      },
      redact,
    );
    expect(out).toEqual({
      url: 'http://h/x?k=[redacted]',
      n: 4780,
      perRequest: { 'GET /x?k=[redacted]': { requests: 3 } },
      r: { histograms: { latency: 'HISTFAAAATok3nAw==' } },
    });
  });

  it('keeps both of two keys that are the same once redacted', () => {
    const redact = createRedactor(['aaa111', 'bbb222']);
    expect(redactDeep({ 'k=aaa111': 1, 'k=bbb222': 2, 'k=[redacted]': 3 }, redact)).toEqual({
      'k=[redacted]': 1,
      'k=[redacted] #2': 2,
      'k=[redacted] #3': 3,
    });
  });
});

/** The substitutions of one spec-shaped value. */
const subs = (value: unknown, env: Record<string, string>): Substitution[] => interpolate(value, env).substitutions;

describe('secretValues', () => {
  it('treats variables named like secrets, and those the spec lists, as secret', () => {
    const env = { STAGING_TOKEN: 'tok-1111', DB_PASSWORD: 'pw-2222', OPAQUE: 'opq-3333', REGION: 'eu-west-1' };
    const s = subs({ a: '${STAGING_TOKEN}', b: '${DB_PASSWORD}', c: '${OPAQUE}', d: '${REGION}' }, env);
    expect(secretValues(s, ['OPAQUE'])).toEqual(['tok-1111', 'pw-2222', 'opq-3333']);
    expect(secretValues(s)).toEqual(['tok-1111', 'pw-2222']);
    for (const n of ['API_KEY', 'GH_PAT_SECRET', 'PGPASS', 'AUTH_HEADER', 'SESSION_COOKIE', 'MY_JWT']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['BASE_URL', 'PORT', 'HOST', 'REGION', 'RELEASE']) expect(isSecretName(n), n).toBe(false);
  });

  it('treats values used as credentials as secret: headers, secret-named keys and parameters, schemes, cookies', () => {
    const env = { A: 'aaa-1', B: 'bbb-2', C: 'ccc-3', D: 'ddd-4', E: 'eee-5', F: 'fff-6', G: 'ggg-7', H: 'hhh-8' };
    const s = subs(
      {
        target: { headers: { 'X-Tenant': '${A}' } },
        probes: { security: { credentials: { admin: { 'X-Role': '${B}' } } } },
        start: { env: { PGPASSWORD: '${C}' } },
        load: [
          'GET /files?sig=${D}&user=${H}',
          'curl -H "Authorization: Bearer ${E}" -H "Cookie: sid=${F}" --api-key ${G}',
        ],
      },
      env,
    );
    expect(secretValues(s).sort()).toEqual(['aaa-1', 'bbb-2', 'ccc-3', 'ddd-4', 'eee-5', 'fff-6', 'ggg-7']);
  });

  it('keeps only the password of a URL, and never the target: its origin, host and port are shown', () => {
    const env = { DB_URL: 'postgres://app:pw-9876@db:5432/shop', PORT: '4780', HOST: 'staging.example.com' };
    const s = subs({ baseUrl: 'http://${HOST}:${PORT}', restore: '${DB_URL}', other: 'http://u:${PORT}@h/' }, env);
    // PORT as a URL password would be secret, but it is the target's port: always shown.
    expect(secretValues(s, [], 'http://staging.example.com:4780')).toEqual(['pw-9876']);
    expect(secretValues(s)).toEqual(['pw-9876', '4780']);
  });

  it('shows a target URL that comes whole from the environment', () => {
    const s = subs({ target: { baseUrl: '${BASE_URL}' } }, { BASE_URL: 'https://staging.example.com' });
    expect(secretValues(s, [], 'https://staging.example.com')).toEqual([]);
  });

  it('ignores values shorter than 3 characters', () => {
    expect(secretValues(subs({ a: '${TOKEN}' }, { TOKEN: 'ab' }))).toEqual([]);
  });
});

describe('redactSpec', () => {
  it('masks sensitive headers of every header map, literal or not, and every secret', () => {
    const spec = {
      target: { baseUrl: 'http://h:1', headers: { Authorization: 'Bearer literal-tok', Accept: 'text/plain' } },
      load: { scenarios: { s: { requests: [{ path: '/x?k=tok-123', headers: { 'X-Api-Key': 'lit' } }] } } },
      probes: { security: { credentials: { admin: { Cookie: 'sid=1' } } } },
    };
    expect(redactSpec(spec, createRedactor(['tok-123']))).toEqual({
      target: { baseUrl: 'http://h:1', headers: { Authorization: 'Bearer [redacted]', Accept: 'text/plain' } },
      load: { scenarios: { s: { requests: [{ path: '/x?k=[redacted]', headers: { 'X-Api-Key': '[redacted]' } }] } } },
      probes: { security: { credentials: { admin: { Cookie: '[redacted]' } } } },
    });
  });
});
