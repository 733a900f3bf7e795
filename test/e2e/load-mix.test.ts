import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, serve, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A server that answers everything with 200 and records the order of request paths. */
async function recorder(seen: string[]) {
  const s = await serve((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  cleanups.push(s.close);
  return s.url;
}

const spec = (url: string, load: string) => `version: 1
service: shop
release: v1.0.0
target: { baseUrl: ${url} }
thresholds:
  load.error_rate: "< 1%"
load:
${load}
criteria:
  - { id: AC-1, type: AC, title: Shop under load, thresholds: [load.error_rate] }
`;

function loadEvidence(dir: string) {
  const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
  const load = json.evidence.find((e: { collector: string }) => e.collector === 'load');
  const metrics = Object.fromEntries(load.metrics.map((m: { name: string; value: number }) => [m.name, m.value]));
  return { load, metrics: metrics as Record<string, number> };
}

describe('load: weighted mix and concurrent scenarios', () => {
  it('splits iterations between flows by weight', async () => {
    const seen: string[] = [];
    const url = await recorder(seen);
    const dir = tree({
      'golive.yaml': spec(
        url,
        `  scenarios:
    shop:
      executor: constant-connections
      connections: 4
      maxRequests: 1000
      duration: 60s
      mix:
        - { name: browse, weight: 3, requests: [ "GET /products" ] }
        - { name: buy, weight: 1, requests: [ "GET /cart", { method: POST, path: /checkout, json: { sku: 1 } } ] }
`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const browse = seen.filter((s) => s === 'GET /products').length;
    const carts = seen.filter((s) => s === 'GET /cart').length;
    const checkouts = seen.filter((s) => s === 'POST /checkout').length;
    expect(browse + carts + checkouts).toBe(1000);
    // Iterations split 3:1 (a buy iteration is two requests; at most one per connection is cut by the bound).
    expect(browse / (browse + carts)).toBeGreaterThan(0.73);
    expect(browse / (browse + carts)).toBeLessThan(0.77);
    expect(carts - checkouts).toBeLessThanOrEqual(4);
    const { load, metrics } = loadEvidence(dir);
    expect(metrics['load.shop.mix.browse.iterations']).toBe(browse);
    expect(metrics['load.shop.mix.buy.iterations']).toBe(carts);
    expect(metrics['load.shop.mix.browse.share']).toBeCloseTo(0.75, 1);
    expect(metrics['load.shop.post_checkout.error_rate']).toBe(0);
    expect(load.checks[0].summary).toMatch(/mix browse×\d+ buy×\d+/);
  });

  it('runs scenarios concurrently from their startTime by default, and one after the other with run: sequential', async () => {
    const scenarios = `  scenarios:
    steady:
      executor: constant-connections
      connections: 2
      duration: 2s
      maxRequests: 200000
      requests: [ "GET /steady" ]
    spike:
      executor: constant-arrival-rate
      rate: 50/s
      duration: 1s
      startTime: 500ms
      requests: [ "GET /spike" ]
`;
    const seen: string[] = [];
    const url = await recorder(seen);
    const dir = tree({ 'golive.yaml': spec(url, scenarios) });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const firstSpike = seen.indexOf('GET /spike');
    const lastSpike = seen.lastIndexOf('GET /spike');
    // The spike starts after the steady scenario and runs while it still does.
    expect(firstSpike).toBeGreaterThan(seen.indexOf('GET /steady'));
    expect(seen.slice(firstSpike, lastSpike).filter((s) => s === 'GET /steady').length).toBeGreaterThan(0);
    expect(seen.slice(lastSpike).filter((s) => s === 'GET /steady').length).toBeGreaterThan(0);
    const { load, metrics } = loadEvidence(dir);
    expect(load.summary).toMatch(/in 2 scenarios \(concurrent\)/);
    expect(metrics['load.spike.requests']).toBe(50);
    expect(metrics['load.requests']).toBe(metrics['load.steady.requests']! + metrics['load.spike.requests']!);

    const seen2: string[] = [];
    const url2 = await recorder(seen2);
    const dir2 = tree({
      'golive.yaml': spec(url2, `  run: sequential\n${scenarios.replace('      startTime: 500ms\n', '')}`),
    });
    const r2 = await golive(['check'], { cwd: dir2 });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    // One after the other: every steady request comes before the first spike request.
    expect(seen2.lastIndexOf('GET /steady')).toBeLessThan(seen2.indexOf('GET /spike'));
    expect(loadEvidence(dir2).load.summary).toMatch(/in 2 scenarios \(sequential\)/);
  });

  it('refuses a scenario with both requests and mix, and startTime with run: sequential, naming the line', async () => {
    const both = tree({
      'golive.yaml': spec(
        'http://127.0.0.1:9',
        `  scenarios:
    shop:
      executor: constant-connections
      maxRequests: 10
      requests: [ "GET /" ]
      mix: [ { weight: 1, requests: [ "GET /" ] } ]
`,
      ),
    });
    const a = await golive(['validate'], { cwd: both });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/golive\.yaml:\d+:\d+.*give either requests \(one flow\) or mix/s);
    const seq = tree({
      'golive.yaml': spec(
        'http://127.0.0.1:9',
        `  run: sequential
  scenarios:
    shop:
      executor: constant-connections
      maxRequests: 10
      startTime: 1s
      requests: [ "GET /" ]
`,
      ),
    });
    const b = await golive(['validate'], { cwd: seq });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/startTime offsets concurrent scenarios/);
  });
});
