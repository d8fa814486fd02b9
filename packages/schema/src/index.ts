// The public API of `@kube-ts/schema`: define a resource once, get its type, validation
// and CRD. The server-side validator pieces (used by MemoryApiServer, documented in
// docs/schema.md) are the `@kube-ts/schema/validation` entry point (src/validation.ts).
// The CRD wire types are the generated ones of @kube-ts/k8s, re-exported for defineResource's users.
export type {
  CustomResourceConversion,
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
  CustomResourceSubresourceScale,
  CustomResourceSubresources,
  JSONSchemaProps,
  SelectableField,
  ValidationRule,
  WebhookClientConfig,
} from '@kube-ts/k8s/apiextensions/v1';
export { crdsToYaml } from './crd-yaml.js';
export { defineResource } from './define-resource.js';
export { ResourceDefinitionError } from './definition-error.js';
export { type CrdClient, type InstallCrdsOptions, installCrds } from './install-crds.js';
export type { SchemaType } from './json-schema.js';
export { K8s, type K8sListOptions, type K8sSchemaOptions } from './k8s-types.js';
export { loadModule } from './load-module.js';
export { mergeCrds } from './merge-crds.js';
export type {
  CreateOptions,
  CustomResource,
  PrinterColumn,
  ResourceDefinition,
  ResourceOf,
  ResourceOptions,
  StatusOf,
  ValidationResult,
} from './resource-types.js';
export { typeboxToOpenApi } from './typebox-to-openapi.js';
export type {
  ObjectOfVersion,
  StatusSchemaOf,
  VersionConverter,
  VersionedResourceDefinition,
  VersionedResourceOptions,
  VersionOptions,
} from './versioned-types.js';
export type { SchemaViolation, ViolationReason } from './violation.js';
