import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerBinary, startAlertmanager, webhookConfig } from '../servers/alertmanager.js';
import { freePort } from '../servers/free-port.js';
import { alive, BIN, golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

const hasAlertmanager = alertmanagerBinary() !== undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function alertmanager(config: string) {
  const am = await startAlertmanager(config);
  cleanups.push(am.stop);
  return am;
}

function readEvidence(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'golive-report', 'drill.alarm', 'evidence.json'), 'utf8'));
}

const metric = (ev: { metrics: Array<{ name: string; value: number }> }, name: string) =>
  ev.metrics.find((m) => m.name === name)?.value;
const check = (ev: { checks: Array<{ id: string; status: string; summary: string }> }, id: string) =>
  ev.checks.find((c) => c.id === id);

/** Alerts Alertmanager still holds as active for this drill id (golive must leave none behind). */
async function activeDrillAlerts(amUrl: string, id: string): Promise<number> {
  const res = await fetch(`${amUrl}/api/v2/alerts?active=true&silenced=false&inhibited=false&unprocessed=true`);
  const alerts = (await res.json()) as Array<{ labels: Record<string, string>; status: { state: string } }>;
  return alerts.filter((a) => a.labels.golive_drill === id && a.status.state === 'active').length;
}

const alarmSpec = (body: string) => specYaml('http://127.0.0.1:9', `drills:\n  alarm:\n${body}`);

