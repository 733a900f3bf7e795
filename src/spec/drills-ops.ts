import { z } from 'zod';
import { boundedDuration, Regex } from './common.js';

/**
 * `drills.alarm`, `drills.restore` and `drills.alerts`: the operations-side
 * drills (test alarm, backup/restore, alerting-rule and runbook readiness).
 * Collectors: src/drills/alarm.ts, src/drills/restore.ts, src/drills/alert-rules.ts.
 */

const Command = z.string().min(1).describe('Shell command (run with sh -c in the spec folder).');

const Env = z.record(z.string(), z.string()).optional().describe('Extra environment variables for the commands.');

const HttpUrl = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' });

export const VerifyUrl = z
  .strictObject({
    url: HttpUrl.describe('URL polled with GET; `{id}` is replaced by the drill id.'),
    contains: z
      .string()
      .optional()
      .describe('Text the body must contain (`{id}` is replaced by the drill id). Default: any 2xx passes.'),
  })
  .describe('An HTTP check polled until it answers 2xx (and contains the text, when given).');

const Verify = z
  .union([Command, VerifyUrl])
  .describe(
    'How to see the notification arrived: a command polled until it exits 0, or { url, contains } polled until it answers 2xx.',
  );

export const AlertmanagerAlarm = z
  .strictObject({
    url: HttpUrl.describe('Alertmanager base URL; golive posts the test alert to `<url>/api/v2/alerts`.'),
    alertname: z
      .string()
      .min(1)
      .default('GoliveTestAlarm')
      .describe('`alertname` label of the test alert. Default GoliveTestAlarm.'),
    labels: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Extra labels on the test alert (e.g. severity, team) so your routes pick it up. golive adds `golive_drill` = a unique id.',
      ),
    receiver: z
      .union([
        z.strictObject({
          listen: z
            .string()
            .regex(/^[\w.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, {
              error: 'expected host:port, like 127.0.0.1:9097',
            })
            .default('127.0.0.1:9097')
            .describe(
              'Where golive runs its own webhook receiver during the drill; route `golive_drill=~".+"` to `http://<listen>/` with send_resolved: true. Default 127.0.0.1:9097.',
            ),
        }),
        z.strictObject({
          url: HttpUrl.describe(
            'A page of your own receiver that lists notifications it received (JSON webhook payloads or text); polled until it shows the alert firing, then resolved.',
          ),
        }),
      ])
      .default({ listen: '127.0.0.1:9097' })
      .describe(
        "Where the notification is expected: golive's own webhook receiver ({ listen }) or one of yours ({ url }). Default { listen: 127.0.0.1:9097 }.",
      ),
  })
  .describe(
    'Alertmanager provider: post a test alert to its v2 API, wait for the firing and the resolved notification.',
  );

export const GenericAlarm = z
  .strictObject({
    trigger: Command.describe('Fires the test alert. $GOLIVE_DRILL_ID holds the unique drill id.'),
    verify: Verify.describe(
      'Polled until the firing notification is seen: a command (exit 0) or { url, contains }. $GOLIVE_DRILL_ID is set.',
    ),
    resolve: Command.optional().describe(
      'Resolves the test alert. Without it the resolved notification is not tested.',
    ),
    verifyResolved: Verify.optional().describe(
      'Polled until the resolved notification is seen; required with `resolve`.',
    ),
    env: Env,
  })
  .refine((g) => (g.resolve === undefined) === (g.verifyResolved === undefined), {
    error: '`resolve` and `verifyResolved` go together: give both or neither',
  })
  .describe(
    'Generic provider: a trigger command plus a verify command or URL (and optionally resolve + verifyResolved).',
  );

export const AlarmDrill = z
  .strictObject({
    alertmanager: AlertmanagerAlarm.optional(),
    generic: GenericAlarm.optional(),
    within: boundedDuration({ max: '24h' })
      .default('60s')
      .describe(
        'Deadline for each notification (firing, then resolved) counted from the trigger / resolve. Default 60s, at most 24h.',
      ),
    poll: boundedDuration({ max: '1h' })
      .default('500ms')
      .describe('Interval between verify polls. Default 500ms, at most 1h.'),
    timeout: boundedDuration({ max: '1h' })
      .default('30s')
      .describe('Timeout of each command (trigger, resolve, one verify run). Default 30s, at most 1h.'),
  })
  .refine((a) => (a.alertmanager === undefined) !== (a.generic === undefined), {
    error: 'name exactly one provider: `alertmanager` or `generic`',
  })
  .describe(
    'Alarm test: fire a test alert, verify the notification arrives, resolve it and verify the resolved notification (seed 000 DoD).',
  );

