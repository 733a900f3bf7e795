import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, golive, opsHandler, serve, specYaml, tree } from '../helpers.js';
import { freePort, startSpec } from './target-helpers.js';

/* The cleanup of abandoned run folders touches only dead checks of its own store. */

let ops: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  ops = await serve(opsHandler());
});
afterAll(async () => {
  await ops.close();
});

const runFolders = (dir: string): string[] => readdirSync(join(dir, '.golive', 'runs')).sort();
const withStore = (yaml: string, path: string): string => `${yaml}store: { path: ${path} }\n`;

describe('run folders of other stores and other checks', () => {
  it("a check of one store leaves the evidence folders of another store's runs, however old", async () => {
    const dir = tree({
      'a.yaml': withStore(specYaml(ops.url), '.golive/a.db'),
      'b.yaml': withStore(specYaml(ops.url), '.golive/b.db'),
    });
    const a = await golive(['check', '-c', 'a.yaml'], { cwd: dir });
    expect(a.code, a.stdout + a.stderr).toBe(1); // no sign-offs yet: a stored run, NO-GO
    const [aRun] = runFolders(dir);
    utimesSync(join(dir, '.golive', 'runs', aRun as string), new Date(0), new Date(0));

    const b = await golive(['check', '-c', 'b.yaml'], { cwd: dir });
    expect(b.code, b.stdout + b.stderr).toBe(1);
    expect(b.stderr).not.toMatch(/removed run folder/);
    expect(b.stderr).toMatch(/note: left 1 folder\(s\) in .* alone/);
    expect(runFolders(dir)).toHaveLength(2);
    expect(runFolders(dir)).toContain(aRun);
    // The run of store a still opens with its evidence.
    const report = await golive(['report', '-c', 'a.yaml', '--format', 'json'], { cwd: dir });
    expect(report.code, report.stdout + report.stderr).toBe(0);
    expect(report.stdout).toContain(aRun);
  });

  const unshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
  it.skipIf(!unshare)(
    'a check in another pid namespace keeps its live run folder while another check runs',
    async () => {
      const port = await freePort();
      // /metrics hangs while `slow` exists, so the first check is still busy when the second one starts.
      const server = `require('node:http').createServer((q, s) => {
  if (q.url === '/metrics' && require('node:fs').existsSync('slow')) { require('node:fs').writeFileSync('busy', ''); return; }
  opsAnswer(q, s);
}).listen(${port}, '127.0.0.1');
function opsAnswer(q, s) {
  const body = { '/health': '{"status":"ok"}', '/version': '{"version":"v1.4.0"}', '/status': '{"status":"operational"}' }[q.url];
  if (q.url === '/metrics') { s.writeHead(200, { 'content-type': 'text/plain' }); return s.end('# TYPE up gauge\\nup 1\\n# TYPE http_requests_total counter\\nhttp_requests_total{code="200"} 5\\n'); }
  if (!body) { s.writeHead(404); return s.end(); }
  s.writeHead(200, { 'content-type': 'application/json' }); s.end(body);
}
`;
      const dir = tree({
        'golive.yaml': startSpec(port, `{ command: "node server.cjs", ready: /health, timeout: 15s }`),
        'other.yaml': specYaml(ops.url),
        'server.cjs': server,
        slow: '',
      });
      const first = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, BIN, 'check'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      first.stdout.on('data', (d: Buffer) => (out += d.toString()));
      first.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const closed = new Promise<number | null>((r) => first.on('close', (code) => r(code)));
      const deadline = Date.now() + 30_000;
      while (!existsSync(join(dir, 'busy'))) {
        if (Date.now() > deadline) throw new Error(`the first check never got busy:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const [live] = runFolders(dir);
      // Seen from here, the first check's pid is not its own: it must not look abandoned.
      const second = await golive(['check', '-c', 'other.yaml'], { cwd: dir });
      expect(second.code, second.stdout + second.stderr).toBe(1);
      expect(second.stderr).not.toMatch(/removed run folder/);
      expect(existsSync(join(dir, '.golive', 'runs', live as string, 'owner.json'))).toBe(true);

      rmSync(join(dir, 'slow'));
      // It completes and stores its run (its hung /metrics request fails the ops probe: NO-GO, not exit 3).
      expect(await closed, out).toBe(1);
      expect(runFolders(dir)).toContain(live);
    },
  );
});