describe.skipIf(!hasAlertmanager)('golive drill alarm (real Alertmanager)', () => {
  it("fires a test alert, sees the firing and the resolved notification on golive's own receiver", async () => {
    const port = await freePort();
    const am = await alertmanager(webhookConfig(`http://127.0.0.1:${port}/hook`));
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 30s
    alertmanager:
      url: ${am.url}
      labels: { severity: test }
      receiver: { listen: "127.0.0.1:${port}" }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test alert notified in .*resolved notification in/);
    const ev = readEvidence(dir);
    expect(ev.status).toBe('pass');
    for (const id of ['trigger', 'firing', 'resolve', 'resolved'])
      expect(check(ev, `drill.alarm.${id}`)?.status).toBe('pass');
    expect(metric(ev, 'drill.alarm.notify_latency')).toBeGreaterThan(0);
    expect(metric(ev, 'drill.alarm.resolve_latency')).toBeGreaterThan(0);
    expect(metric(ev, 'drill.alarm.notified')).toBe(1);
    const t = ev.data.timeline;
    expect(Date.parse(t.firedAt)).toBeLessThanOrEqual(Date.parse(t.firingNotifiedAt));
    expect(Date.parse(t.firingNotifiedAt)).toBeLessThanOrEqual(Date.parse(t.resolvedAt));
    expect(Date.parse(t.resolvedAt)).toBeLessThanOrEqual(Date.parse(t.resolvedNotifiedAt));
    // The payloads Alertmanager sent are kept as evidence: one firing, one resolved, with the drill label.
    const notes = JSON.parse(
      readFileSync(join(dir, 'golive-report', 'drill.alarm', 'alarm-notifications.json'), 'utf8'),
    );
    const statuses = notes.map((n: { payload: { status: string } }) => n.payload.status);
    expect(statuses).toContain('firing');
    expect(statuses).toContain('resolved');
    expect(notes[0].payload.alerts[0].labels).toMatchObject({ golive_drill: ev.data.id, severity: 'test' });
    expect(await activeDrillAlerts(am.url, ev.data.id)).toBe(0);
  });

  it('golive check runs the alarm test and the Markdown report answers the DoD row in its "Alarm test" section', async () => {
    const port = await freePort();
    const am = await alertmanager(webhookConfig(`http://127.0.0.1:${port}/`));
    const target = await serve(opsHandler());
    cleanups.push(target.close);
    const dir = tree({
      'golive.yaml': specYaml(
        target.url,
        `drills:
  alarm:
    within: 30s
    alertmanager: { url: "${am.url}", receiver: { listen: "127.0.0.1:${port}" } }
`,
      ).replace(
        'thresholds:\n',
        'thresholds:\n  drill.alarm.notify_latency: "< 30s"\n  drill.alarm.resolve_latency: "< 30s"\n',
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.stdout + r.stderr).toMatch(/drill\.alarm/);
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    const section = md.slice(md.indexOf('## Alarm test'), md.indexOf('\n## ', md.indexOf('## Alarm test') + 3));
    expect(section).toMatch(/\*\*Passed\*\*: test alert notified in/);
    expect(section).toMatch(/\| Firing notification received \| \d{4}-\d\d-\d\d [\d:.]+ \| [\d.]+ m?s \| ✔ \|/);
    expect(section).toMatch(/\| Resolved notification received \| \d{4}-\d\d-\d\d [\d:.]+ \| [\d.]+ m?s \| ✔ \|/);
    expect(md).toMatch(/\| `drill\.alarm\.notify_latency` \| `< 30s` \| [^|]+ \| \S+ pass \|/);
  });

  it('fails at the deadline when no notification arrives, and still resolves the test alert', async () => {
    const [port, elsewhere] = [await freePort(), await freePort()];
    // The route points somewhere golive does not listen: the notification never reaches it.
    const am = await alertmanager(webhookConfig(`http://127.0.0.1:${elsewhere}/`));
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 3s
    alertmanager: { url: "${am.url}", receiver: { listen: "127.0.0.1:${port}" } }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/no firing notification within 3\.00 s/);
    const ev = readEvidence(dir);
    expect(ev.status).toBe('fail');
    expect(check(ev, 'drill.alarm.firing')?.status).toBe('fail');
    expect(check(ev, 'drill.alarm.resolved')?.status).toBe('skipped');
    expect(metric(ev, 'drill.alarm.notified')).toBe(0);
    expect(metric(ev, 'drill.alarm.notify_latency')).toBeUndefined();
    expect(ev.data.timeline.firingNotifiedAt).toBeUndefined();
    expect(await activeDrillAlerts(am.url, ev.data.id)).toBe(0);
  });

  it('Ctrl-C while waiting stops at once, exits 3 and still resolves the test alert', async () => {
    const [port, elsewhere] = [await freePort(), await freePort()];
    const am = await alertmanager(webhookConfig(`http://127.0.0.1:${elsewhere}/`));
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 60s
    alertmanager: { url: "${am.url}", receiver: { listen: "127.0.0.1:${port}" } }
`),
    });
    const child = spawn(process.execPath, [BIN, 'drill', 'alarm'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const waiting = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/waiting up to 60 s for the firing notification/.test(stderr)) resolve();
      }),
    );
    await waiting;
    const id = /posting test alert (golive-[0-9a-f]+)/.exec(stderr)?.[1] ?? '';
    expect(await activeDrillAlerts(am.url, id)).toBe(1);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stdout + stderr).toBe(3);
    expect(stdout).toMatch(/alarm test interrupted \(the test alert was resolved\)/);
    expect(check(readEvidence(dir), 'drill.alarm.firing')?.summary).toBe(
      'interrupted while waiting for the firing notification',
    );
    expect(await activeDrillAlerts(am.url, id)).toBe(0);
  });

  it('fails when the resolved notification never arrives (send_resolved: false)', async () => {
    const port = await freePort();
    const am = await alertmanager(webhookConfig(`http://127.0.0.1:${port}/`, { sendResolved: false }));
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 4s
    alertmanager: { url: "${am.url}", receiver: { listen: "127.0.0.1:${port}" } }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/but no resolved notification within 4\.00 s/);
    const ev = readEvidence(dir);
    expect(check(ev, 'drill.alarm.firing')?.status).toBe('pass');
    expect(check(ev, 'drill.alarm.resolved')?.status).toBe('fail');
    expect(metric(ev, 'drill.alarm.notify_latency')).toBeGreaterThan(0);
    expect(metric(ev, 'drill.alarm.resolve_latency')).toBeUndefined();
    expect(metric(ev, 'drill.alarm.notified')).toBe(0);
  });

  it('checks a receiver the user names: polls its page until the alert shows firing, then resolved', async () => {
    // The user's own webhook logger: keeps what Alertmanager posts and lists it on GET /received.
    const payloads: unknown[] = [];
    const logger = await serve((req, res) => {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          payloads.push(JSON.parse(body));
          res.end('ok');
        });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payloads));
    });
    cleanups.push(logger.close);
    const am = await alertmanager(webhookConfig(`${logger.url}/hook`));
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 30s
    poll: 200ms
    alertmanager: { url: "${am.url}", alertname: CheckoutTestAlarm, receiver: { url: "${logger.url}/received" } }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ev = readEvidence(dir);
    expect(ev.data.receiver).toBe(`${logger.url}/received`);
    expect(metric(ev, 'drill.alarm.resolve_latency')).toBeGreaterThan(0);
    expect(JSON.stringify(payloads)).toMatch(/CheckoutTestAlarm/);
    expect(existsSync(join(dir, 'golive-report', 'drill.alarm', 'alarm-notifications.json'))).toBe(false);
  });

  it('generic provider: trigger and resolve commands post to Alertmanager, verify URLs read the receiver', async () => {
    const payloads: string[] = [];
    const logger = await serve((req, res) => {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          payloads.push(body.replace(/\n/g, ' '));
          res.end('ok');
        });
        return;
      }
      res.end(payloads.join('\n'));
    });
    cleanups.push(logger.close);
    const am = await alertmanager(webhookConfig(`${logger.url}/hook`));
    const post = (ends: string) =>
      `curl -sf -XPOST -H 'content-type: application/json' ${am.url}/api/v2/alerts -d "[{\\"labels\\":{\\"alertname\\":\\"GenericTest\\",\\"golive_drill\\":\\"$GOLIVE_DRILL_ID\\"}${ends}}]"`;
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 30s
    poll: 200ms
    generic:
      trigger: ${JSON.stringify(post(''))}
      verify: { url: "${logger.url}/received", contains: '"status":"firing"' }
      resolve: ${JSON.stringify(post(',\\"endsAt\\":\\"2000-01-01T00:00:00Z\\"'))}
      verifyResolved: { url: "${logger.url}/received", contains: '"status":"resolved"' }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ev = readEvidence(dir);
    expect(ev.data.provider).toBe('generic');
    expect(payloads.join('\n')).toContain(ev.data.id);
    expect(metric(ev, 'drill.alarm.notify_latency')).toBeGreaterThan(0);
    expect(metric(ev, 'drill.alarm.resolve_latency')).toBeGreaterThan(0);
  });
});

