import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads families, types, help and samples, folding histogram series into their family', () => {
    const text = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="GET",code="200"} 1027 1395066363000',
      'http_requests_total{method="POST",code="400"} 3',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{le="0.1"} 5',
      'latency_seconds_bucket{le="+Inf"} 7',
      'latency_seconds_sum 1.5',
      'latency_seconds_count 7',
      '# a plain comment',
      'up NaN',
      'escaped{path="a\\"b,c"} +Inf',
      '',
    ].join('\n');
    const { families, errors } = parsePrometheusText(text);
    expect(errors).toEqual([]);
    expect(families).toEqual([
      { name: 'http_requests_total', type: 'counter', help: 'Requests served.', samples: 2 },
      { name: 'latency_seconds', type: 'histogram', samples: 4 },
      { name: 'up', type: 'untyped', samples: 1 },
      { name: 'escaped', type: 'untyped', samples: 1 },
    ]);
  });

  it('reports the line of HTML, JSON and malformed samples', () => {
    expect(parsePrometheusText('<html>\n<body>').errors[0]).toEqual({ line: 1, message: 'not a sample line: <html>' });
    expect(parsePrometheusText('{"up": 1}').errors[0]?.line).toBe(1);
    const bad = parsePrometheusText('ok 1\nx{a=b} 1\ny two\n# TYPE z sometype\n');
    expect(bad.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(bad.errors[1]?.message).toMatch(/"two" is not a number/);
    expect(bad.errors[2]?.message).toMatch(/unknown metric type/);
  });

  it('accepts CRLF line ends and an empty body as zero families', () => {
    expect(parsePrometheusText('a 1\r\nb 2\r\n').families.map((f) => f.name)).toEqual(['a', 'b']);
    expect(parsePrometheusText('')).toEqual({ families: [], errors: [] });
  });
});
