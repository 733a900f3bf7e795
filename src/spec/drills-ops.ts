import { z } from 'zod';

/**
 * `drills.alarm`, `drills.restore` and `drills.alerts`: the operations-side
 * drills (test alarm, backup/restore, alerting-rule and runbook readiness).
 * Collectors: src/drills/alarm.ts, src/drills/restore.ts, src/drills/alert-rules.ts.
 */
export const OpsDrills = z.strictObject({});
