import { describe, expect, it } from 'vitest';
import type { Metric, MetricUnit } from '../model.js';
import {
  compare,
  evaluateThreshold,
  formatValue,
  knownMetric,
  metricUnitOf,
  parseThreshold,
  ThresholdSyntaxError,
  unitMismatch,
  type ThresholdKind,
  type ThresholdOp,
} from './threshold.js';

const metric = (name: string, value: number, unit: MetricUnit): Metric => ({ name, value, unit });

describe('parseThreshold: operators, units and whitespace', () => {
  it.each<[string, ThresholdOp, number, ThresholdKind]>([
    ['< 200ms', '<', 200, 'duration'],
    ['<= 0.5s', '<=', 500, 'duration'],
    ['< 5m', '<', 300_000, 'duration'],
    ['< 1.5h', '<', 5_400_000, 'duration'],
    ['< 0.1%', '<', 0.001, 'ratio'],
    ['> 99.5%', '>', 0.995, 'ratio'],
    ['>= 1000rps', '>=', 1000, 'rate'],
    ['>= 1000/s', '>=', 1000, 'rate'],
    ['>= 1000', '>=', 1000, 'number'],
    ['== 0', '==', 0, 'number'],
    ['> 3', '>', 3, 'number'],
  ])('parses %j', (expr, op, value, kind) => {
    const t = parseThreshold(expr);
    expect(t).toMatchObject({ op, value: expect.closeTo(value, 12) as number, kind, source: expr });
  });

  it('gives the double nearest the written bound, not a product with rounding error', () => {
    expect(parseThreshold('< 0.1%').value).toBe(0.001);
    expect(parseThreshold('< 0.07%').value).toBe(0.0007);
    expect(parseThreshold('< 0.7%').value).toBe(0.007);
    expect(parseThreshold('< 1.1%').value).toBe(0.011);
    expect(parseThreshold('< 1.1s').value).toBe(1100);
    expect(parseThreshold('< 1.1m').value).toBe(66_000);
    expect(parseThreshold('< 0.1h').value).toBe(360_000);
  });

  it.each(['<200ms', '< 200ms', '<200 ms', '< 200 ms', '  <   200   ms  ', '\t<\t200ms\n'])(
    'accepts optional whitespace in %j',
    (expr) => {
      expect(parseThreshold(expr)).toMatchObject({ op: '<', value: 200, kind: 'duration' });
    },
  );

  it.each(['>=1000/s', '>= 1000 /s', '>=1000 rps', '==0', '>99.5 %'])('accepts %j', (expr) => {
    expect(() => parseThreshold(expr)).not.toThrow();
  });

  it('keeps "m" as minutes, never metres or mega', () => {
    expect(parseThreshold('< 2m').value).toBe(120_000);
  });
});

