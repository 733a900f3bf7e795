import { z } from 'zod';
import { OpsDrills } from './drills-ops.js';
import { ReleaseDrills } from './drills-release.js';

/** The `drills:` section: each key enables one drill collector (`drill.<key>`), run by `golive check` and `golive drill <key>`. */
export const Drills = z
  .strictObject({ ...ReleaseDrills.shape, ...OpsDrills.shape })
  .describe(
    'Operational drills: rollback rehearsal, test alarm, backup/restore, alerting rules, smoke test. Each runs in `golive check` and alone with `golive drill KIND`.',
  );
