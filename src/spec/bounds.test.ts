import { describe, expect, it } from 'vitest';
import { GoliveError, type Problem } from '../errors.js';
import { boundedDuration, Duration, MAX_DURATION_MS } from './common.js';
import { loadSpecText } from './load.js';

const spec = (target: string, thresholds = '', extra = ''): string => `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: http://127.0.0.1:8080
${target}
thresholds:
  ops.health.latency: "< 200ms"
${thresholds}
${extra}`;

function problems(text: string): Problem[] {
  try {
    loadSpecText(text, 'golive.yaml', {});
  } catch (e) {
    expect(e).toBeInstanceOf(GoliveError);
    return (e as GoliveError).problems;
  }
  throw new Error('expected the spec to be refused');
}

describe('durations are range-checked where the spec is read', () => {
  it('refuses 0 where it means nothing, and takes it where it means "at once"', () => {
    expect(Duration.safeParse('0s').success).toBe(false);
    expect(Duration.safeParse('0.0ms').success).toBe(false);
    expect(Duration.safeParse('1ms').success).toBe(true);
    expect(boundedDuration({ zero: true }).safeParse('0s').success).toBe(true);
  });

  it('refuses anything beyond the longest timer Node can set (2^31-1 ms), including digits that overflow', () => {
    expect(MAX_DURATION_MS).toBe(2147483647);
    expect(Duration.safeParse('2147483647ms').success).toBe(true);
    expect(Duration.safeParse('2147483648ms').success).toBe(false);
    expect(Duration.safeParse('597h').success).toBe(false);
    expect(Duration.safeParse(`1${'0'.repeat(400)}ms`).success).toBe(false);
    const issue = Duration.safeParse('1000h').error?.issues[0]?.message;
    expect(issue).toBe(
      '1000h is too long: expected a duration above 0, at most 2147483647ms (about 24.8 days, the longest timer golive can set)',
    );
  });

  it('gives per-field maxima, with the range in the message and the position in the file', () => {
    const p = problems(spec('  timeout: 1000h\n  start: { command: "true", ready: /health, timeout: 0s }'));
    expect(p).toEqual([
      expect.objectContaining({
        line: 6,
        column: 12,
        message: '1000h is too long: expected a duration above 0, at most 10m',
      }),
      expect.objectContaining({
        line: 7,
        column: 54,
        message: '0s means nothing here: expected a duration above 0, at most 1h',
      }),
    ]);
    const drills = problems(
      spec(
        '',
        '',
        `drills:
  alarm: { generic: { trigger: "true", verify: "true" }, within: 25h, poll: 0ms }
  rollback: { deploy: ./d.sh, rollback: ./r.sh, expectVersion: v0, settle: 0s, requestTimeout: 11m }`,
      ),
    ).map((x) => x.message);
    expect(drills).toEqual([
      '25h is too long: expected a duration above 0, at most 24h',
      '0ms means nothing here: expected a duration above 0, at most 1h',
      '11m is too long: expected a duration above 0, at most 10m',
    ]);
  });
});

describe('numbers are range-checked where the spec is read', () => {
  it('refuses integers beyond their range (1e99 is not a whole number golive can use) and percentages over 100%', () => {
    const p = problems(
      spec(
        '',
        '',
        `scan: { maxFileSize: 1e99 }
probes: { security: { burst: 1e99, tls: { minDays: 100000 } } }
drills:
  smoke: { requests: ["GET /"], maxErrorRate: 150% }`,
      ),
    ).map((x) => [x.path, x.message]);
    expect(p).toEqual([
      ['scan.maxFileSize', 'expected a number at most 1073741824, got the number 1e+99'],
      ['probes.security.burst', 'at most 500: the burst is bounded (raise it only as far as the limit you expect)'],
      ['probes.security.tls.minDays', 'expected a number at most 3650, got the number 100000'],
      ['drills.smoke.maxErrorRate', 'expected a percentage above 0%, at most 100%'],
    ]);
  });
});

describe('thresholds are checked against the unit of their metric when the spec is read', () => {
  it('refuses a plain number or a duration on a ratio metric, naming the column of the unit', () => {
    const p = problems(
      spec('', '  load.error_rate: "< 0.1"\n  load.checkout.error_rate: "< 5ms"\n  scan.coverage.lines: "> 80"'),
    );
    expect(p[0]).toMatchObject({
      line: 9,
      column: 26,
      message: 'threshold load.error_rate is measured in a ratio, but "< 0.1" is a plain number',
      hint: 'ratios need %, so 0.1 and 0.1% cannot be confused: "< 10%" if you meant a fraction, or "< 0.1%"',
    });
    expect(p[1]).toMatchObject({
      line: 10,
      column: 33,
      message: 'threshold load.checkout.error_rate is measured in a ratio, but "< 5ms" is a duration',
      hint: 'write it with %, like "< 0.1%"',
    });
    expect(p[2]?.message).toBe('threshold scan.coverage.lines is measured in a ratio, but "> 80" is a plain number');
  });

  it('refuses a percentage or a plain number on a duration metric, and a duration on a count', () => {
    const p = problems(
      spec(
        '',
        '  load.latency.p95: "< 5%"\n  drill.rollback.duration: "< 300"\n  drill.alarm.notify_latency: "< 1%"\n  findings.high: "== 0ms"',
      ),
    ).map((x) => x.message);
    expect(p).toEqual([
      'threshold load.latency.p95 is measured in milliseconds, but "< 5%" is a percentage',
      'threshold drill.rollback.duration is measured in milliseconds, but "< 300" is a plain number',
      'threshold drill.alarm.notify_latency is measured in milliseconds, but "< 1%" is a percentage',
      'threshold findings.high is measured in a count, but "== 0ms" is a duration',
    ]);
  });

  it('refuses a bound too large to be a finite number', () => {
    const p = problems(spec('', `  load.latency.p99: "< 1${'0'.repeat(400)}ms"`));
    expect(p).toEqual([
      expect.objectContaining({
        line: 9,
        column: 24,
        message: 'threshold load.latency.p99: the bound is too large to be a number',
      }),
    ]);
  });

  it('takes bounds that fit, and leaves names it does not know to the run', () => {
    const text = spec(
      '',
      '  load.error_rate: "< 0.1%"\n  load.latency.p95: "< 200ms"\n  load.rps: ">= 1000"\n  load.browse.rps: ">= 10/s"\n  findings.critical: "== 0"\n  drill.restore.rto: "< 15m"\n  custom.thing: "< 5ms"',
    );
    expect(() => loadSpecText(text, 'golive.yaml', {})).not.toThrow();
  });
});
