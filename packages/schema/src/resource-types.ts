import type { ApiResource, KubeObject, ObjectMeta } from '@kube-ts/core';
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  CustomResourceSubresourceScale,
  JSONSchemaProps,
  SelectableField,
  ValidationRule,
} from '@kube-ts/k8s/apiextensions/v1';
import type { Static, TSchema } from '@sinclair/typebox';
import type { SchemaViolation } from './violation.js';

/**
 * A column of `kubectl get` output (`additionalPrinterColumns`): the generated wire type,
 * with `type` narrowed to the values kube-apiserver accepts.
 */
export type PrinterColumn = CustomResourceColumnDefinition & {
  /** How the value is shown. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
};

/** Everything `defineResource` needs to know about a custom resource. */
export interface ResourceOptions<Spec extends TSchema, Status extends TSchema | undefined> {
  /** API group, a DNS subdomain with a dot, e.g. `example.com`. */
  group: string;
  /** Version name, e.g. `v1`, `v1beta1`. */
  version: string;
  /** CamelCase kind, e.g. `Widget`. */
  kind: string;
  /** URL segment; default: the lowercased kind, pluralized (`Policy` → `policies`). */
  plural?: string;
  /** Default: the lowercased kind. */
  singular?: string;
  /** Short names for kubectl, e.g. `['wd']`. */
  shortNames?: string[];
  /** Categories for kubectl, e.g. `['all']`. */
  categories?: string[];
  /** Whether objects live in a namespace. */
  scope: 'Namespaced' | 'Cluster';
  /** The TypeBox schema of `spec` (required on every object). */
  spec: Spec;
  /** The TypeBox schema of `status` (optional on every object). */
  status?: Status;
  /** Description of the whole object (shown by `kubectl explain`). */
  description?: string;
  /** Extra `kubectl get` columns. */
  printerColumns?: PrinterColumn[];
  /**
   * Subresources. `status` defaults to `true` when a `status` schema is given, so status
   * is written through `/status` and `metadata.generation` only counts spec changes.
   */
  subresources?: { status?: boolean; scale?: CustomResourceSubresourceScale };
  /** Fields usable in field selectors, as JSON paths (`.spec.color`) or objects. */
  selectableFields?: (string | SelectableField)[];
  /** CEL rules on the whole object (`self` is the object); rendered, not evaluated locally. */
  validations?: (ValidationRule | string)[];
  /** Whether this version is served (default `true`); used by `mergeCrds`. */
  served?: boolean;
  /** Whether this version is the storage version; `mergeCrds` needs exactly one. */
  storage?: boolean;
  /** Mark this version deprecated. */
  deprecated?: boolean;
  /** Warning returned to clients that use a deprecated version. */
  deprecationWarning?: string;
}

/** A custom resource object: the static type of every object of a definition. */
export interface CustomResource<Spec, Status> extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

/** The static type of `status`: `never` when the definition has no status schema. */
export type StatusOf<S extends TSchema | undefined> = S extends TSchema ? Static<S> : never;

/** The result of `validate()`: the defaulted and pruned object, or the violations. */
export type ValidationResult<K> =
  | { readonly valid: true; readonly object: K; readonly violations: readonly [] }
  | {
      readonly valid: false;
      readonly violations: readonly SchemaViolation[];
      /** The message the API server would put in its 422 Status. */
      readonly message: string;
    };

/** Options of `create()`. */
export interface CreateOptions<Status> {
  /** Namespace of the object (namespaced resources only). */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Initial status (ignored by the API server on create when the status subresource is on). */
  status?: Status;
}

/**
 * A custom resource defined with `defineResource`: an `ApiResource` (usable with `Api`,
 * `watcher`, `Controller`) that also renders its CRD and validates objects.
 */
export interface ResourceDefinition<
  Spec extends TSchema = TSchema,
  Status extends TSchema | undefined = TSchema | undefined,
> extends ApiResource<CustomResource<Static<Spec>, StatusOf<Status>>> {
  /** `group/version`. */
  readonly apiVersion: string;
  /** `plural.group`: the CRD's name. */
  readonly crdName: string;
  /** The options as given (with defaults filled in). */
  readonly options: Readonly<ResourceOptions<Spec, Status>> & {
    readonly plural: string;
    readonly singular: string;
  };
  /** The rendered `openAPIV3Schema` of this version (structural). */
  readonly schema: JSONSchemaProps;
  /** The CRD with this single version (served and storage). */
  crd(): CustomResourceDefinition;
  /** This version's entry of a CRD (`served`/`storage` from the options). */
  crdVersion(): CustomResourceDefinitionVersion;
  /**
   * Checks an object as the API server would on create/update of the main resource:
   * `kind` and `apiVersion` (alone when wrong), `metadata.name` (or `generateName`), the
   * schema on the defaulted and pruned object, the scale replica paths. With the status
   * subresource on, `status` is ignored (the server drops it there). Then the
   * `x-kubernetes-validations` (CEL) rules, as kube-apiserver runs them.
   *
   * @param obj the object to check.
   * @param old the stored object, for an update: transition rules (`oldSelf`) run only
   *   with it, and rules failing on values the update leaves unchanged are ignored.
   */
  validate(
    obj: unknown,
    old?: unknown,
  ): ValidationResult<CustomResource<Static<Spec>, StatusOf<Status>>>;
  /**
   * Checks an object as the API server would on a write to its `/status` subresource:
   * `kind` and `apiVersion`, then `status` only (paths `status.…`), and the scale status
   * replica path, then the CEL rules of the `status` schema.
   *
   * @param obj the object to check.
   * @param old the stored object (for transition rules and ratcheting).
   */
  validateStatus(
    obj: unknown,
    old?: unknown,
  ): ValidationResult<CustomResource<Static<Spec>, StatusOf<Status>>>;
  /** Builds a well-formed object with this apiVersion/kind and the given name and spec. */
  create(
    name: string,
    spec: Static<Spec>,
    options?: CreateOptions<StatusOf<Status>>,
  ): CustomResource<Static<Spec>, StatusOf<Status>>;
  /** `true` when `obj` has this definition's apiVersion and kind. */
  is(obj: KubeObject | undefined): obj is CustomResource<Static<Spec>, StatusOf<Status>>;
}

/** The object type of a resource definition (or of any `ApiResource`). */
export type ResourceOf<D> = D extends ApiResource<infer K> ? K : never;
