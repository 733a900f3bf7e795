// Shared by start.js and switch.js: where the blue-green state of one proxy port lives.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The proxy port: PORT, or the port of GOLIVE_BASE_URL (set by golive for drill commands). */
export function proxyPort() {
  const fromUrl = process.env.GOLIVE_BASE_URL ? new URL(process.env.GOLIVE_BASE_URL).port : undefined;
  const port = Number(process.env.PORT ?? fromUrl);
  if (!Number.isInteger(port) || port <= 0) {
    console.error('set PORT to the proxy port (the port of target.baseUrl)');
    process.exit(2);
  }
  return port;
}

/** One folder per proxy port: state.json, the nginx config and its logs. */
export const stateDir = (port) => join(tmpdir(), `checkout-api-bluegreen-${port}`);

/** The upstream block nginx includes: the colour that takes traffic. */
export const upstreamConf = (port) => `upstream live { server 127.0.0.1:${port}; keepalive 8; }\n`;
