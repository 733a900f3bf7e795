// The rate grammar lives with the spec's load limits, so the schema and the CLI read rates alike.
export { parseRate } from '../spec/load-limits.js';
