import type { KubeObject, ObjectMeta } from '@kube-ts/core';
import type { CustomResourceDefinition, WebhookClientConfig } from '@kube-ts/k8s/apiextensions/v1';
import type { TSchema } from '@sinclair/typebox';
import { ResourceDefinitionError } from './definition-error.js';
import { mergeCrds } from './merge-crds.js';
import type { ResourceDefinition, ResourceOptions } from './resource-types.js';
import type {
  VersionConverter,
  VersionedResourceDefinition,
  VersionedResourceOptions,
  VersionOptions,
} from './versioned-types.js';

type Define = (o: ResourceOptions<TSchema, TSchema | undefined>) => ResourceDefinition;
type Converter = VersionConverter<KubeObject, KubeObject>;

/** Keeps the input's metadata; a conversion may only change labels and annotations. */
function withMetadataOf(input: KubeObject, out: KubeObject, apiVersion: string): KubeObject {
  const meta: ObjectMeta = { ...(input.metadata ?? {}) };
  const changed = out.metadata ?? {};
  if (changed.labels !== undefined) meta.labels = changed.labels;
  else delete meta.labels;
  if (changed.annotations !== undefined) meta.annotations = changed.annotations;
  else delete meta.annotations;
  return { ...out, apiVersion, kind: input.kind, metadata: meta };
}

/**
 * The multi-version form of `defineResource` (see there). Each version is defined like a
 * single-version resource; the storage version's definition is the result's base.
 */
export function defineVersionedResource<
  V extends Record<string, VersionOptions>,
  S extends keyof V & string,
>(options: VersionedResourceOptions<V, S>, define: Define): VersionedResourceDefinition<V, S> {
  const { versions, storage, conversion, ...shared } = options;
  const names = Object.keys(versions);
  const label = `${shared.kind}.${shared.group}`;
  const problems = [];
  if (!names.includes(storage)) {
    problems.push({
      field: 'storage',
      message: `${JSON.stringify(storage)} is not one of the versions (${names.join(', ')})`,
    });
  }
  const converters = conversion as unknown as Record<string, Converter | undefined>;
  for (const name of names) {
    const c = converters[name];
    if (
      name !== storage &&
      (typeof c?.toStorage !== 'function' || typeof c.fromStorage !== 'function')
    ) {
      problems.push({
        field: `conversion.${name}`,
        message: `version ${name} needs a converter with toStorage and fromStorage (to and from ${storage})`,
      });
    }
  }
  for (const name of Object.keys(converters)) {
    if (!names.includes(name) || name === storage) {
      problems.push({
        field: `conversion.${name}`,
        message: `${name} is ${name === storage ? 'the storage version and needs no converter' : 'not one of the versions'}`,
      });
    }
  }
  if (problems.length > 0) throw new ResourceDefinitionError(label, problems);
  const defs: Record<string, ResourceDefinition> = {};
  for (const name of names) {
    const v = versions[name] as VersionOptions;
    defs[name] = define({ ...shared, ...v, version: name, storage: name === storage });
  }
  const all = names.map((n) => defs[n] as ResourceDefinition);
  const base = defs[storage] as ResourceDefinition;
  // Checks the versions can form one CRD (shared names, exactly one storage, one served).
  mergeCrds(all);

  const versionOf = (apiVersion: string): string => {
    const [group, version] = apiVersion.split('/');
    if (group !== shared.group || version === undefined || !names.includes(version)) {
      throw new Error(
        `${label}: cannot convert apiVersion ${JSON.stringify(apiVersion)}; this resource has ${names.map((n) => `${shared.group}/${n}`).join(', ')}`,
      );
    }
    return version;
  };
  const step = (obj: KubeObject, from: string, to: string, fn: 'toStorage' | 'fromStorage') => {
    const c = converters[fn === 'toStorage' ? from : to] as Converter;
    let out: KubeObject;
    try {
      out = c[fn](structuredClone(obj));
    } catch (err) {
      throw new Error(
        `${label}: converting ${from} to ${to} failed: ${(err as Error)?.message ?? String(err)}`,
        {
          cause: err,
        },
      );
    }
    return withMetadataOf(obj, out, `${shared.group}/${to}`);
  };
  const convert = (obj: KubeObject, apiVersion: string): KubeObject => {
    if (obj.kind !== shared.kind) {
      throw new Error(`${label}: cannot convert an object of kind ${JSON.stringify(obj.kind)}`);
    }
    const from = versionOf(String(obj.apiVersion));
    const to = versionOf(apiVersion);
    if (from === to) return structuredClone(obj);
    const stored = from === storage ? obj : step(obj, from, storage, 'toStorage');
    return to === storage ? stored : step(stored, storage, to, 'fromStorage');
  };
  const crd = (webhook?: WebhookClientConfig): CustomResourceDefinition => {
    const out = mergeCrds(all);
    out.spec.conversion = webhook
      ? {
          strategy: 'Webhook',
          webhook: { clientConfig: structuredClone(webhook), conversionReviewVersions: ['v1'] },
        }
      : { strategy: 'None' };
    return out;
  };
  return {
    ...base,
    storageVersion: storage,
    versions: defs as VersionedResourceDefinition<V, S>['versions'],
    convert,
    crd,
  } as unknown as VersionedResourceDefinition<V, S>;
}
