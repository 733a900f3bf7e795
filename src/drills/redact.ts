import type { CollectContext, Collector } from '../collect/collector.js';
import type { Evidence } from '../model.js';
import { redactSecretsIn } from '../scan/secrets.js';
import { redactDeep } from '../spec/redact.js';

/** `scheme://user:password@` → `scheme://user:***@` (database URLs, basic-auth URLs). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#'"]*):([^\s@/?#'"]+)@/gi;

/**
 * `password=…`, `PGPASSWORD=…`, `--token=…`, `api_key: …` with a bare value, in a
 * command line or its output. The scan's rules want such a value at the end of a
 * line; in a shell command it sits in the middle. `$VAR` references and values already masked are kept.
 */
const KEY_VALUE =
  /\b([\w-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|auth[_-]?key)[\w-]*)(\s*[=:]\s*)(["']?)(?!\$|\[redacted\])([^\s"'&;|]{3,})\3/gi;

/**
 * The one redactor for drills: the spec's secrets (`ctx.redact`: the values
 * from `${ENV}` that are secrets, see spec/redact.ts), then literal secrets the scan's rules recognise (AWS
 * keys, GitHub tokens, private keys …), passwords in URLs and `key=value`
 * pairs. Commands are written by people and hold literal credentials;
 * everything a drill shows, keeps or writes passes through here.
 */
export function drillRedactor(specRedact: (s: string) => string = (s) => s): (s: string) => string {
  return (s) => {
    if (typeof s !== 'string') return s;
    // Shapes first, so a URL's password is masked as `***` rather than half-shown by a rule's redacted form.
    const masked = specRedact(s)
      .replace(URL_USERINFO, (_m, head: string) => `${head}:***@`)
      .replace(KEY_VALUE, (_m, key: string, sep: string, q: string) => `${key}${sep}${q}***${q}`);
    return redactSecretsIn(masked);
  };
}

/**
 * Wraps a drill's collect function: it sees a context whose `redact` and
 * `progress` use `drillRedactor`, and its evidence (checks, summary, data)
 * passes through it as a whole, so a command line quoted anywhere is covered.
 */
export function withDrillRedaction(collect: Collector['collect']): Collector['collect'] {
  return async (ctx: CollectContext): Promise<Evidence> => {
    const redact = drillRedactor(ctx.redact);
    const evidence = await collect({ ...ctx, redact, progress: (m) => ctx.progress(redact(m)) });
    return redactDeep(evidence, redact);
  };
}
