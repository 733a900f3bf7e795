export * from './types.js';
export * from './triage.js';
