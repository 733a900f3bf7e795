import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml, sampleReportModel } from '../../src/report/index.js';
import { sampleRollbackDrill } from '../../src/report/fixture-drill.js';
import { sampleAlarmEvidence, sampleRestoreEvidence } from '../../src/report/fixture-ops.js';
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

// Two scenarios, bounded by rate × duration and by count: an open-model one
// (latency corrected) and a closed-model one (marked as not corrected).
const LOAD = `load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 40/s
      duration: 3s
      requests: [ "GET /health", "GET /status" ]
    steady:
      executor: constant-connections
      connections: 2
      maxRequests: 80
      duration: 5s
      requests: [ "GET /version" ]
`;

/** A page opened from a file, with every request it makes and every error it logs. */
interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

/** The little of a browser canvas the assertions read (the project compiles without the DOM library). */
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
  getBoundingClientRect(): { width: number; height: number };
}

/** What uPlot drew: per chart host, its canvas size and how many pixels are not blank. */
interface Drawn {
  canvases: Array<{ width: number; height: number; painted: number }>;
  legends: string[][];
}

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
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
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    cleanups.push(() => page.close());
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).toString(), { waitUntil: 'load' });
    return { page, requests, errors };
  }

  const drawn = (page: Page, selector: string): Promise<Drawn> =>
    page.$$eval(selector, (figures) => {
      const canvases = figures.map((f) => {
        const c = f.querySelector('.chart-host .uplot canvas') as unknown as Canvas | null;
        if (!c) return { width: 0, height: 0, painted: 0 };
        const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if ((px[i] as number) > 0) painted++;
        const r = c.getBoundingClientRect();
        return { width: r.width, height: r.height, painted };
      });
      const legends = figures.map((f) =>
        [...f.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent ?? ''),
      );
      return { canvases, legends };
    });

  it('renders offline with its charts drawn: no request leaves the file, no script error', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': specYaml(s.url, LOAD) });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);

    const file = join(dir, 'golive-report', 'report.html');
    for (const scheme of ['light', 'dark'] as const) {
      const { page, requests, errors } = await open(file, scheme);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(errors).toEqual([]);
      const text = await page.innerText('body');
      expect(text).toMatch(/NOT READY/i);
      expect(text).toContain('AC-2');
      expect(text).toContain('Runbooks reviewed');
      expect(text).toMatch(/closed model · not corrected/i);
      expect(text).toMatch(/latency from intended send time/i);

      // Three charts per scenario, each a uPlot canvas of real size with lines on it.
      const d = await drawn(page, '#load figure.chart');
      expect(d.canvases).toHaveLength(6);
      for (const c of d.canvases) {
        expect(c.width).toBeGreaterThan(300);
        expect(c.height).toBeGreaterThan(150);
        expect(c.painted).toBeGreaterThan(2000);
      }
      expect(d.legends).toEqual([
        ['at', 'p50', 'p95', 'p99'],
        ['at', 'requests', 'errors', 'dropped'],
        ['percentile', 'latency (from intended send)', 'service time'],
        ['at', 'p50', 'p95', 'p99'],
        ['at', 'requests', 'errors', 'dropped'],
        ['percentile', 'service time (not corrected)'],
      ]);
      expect(await page.$$('.chart-error')).toHaveLength(0);
      const shot = join(dir, `report-${scheme}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    }
  });

  it('shows the tables and hides the empty chart boxes when script is off', async () => {
    const file = join(tree(), 'report.html');
    writeFileSync(file, renderHtml(sampleReportModel()));
    const context = await browser.newContext({ javaScriptEnabled: false });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).toString());
    expect(await page.$$('.uplot')).toHaveLength(0);
    expect(await page.isVisible('#load figure.chart')).toBe(false);
    const text = await page.innerText('#load');
    expect(text).toContain('The charts need JavaScript; the tables carry the same figures.');
    expect(text).toMatch(/p99\.9/i);
    expect(text).toContain('388 ms');
  });

  it('shows the security headers grade of a real check, in light and dark', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': specYaml(s.url).replace('  ops: {}\n', '  ops: {}\n  security: {}\n') });
    const r = await golive(['check'], { cwd: dir });
    expect(r.stdout + r.stderr).toMatch(/headers grade/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as {
      evidence: Array<{ collector: string; data?: { observatory?: { grade: string; tests: unknown[] } } }>;
    };
    const obs = json.evidence.find((e) => e.collector === 'security')?.data?.observatory;
    expect(obs?.tests.length).toBeGreaterThan(5);
    const file = join(dir, 'golive-report', 'report.html');
    const colours: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const { page, requests, errors } = await open(file, scheme);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.innerText('#security-headers .grade')).toBe(obs!.grade);
      expect(await page.$$('#security-headers tbody tr')).toHaveLength(obs!.tests.length);
      expect(await page.innerText('#security-headers')).toContain('content-security-policy');
      colours.push(
        await page.$eval(
          '#security-headers .grade',
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
        ),
      );
    }
    expect(colours[0]).not.toBe(colours[1]); // the badge follows the colour scheme
  });

  it('shows the alarm test and the backup and restore drill', async () => {
    const m = sampleReportModel();
    m.evidence = [...m.evidence, sampleAlarmEvidence(), sampleRestoreEvidence()];
    const file = join(tree(), 'report.html');
    writeFileSync(file, renderHtml(m));
    const { page, requests, errors } = await open(file, 'dark');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    const alarm = await page.innerText('#alarm-test');
    expect(alarm).toMatch(/Firing notification received\s+2026-11-22 11:00:01\.300\s+1\.20 s\s+ok/);
    const restore = await page.innerText('#restore-drill');
    expect(restore).toMatch(/RTO\s+2\.50 s/);
    expect(restore).toMatch(/RPO\s+30 min/);
    expect(await page.$$('#restore-drill tbody tr')).toHaveLength(2);
  });

  it('draws the rollback drill timeline with its phases as shaded bands', async () => {
    const m = sampleReportModel();
    const drill = sampleRollbackDrill();
    (drill.data!.phases as Array<{ name: string; ok: boolean }>)[2]!.ok = false; // the rollback step failed
    m.evidence = [...m.evidence.filter((e) => e.collector !== 'drill.rollback'), drill];
    const file = join(tree(), 'report.html');
    writeFileSync(file, renderHtml(m));

    const { page, requests, errors } = await open(file);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    const d = await drawn(page, '#rollback-drill figure.chart');
    expect(d.canvases).toHaveLength(1);
    expect(d.canvases[0]!.width).toBeGreaterThan(800);
    expect(d.legends).toEqual([['at', 'requests', 'errors', 'p95']]);
    // The failed rollback phase is a translucent red band under the series (--chart-band-bad on an
    // otherwise transparent canvas): count its pixels, leaving out the opaque lines.
    const tinted = await page.$eval('#rollback-drill .uplot canvas', (el) => {
      const c = el as unknown as Canvas;
      const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      let n = 0;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b, a] = [px[i]!, px[i + 1]!, px[i + 2]!, px[i + 3]!];
        if (a > 20 && a < 100 && r > g + 80 && r > b + 80) n++;
      }
      return n;
    });
    expect(tinted).toBeGreaterThan(5000);
    const text = await page.innerText('#rollback-drill');
    expect(text).toContain('verify-new');
    expect(text).toMatch(/failed/);
  });
});
