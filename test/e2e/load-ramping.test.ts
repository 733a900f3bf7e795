import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('ramping-connections', () => {
  it('holds one connection through the first stage, then ramps up to the target', async () => {
    const opened: number[] = [];
    const ops = opsHandler();
    const s = await serve((req, res) => {
      if (req.url === '/work') return void setTimeout(() => res.end('ok'), 5);
      ops(req, res);
    });
    s.server.on('connection', () => opened.push(Date.now()));
    cleanups.push(s.close);
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1.0.0
target: { baseUrl: ${s.url} }
load:
  scenarios:
    ramp:
      executor: ramping-connections
      startConnections: 1
      stages: [{ duration: 1s, target: 1 }, { duration: 1s, target: 6 }, { duration: 500ms, target: 6 }]
      requests: [GET /work]
criteria:
  - { id: AC-1, type: AC, title: Ramp, evidence: [load.ramp] }
`,
    });
    const started = Date.now();
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const result = json.evidence.find((e: { collector: string }) => e.collector === 'load').data.scenarios.ramp;
    expect(result.executor).toBe('ramping-connections');
    expect(result.corrected).toBe(false);
    // No `duration`: the ramp lasts its stages' 2.5 s (it used to stop at a default 10 s).
    expect(result.durationMs).toBeGreaterThan(2400);
    expect(result.durationMs).toBeLessThan(4000);
    expect(result.timeline).toHaveLength(3);
    // One connection for the first second (the process start takes a moment), six at the end.
    const early = opened.filter((t) => t - started < 1000 + 400).length;
    expect(early).toBeLessThanOrEqual(2);
    expect(opened.length).toBeGreaterThanOrEqual(6);
    expect(opened.length).toBeLessThanOrEqual(7);
    const perSecond = result.timeline.map((t: { rps: number }) => t.rps);
    // The third second is the last half second of the ramp, at six connections: per second, well over three times the first.
    expect(perSecond[2] * 2).toBeGreaterThan(perSecond[0] * 3);
  });
});
