export { openStore } from './sqlite-store.js';
export { verifyChain, entryHash, GENESIS } from './audit.js';
export type * from './types.js';
