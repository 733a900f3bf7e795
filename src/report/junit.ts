import type { ReportModel } from '../model.js';

/**
 * JUnit XML for CI test reporters: one testcase per criterion (suite
 * "criteria") and per threshold (suite "thresholds"). Unmet and Partial
 * criteria are failures, Unverified ones are failures of type "unverified";
 * a failing threshold is a failure, a threshold with no data or an invalid
 * expression is an error.
 */
export function renderJunit(model: ReportModel): string {
  const { evaluation, run } = model;
  const classname = `golive.${run.service}`;
  const criteria = evaluation.criteria.map((c) => {
    const name = `${c.id} ${c.title}`;
    if (c.status === 'Met' || c.waiver) {
      return testcase(
        classname,
        name,
        c.waiver ? `<system-out>${esc(`waived by ${c.waiver.by}: ${c.waiver.reason}`)}</system-out>` : '',
      );
    }
    const type = c.status === 'Unverified' ? 'unverified' : c.status.toLowerCase();
    return testcase(
      classname,
      name,
      `<failure type="${type}" message="${esc(`${c.status}: ${c.evidence || c.notes || ''}`)}"/>`,
    );
  });
  const thresholds = evaluation.thresholds.map((t) => {
    const name = `${t.name} ${t.expr}`;
    if (t.outcome === 'pass') return testcase(classname, name, `<system-out>${esc(t.display ?? '')}</system-out>`);
    if (t.outcome === 'fail')
      return testcase(classname, name, `<failure type="threshold" message="${esc(t.reason ?? 'failed')}"/>`);
    return testcase(classname, name, `<error type="${t.outcome}" message="${esc(t.reason ?? t.outcome)}"/>`);
  });
  const suite = (name: string, cases: string[], failures: number, errors: number): string =>
    `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="${errors}" timestamp="${esc(run.startedAt)}">\n${cases.join('\n')}\n  </testsuite>`;
  const cFail = evaluation.criteria.filter((c) => c.status !== 'Met' && !c.waiver).length;
  const tFail = evaluation.thresholds.filter((t) => t.outcome === 'fail').length;
  const tErr = evaluation.thresholds.filter((t) => t.outcome === 'no-data' || t.outcome === 'invalid').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="golive ${esc(run.service)} ${esc(run.release)}" tests="${criteria.length + thresholds.length}" failures="${cFail + tFail}" errors="${tErr}">`,
    suite('criteria', criteria, cFail, 0),
    suite('thresholds', thresholds, tFail, tErr),
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(classname: string, name: string, body: string): string {
  return body
    ? `    <testcase classname="${esc(classname)}" name="${esc(name)}">${body}</testcase>`
    : `    <testcase classname="${esc(classname)}" name="${esc(name)}"/>`;
}

/** XML-escapes text and drops characters XML 1.0 cannot carry. */
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
  );
}
