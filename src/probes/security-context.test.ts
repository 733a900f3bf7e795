import { describe, expect, it } from 'vitest';
import { safeExcerpt, secFinding } from './security-context.js';

describe('secFinding', () => {
  it('fingerprints rule + method + path, not host, port or evidence', () => {
    const a = secFinding({
      rule: 'r',
      severity: 'high',
      title: 't',
      method: 'GET',
      path: '/x',
      evidence: 'port 1',
      remediation: '',
    });
    const b = secFinding({
      rule: 'r',
      severity: 'low',
      title: 'u',
      method: 'GET',
      path: '/x',
      evidence: 'port 2',
      remediation: '',
    });
    const c = secFinding({ rule: 'r', severity: 'high', title: 't', method: 'POST', path: '/x', remediation: '' });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.location).toBe('GET /x');
  });
});

describe('safeExcerpt', () => {
  it('masks values of KEY=value lines, secret-like keys and URL passwords', () => {
    const text =
      'DB_PASSWORD=hunter2\nexport API_KEY="abc"\n[remote "origin"]\n\turl = https://bob:s3cret@git.example/r.git\npassword: topsecret';
    const out = safeExcerpt(text);
    for (const secret of ['hunter2', 'abc', 's3cret', 'topsecret']) expect(out).not.toContain(secret);
    expect(out).toContain('DB_PASSWORD=[redacted]');
    expect(out).toContain('[remote "origin"]');
  });
  it('cuts long text and replaces control bytes', () => {
    expect(safeExcerpt('a'.repeat(500), 10)).toBe(`${'a'.repeat(10)}…`);
    expect(safeExcerpt('\u0000x')).toBe('·x');
  });
});

describe('stack-trace signatures', () => {
  it('recognise Node.js traces, plain and as Express renders them in HTML', async () => {
    const { STACK_TRACES } = await import('./injection.js');
    const plain = 'TypeError: x\n    at Object.<anonymous> (/srv/app.js:3:9)\n    at node:internal/x:1:1';
    const html =
      'TypeError: x<br> &nbsp; &nbsp;at /srv/app.js:12:34<br> &nbsp; &nbsp;at Layer.handleRequest (/srv/node_modules/router/lib/layer.js:152:17)';
    const python = 'Traceback (most recent call last):\n  File "app.py", line 3';
    for (const t of [plain, html, python])
      expect(
        STACK_TRACES.some((re) => re.test(t)),
        t,
      ).toBe(true);
    expect(STACK_TRACES.some((re) => re.test('<p>at the shop (open 9:00)</p>'))).toBe(false);
  });
});
