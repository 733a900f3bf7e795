import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  it('renders offline: no request leaves the file, the verdict and the matrix are visible', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': specYaml(s.url) });
    expect((await golive(['check'], { cwd: dir })).code).toBe(1);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const file = join(dir, 'golive-report', 'report.html');
      await page.goto(pathToFileURL(file).toString());
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      const text = await page.innerText('body');
      expect(text).toMatch(/NOT READY/i);
      expect(text).toContain('AC-2');
      expect(text).toContain('Runbooks reviewed');
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