describe('parseThreshold: errors name the column and give a hint', () => {
  const fail = (expr: string): ThresholdSyntaxError => {
    try {
      parseThreshold(expr);
    } catch (e) {
      expect(e).toBeInstanceOf(ThresholdSyntaxError);
      return e as ThresholdSyntaxError;
    }
    throw new Error(`expected "${expr}" to be rejected`);
  };

  it.each<[string, number, RegExp, RegExp]>([
    ['', 1, /empty threshold/, /write it like "< 200ms"/],
    ['   ', 1, /empty threshold/, /write it like/],
    ['200ms', 1, /expected an operator .* before the number/, /"< 200ms"/],
    ['fast', 1, /expected an operator/, /write it like/],
    ['=< 5', 1, /unknown operator "=<"/, /did you mean "<="\?/],
    ['=> 5', 1, /unknown operator "=>"/, /did you mean ">="\?/],
    ['= 0', 1, /unknown operator "="/, /did you mean "=="\?/],
    ['  === 0', 3, /unknown operator "==="/, /did you mean "=="\?/],
    ['!= 0', 1, /"!=" is not supported/, /one side/],
    ['<<5', 1, /unknown operator "<<"/, /did you mean "<"/],
    ['<', 2, /expected a number after "<"/, /write it like/],
    ['< fast', 3, /expected a number after "<", found "fast"/, /write it like/],
    ['< -5', 3, /cannot be negative/, /never negative/],
    ['< .5s', 3, /digit before "\."/, /"< 0\.5s"/],
    ['< 5.s', 5, /digit after "\."/, /5\.5/],
    ['>= 1,000', 5, /unexpected "," in the number/, /without separators, like ">= 1000"/],
    ['>= 1_000rps', 5, /unexpected "_"/, />= 1000/],
    ['< 1e3', 4, /exponents are not supported/, /in full/],
    ['< 200 msec', 7, /unknown unit "msec"/, /did you mean "ms"\? units: ms, s, m \(minutes\), h, %, rps or \/s/],
    ['<200msec', 5, /unknown unit "msec"/, /did you mean "ms"/],
    ['< 2 secs', 5, /unknown unit "secs"/, /did you mean "s"/],
    ['< 5 min', 5, /unknown unit "min"/, /did you mean "m"/],
    ['< 1 hour', 5, /unknown unit "hour"/, /did you mean "h"/],
    ['< 200MS', 6, /unknown unit "MS"/, /did you mean "ms"/],
    ['< 1 percent', 5, /unknown unit "percent"/, /did you mean "%"/],
    ['>= 100 qps', 8, /unknown unit "qps"/, /did you mean "rps"/],
    ['>= 100 req/s', 8, /unknown unit "req\/s"/, /did you mean "rps"/],
    ['< 500us', 6, /unknown unit "us"/, /smallest duration unit is ms/],
    ['>= 10/m', 6, /unknown unit "\/m"/, /rates are per second/],
    ['< 10MB', 5, /unknown unit "MB"/, /plain numbers of bytes/],
    ['< 200 parsecs', 7, /unknown unit "parsecs"/, /units allowed: ms, s, m \(minutes\), h, %, rps or \/s/],
    ['< 200ms or < 300ms', 9, /unexpected "or < 300ms" after the threshold/, /one bound/],
  ])('rejects %j at column %i', (expr, column, message, hint) => {
    const err = fail(expr);
    expect(err.message).toMatch(message);
    expect(err.column).toBe(column);
    expect(err.hint).toMatch(hint);
    expect(err.name).toBe('ThresholdSyntaxError');
  });
});

describe('compare', () => {
  it('applies each operator, with equality at the boundary', () => {
    expect([compare('<', 1, 2), compare('<', 2, 2), compare('<', 3, 2)]).toEqual([true, false, false]);
    expect([compare('<=', 1, 2), compare('<=', 2, 2), compare('<=', 3, 2)]).toEqual([true, true, false]);
    expect([compare('>', 1, 2), compare('>', 2, 2), compare('>', 3, 2)]).toEqual([false, false, true]);
    expect([compare('>=', 1, 2), compare('>=', 2, 2), compare('>=', 3, 2)]).toEqual([false, true, true]);
    expect([compare('==', 1, 2), compare('==', 2, 2), compare('==', 0, 0)]).toEqual([false, true, true]);
  });

  it('does not let floating point flip a boundary', () => {
    // 1.1 * 1000 is 1100.0000000000002 in binary floating point.
    expect(compare('<', 1100, parseThreshold('< 1.1s').value)).toBe(false);
    expect(compare('<=', 1100, parseThreshold('<= 1.1s').value)).toBe(true);
    expect(compare('<=', 0.1 + 0.2, 0.3)).toBe(true);
    expect(compare('==', 0.1 + 0.2, 0.3)).toBe(true);
    expect(compare('<', 0.1 + 0.2, 0.3)).toBe(false);
    // but real differences still count
    expect(compare('==', 1e-12, 0)).toBe(false);
    expect(compare('<', 199.999, 200)).toBe(true);
  });
});

