import { describe, expect, it } from 'vitest';
import type { Substitution } from './interpolate.js';
import { interpolate } from './interpolate.js';
import {
  createRedactor,
  environmentRedactor,
  isSecretName,
  isStrongSecretName,
  redactDeep,
  redactError,
  redactHeaders,
  redactSpec,
  secretValues,
  tooShortToRedact,
} from './redact.js';
import { GoliveError } from '../errors.js';

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
    const redact = createRedactor(['Tok3nX9']);
    const out = redactDeep(
      {
        url: 'http://h/x?k=Tok3nX9',
        n: 4780,
        perRequest: { 'GET /x?k=Tok3nX9': { requests: 3 } },
        r: { histograms: { latency: 'HISTFAAAATok3nX9Aw==' } },
      },
      redact,
    );
    expect(out).toEqual({
      url: 'http://h/x?k=[redacted]',
      n: 4780,
      perRequest: { 'GET /x?k=[redacted]': { requests: 3 } },
      r: { histograms: { latency: 'HISTFAAAATok3nX9Aw==' } },
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
    for (const n of ['API_KEY', 'GH_PAT_SECRET', 'DB_PASS', 'AUTH_HEADER', 'SESSION_COOKIE', 'MY_JWT']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['BASE_URL', 'PORT', 'HOST', 'REGION', 'RELEASE']) expect(isSecretName(n), n).toBe(false);
  });

  it('matches name words on word boundaries, and not names about a secret', () => {
    for (const n of [
      'ADMIN_PW',
      'DEPLOY_CRED',
      'DB_DSN',
      'PGPASSWORD',
      'DB_PWD',
      'BASIC_AUTH',
      'apiKey',
      'accessToken',
      'X-Hub-Signature',
      'url_sig',
      'SECRET_KEY_BASE',
      'AWS_ACCESS_KEY_ID',
      'Authorization',
    ]) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of [
      'KEY_PATH',
      'MONKEY',
      'AUTH_TIMEOUT_MS',
      'AUTHOR',
      'PASSENGER',
      'SIGNAL',
      'PWD',
      'OLDPWD',
      'AUTH_MODE',
      'DB_PASSWORD_FILE',
      'KEYCLOAK_URL',
      'SSH_AUTH_SOCK',
    ]) {
      expect(isSecretName(n), n).toBe(false);
    }
  });

  it('treats values used as credentials as secret: headers, secret-named keys and parameters, schemes, cookies', () => {
    const env = {
      A: 'aaa-111',
      B: 'bbb-222',
      C: 'ccc-333',
      D: 'ddd-444',
      E: 'eee-555',
      F: 'fff-666',
      G: 'ggg-777',
      H: 'hhh-888',
    };
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
    expect(secretValues(s).sort()).toEqual([
      'aaa-111',
      'bbb-222',
      'ccc-333',
      'ddd-444',
      'eee-555',
      'fff-666',
      'ggg-777',
    ]);
  });

  it('keeps only the password of a URL, and never the target: its origin, host and port are shown', () => {
    const env = { DB_URL: 'postgres://app:pw-9876@db:5432/shop', HOST: 'staging.example.com' };
    const s = subs({ baseUrl: 'http://${HOST}:4780', restore: '${DB_URL}', other: 'http://u:${HOST}@h/' }, env);
    // HOST as a URL password would be secret, but it is the target's host: always shown.
    expect(secretValues(s, [], 'http://staging.example.com:4780')).toEqual(['pw-9876']);
    expect(secretValues(s)).toEqual(['pw-9876', 'staging.example.com']);
  });

  it('shows a target URL that comes whole from the environment', () => {
    const s = subs({ target: { baseUrl: '${BASE_URL}' } }, { BASE_URL: 'https://staging.example.com' });
    expect(secretValues(s, [], 'https://staging.example.com')).toEqual([]);
  });

  it('ignores values shorter than 6 characters, and names the declared ones', () => {
    expect(secretValues(subs({ a: '${TOKEN}' }, { TOKEN: 'ab1cd' }))).toEqual([]);
    expect(secretValues(subs({ a: '${TOKEN}' }, { TOKEN: 'ab1cde' }))).toEqual(['ab1cde']);
    expect(tooShortToRedact(['DB_PW', 'LONG', 'EMPTY', 'UNSET'], { DB_PW: 'abc', LONG: 'abcdef', EMPTY: '' })).toEqual([
      'DB_PW',
    ]);
  });

  it('makes every declared variable secret, used in the spec or not: the target and drills see the whole environment', () => {
    const env = { DB_PASSWORD: 'hunter22', OPAQUE: 'opq-3333', REGION: 'eu-west-1' };
    expect(secretValues([], ['DB_PASSWORD', 'OPAQUE', 'UNSET'], undefined, env).sort()).toEqual([
      'hunter22',
      'opq-3333',
    ]);
    // A plain word is still secret when declared.
    expect(secretValues([], ['MODE_X'], undefined, { MODE_X: 'production' })).toEqual(['production']);
  });

  it('makes the variables of the environment named like a secret secret, unless the value is a plain word or number', () => {
    const env = {
      DEPLOY_TOKEN: 'dpl-8812xq',
      NODE_AUTH_TOKEN: 'npm_Abc123456', // golive:allow (test value)
      FEATURE_PASS: 'enabled',
      API_KEY: '2000000',
      KEY_PATH: '/etc/keys/x.pem',
      PWD: '/home/me/project',
      HOME: '/home/me',
    };
    expect(secretValues([], [], undefined, env).sort()).toEqual(['dpl-8812xq', 'npm_Abc123456']);
  });

  it('lets a declared name win over the target exemption, and masks secret parameters of the target URL', () => {
    const base = 'https://h.example/api?api_key=K1234567&region=eu';
    const s = subs({ target: { baseUrl: '${BASE}' } }, { BASE: base });
    expect(secretValues(s, [], base)).toEqual(['K1234567']);
    expect(secretValues(s, ['BASE'], base, { BASE: base })).toEqual([base, 'K1234567']);
    const host = subs({ target: { baseUrl: 'https://${HOSTX}' } }, { HOSTX: 'h.example' });
    expect(secretValues(host, ['HOSTX'], 'https://h.example', { HOSTX: 'h.example' })).toEqual(['h.example']);
    // Written literally, a secret parameter of the target is masked too; the origin and path are shown.
    const redact = createRedactor(secretValues([], [], 'https://h.example/v1?token=lit3ral-t0k'));
    expect(redact('target https://h.example/v1?token=lit3ral-t0k')).toBe(
      'target https://h.example/v1?token=[redacted]',
    );
  });

  it('finds credentials inside a substituted value: URL parameters, DSN pairs, URL passwords', () => {
    const env = {
      DB: 'mysql://root@h/db?password=xx12345&ssl=true',
      CONN: 'host=db user=app password=pw12345 dbname=x',
      JSON_CFG: '{"user":"u","token":"tk-998877"}',
      PGURL: 'postgres://app:pgpw-1234@db/shop',
      PLAIN_URL: 'https://docs.example/guide?page=2',
    };
    const s = subs(
      {
        target: { start: { command: 'node s.js --cfg ${JSON_CFG} --pg ${PGURL}', env: { DATABASE_URL: '${DB}' } } },
        drills: { restore: { command: 'psql "${CONN}"' } },
        docs: '${PLAIN_URL}',
      },
      env,
    );
    expect(secretValues(s).sort()).toEqual(['pgpw-1234', 'pw12345', 'tk-998877', 'xx12345']);
  });
});

