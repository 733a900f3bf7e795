import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The absolute path of an outside server's binary (nginx, Alertmanager …), or
 * undefined when it is not installed. Under CI=true a missing binary throws, so
 * a test that needs it fails instead of being skipped: CI installs it (.ci/run).
 */
export function findBinary(name: string, extraDirs: string[] = ['/usr/sbin', '/usr/bin']): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  if (process.env.CI === 'true') {
    throw new Error(`${name} is not installed; .ci/run installs it from Debian's packages (apt-get install -y ...)`);
  }
  return undefined;
}
