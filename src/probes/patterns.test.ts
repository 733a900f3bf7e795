import { describe, expect, it } from 'vitest';
import { SecurityProbes } from '../spec/probes.js';
import { EXPOSURE_RULES } from './exposure.js';
import { SQL_ERRORS } from './injection.js';
import { probesToRun } from './security.js';

const rule = (path: string) => {
  const r = EXPOSURE_RULES.find((x) => x.path === path);
  if (!r) throw new Error(path);
  return (body: string): boolean => r.match.test(body) && !(r.unless?.test(body) ?? false);
};

describe('exposure matchers', () => {
  it('confirm the real files', () => {
    expect(rule('/.env')('APP_ENV=prod\nDB_PASSWORD=x\n')).toBe(true);
    expect(rule('/.git/config')('[core]\n\trepositoryformatversion = 0\n')).toBe(true);
    expect(rule('/.git/HEAD')('ref: refs/heads/main\n')).toBe(true);
    expect(rule('/actuator/env')('{"activeProfiles":[],"propertySources":[]}')).toBe(true);
    expect(rule('/backup.sql')('-- PostgreSQL database dump\nCREATE TABLE t (id int);')).toBe(true);
    expect(rule('/server-status')('<h1>Apache Server Status for localhost</h1>')).toBe(true);
    expect(rule('/debug/vars')('{"cmdline":["/app"],"memstats":{}}')).toBe(true);
    expect(rule('/.DS_Store')('\u0000\u0000\u0000\u0001Bud1\u0000')).toBe(true);
  });
  it('refuse HTML pages and login forms', () => {
    const spa = '<!doctype html><html><head><title>Shop</title></head><body>APP=1</body></html>';
    for (const path of ['/.env', '/backup.sql', '/.git/config', '/.git/HEAD', '/actuator/env', '/.DS_Store']) {
      expect(rule(path)(spa), path).toBe(false);
    }
    expect(rule('/admin')('<title>Admin login</title><input type="password" name="p">')).toBe(false);
    expect(rule('/admin')('<title>Admin</title><table>users</table>')).toBe(true);
  });
});

describe('SQL error signatures', () => {
  it('recognise the common databases and not ordinary text', () => {
    const errors = [
      'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version',
      'ERROR:  unterminated quoted string at or near "\'"',
      'SqliteError: unrecognized token: "\'%\'"',
      'ORA-01756: quoted string not properly terminated',
      "Unclosed quotation mark after the character string ''.",
      'SQLSTATE[42000]: Syntax error or access violation',
    ];
    for (const e of errors)
      expect(
        SQL_ERRORS.some((re) => re.test(e)),
        e,
      ).toBe(true);
    expect(SQL_ERRORS.some((re) => re.test('<p>No products match "golive\'"</p>'))).toBe(false);
  });
});

describe('probesToRun', () => {
  it('runs what applies unless told', () => {
    const cfg = SecurityProbes.parse({});
    expect(probesToRun(cfg, false)).toEqual(['headers', 'cookies', 'cors', 'exposure']);
    expect(probesToRun(cfg, true)).toEqual(['tls', 'headers', 'cookies', 'cors', 'exposure']);
    const routes = SecurityProbes.parse({ protected: ['GET /a'], public: ['POST /b'], params: { '/c': ['q'] } });
    expect(probesToRun(routes, false)).toEqual([
      'headers',
      'cookies',
      'cors',
      'exposure',
      'auth',
      'ratelimit',
      'injection',
    ]);
    expect(probesToRun(SecurityProbes.parse({ run: ['injection', 'tls'] }), false)).toEqual(['tls', 'injection']);
  });
});
