export * from './types.js';
export * from './triage.js';
export * from './describe.js';
