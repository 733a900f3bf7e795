export { canonicalJson } from './canonical.js';
export { specHash } from './hash.js';
export {
  interpolate,
  interpolateString,
  type InterpolationResult,
  type SpecPath,
  type Substitution,
  type UnsetVariable,
} from './interpolate.js';
export { specJsonSchema, specJsonSchemaText } from './json-schema.js';
export { loadSpecFile, loadSpecText, type LoadedSpec, type LoadOptions } from './load.js';
export { formatPath } from './locate.js';
export {
  createRedactor,
  isSecretName,
  isSensitiveHeader,
  MIN_SECRET_LENGTH,
  REDACTED,
  redactHeaders,
  redactSpec,
  secretValues,
} from './redact.js';
export * from './schema.js';
export { closest, didYouMean, levenshtein } from './suggest.js';
export { initTemplate, TEMPLATE_NAMES, type TemplateName, type TemplateOptions } from './templates.js';
