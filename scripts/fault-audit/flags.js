// Category 2: bad flags and arguments on every command. Each case runs in a copy of a
// project whose store went through the whole flow, so commands that read the store get
// as far as they would for a user. Handled: exit 2, the message names the flag (or the
// argument, command or file at fault), no stack trace, within the time bound, and nothing
// written: no new file or folder, no record added to the store.
import { join } from 'node:path';
import { crashReason, firstLine, freePort, listTree } from './harness.js';
import { cliPool } from './in-process.js';
import { copyProject, recordCounts, seedProject } from './project.js';

const COMMANDS = [
  ['init'],
  ['validate'],
  ['schema'],
  ['check'],
  ['load', 'URL'],
  ['report'],
  ['history'],
  ['attest', 'DoD-1'],
  ['waive', 'DoD-1'],
  ['findings'],
  ['accept', 'FP'],
  ['amend', 'threshold'],
  ['signoff'],
  ['decide'],
  ['audit', 'verify'],
  ['drill', 'smoke'],
  ['scan'],
  ['verify'],
  ['probe', 'URL'],
];

/** The cases, with URL standing for a loopback port nothing listens on, FP for a finding of the store. */
function cases() {
  const out = [];
  const add = (id, argv, names) => out.push({ id, argv, names: [names].flat() });
  for (const cmd of COMMANDS) add(`unknown-flag-${cmd[0]}`, [...cmd, '--no-such-flag'], '--no-such-flag');
  for (const cmd of ['check', 'history', 'findings', 'validate']) add(`unknown-short-${cmd}`, [cmd, '-Z'], '-Z');
  add('unknown-short-load', ['load', 'URL', '-Z'], '-Z');

  // a flag given without its value
  const bare = [
    [['check', '--out'], '--out'],
    [['check', '--format'], '--format'],
    [['history', '--limit'], '--limit'],
    [['report', '--run'], '--run'],
    [
      ['load', 'URL', '-c'],
      ['-c', '--connections'],
    ],
    [
      ['load', 'URL', '-d'],
      ['-d', '--duration'],
    ],
    [['load', 'URL', '--rate'], '--rate'],
    [['attest', 'DoD-1', '--role', 'Tech Lead', '--evidence', 'x', '--by'], '--by'],
    [['signoff', '--role'], '--role'],
    [['decide', '--by'], '--by'],
    [['findings', '--severity'], '--severity'],
    [['probe', 'URL', '--burst'], '--burst'],
    [['init', '--template'], '--template'],
    [['audit', 'verify', '--head'], '--head'],
    [
      ['validate', '-c'],
      ['-c', '--config'],
    ],
  ];
  for (const [argv, names] of bare) add(`no-value-${argv[0]}-${argv.at(-1).replace(/^-+/, '')}`, argv, names);

  // numbers out of range, not numbers, or without their unit
  const load = (id, flag, value, names = flag) => add(`load-${id}`, ['load', 'URL', flag, value], names);
  load('requests-1e99', '-n', '1e99', ['-n', '--requests']);
  load('requests-0', '-n', '0', ['-n', '--requests']);
  load('requests-word', '-n', 'abc', ['-n', '--requests']);
  load('requests-fraction', '-n', '1.5', ['-n', '--requests']);
  load('connections-0', '-c', '0', ['-c', '--connections']);
  load('connections-1e9', '-c', '1000000000', ['-c', '--connections']);
  load('connections-negative', '-c', '-3', ['-c', '--connections']);
  load('pipelining-0', '-p', '0', ['-p', '--pipelining']);
  load('pipelining-1e6', '-p', '1000000', ['-p', '--pipelining']);
  load('workers-0', '-w', '0', ['-w', '--workers']);
  load('workers-999', '-w', '999', ['-w', '--workers']);
  load('rate-negative', '--rate', '-5/s');
  load('rate-0', '--rate', '0');
  load('rate-word', '--rate', 'abc');
  load('rate-1e99', '--rate', '1e99/s');
  load('rate-bad-unit', '--rate', '5/x');
  load('duration-0', '-d', '0', ['-d', '--duration']);
  load('duration-negative', '-d', '-1s', ['-d', '--duration']);
  load('duration-bad-unit', '-d', '10x', ['-d', '--duration']);
  load('duration-1e99', '-d', '1e99s', ['-d', '--duration']);
  load('timeout-0s', '--timeout', '0s');
  load('timeout-word', '--timeout', 'abc');
  load('stage-word', '--stage', 'bogus');
  load('stage-0s', '--stage', '0s:10/s');
  load('stage-bad-rate', '--stage', '10s:abc');
  load('segment-over', '--segment', '3/2');
  load('segment-zero', '--segment', '0/0');
  load('segment-word', '--segment', 'abc');
  load('threshold-word', '--threshold', 'bogus');
  load('threshold-bad-op', '--threshold', 'load.latency.p95 << 1ms');
  load('method-bad', '-m', 'BAD METHOD', ['-m', '--method']);
  load('method-empty', '-m', '', ['-m', '--method']);
  load('method-crlf', '-m', 'GET\r\nX-Injected: 1', ['-m', '--method']);
  load('header-no-colon', '-H', 'nocolon', ['-H', '--header']);
  load('header-crlf', '-H', 'X-A: b\r\nX-Injected: 1', ['-H', '--header']);
  load('out-proc', '--out', '/proc/fault-audit/load.json', ['--out', '/proc/fault-audit']);
  add('load-abort-after-word', ['load', 'URL', '--abort-on-fail', '--abort-after', 'x'], '--abort-after');
  add('load-rate-and-stage', ['load', 'URL', '--rate', '10/s', '--stage', '10s:20/s'], ['--rate', '--stage']);
  add('load-url-ftp', ['load', 'ftp://127.0.0.1/'], 'ftp://127.0.0.1/');
  add('load-url-word', ['load', 'not-a-url'], 'not-a-url');
  add('load-no-url', ['load'], 'URL');

  for (const [id, v] of [
    ['1e99', '1e99'],
    ['negative', '-1'],
    ['0', '0'],
    ['word', 'abc'],
    ['fraction', '1.5'],
  ]) {
    add(`history-limit-${id}`, ['history', '--limit', v], '--limit');
  }

  const probe = (id, flag, value) => add(`probe-${id}`, ['probe', 'URL', flag, value], flag);
  probe('burst-0', '--burst', '0');
  probe('burst-1e99', '--burst', '1e99');
  probe('burst-word', '--burst', 'abc');
  probe('timeout-0s', '--timeout', '0s');
  probe('timeout-word', '--timeout', 'abc');
  probe('max-duration-negative', '--max-duration', '-1m');
  probe('only-unknown', '--only', 'bogus');
  probe('fail-on-unknown', '--fail-on', 'huge');
  probe('param-no-colon', '--param', 'nocolon');
  probe('protected-bad-method', '--protected', 'FETCH /x');
  probe('header-no-colon', '--header', 'nocolon');
  probe('ca-missing', '--ca', '/nonexistent/fault-audit-ca.pem');
  add('probe-url-and-config', ['probe', 'URL', '-c', 'golive.yaml'], ['-c', '--config']);

  // values outside the allowed set
  add('check-format-pdf', ['check', '--format', 'pdf'], ['--format', 'pdf']);
  add('report-format-xml', ['report', '--format', 'xml'], ['--format', 'xml']);
  add('findings-severity-unknown', ['findings', '--severity', 'urgent'], ['--severity', 'urgent']);
  add('findings-status-unknown', ['findings', '--status', 'bogus'], ['--status', 'bogus']);
  add(
    'signoff-decision-maybe',
    ['signoff', '--role', 'Tech Lead', '--by', 'x', '--decision', 'maybe'],
    ['--decision', 'maybe'],
  );
  add('init-template-unknown', ['init', '--template', 'nope'], ['--template', 'nope']);
  add('drill-kind-unknown', ['drill', 'nope'], 'nope');
  add('drill-kind-missing', ['drill'], ['KIND', 'name one of']);

  // arguments that name nothing in the store, or are malformed
  add('audit-head-short', ['audit', 'verify', '--head', 'abc'], '--head');
  add('audit-head-not-hex', ['audit', 'verify', '--head', 'z'.repeat(64)], '--head');
  add('audit-no-subcommand', ['audit'], 'verify');
  add('audit-subcommand-typo', ['audit', 'verfiy'], 'verfiy');
  add('accept-prefix-0', ['accept', '0', '--reason', 'r', '--by', 'b'], ['"0"', 'FINDING']);
  add('accept-no-by', ['accept', 'FP', '--reason', 'r'], '--by');
  add('accept-expires-word', ['accept', 'FP', '--reason', 'r', '--by', 'b', '--expires', 'soon'], '--expires');
  add('waive-expires-word', ['waive', 'DoD-1', '--reason', 'r', '--by', 'b', '--expires', 'notadate'], '--expires');
  add('waive-expires-past', ['waive', 'DoD-1', '--reason', 'r', '--by', 'b', '--expires', '2001-01-01'], '--expires');
  add('waive-no-reason', ['waive', 'DoD-1', '--by', 'b', '--expires', '2099-01-01'], '--reason');
  add('waive-unknown-subject', ['waive', 'NOPE-9', '--reason', 'r', '--by', 'b', '--expires', '2099-01-01'], 'NOPE-9');
  add(
    'attest-unknown-criterion',
    ['attest', 'NOPE-1', '--by', 'x', '--role', 'Tech Lead', '--evidence', 'u'],
    'NOPE-1',
  );
  add('attest-unknown-role', ['attest', 'DoD-1', '--by', 'x', '--role', 'Nobody', '--evidence', 'u'], 'Nobody');
  add('attest-no-evidence', ['attest', 'DoD-1', '--by', 'x', '--role', 'Tech Lead'], '--evidence');
  add('signoff-unknown-role', ['signoff', '--role', 'Nobody', '--by', 'x', '--decision', 'go'], 'Nobody');
  add('signoff-empty-by', ['signoff', '--role', 'Tech Lead', '--by', '', '--decision', 'go'], '--by');
  add(
    'amend-bad-expression',
    ['amend', 'threshold', 'ops.health.latency', '<< 1ms', '--reason', 'r', '--by', 'b'],
    ['<< 1ms', 'ops.health.latency'],
  );
  add('amend-unknown-kind', ['amend', 'bogus'], 'bogus');
  add('amend-no-reason', ['amend', 'threshold', 'ops.health.latency', '< 1ms', '--by', 'b'], '--reason');
  add('report-unknown-run', ['report', '--run', 'nope'], 'nope');

  // outputs that cannot be written: refused before any work, nothing recorded
  const proc = ['--out', '/proc/fault-audit'];
  add('report-out-proc', ['report', '--out', '/proc/fault-audit'], proc);
  add('check-out-proc', ['check', '--out', '/proc/fault-audit'], proc);
  add('decide-out-proc', ['decide', '--by', 'x', '--out', '/proc/fault-audit'], proc);
  add('scan-out-proc', ['scan', '--out', '/proc/fault-audit'], proc);
  add('scan-dir-missing', ['scan', '/nonexistent/fault-audit-dir'], '/nonexistent/fault-audit-dir');
  add(
    'scan-baseline-missing',
    ['scan', '--baseline', '/nonexistent/fault-audit.json'],
    ['--baseline', '/nonexistent/fault-audit.json'],
  );
  add('config-missing', ['validate', '-c', 'nope.yaml'], 'nope.yaml');
  add('config-folder', ['validate', '-c', 'src'], 'src');
  add('check-config-missing', ['check', '-c', 'nope.yaml'], 'nope.yaml');

  // commands that do not exist, stray arguments
  for (const name of ['chekc', 'deploy', 'CHECK', 'rm']) add(`command-${name}`, [name], `"${name}"`);
  add('command-empty', [''], '""');
  add('command-flag', ['--bogus'], '--bogus');
  add('extra-arg-validate', ['validate', 'extra'], 'extra');
  add('extra-arg-history', ['history', 'extra'], 'extra');
  add('extra-arg-decide', ['decide', 'extra', '--by', 'x'], 'extra');
  return out;
}