describe('formatValue', () => {
  it.each<[number, MetricUnit, string]>([
    [142, 'ms', '142 ms'],
    [142.34, 'ms', '142.3 ms'],
    [3.14159, 'ms', '3.14 ms'],
    [0.25, 'ms', '0.25 ms'],
    [1500, 'ms', '1.5 s'],
    [41_234, 'ms', '41.23 s'],
    [180_000, 'ms', '3 min'],
    [150_000, 'ms', '2.5 min'],
    [0.0005, 'ratio', '0.05 %'],
    [0.001, 'ratio', '0.1 %'],
    [0.01234, 'ratio', '1.23 %'],
    [0.995, 'ratio', '99.5 %'],
    [0, 'ratio', '0 %'],
    [1234.4, 'rps', '1234 rps'],
    [42.25, 'rps', '42.3 rps'],
    [0, 'count', '0'],
    [7, 'count', '7'],
    [2048, 'bytes', '2048 B'],
    [1, 'bool', 'yes (1)'],
    [0, 'bool', 'no (0)'],
    [Number.NaN, 'ms', 'no value'],
  ])('%d %s → %j', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('evaluateThreshold', () => {
  const p95 = metric('load.latency.p95', 142, 'ms');

  it('passes and fails with the measured value shown', () => {
    expect(evaluateThreshold(p95.name, '< 200ms', p95)).toEqual({
      name: 'load.latency.p95',
      expr: '< 200ms',
      outcome: 'pass',
      value: 142,
      unit: 'ms',
      display: '142 ms',
    });
    expect(evaluateThreshold(p95.name, '< 100ms', p95)).toMatchObject({
      outcome: 'fail',
      display: '142 ms',
      reason: '142 ms is not < 100 ms',
    });
    expect(evaluateThreshold(p95.name, '< 0.2s', p95).outcome).toBe('pass');
    expect(evaluateThreshold(p95.name, '> 0.2s', p95)).toMatchObject({
      outcome: 'fail',
      reason: '142 ms is not > 200 ms',
    });
    expect(evaluateThreshold(p95.name, '<= 142ms', p95).outcome).toBe('pass');
    expect(evaluateThreshold(p95.name, '< 142ms', p95).outcome).toBe('fail');
  });

  it('compares durations across units', () => {
    const rollback = metric('drill.rollback.duration', 41_000, 'ms');
    expect(evaluateThreshold(rollback.name, '< 5m', rollback)).toMatchObject({ outcome: 'pass', display: '41 s' });
    expect(evaluateThreshold(rollback.name, '< 30s', rollback)).toMatchObject({
      outcome: 'fail',
      reason: '41 s is not < 30 s',
    });
    expect(evaluateThreshold(rollback.name, '< 0.01h', rollback).outcome).toBe('fail');
  });

  it('evaluates ratios given in %, exactly at the boundary', () => {
    const rate = metric('load.error_rate', 0.0005, 'ratio');
    expect(evaluateThreshold(rate.name, '< 0.1%', rate)).toMatchObject({ outcome: 'pass', display: '0.05 %' });
    expect(evaluateThreshold(rate.name, '< 0.01%', rate)).toMatchObject({
      outcome: 'fail',
      reason: '0.05 % is not < 0.01 %',
    });
    const atBound = metric('load.error_rate', 1 / 1000, 'ratio');
    expect(evaluateThreshold(atBound.name, '< 0.1%', atBound).outcome).toBe('fail');
    expect(evaluateThreshold(atBound.name, '<= 0.1%', atBound).outcome).toBe('pass');
    const availability = metric('ops.availability', 0.9951, 'ratio');
    expect(evaluateThreshold(availability.name, '> 99.5%', availability).outcome).toBe('pass');
  });

  it('evaluates rates with rps, /s or a plain number', () => {
    const rps = metric('load.rps', 999.5, 'rps');
    for (const expr of ['>= 1000', '>= 1000rps', '>= 1000/s']) {
      expect(evaluateThreshold(rps.name, expr, rps).outcome).toBe('fail');
    }
    expect(evaluateThreshold(rps.name, '>= 900rps', rps).outcome).toBe('pass');
  });

  it('never shows a failing value rounded onto the bound', () => {
    // 999.5 rps would round to "1000 rps is not >= 1000".
    expect(evaluateThreshold('load.rps', '>= 1000', metric('load.rps', 999.5, 'rps')).reason).toBe(
      '999.5 rps is not >= 1000',
    );
    expect(evaluateThreshold('l', '<= 200ms', metric('l', 200.04, 'ms')).reason).toBe('200.04 ms is not <= 200 ms');
    expect(evaluateThreshold('e', '<= 0.1%', metric('e', 0.0010001, 'ratio')).reason).toBe('0.10001 % is not <= 0.1 %');
  });

  it('evaluates counts, bytes and yes/no with plain numbers', () => {
    expect(evaluateThreshold('findings.high', '== 0', metric('findings.high', 0, 'count')).outcome).toBe('pass');
    expect(evaluateThreshold('findings.high', '== 0', metric('findings.high', 2, 'count'))).toMatchObject({
      outcome: 'fail',
      reason: '2 is not == 0',
    });
    expect(evaluateThreshold('b', '< 1048576', metric('b', 2048, 'bytes')).outcome).toBe('pass');
    expect(evaluateThreshold('tls', '== 1', metric('tls', 0, 'bool'))).toMatchObject({
      outcome: 'fail',
      reason: 'no (0) is not == 1',
    });
  });

  it('is no-data, never a pass, when no collector produced the metric or it has no value', () => {
    expect(evaluateThreshold('load.rps', '>= 1000', undefined)).toEqual({
      name: 'load.rps',
      expr: '>= 1000',
      outcome: 'no-data',
      reason: 'no collector produced load.rps',
    });
    expect(evaluateThreshold('findings.critical', '== 0', undefined).outcome).toBe('no-data');
    expect(evaluateThreshold('x', '== 0', metric('x', Number.NaN, 'count'))).toMatchObject({
      outcome: 'no-data',
      reason: 'the collector reported no value for x',
    });
  });

  it('is invalid when the expression does not parse, even without data', () => {
    const r = evaluateThreshold('x', '=< 5', undefined);
    expect(r.outcome).toBe('invalid');
    expect(r.reason).toBe(
      'invalid threshold at column 1: unknown operator "=<" (did you mean "<="? operators: <, <=, >, >=, ==)',
    );
    expect(evaluateThreshold('x', '<<', metric('x', 1, 'rps')).outcome).toBe('invalid');
  });

  it.each<[MetricUnit, string, RegExp]>([
    [
      'ms',
      '< 200',
      /measured in milliseconds, but "< 200" is a plain number; write it with ms, s, m or h, like "< 200ms"/,
    ],
    ['ms', '< 5%', /measured in milliseconds, but "< 5%" is a percentage; write it with ms, s, m or h/],
    ['ms', '>= 10rps', /is a rate; write it with ms/],
    ['ratio', '< 0.001', /ratios need %.*"< 0\.1%" if you meant a fraction, or "< 0\.001%"/],
    ['ratio', '< 200ms', /measured in a ratio, but "< 200ms" is a duration; write it with %/],
    ['ratio', '>= 5rps', /is a rate; write it with %/],
    ['rps', '< 200ms', /measured in requests per second, but "< 200ms" is a duration; write it with rps or \/s/],
    ['rps', '> 5%', /is a percentage; write it with rps/],
    ['count', '< 1s', /measured in a count, but "< 1s" is a duration; write a plain number/],
    ['count', '< 1%', /is a percentage; write a plain number/],
    ['count', '>= 1rps', /is a rate; write a plain number/],
    ['bytes', '< 1s', /measured in bytes/],
    ['bool', '== 100%', /measured in yes\/no/],
  ])('is invalid on a %s metric with %j', (unit, expr, reason) => {
    const r = evaluateThreshold('m', expr, metric('m', 0.5, unit));
    expect(r.outcome).toBe('invalid');
    expect(r.reason).toMatch(reason);
    expect(r.display).toBe(formatValue(0.5, unit));
  });
});

describe('knownMetric', () => {
  it('matches an exact name or a prefix ending in "."', () => {
    expect(knownMetric('ops.health.latency', ['ops.health.latency'])).toBe(true);
    expect(knownMetric('findings.high', ['findings.'])).toBe(true);
    expect(knownMetric('load.browse.latency.p95', ['ops.', 'load.'])).toBe(true);
    expect(knownMetric('load.rps', ['ops.', 'findings.'])).toBe(false);
    // a prefix without the trailing dot is an exact name, not a family
    expect(knownMetric('ops.health.latency', ['ops.health'])).toBe(false);
    expect(knownMetric('opsx.a', ['ops.'])).toBe(false);
    expect(knownMetric('anything', [])).toBe(false);
  });
});

describe('metric units known from the name, before a run', () => {
  it('knows the unit of every metric the collectors emit', () => {
    // Names and units as src/load/metrics.ts, src/probes/*, src/drills/*, src/scan/scan.ts and the gate emit them.
    const emitted: Array<[string, MetricUnit | undefined]> = [
      ['load.latency.p95', 'ms'],
      ['load.latency.p999', 'ms'],
      ['load.latency.max', 'ms'],
      ['load.latency.mean', 'ms'],
      ['load.service_time.p99', 'ms'],
      ['load.checkout.get_products.latency.p50', 'ms'],
      ['load.error_rate', 'ratio'],
      ['load.checkout.get_latency.error_rate', 'ratio'],
      ['load.cache.hit_ratio', 'ratio'],
      ['load.checkout.mix.buyer.share', 'ratio'],
      ['load.rps', 'rps'],
      ['load.checkout.rps', 'rps'],
      ['ops.health.latency', 'ms'],
      ['drill.rollback.duration', 'ms'],
      ['drill.deploy.duration', 'ms'],
      ['drill.rollback.latency.p95', 'ms'],
      ['drill.rollback.error_rate', 'ratio'],
      ['drill.alarm.notify_latency', 'ms'],
      ['drill.alarm.resolve_latency', 'ms'],
      ['drill.restore.rto', 'ms'],
      ['drill.restore.rpo', 'ms'],
      ['drill.restore.backup_duration', 'ms'],
      ['scan.coverage.lines', 'ratio'],
      ['scan.coverage.branches', 'ratio'],
      ['findings.critical', 'count'],
      ['findings.info', 'count'],
      // Counts and flags with no telling suffix are left to the run: the evaluation still refuses a mismatch.
      ['load.requests', undefined],
      ['security.tls.days_left', undefined],
      ['drill.alarm.notified', undefined],
      ['load.latency.requests', undefined],
    ];
    expect(emitted.map(([name]) => [name, metricUnitOf(name)])).toEqual(emitted);
  });

  it('says why a bound does not fit, and nothing when it fits or the unit is unknown', () => {
    expect(unitMismatch('load.error_rate', parseThreshold('< 0.1'))).toEqual({
      message: 'load.error_rate is measured in a ratio, but "< 0.1" is a plain number',
      hint: 'ratios need %, so 0.1 and 0.1% cannot be confused: "< 10%" if you meant a fraction, or "< 0.1%"',
    });
    expect(unitMismatch('load.latency.p95', parseThreshold('< 200'))?.hint).toBe(
      'write it with ms, s, m or h, like "< 200ms"',
    );
    expect(unitMismatch('load.error_rate', parseThreshold('< 0.1%'))).toBeUndefined();
    expect(unitMismatch('load.rps', parseThreshold('>= 100'))).toBeUndefined();
    expect(unitMismatch('custom.metric', parseThreshold('< 5ms'))).toBeUndefined();
  });

  it('refuses a bound whose digits overflow to Infinity, at the column of the number', () => {
    const expr = `< 1${'0'.repeat(400)}ms`;
    expect(() => parseThreshold(expr)).toThrow(ThresholdSyntaxError);
    try {
      parseThreshold(expr);
    } catch (e) {
      expect((e as ThresholdSyntaxError).column).toBe(3);
    }
    expect(parseThreshold('< 200 ms').unitColumn).toBe(7);
  });
});
