import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningSockets, ownerFromLsof, ownerFromSs, portOwner } from './port-owner.js';

describe('listeningSockets', () => {
  const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 424242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 434343 1 0000000000000000 20 4 30 10 -1
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11111 1 0000000000000000 100 0 0 10 0
`;

  it('finds the listening socket on the port (8080 is 1F90), not its connections', () => {
    expect(listeningSockets(table, 8080)).toEqual([{ inode: '424242', uid: 1000 }]);
    expect(listeningSockets(table, 22)).toEqual([{ inode: '11111', uid: 0 }]);
    expect(listeningSockets(table, 9090)).toEqual([]);
  });
});

describe('ss and lsof output', () => {
  it('names the pid and the command', () => {
    expect(
      ownerFromSs('LISTEN 0 511 0.0.0.0:8080 0.0.0.0:* users:(("nginx",pid=321,fd=6),("nginx",pid=322,fd=6))'),
    ).toBe('pid 321 (nginx)');
    expect(ownerFromLsof('p321\ncnginx\nf6\n')).toBe('pid 321 (nginx)');
    expect(ownerFromSs('')).toBeUndefined();
    expect(ownerFromLsof('')).toBeUndefined();
  });
});

describe('portOwner', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('names this process as the one listening', () => {
    const who = portOwner(port);
    if (process.platform !== 'linux' && who === undefined) return; // the OS does not tell
    expect(who).toMatch(new RegExp(`^pid ${process.pid}\\b`));
  });
});
