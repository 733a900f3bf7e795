import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { commandLine } from './proc.js';

/**
 * Which process listens on a TCP port, as far as the OS tells this user:
 * "pid 123 (nginx: master process nginx)", "a process of uid 0", or undefined.
 * Linux: /proc/net/tcp{,6} gives the socket inode, /proc/PID/fd finds its owner.
 * Elsewhere (or when /proc says nothing) `ss -ltnp`, then `lsof`, when installed.
 */
export function portOwner(port: number): string | undefined {
  return fromProc(port) ?? fromSs(port) ?? fromLsof(port);
}

/** Listening sockets on the port from /proc/net/tcp text: inode and uid of each. */
export function listeningSockets(table: string, port: number): Array<{ inode: string; uid: number }> {
  const out: Array<{ inode: string; uid: number }> = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    // st 0A is LISTEN.
    if (!local || f[3] !== '0A') continue;
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
    if (f[9] && f[9] !== '0') out.push({ inode: f[9], uid: Number(f[7]) });
  }
  return out;
}

function fromProc(port: number): string | undefined {
  const sockets: Array<{ inode: string; uid: number }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      sockets.push(...listeningSockets(readFileSync(table, 'utf8'), port));
    } catch {
      // not Linux, or no IPv6
    }
  }
  if (sockets.length === 0) return undefined;
  const wanted = new Set(sockets.map((s) => `socket:[${s.inode}]`));
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    // fall through to the uid
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return describe(Number(pid), commandLine(Number(pid)));
      } catch {
        // closed meanwhile
      }
    }
  }
  return `a process of uid ${sockets[0]?.uid}`;
}

/** Parses `ss -ltnpH` output: users:(("nginx",pid=123,fd=6)). */
export function ownerFromSs(text: string): string | undefined {
  const m = /users:\(\("([^"]*)",pid=(\d+)/.exec(text);
  return m ? describe(Number(m[2]), m[1]) : undefined;
}

/** Parses `lsof -F pc` output: p123 / cnginx lines. */
export function ownerFromLsof(text: string): string | undefined {
  const pid = /^p(\d+)$/m.exec(text)?.[1];
  return pid ? describe(Number(pid), /^c(.+)$/m.exec(text)?.[1]) : undefined;
}

function fromSs(port: number): string | undefined {
  return run('ss', ['-ltnpH', `sport = :${port}`], ownerFromSs);
}

function fromLsof(port: number): string | undefined {
  return run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], ownerFromLsof);
}

function run(cmd: string, args: string[], parse: (s: string) => string | undefined): string | undefined {
  try {
    return parse(execFileSync(cmd, args, { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined; // not installed, or nothing found
  }
}

const describe = (pid: number, command: string | undefined): string =>
  `pid ${pid}${command ? ` (${command.length > 80 ? `${command.slice(0, 77)}…` : command})` : ''}`;