const ConnectionString = z
  .string()
  .regex(/^postgres(?:ql)?:\/\//, { error: 'expected a PostgreSQL connection string, like postgres://user@host/db' })
  .describe('PostgreSQL connection string; use ${ENV} for passwords (redacted everywhere).');

export const RestoreDrill = z
  .strictObject({
    backup: Command.optional().describe('Takes the backup, e.g. `pg_dump -Fc -f /tmp/shop.dump shop`.'),
    restore: Command.describe('Restores it into a scratch database, e.g. `pg_restore -d shop_restore /tmp/shop.dump`.'),
    verify: Command.optional().describe('Your own check after the restore; must exit 0.'),
    tables: z
      .array(z.string().regex(/^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$/, { error: 'expected table or schema.table' }))
      .optional()
      .describe('Tables whose row count and checksum must match between `source` and `restored`.'),
    source: ConnectionString.optional().describe('The database that was backed up (for `tables`).'),
    restored: ConnectionString.optional().describe('The scratch database restored into (for `tables`).'),
    backups: z
      .string()
      .optional()
      .describe(
        'Where backups land: a folder or a glob (relative to the spec). RPO = age of the newest file. Without it, no RPO.',
      ),
    timeout: boundedDuration({ max: '24h' })
      .default('10m')
      .describe('Timeout of each command (backup, restore, verify). Default 10m, at most 24h.'),
    env: Env,
  })
  .refine((r) => !r.tables || (r.source !== undefined && r.restored !== undefined), {
    error: '`tables` needs both `source` and `restored` connection strings',
  })
  .refine((r) => r.tables !== undefined || r.verify !== undefined, {
    error: 'say how to verify the restore: `tables` (with source and restored) or a `verify` command',
  })
  .describe(
    'Backup/restore drill: run the backup and the restore, verify tables (row counts and checksums) or a verify command; measures RTO and RPO.',
  );

export const RequiredAlert = z
  .strictObject({
    id: z.string().min(1).describe('Name of the requirement in checks and findings, e.g. `cpu`.'),
    title: z.string().optional().describe('What the alert is for, in words. Default: the id.'),
    alert: Regex.optional().describe(
      'Regular expression (case-insensitive) the alert name must match, on word boundaries (CamelCase, snake_case).',
    ),
    expr: Regex.optional().describe('Regular expression the alert expression must match, on word boundaries.'),
    labels: z.record(z.string(), z.string()).optional().describe('Labels the rule must carry with these values.'),
  })
  .refine((r) => r.alert !== undefined || r.expr !== undefined || r.labels !== undefined, {
    error: 'give at least one of `alert`, `expr` or `labels`',
  })
  .describe('An alert that must exist; a rule matches when any of alert / expr / labels matches.');

export const AlertsDrill = z
  .strictObject({
    files: z
      .array(z.string().min(1))
      .min(1)
      .describe('Prometheus alerting-rule files (relative to the spec; globs allowed).'),
    require: z
      .array(RequiredAlert)
      .optional()
      .describe(
        "Alerts that must exist. Default: seed 001's four — high 5xx error rate, CPU > 80 %, memory, queue backlog.",
      ),
    runbooks: z
      .boolean()
      .default(true)
      .describe(
        'Every alert needs a `runbook_url` / `runbook` annotation that resolves to a file or a URL. Default true.',
      ),
    promtool: z
      .enum(['auto', 'required', 'off'])
      .default('auto')
      .describe(
        'Run `promtool check rules`: auto (when on PATH), required (missing promtool fails), off. Default auto.',
      ),
  })
  .describe('Alerting and runbook readiness: required alerts exist in your rule files, each with a runbook.');

export const OpsDrills = z.strictObject({
  alarm: AlarmDrill.optional(),
  restore: RestoreDrill.optional(),
  alerts: AlertsDrill.optional(),
});
export type AlarmDrillSpec = z.infer<typeof AlarmDrill>;
export type RestoreDrillSpec = z.infer<typeof RestoreDrill>;
export type AlertsDrillSpec = z.infer<typeof AlertsDrill>;
export type RequiredAlertSpec = z.infer<typeof RequiredAlert>;
export type VerifySpec = z.infer<typeof Verify>;
