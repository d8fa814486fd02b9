import type { DynamicObject } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import type { ValidationResult } from './resource-types.js';
import { type ObjectValidationContext, objectValidators } from './validate-object.js';

/** Validation of the objects of one version of a CRD, as the API server does it. */
export interface CustomResourceValidator {
  /**
   * A create or update of the main resource (see `ResourceDefinition.validate`).
   *
   * @param obj the object to check.
   * @param old the stored object, on an update.
   */
  validate(obj: unknown, old?: unknown): ValidationResult<DynamicObject>;
  /**
   * A write to the `/status` subresource (see `ResourceDefinition.validateStatus`).
   *
   * @param obj the object to check.
   * @param old the stored object.
   */
  validateStatus(obj: unknown, old?: unknown): ValidationResult<DynamicObject>;
}

/**
 * The validator of one version of a CRD given as an object (e.g. as applied to an API
 * server): the same checks as `defineResource(...).validate`, driven by the CRD's
 * `openAPIV3Schema` and subresources. For a server that serves CRDs (such as the
 * in-memory API server) to answer like kube-apiserver.
 *
 * @throws Error when the CRD has no such version or the version has no schema.
 */
export function customResourceValidator(
  crd: CustomResourceDefinition,
  version: string,
): CustomResourceValidator {
  const v = crd.spec.versions.find((x) => x.name === version);
  const schema = v?.schema?.openAPIV3Schema;
  if (!v || !schema) {
    throw new Error(
      `CRD ${crd.metadata?.name} has no version ${JSON.stringify(version)} with a schema (versions: ${crd.spec.versions.map((x) => x.name).join(', ')})`,
    );
  }
  const ctx: ObjectValidationContext = {
    schema,
    apiVersion: `${crd.spec.group}/${version}`,
    kind: crd.spec.names.kind,
    qualifiedKind: `${crd.spec.names.kind}.${crd.spec.group}`,
    scale: v.subresources?.scale,
    statusSubresource: v.subresources?.status !== undefined,
  };
  return objectValidators<DynamicObject>(ctx);
}