/** What a case may not change: files (by size and time, store logs aside) and the store's records. */
function snapshot(dir) {
  const files = listTree(dir).filter((p) => !/golive\.db(-wal|-shm)?$/.test(p));
  return { files, records: JSON.stringify(recordCounts(join(dir, '.golive', 'golive.db')) ?? null) };
}

function judge(c, r, before, after) {
  const crash = crashReason(r);
  if (crash) return crash;
  const added = after.files.filter((f) => !before.files.includes(f));
  const removed = before.files.filter((f) => !after.files.includes(f));
  if (r.code !== 2) return `exit ${r.code}, expected 2: ${firstLine(r.stderr || r.stdout)}`;
  const output = r.stdout + r.stderr;
  if (!c.names.some((n) => output.includes(n))) return `does not name ${c.names.join(' or ')}: ${firstLine(r.stderr)}`;
  if (added.length || removed.length) {
    return `wrote to the project: ${[...added.map((f) => `+${f}`), ...removed.map((f) => `-${f}`)].join(' ')}`;
  }
  if (after.records !== before.records) return 'recorded something in the store';
  return undefined;
}

export async function runFlags(ctx) {
  const seed = await seedProject();
  const fingerprint = seed.findings[0].fingerprint;
  // Nothing listens here: a case that got past its flags reaches no service.
  const closed = await freePort();
  const url = `http://127.0.0.1:${closed}/`;
  const all = cases();
  return cliPool(all, ctx, async (c, cli, i) => {
    const dir = copyProject(seed, `flags/${String(i).padStart(3, '0')}-${c.id}`);
    const argv = c.argv.map((a) => (a === 'URL' ? url : a === 'FP' ? fingerprint : a));
    const before = snapshot(dir);
    // A port no service listens on: should a case wrongly get as far as starting the target, it fails fast.
    const r = await cli(argv, { cwd: dir, env: { PORT: String(closed) } });
    const reason = judge(c, r, before, snapshot(dir));
    ctx.log(reason ? `  ✗ flags ${c.id}: ${reason}` : undefined);
    return {
      id: c.id,
      command: `golive ${argv.map((a) => (/[\s"]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')}`,
      handled: reason === undefined,
      ...(reason ? { reason } : {}),
      exit: r.code,
      ms: Math.round(r.ms),
    };
  });
}
