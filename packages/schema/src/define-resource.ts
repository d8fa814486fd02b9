import type { KubeObject } from '@kube-ts/core';
import { KindGuard, type Static, type TSchema } from '@sinclair/typebox';
import { checkDefinition } from './check-definition.js';
import { ResourceDefinitionError } from './definition-error.js';
import { defaultPlural } from './names.js';
import { renderCrd, renderRootSchema, renderVersion } from './render-crd.js';
import type {
  CreateOptions,
  CustomResource,
  ResourceDefinition,
  ResourceOptions,
  StatusOf,
} from './resource-types.js';
import { type ObjectValidationContext, objectValidators } from './validate-object.js';
import { defineVersionedResource } from './versioned-resource.js';
import type {
  VersionedResourceDefinition,
  VersionedResourceOptions,
  VersionOptions,
} from './versioned-types.js';

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
 * Several versions: give `versions` (name → schemas), the `storage` version and a
 * `conversion` (a {@link VersionConverter} per other version, to and from the storage
 * version). The result is the storage version's definition plus `versions` (one
 * definition per version), `convert(obj, apiVersion)` and a `crd(webhook?)` with every
 * version (and `conversion.strategy: Webhook` when a client config is given).
 *
 * @throws ResourceDefinitionError when the definition is invalid.
 */
export function defineResource<
  Spec extends TSchema,
  Status extends TSchema | undefined = undefined,
>(options: ResourceOptions<Spec, Status>): ResourceDefinition<Spec, Status>;
/**
 * Defines a custom resource with several versions, a storage version and converters
 * (see the single-version form above for what a definition gives).
 *
 * @throws ResourceDefinitionError when a version, the storage version or a converter is invalid.
 */
export function defineResource<
  const V extends Record<string, VersionOptions>,
  S extends keyof V & string,
>(options: VersionedResourceOptions<V, S>): VersionedResourceDefinition<V, S>;
export function defineResource(
  options:
    | ResourceOptions<TSchema, TSchema | undefined>
    | VersionedResourceOptions<Record<string, VersionOptions>, string>,
): ResourceDefinition<TSchema, TSchema | undefined> {
  if ('versions' in options) return defineVersionedResource(options, defineSingle);
  return defineSingle(options);
}

function defineSingle<Spec extends TSchema, Status extends TSchema | undefined>(
  options: ResourceOptions<Spec, Status>,
): ResourceDefinition<Spec, Status> {
  type K = CustomResource<Static<Spec>, StatusOf<Status>>;
  requireSchema(options, 'spec');
  if (options.status !== undefined) requireSchema(options, 'status');
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

  const ctx: ObjectValidationContext = {
    schema,
    apiVersion,
    kind: o.kind,
    qualifiedKind,
    scale: o.subresources?.scale,
    statusSubresource: o.subresources?.status ?? o.status !== undefined,
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
    ...objectValidators<K>(ctx),
    create,
    is: (obj: KubeObject | undefined): obj is K =>
      obj?.apiVersion === apiVersion && obj.kind === o.kind,
  };
}

/** Rejects a missing or non-TypeBox `spec`/`status` before TypeBox fails on it obscurely. */
function requireSchema(
  options: { kind?: string; group?: string; version?: string } & object,
  field: 'spec' | 'status',
): void {
  const value = (options as Record<string, unknown>)[field];
  if (KindGuard.IsSchema(value)) return;
  throw new ResourceDefinitionError(`${options.kind}.${options.group}/${options.version}`, [
    {
      field,
      message:
        value === undefined
          ? `${field} is required: pass a TypeBox schema, e.g. ${field}: Type.Object({ replicas: Type.Integer() })`
          : `${field} must be a TypeBox schema (built with Type.*), got ${Array.isArray(value) ? 'an array' : typeof value}`,
    },
  ]);
}