describe('golive drill alarm (no Alertmanager needed)', () => {
  it('kills a hanging verify command with its process group at its timeout and fails at the deadline', async () => {
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 3s
    timeout: 1s
    generic:
      trigger: "true"
      verify: "sh -c 'sleep 300 & echo $! >> child.pid; wait'"
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = readEvidence(dir);
    expect(check(ev, 'drill.alarm.firing')?.summary).toMatch(/killed after its 1 s timeout/);
    const pids = readFileSync(join(dir, 'child.pid'), 'utf8').trim().split('\n').map(Number);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('could not complete (exit 3) when Alertmanager is unreachable', async () => {
    const [amPort, port] = [await freePort(), await freePort()];
    const dir = tree({
      'golive.yaml': alarmSpec(`    within: 3s
    alertmanager: { url: "http://127.0.0.1:${amPort}", receiver: { listen: "127.0.0.1:${port}" } }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /Alertmanager did not take the test alert: POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts/,
    );
  });

  it('refuses a spec with both providers (exit 2, names the place)', async () => {
    const dir = tree({
      'golive.yaml': alarmSpec(`    alertmanager: { url: "http://127.0.0.1:9093" }
    generic: { trigger: "true", verify: "true" }
`),
    });
    const r = await golive(['drill', 'alarm'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive\.yaml:\d+:\d+.*exactly one provider/);
  });
});
