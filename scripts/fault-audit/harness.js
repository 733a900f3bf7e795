// Shared pieces of the fault audit: running the real bin with a time bound, temporary folders,
// a seeded PRNG, a small pool, and finding (and ending) the processes a case left behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'golive.js');
export const DIST = join(ROOT, 'dist', 'index.js');

/** Every temporary file of the audit lives under one folder, so cleanup (and the process scan) has one root. */
let workRoot;
export function workDir() {
  workRoot ??= mkdtempSync(join(tmpdir(), 'golive-fault-audit-'));
  return workRoot;
}

/** A fresh folder under the work root holding the given files (relative path → content). */
export function caseDir(name, files = {}) {
  const dir = join(workDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

// Only what golive needs: the caller's environment could hold CI variables
// (GITHUB_STEP_SUMMARY would be appended to) or real secrets that would muddy the secret scan.
const BASE_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  LANG: 'C.UTF-8',
  NO_COLOR: '1',
};

/** golive processes still running, by pid, so Ctrl-C and the final cleanup can end their process groups. */
const live = new Set();

/**
 * Runs `golive ARGS` in `cwd`, as a user would, and resolves with what it did.
 * Never rejects: a spawn failure or a timeout is part of the result. After
 * `timeoutMs` the whole process group is killed and `hung` is set, so one
 * stuck case costs a bounded time and cannot stall the audit.
 * `onSpawn(child)` lets the kill category signal the process itself.
 */
export function golive(args, { cwd, env = {}, timeoutMs = 20_000, onSpawn } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...BASE_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a timeout ends golive and whatever it started, nothing else.
      detached: true,
    });
    live.add(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      killGroup(child.pid);
    }, timeoutMs);
    onSpawn?.(child);
    let spawnError;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child.pid);
      resolve({
        args,
        code,
        signal,
        hung,
        ms: Date.now() - started,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (spawnError ? `\nspawn: ${spawnError.message}` : ''),
      });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A raw stack frame of golive's own code ("    at fn (file:///…/dist/x.js:1:2)") in output: a
 * user should never see one. Frames of other programs do not count: golive rightly quotes the
 * last lines a failed start command printed, and those may hold the service's own stack.
 */
const STACK_FRAME = new RegExp(
  `^\\s+at (?:.+ \\()?(?:file://)?${ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:dist|bin)/[^\\n]*:\\d+:\\d+\\)?$`,
  'm',
);
export function hasStackTrace(text) {
  return STACK_FRAME.test(text);
}

/** Why a finished golive run is not a clean refusal: crashed, hung, printed a stack, or exit 4. */
export function crashReason(r) {
  if (r.hung) return `hung: killed after ${r.ms} ms`;
  if (r.crashed) return `crashed: ${firstLine(r.crashed)}`;
  if (r.signal) return `ended by ${r.signal}`;
  if (r.code === 4) return `exit 4 (internal error): ${firstLine(r.stderr)}`;
  if (hasStackTrace(r.stdout + r.stderr)) return 'printed a stack trace';
  return undefined;
}

export function firstLine(text) {
  return (
    String(text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 200) ?? ''
  );
}

/** Files under `dir` as relative paths (folders end in /), for "left nothing behind" checks. */
export function listTree(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.push(`${relative(dir, p)}/`);
        walk(p);
      } else {
        out.push(relative(dir, p));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The leftovers a refused command must not leave: a store or a report folder. */
export function leftovers(dir) {
  return ['.golive', 'golive-report'].filter((name) => existsSync(join(dir, name)));
}

// ------------------------------------------------------------------ randomness

/** mulberry32: small, fast and the same on every machine, so a seed reproduces a run exactly. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** A seed for case `i` of a category: cases stay reproducible one by one, whatever ran before. */
export function subSeed(seed, label, i) {
  return createHash('sha256').update(`${seed}:${label}:${i}`).digest().readUInt32LE(0);
}

/**
 * Secret-shaped values built at runtime from a label (as test/secret-corpus.ts does), so this
 * repository holds no literal a secret scanner would report, and a run is the same every time.
 */
export function pseudo(label, length, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    for (const byte of createHash('sha256').update(`${label}:${i}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

// ------------------------------------------------------------------ concurrency, ports

/** Runs `fn` over `items` with at most `limit` at once; results in input order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A loopback port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ processes left behind

/**
 * Processes whose working folder or command line lies under `dir`: the targets and
 * commands a golive run started there. Read from /proc (Linux), so a process that
 * golive lost track of (its parent was SIGKILLed) is still found.
 */
export function processesUnder(dir) {
  const found = [];
  let pids;
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return found;
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    let cwd = '';
    let cmd = '';
    try {
      cwd = readlinkSync(`/proc/${p}/cwd`);
    } catch {
      // gone, or not ours to read
    }
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      // A zombie has an empty command line and is already dead; it only waits to be reaped.
      if (cmd === '') continue;
    } catch {
      continue;
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`) || cmd.includes(dir)) found.push({ pid, cmd: cmd.slice(0, 160) });
  }
  return found;
}

/** Waits up to `ms` for the processes under `dir` to end; returns those still running. */
export async function waitForNoProcesses(dir, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const left = processesUnder(dir);
    if (left.length === 0 || Date.now() >= until) return left;
    await sleep(100);
  }
}

/** Ends the given processes (ones the audit's own cases started) by pid. */
export function killPids(procs) {
  for (const { pid } of procs) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Ends every golive process group still running and every process left under the
 * work root, then removes the work root. Safe to call twice (Ctrl-C, then exit).
 */
export function cleanup({ keep = false } = {}) {
  for (const pid of live) killGroup(pid);
  live.clear();
  if (!workRoot) return;
  killPids(processesUnder(workRoot));
  if (!keep) rmSync(workRoot, { recursive: true, force: true });
}
