// A long-lived child process that runs cases against the built library, so each case costs
// milliseconds instead of a Node start and a module load (on two busy cores that is the
// difference between one minute and ten). The parent (in-process.js) sends one case at a
// time and kills this process when a case overruns its time bound.
//
//   { op: 'cli', argv, cwd, env }  → golive's own `main` (what bin/golive.js calls), output captured
//   { op: 'load', file, env }      → the library's `loadProject` on a spec file
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const lib = await import(pathToFileURL(process.argv[2]).href);
const home = process.cwd();

let current;
// An exception nothing caught would crash the real bin with a stack: report it as exactly that.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (e) => {
    process.send?.({ id: current, crashed: `${event}: ${e?.stack ?? String(e)}` }, () => process.exit(70));
  });
}

process.on('message', async (msg) => {
  current = msg.id;
  const started = performance.now();
  try {
    const out = msg.op === 'cli' ? await runCli(msg) : runLoad(msg);
    process.send({ id: msg.id, ms: performance.now() - started, ...out });
  } catch (e) {
    process.send({ id: msg.id, ms: performance.now() - started, crashed: `threw: ${e?.stack ?? String(e)}` });
  }
});
process.send({ ready: true });

async function runCli({ argv, cwd, env }) {
  // Commands take their folder from io.cwd; chdir too, so one that used process.cwd() writes in the case folder.
  process.chdir(cwd);
  // And the environment: a command may hand process.env to what it spawns (the service, a drill).
  const saved = process.env;
  process.env = { ...saved, ...env };
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s) => (stdout += s) },
    stderr: { write: (s) => (stderr += s) },
    env,
    cwd,
    isTTY: false,
    now: () => new Date(),
    signal: new AbortController().signal,
  };
  try {
    const code = await lib.main({ argv, io });
    return { code, stdout, stderr };
  } finally {
    // Back home: the audit looks for processes left in a case folder by their working folder.
    process.chdir(home);
    process.env = saved;
  }
}

function runLoad({ file, env }) {
  try {
    const project = lib.loadProject({ config: file, env });
    return { result: 'valid', warnings: project.loaded.warnings.length };
  } catch (e) {
    if (e instanceof lib.GoliveError) {
      const unplaced = (e.problems ?? []).filter((p) => !(p.line >= 1 && p.column >= 1)).length;
      return { result: 'golive-error', code: e.code, problems: e.problems?.length ?? 0, unplaced };
    }
    return { result: 'foreign-error', error: `${e?.name ?? typeof e}: ${e?.message ?? String(e)}`.slice(0, 400) };
  }
}
