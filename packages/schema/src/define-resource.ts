import type { KubeObject } from '@kube-ts/core';
import type { Static, TSchema } from '@sinclair/typebox';
import { checkDefinition } from './check-definition.js';
import { applyDefaults } from './defaults.js';
import { ResourceDefinitionError } from './definition-error.js';
import { isJsonObject } from './json-schema.js';
import { defaultPlural } from './names.js';
import { checkObjectMeta, checkScale, checkTypeMeta } from './object-checks.js';
import { pruneUnknownFields } from './prune.js';
import { renderCrd, renderRootSchema, renderVersion } from './render-crd.js';
import type {
  CreateOptions,
  CustomResource,
  ResourceDefinition,
  ResourceOptions,
  StatusOf,
  ValidationResult,
} from './resource-types.js';
import { validateAgainstSchema } from './validate.js';
import { invalidObjectMessage, typeInvalidViolation } from './violation.js';

/**
 * Defines a custom resource from TypeBox schemas: one definition gives the static type
 * (`ResourceOf<typeof Foo>`), an `ApiResource` for `Api`/`watcher`/`Controller`, the CRD
 * (`Foo.crd()`), validation that agrees with the API server (`Foo.validate(obj)`) and
 * an object builder (`Foo.create(name, spec)`).
 *
 * Guarantees: the rendered schema is structural; everything the API server would reject
 * (names, schema, printer columns, subresources, selectable fields) and every unknown
 * format is reported at once by a {@link ResourceDefinitionError} naming each field and
 * rule, thrown here rather than when the CRD is applied.
 *
 * @throws ResourceDefinitionError when the definition is invalid.
 */
export function defineResource<
  Spec extends TSchema,
  Status extends TSchema | undefined = undefined,
>(options: ResourceOptions<Spec, Status>): ResourceDefinition<Spec, Status> {
  type K = CustomResource<Static<Spec>, StatusOf<Status>>;
  const plural = options.plural ?? defaultPlural(options.kind ?? '');
  const o = {
    ...options,
    plural,
    singular: options.singular ?? (options.kind ?? '').toLowerCase(),
  };
  const rendered = renderRootSchema(o);
  const problems = [...rendered.problems, ...checkDefinition(o, rendered.schema)];
  const apiVersion = `${o.group}/${o.version}`;
  if (problems.length > 0)
    throw new ResourceDefinitionError(`${o.kind}.${o.group}/${o.version}`, problems);
  const schema = rendered.schema;
  const qualifiedKind = `${o.kind}.${o.group}`;

  const validate = (obj: unknown): ValidationResult<K> => {
    if (!isJsonObject(obj)) {
      const v = [typeInvalidViolation('', typeof obj, 'body must be of type object')];
      return { valid: false, violations: v, message: invalidObjectMessage(qualifiedKind, '', v) };
    }
    const stored = pruneUnknownFields(schema, applyDefaults(schema, obj));
    const typeMeta = checkTypeMeta(obj, apiVersion, o.kind);
    const violations =
      typeMeta.length > 0
        ? typeMeta
        : [
            ...checkObjectMeta(obj),
            ...validateAgainstSchema(schema, stored),
            ...checkScale(stored, o.subresources?.scale),
          ];
    if (violations.length > 0) {
      const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : '';
      return {
        valid: false,
        violations,
        message: invalidObjectMessage(qualifiedKind, name, violations),
      };
    }
    return {
      valid: true,
      object: stored as unknown as K,
      violations: [],
    };
  };

  const create = (
    name: string,
    spec: Static<Spec>,
    opts: CreateOptions<StatusOf<Status>> = {},
  ): K => {
    if (opts.namespace !== undefined && o.scope === 'Cluster') {
      throw new Error(
        `${qualifiedKind} is cluster-scoped: create(${JSON.stringify(name)}) must not be given a namespace`,
      );
    }
    const metadata: K['metadata'] = { name };
    if (opts.namespace !== undefined) metadata.namespace = opts.namespace;
    if (opts.labels) metadata.labels = { ...opts.labels };
    if (opts.annotations) metadata.annotations = { ...opts.annotations };
    const obj: K = { apiVersion, kind: o.kind, metadata, spec };
    if (opts.status !== undefined) obj.status = opts.status;
    return obj;
  };

  return {
    group: o.group,
    version: o.version,
    kind: o.kind,
    plural,
    namespaced: o.scope === 'Namespaced',
    apiVersion,
    crdName: `${plural}.${o.group}`,
    options: o,
    schema,
    crd: () => renderCrd(o, [{ ...renderVersion(o, schema), served: true, storage: true }]),
    crdVersion: () => renderVersion(o, schema),
    validate,
    create,
    is: (obj: KubeObject | undefined): obj is K =>
      obj?.apiVersion === apiVersion && obj.kind === o.kind,
  };
}
