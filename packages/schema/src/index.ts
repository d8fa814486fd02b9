export { applyDefaults } from './defaults.js';
export { childPath, indexPath } from './field-path.js';
export { isKnownFormat, KNOWN_FORMATS, matchesFormat } from './formats.js';
export type { JSONSchemaProps, SchemaType, ValidationRule } from './json-schema.js';
export { checkListType } from './list-type.js';
export { type PruneOptions, pruneUnknownFields } from './prune.js';
export {
  checkFormats,
  checkStructural,
  formatProblem,
  type StructuralProblem,
} from './structural.js';
export { jsonTypeOf, validateAgainstSchema } from './validate.js';
export {
  formatViolation,
  invalidObjectMessage,
  type SchemaViolation,
  type ViolationReason,
} from './violation.js';
