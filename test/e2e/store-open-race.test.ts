import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

// Several golive processes opening one new store at once (two CI jobs, or check and history
// in two terminals): SQLite gives the migrator no lock and its DDL is not transactional.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function openInChild(path: string): Promise<{ code: number | null; stderr: string }> {
  const store = pathToFileURL(join(ROOT, 'dist', 'store', 'sqlite-store.js')).href;
  const script = `const { openStore } = await import(${JSON.stringify(store)});
try { const s = await openStore(${JSON.stringify(path)}); await s.close(); }
catch (e) { console.error(e.code ?? '', e.message); process.exit(1); }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('opening a new evidence store from several processes at once', () => {
  it('every process opens it, the schema is migrated once, and no lock file is left', async () => {
    for (let round = 0; round < 6; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'golive-open-race-'));
      dirs.push(dir);
      const path = join(dir, '.golive', 'golive.db');
      const results = await Promise.all(Array.from({ length: 4 }, () => openInChild(path)));
      expect(results.map((r) => r.stderr.trim())).toEqual(['', '', '', '']);
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
      expect(existsSync(`${path}.migrating`)).toBe(false);
    }
  });
});
