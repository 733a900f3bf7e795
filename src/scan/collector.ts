import type { Collector, CollectContext } from '../collect/collector.js';
import type { Evidence } from '../model.js';
import { loadImports, scanConfig, scanRepository, scanRoot } from './scan.js';

/**
 * The repository-scan collector: runs in `golive check` when the spec has a
 * `scan:` section, and alone with `golive scan`. Checks: scan.secrets,
 * scan.forbidden, scan.readme, scan.changelog, scan.runbooks, scan.ci,
 * scan.tag, scan.env-files, and scan.coverage / scan.audit / scan.sarif when
 * those reports are imported. Findings feed the gate's findings.* metrics.
 */
export const scanCollector: Collector = {
  name: 'scan',
  description: 'repository scan: secrets, forbidden code, docs and ops hygiene, coverage / npm audit / SARIF imports',
  produces: [
    'scan.files',
    'scan.files.skipped',
    'scan.secrets',
    'scan.forbidden',
    'scan.env-files',
    'scan.checks.failing',
    'scan.baselined',
    'scan.coverage.',
    'scan.audit.',
    'scan.sarif.results',
  ],
  enabled: (spec) => spec.scan !== undefined,
  // Bad imported reports and a missing folder are input errors (exit 2), found before the target starts.
  prepare(spec, specDir) {
    const config = scanConfig(spec.scan);
    scanRoot(config, specDir);
    loadImports(config, specDir);
  },
  collect: collectScan,
};

async function collectScan(ctx: CollectContext): Promise<Evidence> {
  const { evidence } = await scanRepository({
    ...(ctx.spec.scan ? { config: ctx.spec.scan } : {}),
    baseDir: ctx.specDir,
    release: ctx.spec.release,
    now: ctx.now,
    progress: (m) => ctx.progress(`scan: ${m}`),
    signal: ctx.signal,
  });
  return evidence;
}