describe('secretValues: the environment the spec does not use', () => {
  it('keeps the plain-word exemption for weak name words only, never for TOKEN, SECRET, PASSWORD, PW and the like', () => {
    const env = {
      DB_PASSWORD: 'correcthorsebatterystaple', // golive:allow (test value)
      GH_TOKEN: 'abcdefghijkl', // golive:allow (test value)
      APP_SECRET: '1234567890', // golive:allow (test value)
      ADMIN_PW: 'swordfish', // golive:allow (test value)
      DB_PWD: 'letmeinplease', // golive:allow (test value)
      SMTP_PASSWD: 'mailpassword', // golive:allow (test value)
      GPG_PASSPHRASE: 'opensesame', // golive:allow (test value)
      DEPLOY_CREDENTIAL: '88881234', // golive:allow (test value)
      DEPLOY_CRED: 'deploycred', // golive:allow (test value)
      // weak whole words: a plain word or a number is still left alone
      FEATURE_PASS: 'enabled',
      API_KEY: '2000000',
      BASIC_AUTH: 'disabled',
      URL_SIG: 'urlsigned',
    };
    expect(secretValues([], [], undefined, env).sort()).toEqual(
      [
        'correcthorsebatterystaple',
        'abcdefghijkl',
        '1234567890',
        'swordfish',
        'letmeinplease',
        'mailpassword',
        'opensesame',
        '88881234',
        'deploycred',
      ].sort(),
    );
    expect(isStrongSecretName('DB_PASSWORD')).toBe(true);
    expect(isStrongSecretName('API_KEY')).toBe(false);
    expect(isStrongSecretName('DB_PASSWORD_FILE')).toBe(false);
  });

  it('finds credentials inside every environment value, used by the spec or not; only the credential is secret', () => {
    const env = {
      DATABASE_URL: 'postgres://app:s3cretpw99@db/shop', // golive:allow (test value)
      REDIS_CONN: 'host=cache user=app password=rd-pass77', // golive:allow (test value)
      CALLBACK: 'https://hooks.example/x?access_token=cb-t0ken-9', // golive:allow (test value)
      PLAIN_URL: 'https://docs.example/guide?page=2',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/home/me',
    };
    expect(secretValues([], [], undefined, env).sort()).toEqual(['cb-t0ken-9', 'rd-pass77', 's3cretpw99']);
    const redact = environmentRedactor(env);
    expect(redact('db=postgres://app:s3cretpw99@db/shop')).toBe('db=postgres://app:[redacted]@db/shop');
  });

  it('treats names ending in url, uri, endpoint or host as about a secret, and still masks a password inside', () => {
    for (const n of ['AUTH_URL', 'OAUTH_TOKEN_URL', 'TOKEN_URI', 'AUTH_ENDPOINT', 'SECRETS_HOST']) {
      expect(isSecretName(n), n).toBe(false);
    }
    const env = {
      AUTH_URL: 'https://auth.example.com/login',
      OAUTH_TOKEN_URL: 'https://idp.example.com/oauth/token',
      SECRET_STORE_URL: 'https://vault:v4ult-pw-1@vault.example.com/',
    };
    expect(secretValues([], [], undefined, env)).toEqual(['v4ult-pw-1']);
    const s = subs({ target: { start: { env: { A: '${AUTH_URL}', B: '${OAUTH_TOKEN_URL}' } } } }, env);
    expect(secretValues(s)).toEqual([]);
  });
});

