import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golive, serve, tree } from '../helpers.js';

/** Nothing listens on port 1: a flag that slips through validation ends in "unreachable" (exit 3), not exit 2. */
const NOWHERE = 'http://127.0.0.1:1/';

describe('golive load refuses bad methods and out-of-range numbers before sending anything', () => {
  it('a method must be an HTTP token', async () => {
    for (const method of ['BAD METHOD', 'GET\r\nX-Injected: 1', 'GE(T', '']) {
      const r = await golive(['load', NOWHERE, '-m', method, '-n', '1'], { cwd: tree() });
      expect(r.code, JSON.stringify(method)).toBe(2);
      expect(r.stderr).toMatch(/--method: .* is not an HTTP method/);
    }
  });

  it('every number is range-checked, with the range in the message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['-n', '1e99'], /--requests: "1e99" .*from 1 to 1000000000/],
      [['-n', '0'], /--requests: "0" .*from 1 to 1000000000/],
      [['-n', '2.5'], /--requests: "2\.5" .*from 1 to 1000000000/],
      [['-c', '99999'], /--connections: "99999" .*from 1 to 20000/],
      [['-c', '1e99'], /--connections: "1e99" .*from 1 to 20000/],
      [['-p', '1e99', '-n', '1'], /--pipelining: "1e99" .*from 1 to 1000/],
      [['-p', '0', '-n', '1'], /--pipelining: "0" .*from 1 to 1000/],
      [['-w', '1e99', '-n', '1'], /--workers: "1e99" .*from 1 to \d+/],
      [['--rate', '0'], /--rate: .*above 0 and at most 200000\/s/],
      [['--rate', '99999999/s'], /--rate: .*above 0 and at most 200000\/s/],
      [['-d', '99999h'], /--duration: "99999h" .*from 1ms to 24h/],
      [['-d', '0s'], /--duration: "0s" .*from 1ms to 24h/],
      [['-d', '1e99'], /--duration: "1e99" is not a duration/],
      [['--timeout', '9999h', '-n', '1'], /--timeout: "9999h" .*from 1ms to 1h/],
      [['--graceful-stop', '9999h', '-n', '1'], /--graceful-stop: "9999h" .*from 0ms to 1h/],
      [['--stage', '99999h:10/s'], /--stage: "99999h" .*from 0ms to 24h/],
      [['--stage', '0s:10/s'], /--stage: the stages last 0s in all/],
      [['--stage', '0s:10/s', '--stage', '0s:20/s'], /--stage: the stages last 0s in all/],
      [['--abort-on-fail', '--abort-after', '9999h', '-n', '1'], /--abort-after: "9999h" .*from 0ms to 24h/],
    ];
    for (const [args, message] of cases) {
      const r = await golive(['load', NOWHERE, ...args], { cwd: tree() });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('the spec: load numbers and methods are checked where they are written (file:line:column)', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: x
release: v1
target:
  baseUrl: http://127.0.0.1:1
load:
  scenarios:
    a:
      executor: constant-arrival-rate
      rate: 9999999/s
      duration: 9999h
      gracefulStop: 2h
      maxRequests: 1e99
      maxInFlight: 99999999999
      timeout: 0s
      requests:
        - { method: "BAD METHOD", path: / }
        - { method: GET, path: /, think: 9999h }
    b:
      executor: ramping-arrival-rate
      startRate: 0/s
      stages:
        - { duration: 99999h, target: 10/s }
        - { duration: 1s, target: 9999999/s }
      requests: [GET /]
    c:
      executor: ramping-connections
      startConnections: 99999
      stages: [{ duration: 1s, target: 99999 }]
      requests: [GET /]
`,
    });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    const lines: Array<[number, RegExp]> = [
      [10, /rate.*above 0 and at most 200000\/s/],
      [11, /from 1ms to 24h/],
      [12, /from 0ms to 1h/],
      [13, /1000000000/],
      [14, /1000000/],
      [15, /from 1ms to 1h/],
      [17, /method.*HTTP method|expected one of GET/],
      [18, /from 0ms to 1h/],
      [23, /from 0ms to 24h/],
      [24, /at most 200000\/s/],
      [28, /20000/],
      [29, /20000/],
    ];
    for (const [line, message] of lines) {
      const problem = r.stderr.split('\n').find((l) => l.includes(`golive.yaml:${line}:`));
      expect(problem, `line ${line} in\n${r.stderr}`).toMatch(message);
    }
  });
});

describe('-d with a bare number means seconds, as in autocannon', () => {
  let url = '';
  let close: () => Promise<void>;
  beforeAll(async () => {
    const s = await serve((_req, res) => res.end('ok'));
    url = s.url;
    close = s.close;
  });
  afterAll(() => close());

  it('-d 1 runs one second', async () => {
    const r = await golive(['load', `${url}/`, '-c', '1', '-d', '1', '--json'], { cwd: tree() });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(5000);
  });
});
