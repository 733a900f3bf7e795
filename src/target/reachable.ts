import { connect } from 'node:net';
import { GoliveError } from '../errors.js';

/** host and port of a URL, the port defaulted from the scheme; IPv6 brackets removed. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
  };
}

/** Opens and closes one TCP connection: undefined when something accepted it, else why not. */
export function tryConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`no answer within ${timeoutMs / 1000}s`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve(undefined);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code === 'ECONNREFUSED' ? 'connection refused' : (e.code ?? e.message));
    });
  });
}

/**
 * Fails fast with exit 3 when nothing listens at the base URL, naming host:port,
 * so a typo in target.baseUrl is not reported as a dozen failed checks.
 */
export async function assertReachable(baseUrl: string, timeoutMs = 5000): Promise<void> {
  const { host, port } = hostPort(baseUrl);
  const error = await tryConnect(host, port, timeoutMs);
  if (error) {
    throw new GoliveError('GL_TARGET_UNREACHABLE', `target ${host}:${port} is unreachable (${error})`, {
      hint: 'start the service, or add target.start to golive.yaml so golive starts it; check target.baseUrl',
    });
  }
}