describe('what redaction leaves alone', () => {
  it('never rewrites run ids, hashes or the texts the gate reads', () => {
    const redact = createRedactor(['abc123', '200000', 'PAYMENTS-EU'], ['< 200000ms', 'AC-PAYMENTS-EU']);
    expect(redact('run 20261122T093015Z-abc123 spec sha256:ffabc123ee00 fp abc123')).toBe(
      'run 20261122T093015Z-abc123 spec sha256:ffabc123ee00 fp [redacted]',
    );
    expect(redact('AC-PAYMENTS-EU load.latency.p95 < 200000ms; got 200000 ms')).toBe(
      'AC-PAYMENTS-EU load.latency.p95 < 200000ms; got [redacted] ms',
    );
    // A secret that runs past kept text is masked whole.
    expect(redact('< 200000msabc123')).toBe('< 200000ms[redacted]');
    const spec = { thresholds: { 'load.latency.p95': '< 200000ms' }, criteria: [{ id: 'AC-PAYMENTS-EU' }] };
    expect(redactSpec(spec, redact)).toEqual(spec);
  });

  it('never treats values shorter than 6 characters as secrets', () => {
    expect(createRedactor(['abc', '200', 'abcde'])('abc 200 abcde')).toBe('abc 200 abcde');
  });
});

describe('redactError', () => {
  it('redacts message, hint, problems and stack, keeping the code; a bug stays a plain Error', () => {
    const redact = createRedactor(['s3cr3t-v4l']);
    const g = redactError(
      new GoliveError('GL_TARGET_START_FAILED', 'cmd s3cr3t-v4l failed', {
        hint: 'see s3cr3t-v4l',
        problems: [{ message: 'at s3cr3t-v4l' }],
      }),
      redact,
    ) as GoliveError;
    expect([g.code, g.message, g.hint, g.problems[0]?.message]).toEqual([
      'GL_TARGET_START_FAILED',
      'cmd [redacted] failed',
      'see [redacted]',
      'at [redacted]',
    ]);
    const bug = redactError(new TypeError('cannot read s3cr3t-v4l'), redact);
    expect(bug).not.toBeInstanceOf(GoliveError);
    expect([bug.name, bug.message]).toEqual(['TypeError', 'cannot read [redacted]']);
    expect(bug.stack).not.toContain('s3cr3t-v4l');
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
