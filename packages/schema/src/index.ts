export { celSkippedNotice, hasCelRules } from './cel-notice.js';
export { checkCrd } from './check-crd.js';
export { collectCrds, isResourceDefinition } from './crd-collection.js';
export type {
  CustomResourceConversion,
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
  PrinterColumn,
  ScaleSubresource,
  SelectableField,
  WebhookClientConfig,
} from './crd-types.js';
export { type CustomResourceValidator, customResourceValidator } from './crd-validator.js';
export { crdsToYaml } from './crd-yaml.js';
export { applyDefaults } from './defaults.js';
export { defineResource } from './define-resource.js';
export { ResourceDefinitionError } from './definition-error.js';
export { childPath, indexPath } from './field-path.js';
export { isKnownFormat, KNOWN_FORMATS, matchesFormat } from './formats.js';
export { type CrdClient, type InstallCrdsOptions, installCrds } from './install-crds.js';
export type { JSONSchemaProps, SchemaType, ValidationRule } from './json-schema.js';
export { K8s, type K8sSchemaOptions } from './k8s-types.js';
export { checkListType } from './list-type.js';
export { loadModule } from './load-module.js';
export { mergeCrds } from './merge-crds.js';
export { defaultPlural } from './names.js';
export { type PruneOptions, pruneUnknownFields } from './prune.js';
export type {
  CreateOptions,
  CustomResource,
  ResourceDefinition,
  ResourceOf,
  ResourceOptions,
  StatusOf,
  ValidationResult,
} from './resource-types.js';
export {
  checkFormats,
  checkStructural,
  formatProblem,
  problemToCause,
  type StructuralProblem,
} from './structural.js';
export { typeboxToOpenApi } from './typebox-to-openapi.js';
export { jsonTypeOf, validateAgainstSchema } from './validate.js';
export type {
  ObjectOfVersion,
  StatusSchemaOf,
  VersionConverter,
  VersionedResourceDefinition,
  VersionedResourceOptions,
  VersionOptions,
} from './versioned-types.js';
export {
  formatViolation,
  invalidObjectMessage,
  NO_FIELD,
  type SchemaViolation,
  type ViolationReason,
} from './violation.js';
