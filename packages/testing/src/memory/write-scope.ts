import { convertedNow, crdVersionsOf, UnconvertibleVersion } from './admission/converted-writes.js';
import type { RequestOrigin } from './admission/matching.js';
import { operationOptions } from './admission/operation-options.js';
import { ADMIN_USER, type UserInfo } from './auth/user.js';
import { emptyTypedObject } from './builtins/empty-objects.js';
import { builtinOwnershipRules, objectMetaOwnershipRules } from './builtins/ownership-rules.js';
import { notFound } from './errors.js';
import type { ListRules } from './field-set.js';
import type { JsonObject } from './json.js';
import type { OtherVersion, OwnershipContext } from './managed-fields.js';
import { metaOf } from './object-meta.js';
import type { FieldValidation } from './request-options.js';
import { resetFields } from './reset-fields.js';
import {
  apiVersionOf,
  type ResourceType,
  resourceKey,
  type StoredView,
  viewAt,
} from './resource-types.js';
import { listRulesFromSchema } from './schema-list-rules.js';
import type { ApiState } from './state.js';
import { objectKey } from './storage.js';

/** Where a request operates: a resource at a version, in a namespace ('' = cluster scope). */
export interface Scope {
  t: ResourceType;
  version: string;
  namespace: string;
}

/** Query parameters of a write. */
export interface WriteParams {
  fieldManager?: string;
  dryRun?: boolean;
  force?: boolean;
  /** Who made the request (internal writes: the server's admin). */
  user?: UserInfo;
  /** The request's authorization verb (`create`, `update`, `patch`; internal writes: none). */
  verb?: string;
  /** What to do with unknown fields in the request (internal writes: `Ignore`). */
  fieldValidation?: FieldValidation;
  /** Warnings for the response's `Warning` headers; the write appends to it. */
  warnings?: string[];
  /** The request body as sent (create and update), for the messages that quote it. */
  rawBody?: string;
  /**
   * The options the request's query sent (see sentWriteOptions), for its admission's
   * `options` (internal writes: none).
   */
  sentOptions?: JsonObject;
  /** Manager used when fieldManager is absent (derived from the User-Agent). */
  defaultManager: string;
  /**
   * The version the request was made at, when it is written at the storage version (a
   * CRD with a conversion webhook): fields are tracked in it, as kube-apiserver's field
   * manager works in the version of the request.
   */
  requestVersion?: string;
}

/** Who made a write and how, as its admission sees it (`userInfo`, `dryRun`, `options`). */
export function originOf(p: WriteParams, operation: 'CREATE' | 'UPDATE'): RequestOrigin {
  return {
    user: p.user ?? ADMIN_USER,
    dryRun: p.dryRun === true,
    options: operationOptions(operation, p.sentOptions ?? {}),
  };
}

/** The result of a write. */
export interface WriteResult {
  object: JsonObject;
  created: boolean;
}

/** The object a write names, for the messages of its errors. */
export function target(sc: Scope, name: string) {
  return { group: sc.t.group, plural: sc.t.plural, name };
}

/** The stored object or a 404. */
export function getStored(s: ApiState, sc: Scope, name: string): JsonObject {
  const o = s.storage.get(resourceKey(sc.t), objectKey(sc.namespace, name));
  if (!o) throw notFound(target(sc, name));
  return o;
}

/**
 * Server-side apply's rules for a resource: from its built-in schema, or a custom
 * resource's from its CRD schema and, for its `metadata`, ObjectMeta's.
 */
export function listRules(t: ResourceType, version: string): ListRules {
  if (t.builtin) return builtinOwnershipRules(t.group, version, t.kind);
  const schema = listRulesFromSchema(t.schemas?.[version]);
  return (path) =>
    path[0] === 'metadata' ? objectMetaOwnershipRules(path.slice(1)) : schema(path);
}

/**
 * The subresources an update can go through besides the main resource: `status`, a
 * Namespace's `finalize` (which changes `spec.finalizers`) and a CertificateSigningRequest's
 * `approval` (which changes `status.conditions`), a Pod's `ephemeralcontainers` (which
 * changes `spec.ephemeralContainers`) and its `resize` (which changes container resources),
 * and a workload's `scale` (which changes its replicas, admitted as an autoscaling/v1 Scale).
 */
