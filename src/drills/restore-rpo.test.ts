import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newestBackup } from './restore-rpo.js';

function files(entries: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'golive-rpo-'));
  for (const [path, minutesAgo] of Object.entries(entries)) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x');
    const t = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(full, t, t);
  }
  return dir;
}

describe('newestBackup', () => {
  it('finds the newest file in a folder, recursively', () => {
    const dir = files({ 'a.dump': 90, 'daily/b.dump': 30, 'daily/old/c.dump': 600 });
    expect(newestBackup('.', dir)).toMatchObject({ path: join(dir, 'daily/b.dump'), count: 3 });
  });
  it('finds the newest file matching a glob, relative to the spec folder', () => {
    const dir = files({ 'backups/shop-1.sql.gz': 120, 'backups/shop-2.sql.gz': 50, 'backups/other.txt': 1 });
    expect(newestBackup('backups/shop-*.sql.gz', dir)).toMatchObject({
      path: join(dir, 'backups/shop-2.sql.gz'),
      count: 2,
    });
    expect(newestBackup(join(dir, 'backups/**/*.gz'), '/')?.path).toBe(join(dir, 'backups/shop-2.sql.gz'));
  });
  it('is undefined when nothing matches or the folder is missing', () => {
    const dir = files({ 'x.txt': 1 });
    expect(newestBackup('*.dump', dir)).toBeUndefined();
    expect(newestBackup('missing', dir)).toBeUndefined();
  });
});
