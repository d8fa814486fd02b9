import type { KubeObject } from '@kube-ts/core';
import type {
  CustomResourceDefinition,
  CustomResourceSubresourceScale,
  SelectableField,
  ValidationRule,
  WebhookClientConfig,
} from '@kube-ts/k8s/apiextensions/v1';
import type { Static, TSchema } from '@sinclair/typebox';
import type {
  CustomResource,
  PrinterColumn,
  ResourceDefinition,
  ResourceOptions,
} from './resource-types.js';

/** The schemas and per-version settings of one version of a multi-version resource. */
export interface VersionOptions<
  Spec extends TSchema = TSchema,
  Status extends TSchema | undefined = TSchema | undefined,
> {
  /** The TypeBox schema of `spec` at this version. */
  spec: Spec;
  /** The TypeBox schema of `status` at this version. */
  status?: Status;
  /** Whether this version is served (default `true`). */
  served?: boolean;
  /** Mark this version deprecated. */
  deprecated?: boolean;
  /** Warning returned to clients that use this version. */
  deprecationWarning?: string;
  /** Description of the object at this version. */
  description?: string;
  /** Extra `kubectl get` columns at this version. */
  printerColumns?: PrinterColumn[];
  /** Subresources at this version (`status` defaults to `true` with a status schema). */
  subresources?: { status?: boolean; scale?: CustomResourceSubresourceScale };
  /** Fields usable in field selectors at this version. */
  selectableFields?: (string | SelectableField)[];
  /** CEL rules on the whole object at this version. */
  validations?: (ValidationRule | string)[];
}

/** The status schema of a version, `undefined` when it has none. */
export type StatusSchemaOf<V> = V extends { status: infer S extends TSchema } ? S : undefined;

/** The object type of one version of a multi-version resource. */
export type ObjectOfVersion<V extends VersionOptions> = CustomResource<
  Static<V['spec']>,
  StatusSchemaOf<V> extends TSchema ? Static<StatusSchemaOf<V>> : never
>;

/**
 * How one version converts to and from the storage version (hub and spoke: every
 * conversion goes through the storage version). The library sets `apiVersion` and
 * `kind`, and keeps `metadata` as it was except `labels` and `annotations` (the only
 * metadata a conversion may change, as kube-apiserver enforces).
 */
export interface VersionConverter<From, Storage> {
  /** This version → the storage version. */
  toStorage(obj: From): Storage;
  /** The storage version → this version. */
  fromStorage(obj: Storage): From;
}

/** The options of a multi-version `defineResource`. */
export interface VersionedResourceOptions<
  V extends Record<string, VersionOptions>,
  S extends keyof V & string,
> extends Omit<
    ResourceOptions<TSchema, undefined>,
    | 'version'
    | 'spec'
    | 'status'
    | 'served'
    | 'storage'
    | 'deprecated'
    | 'deprecationWarning'
    | 'description'
    | 'printerColumns'
    | 'subresources'
    | 'selectableFields'
    | 'validations'
  > {
  /** Every version by name (`v1alpha1`, `v1`, …) with its schemas. */
  versions: V;
  /** The version objects are stored at. */
  storage: S;
  /** A converter for every version other than the storage version. */
  conversion: {
    [K in Exclude<keyof V & string, S>]: VersionConverter<
      ObjectOfVersion<V[K]>,
      ObjectOfVersion<V[S]>
    >;
  };
}

/**
 * A custom resource with several versions: it is the `ResourceDefinition` of its storage
 * version, with every version's definition under `versions`, a `convert` function that
 * goes through the converters, and a CRD with every version.
 */
export interface VersionedResourceDefinition<
  V extends Record<string, VersionOptions> = Record<string, VersionOptions>,
  S extends keyof V & string = keyof V & string,
> extends ResourceDefinition<V[S]['spec'], StatusSchemaOf<V[S]>> {
  /** The storage version's name. */
  readonly storageVersion: S;
  /** Every version's definition (an `ApiResource` each). */
  readonly versions: {
    readonly [K in keyof V]: ResourceDefinition<V[K]['spec'], StatusSchemaOf<V[K]>>;
  };
  /**
   * Converts an object of any version of this resource to `apiVersion` (`group/version`)
   * through the storage version.
   *
   * @throws Error when the object is not of this resource, a version is unknown, or a
   *   converter throws (its error is the cause).
   */
  convert(obj: KubeObject, apiVersion: string): KubeObject;
  /**
   * The CRD with every version. With a `webhook` client config the conversion stanza is
   * `strategy: Webhook` (conversion review version v1); without one it is `None`, which
   * only relabels `apiVersion` (render the webhook form with `@kube-ts/webhook`).
   */
  crd(webhook?: WebhookClientConfig): CustomResourceDefinition;
}
