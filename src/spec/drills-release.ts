import { z } from 'zod';

/**
 * `drills.rollback` and `drills.smoke`: the release-side drills (rollback
 * rehearsal, post-deployment smoke test). Collectors: src/drills/rollback.ts,
 * src/drills/smoke.ts.
 */
export const ReleaseDrills = z.strictObject({});
