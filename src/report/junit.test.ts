import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReportModel } from './fixture.js';
import { renderJunit } from './junit.js';

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '<') throw new Error(`raw < in text at ${i}`);
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const end = s.indexOf(';', i);
    if (end < 0) throw new Error(`unterminated entity at ${i}`);
    const name = s.slice(i + 1, end);
    if (name.startsWith('#'))
      out += String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)));
    else if (name in ENTITIES) out += ENTITIES[name];
    else throw new Error(`unknown entity &${name};`);
    i = end;
  }
  return out;
}

/** A small, strict XML parser for what the JUnit reporter emits: throws on anything not well-formed. */
function parseXml(xml: string): Element {
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const root: Element = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const isName = (c: string | undefined): boolean =>
    !!c && c !== ' ' && c !== '=' && c !== '>' && c !== '/' && c !== '\n';
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    stack.at(-1)!.text += decode(text);
    if (lt < 0) break;
    i = lt + 1;
    if (xml[i] === '/') {
      const gt = xml.indexOf('>', i);
      const name = xml.slice(i + 1, gt);
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      i = gt + 1;
      continue;
    }
    let name = '';
    while (isName(xml[i])) name += xml[i++];
    const el: Element = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      while (xml[i] === ' ' || xml[i] === '\n') i++;
      if (xml[i] === '/' && xml[i + 1] === '>') {
        i += 2;
        stack.at(-1)!.children.push(el);
        break;
      }
      if (xml[i] === '>') {
        i++;
        stack.at(-1)!.children.push(el);
        stack.push(el);
        break;
      }
      let attr = '';
      while (isName(xml[i])) attr += xml[i++];
      if (!attr || xml[i] !== '=' || xml[i + 1] !== '"') throw new Error(`bad attribute in <${name}> at ${i}`);
      const end = xml.indexOf('"', i + 2);
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(xml.slice(i + 2, end));
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (root.children.length !== 1 || root.text.trim()) throw new Error('not exactly one root element');
  return root.children[0]!;
}

const kids = (e: Element, name: string): Element[] => e.children.filter((c) => c.name === name);

describe('junit report', () => {
  const xml = renderJunit(sampleReportModel());
  const root = parseXml(xml);

  it('is well-formed XML with a testsuites root carrying the totals', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toEqual({ name: 'golive', tests: '15', failures: '6', errors: '1', skipped: '1' });
  });

  it('has a criteria suite: Met and waived pass, Partial/Unmet fail, Unverified fails as unverified, Non-goal skipped', () => {
    const [suite] = kids(root, 'testsuite').filter((s) => s.attrs.name === 'criteria');
    expect(suite!.attrs).toMatchObject({ tests: '8', failures: '4', errors: '0', skipped: '1' });
    expect(suite!.attrs.timestamp).toBe('2026-11-22T11:00:00');
    const cases = kids(suite!, 'testcase');
    expect(cases.every((c) => c.attrs.classname === 'golive.checkout-api')).toBe(true);
    const outcome = (c: Element): string =>
      c.children[0]?.name === 'failure'
        ? `failure:${c.children[0].attrs.type}`
        : c.children[0]?.name === 'skipped'
          ? 'skipped'
          : 'pass';
    expect(Object.fromEntries(cases.map((c) => [c.attrs.name!.split(' ')[0], outcome(c)]))).toEqual({
      'AC-1': 'failure:partial',
      'AC-2': 'failure:partial',
      'AC-3': 'pass',
      'AC-4': 'pass',
      'AC-5': 'failure:unmet',
      'DoD-1': 'pass',
      'DoD-2': 'failure:unverified',
      'NG-1': 'skipped',
    });
    const ac1 = cases.find((c) => c.attrs.name === 'AC-1 Load test shows acceptable performance')!;
    expect(ac1.children[0]!.attrs.message).toBe('Partial: load.error_rate 0.4 % is not < 0.1 %');
    expect(ac1.children[0]!.text).toContain('ok: load.latency.p95 142 ms < 200ms\nfail: load.error_rate');
    const ac4 = cases.find((c) => c.attrs.name!.startsWith('AC-4'))!;
    expect(kids(ac4, 'system-out')[0]!.text).toMatch(/^Unverified, waived by lee@example.com until 2026-12-31/);
  });

  it('has a thresholds suite: fail → failure, no data → error', () => {
    const [suite] = kids(root, 'testsuite').filter((s) => s.attrs.name === 'thresholds');
    expect(suite!.attrs).toMatchObject({ tests: '7', failures: '2', errors: '1', skipped: '0' });
    const errorCase = kids(suite!, 'testcase').find((c) => c.attrs.name === 'drill.rollback.duration < 5m')!;
    expect(errorCase.children[0]!.name).toBe('error');
    expect(errorCase.children[0]!.attrs).toEqual({
      type: 'no-data',
      message: 'no collector produced drill.rollback.duration',
    });
    const amended = kids(suite!, 'testcase').find((c) => c.attrs.name === 'load.error_rate < 0.1%')!;
    expect(amended.children[0]!.name).toBe('failure');
    expect(amended.children[0]!.text).toBe('measured: 0.4 % (threshold amended)');
  });

  it('carries the run, spec hash and verdict as properties', () => {
    const props = Object.fromEntries(
      kids(kids(kids(root, 'testsuite')[1]!, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]),
    );
    expect(props).toMatchObject({ run: SAMPLE.runId, specHash: SAMPLE.specHash, verdict: 'NO-GO', release: 'v1.4.0' });
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    const m = sampleReportModel();
    m.run = { ...m.run, service: 'a&b<"c">\'\u0001' };
    const c = m.evaluation.criteria[4]!;
    m.evaluation = {
      ...m.evaluation,
      criteria: [{ ...c, title: '</testcase><script>x</script>', notes: 'line1\nline2 ]]>' }],
    };
    const out = renderJunit(m);
    expect(out).not.toContain('\u0001');
    const r = parseXml(out);
    const tc = kids(kids(r, 'testsuite')[0]!, 'testcase')[0]!;
    expect(tc.attrs.classname).toBe('golive.a&b<"c">\'');
    expect(tc.attrs.name).toBe('AC-5 </testcase><script>x</script>');
    expect(tc.children[0]!.text).toContain('note: line1\nline2 ]]>');
  });

  it('is valid with no criteria and no thresholds', () => {
    const m = sampleReportModel();
    m.evaluation = { ...m.evaluation, criteria: [], thresholds: [] };
    expect(parseXml(renderJunit(m)).attrs).toMatchObject({ tests: '0', failures: '0', errors: '0' });
  });
});
