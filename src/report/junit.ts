import type { CriterionResult, ReportModel, ThresholdResult } from '../model.js';
import { verdict } from './verdict.js';

/**
 * JUnit XML for CI test reporters (GitHub, GitLab, Jenkins, Azure …):
 *
 * - suite `criteria`: one testcase per AC/DoD row. Met or waived → pass;
 *   Unmet / Partial → `<failure>`; Unverified → `<failure type="unverified">`;
 *   Out of scope (a Non-goal) → `<skipped>`, never a pass.
 * - suite `thresholds`: one testcase per threshold. pass → pass; fail →
 *   `<failure>`; no data or an invalid expression → `<error>`.
 *
 * classname is `golive.<service>`. Run id, spec hash, release and verdict go
 * in each suite's `<properties>`. Every attribute and text is XML-escaped.
 */
export function renderJunit(model: ReportModel): string {
  const { evaluation, run } = model;
  const classname = `golive.${run.service}`;
  const timestamp = run.startedAt.slice(0, 19);

  const criteria = evaluation.criteria.map((c) => criterionCase(classname, c));
  const thresholds = evaluation.thresholds.map((t) => thresholdCase(classname, t));
  const all = [...criteria, ...thresholds];
  const count = (cases: Case[], k: Case['kind']): number => cases.filter((x) => x.kind === k).length;

  const props: [string, string][] = [
    ['service', run.service],
    ['release', run.release],
    ['run', run.id],
    ['specHash', run.specHash],
    ...(run.targetVersion ? ([['targetVersion', run.targetVersion]] as [string, string][]) : []),
    ['verdict', verdict(model).label],
  ];

  const suite = (name: string, cases: Case[]): string =>
    [
      `  <testsuite name="${name}" tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}" timestamp="${esc(timestamp)}">`,
      '    <properties>',
      ...props.map(([k, v]) => `      <property name="${esc(k)}" value="${esc(v)}"/>`),
      '    </properties>',
      ...cases.map((x) => x.xml),
      '  </testsuite>',
    ].join('\n');

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="golive" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}">`,
    suite('criteria', criteria),
    suite('thresholds', thresholds),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Case {
  kind: 'pass' | 'failure' | 'error' | 'skipped';
  xml: string;
}

function criterionCase(classname: string, c: CriterionResult): Case {
  const name = `${c.id} ${c.title}`;
  const detail = [
    ...c.parts.map((p) => `${p.state === 'pass' ? 'ok' : p.state}: ${p.detail}`),
    ...(c.notes ? [`note: ${c.notes}`] : []),
  ].join('\n');
  if (c.status === 'Out of scope') {
    const message = `out of scope for this release${c.notes ? `: ${c.notes}` : ''}`;
    return { kind: 'skipped', xml: testcase(classname, name, `<skipped message="${esc(message)}"/>`) };
  }
  if (c.waiver) {
    const w = c.waiver;
    const note = `${c.status}, waived by ${w.by}${w.expiresAt ? ` until ${w.expiresAt.slice(0, 10)}` : ''}: ${w.reason}`;
    return { kind: 'pass', xml: testcase(classname, name, `<system-out>${text(note)}</system-out>`) };
  }
  if (c.status === 'Met') {
    return { kind: 'pass', xml: testcase(classname, name, detail ? `<system-out>${text(detail)}</system-out>` : '') };
  }
  const failing = c.parts.filter((p) => p.state !== 'pass').map((p) => p.detail);
  const message = `${c.status}${failing.length ? `: ${failing.join('; ')}` : c.notes ? `: ${c.notes}` : ''}`;
  const type = c.status.toLowerCase();
  return {
    kind: 'failure',
    xml: testcase(classname, name, `<failure type="${type}" message="${esc(message)}">${text(detail)}</failure>`),
  };
}

function thresholdCase(classname: string, t: ThresholdResult): Case {
  const name = `${t.name} ${t.expr}`;
  const measured = `measured: ${t.display ?? '—'}${t.amended ? ' (threshold amended)' : ''}`;
  if (t.outcome === 'pass') {
    return { kind: 'pass', xml: testcase(classname, name, `<system-out>${text(measured)}</system-out>`) };
  }
  if (t.outcome === 'fail') {
    return {
      kind: 'failure',
      xml: testcase(
        classname,
        name,
        `<failure type="threshold" message="${esc(t.reason ?? 'threshold not met')}">${text(measured)}</failure>`,
      ),
    };
  }
  return {
    kind: 'error',
    xml: testcase(
      classname,
      name,
      `<error type="${t.outcome}" message="${esc(t.reason ?? t.outcome)}">${text(measured)}</error>`,
    ),
  };
}

function testcase(classname: string, name: string, body: string): string {
  return body
    ? `    <testcase classname="${esc(classname)}" name="${esc(name)}">${body}</testcase>`
    : `    <testcase classname="${esc(classname)}" name="${esc(name)}"/>`;
}

/** XML-escapes element content; newlines stay as they are. */
function text(s: string): string {
  return esc(s).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

/**
 * XML-escapes text for attributes and element content, and drops characters
 * XML 1.0 cannot carry. Newlines in attributes become `&#10;` so parsers keep them.
 */
export function esc(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- the allowed XML 1.0 characters include tab, LF and CR
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')
      .replace(/\t/g, '&#9;')
  );
}
