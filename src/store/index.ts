export { openStore, KyselyEvidenceStore } from './sqlite-store.js';
export { openSqlite, type Db, type Tables } from './db.js';
export { migrate, MIGRATIONS } from './migrations.js';
export {
  verifyChain,
  entryHash,
  sha256,
  GENESIS,
  clockWentBack,
  clockNoteLines,
  describeBreak,
  type AuditBreak,
} from './audit.js';
export { canonicalJson } from './canonical.js';
export type * from './types.js';
