import { afterEach, describe, expect, it } from 'vitest';
import { tree } from '../helpers.js';
import { freePort } from '../servers/free-port.js';
import { nginxBinary, startNginx, type RunningNginx } from '../servers/nginx.js';
import { check, makeCert, metric, probe, rules, serious } from './probe-helpers.js';

const running: RunningNginx[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

const files = {
  'index.nginx-debian.html':
    '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>Welcome</body></html>',
  '.git/config':
    '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n[remote "origin"]\n\turl = https://deploy:ghp_s3cretvalue@github.example/shop.git\n',
  'login/index.html': '<html><body><form>login</form></body></html>',
};

describe.skipIf(!nginxBinary())('golive probe against nginx from Debian', () => {
  it('grades the default configuration F and finds the exposed .git/config', async () => {
    // The server block of Debian's /etc/nginx/sites-available/default.
    const nginx = await startNginx(
      `server {
        listen {{PORT}} default_server;
        root {{ROOT}};
        index index.html index.htm index.nginx-debian.html;
        server_name _;
        location / { try_files $uri $uri/ =404; }
      }`,
      files,
    );
    running.push(nginx);
    const { code, ev, stdout } = await probe([nginx.url]);
    expect(code).toBe(1);
    const obs = ev.data?.observatory as { grade: string; score: number };
    expect(obs.grade).toBe('F');
    // CSP -25, HSTS (no https) -20, redirection -20, XCTO -5, XFO -20 → 10
    expect(obs.score).toBe(10);
    expect(rules(ev)).toEqual(
      expect.arrayContaining([
        'headers.csp-not-implemented',
        'headers.x-frame-options-not-implemented',
        'headers.x-content-type-options-not-implemented',
        'headers.hsts-not-implemented-no-https',
        'headers.redirection-missing',
        'headers.server-version',
        'exposure-git-config',
      ]),
    );
    const git = ev.findings.find((f) => f.rule === 'exposure-git-config');
    expect(git?.severity).toBe('high');
    expect(git?.evidence).toContain('[core]');
    expect(stdout).not.toContain('ghp_s3cretvalue');
    expect(ev.findings.find((f) => f.rule === 'headers.server-version')?.evidence).toMatch(/^Server: nginx\/\d/);
    expect(check(ev, 'security.headers')?.status).toBe('fail');
  });

  it('grades a hardened https configuration A+ with a trusted certificate, the redirect and a rate limit', async () => {
    const dir = tree();
    const { key, cert } = makeCert(dir, { days: 90 });
    const httpPort = await freePort();
    const headers = `
        server_tokens off;
        add_header Content-Security-Policy "default-src 'none'; frame-ancestors 'none'" always;
        add_header Strict-Transport-Security "max-age=63072000" always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy no-referrer always;
        add_header Cross-Origin-Resource-Policy same-origin always;`;
    const nginx = await startNginx(
      `limit_req_zone $binary_remote_addr zone=login:1m rate=1r/s;
      server {
        listen {{PORT}} ssl;
        ssl_certificate ${cert};
        ssl_certificate_key ${key};
        ssl_protocols TLSv1.2 TLSv1.3;
        root {{ROOT}};
        index index.nginx-debian.html;
        ${headers}
        location ~ /\\. { deny all; }
        location /login { limit_req zone=login burst=2 nodelay; limit_req_status 429; ${headers} try_files $uri $uri/ =404; }
      }
      server {
        listen 127.0.0.1:${httpPort};
        server_tokens off;
        return 301 https://{{PORT}}$request_uri;
      }`,
      files,
    );
    running.push(nginx);
    const url = `https://127.0.0.1:${nginx.port}`;
    const { code, ev } = await probe([
      url,
      '--ca',
      cert,
      '--http-url',
      `http://127.0.0.1:${httpPort}`,
      '--public',
      'GET /login/',
      '--burst',
      '40',
    ]);
    expect(serious(ev)).toEqual([]);
    expect(code).toBe(0);
    const obs = ev.data?.observatory as { grade: string; score: number; tests: { name: string; result: string }[] };
    // 100 + CSP default-src 'none' 10 + XFO via frame-ancestors 5 + Referrer-Policy 5
    expect(obs.score).toBe(120);
    expect(obs.grade).toBe('A+');
    expect(obs.tests.find((t) => t.name === 'redirection')?.result).toBe('redirection-to-https');
    expect(check(ev, 'security.tls')?.status).toBe('pass');
    expect(metric(ev, 'security.tls.days_left')).toBeGreaterThanOrEqual(88);
    expect((ev.data?.tls as { protocol: string }).protocol).toMatch(/TLSv1\.[23]/);
    expect(check(ev, 'security.exposure')?.status).toBe('pass');
    expect(check(ev, 'security.ratelimit')?.status).toBe('pass');
    const rl = (ev.data?.ratelimit as { route: string; limitedAfter?: number }[])[0];
    expect(rl?.limitedAfter).toBeGreaterThan(1);
    expect(rl?.limitedAfter).toBeLessThanOrEqual(40);
  });
});