export type WriteSubresource = (typeof WRITE_SUBRESOURCES)[number];

/** The subresources a PUT can write through (see {@link WriteSubresource}). */
export const WRITE_SUBRESOURCES = [
  'status',
  'finalize',
  'approval',
  'ephemeralcontainers',
  'resize',
  'scale',
] as const;

/** The subresources a PATCH can write through (a Namespace's `finalize` takes PUT only). */
export const PATCH_SUBRESOURCES = ['status', 'approval', 'ephemeralcontainers', 'resize'] as const;

/** A subresource a PATCH writes through. */
export type PatchSubresource = (typeof PATCH_SUBRESOURCES)[number];

/**
 * `apiVersion` when it is another version the resource serves: how an object of the
 * scope's version converts to it (through the stored form, as the served views convert; a
 * custom resource's versions, served or not, through its conversion webhook, else by
 * relabelling, as its `None` strategy does). A custom resource's entry of a version its CRD does not have is
 * kube-apiserver's 500: its field manager cannot convert to it.
 */
function otherVersion(s: ApiState, sc: Scope, apiVersion: string): OtherVersion | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  // A CRD's versions it no longer serves are still converted to, as kube-apiserver's
  // converter takes every version the CRD lists.
  const listed = crdVersionsOf(s, sc.t);
  if (!sc.t.builtin && (group !== sc.t.group || !listed.includes(version)))
    throw new UnconvertibleVersion(apiVersion);
  if (group !== sc.t.group || version === sc.version || !listed.includes(version)) return undefined;
  const rules = listRules(sc.t, version);
  if (!sc.t.builtin) {
    return { convert: (obj) => convertedNow(s, sc.t, obj, sc.version, version), rules };
  }
  const from = viewAt(sc.t, sc.version);
  const to = viewAt(sc.t, version);
  return {
    convert(obj) {
      const stored = from ? from.toStored(obj) : obj;
      return { ...(to ? to.fromStored(stored) : stored), apiVersion };
    },
    rules,
  };
}

/**
 * How a write records field ownership (manager, apiVersion, list rules, subresource): in
 * the version of the request (see {@link WriteParams.requestVersion}).
 */
export function ownership(
  s: ApiState,
  sc: Scope,
  p: WriteParams,
  subresource?: WriteSubresource,
): OwnershipContext {
  const at: Scope = { ...sc, version: p.requestVersion ?? sc.version };
  const ctx: OwnershipContext = {
    manager: p.fieldManager ?? p.defaultManager,
    apiVersion: apiVersionOf(sc.t.group, at.version),
    rules: listRules(sc.t, at.version),
    statusSubresource: sc.t.status,
    reset: resetFields(sc.t, subresource),
    empty: sc.t.builtin ? emptyTypedObject(sc.t.group, at.version, sc.t.kind) : {},
    otherVersion: (apiVersion) => otherVersion(s, at, apiVersion),
  };
  if (subresource) ctx.subresource = subresource;
  return ctx;
}

/**
 * How a write's objects are seen by its field tracking, when not as stored: through a view
 * in the view's form (events.k8s.io), and at the request's version for a request made at
 * another version than the storage one (converted through the CRD's conversion webhook).
 */
export function trackedForm(
  s: ApiState,
  sc: Scope,
  p: WriteParams,
): Pick<StoredView, 'toStored' | 'fromStored'> | undefined {
  const requested = p.requestVersion;
  if (requested === undefined || requested === sc.version) return viewAt(sc.t, sc.version);
  return {
    fromStored: (obj) => convertedNow(s, sc.t, obj, sc.version, requested),
    toStored: (obj) => convertedNow(s, sc.t, obj, requested, sc.version),
  };
}

/** Gives the object the next resourceVersion. */
export function stampRv(s: ApiState, obj: JsonObject): void {
  metaOf(obj).resourceVersion = String(s.storage.nextRv());
}
