import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/model.js';
import { BIN, serve, tree } from '../helpers.js';
import { alive } from './drill-rollback-stack.js';

describe('Ctrl-C during golive drill rollback', () => {
  it('kills the running command with its process group, keeps the partial evidence and exits 3', async () => {
    // Always the new version: the deploy is confirmed, the rollback (a hanging command) never completes.
    const version = 'v1.4.0';
    const s = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/version' ? JSON.stringify({ version }) : '{"status":"ok"}');
    });
    try {
      const dir = tree({
        'golive.yaml': `version: 1
service: shop
release: v1.4.0
target: { baseUrl: "${s.url}" }
drills:
  rollback:
    deploy: "true"
    rollback: { command: "sleep 60 & echo $! > sleeper.pid; wait", timeout: 1m }
    expectVersion: v1.3.2
`,
      });
      const child = spawn(process.execPath, [BIN, 'drill', 'rollback'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<number | null>((r) => child.on('close', r));
      // Interrupt once the rollback command is running (bounded wait).
      const deadline = Date.now() + 20_000;
      while (!stderr.includes('drill.rollback: rollback:') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await closed;
      expect(code, stdout + stderr).toBe(3);
      expect(stderr).toMatch(/interrupted: stopping, keeping partial results/);
      const ev = JSON.parse(
        readFileSync(join(dir, 'golive-report', 'drill.rollback', 'evidence.json'), 'utf8'),
      ) as Evidence;
      expect(ev.status).toBe('error');
      expect(ev.checks.find((c) => c.id === 'drill.rollback.rollback')).toMatchObject({
        status: 'error',
        summary: 'rollback command "sleep 60 & echo $! > sleeper.pid; wait" interrupted',
      });
      expect((ev.data?.phases as Array<{ name: string }>).map((p) => p.name)).toEqual([
        'deploy',
        'verify-new',
        'rollback',
      ]);
      expect(alive(Number(readFileSync(join(dir, 'sleeper.pid'), 'utf8')))).toBe(false);
    } finally {
      await s.close();
    }
  });
});
