export * from './threshold.js';
export * from './evaluate.js';
export * from './decision.js';
export * from './frozen.js';
export * from './signoffs.js';
