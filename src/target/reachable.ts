import { connect } from 'node:net';
import { GoliveError } from '../errors.js';

/**
 * Fails fast with exit 3 when nothing listens at the base URL, naming host:port,
 * so a typo in target.baseUrl is not reported as a dozen failed checks.
 */
export async function assertReachable(baseUrl: string, timeoutMs = 5000): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const error = await new Promise<string | undefined>((resolve) => {
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
  if (error) {
    throw new GoliveError('GL_TARGET_UNREACHABLE', `target ${host}:${port} is unreachable (${error})`, {
      hint: 'start the service, or add target.start to golive.yaml so golive starts it; check target.baseUrl',
    });
  }
}
