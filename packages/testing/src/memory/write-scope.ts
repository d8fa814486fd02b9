import type { UserInfo } from './auth/user.js';
import { emptyTypedObject } from './builtins/empty-objects.js';
import { builtinOwnershipRules } from './builtins/ownership-rules.js';
import { notFound } from './errors.js';
import type { ListRules } from './field-set.js';
import type { JsonObject } from './json.js';
import type { OtherVersion, OwnershipContext } from './managed-fields.js';
import { metaOf } from './object-meta.js';
import type { FieldValidation } from './request-options.js';
import { resetFields } from './reset-fields.js';
import { apiVersionOf, type ResourceType, resourceKey, viewAt } from './resource-types.js';
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
  /** What to do with unknown fields in the request (internal writes: `Ignore`). */
  fieldValidation?: FieldValidation;
  /** Warnings for the response's `Warning` headers; the write appends to it. */
  warnings?: string[];
  /** The request body as sent (create and update), for the messages that quote it. */
  rawBody?: string;
  /** Manager used when fieldManager is absent (derived from the User-Agent). */
  defaultManager: string;
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

/** Server-side apply's rules for a resource (from its built-in or CRD schema). */
export function listRules(t: ResourceType, version: string): ListRules {
  if (t.builtin) return builtinOwnershipRules(t.group, version, t.kind);
  return listRulesFromSchema(t.schemas?.[version]);
}

/**
 * The subresources an update can go through besides the main resource: `status`, a
 * Namespace's `finalize` (which changes `spec.finalizers`) and a CertificateSigningRequest's
 * `approval` (which changes `status.conditions`), a Pod's `ephemeralcontainers` (which
 * changes `spec.ephemeralContainers`) and its `resize` (which changes container resources).
 */
export type WriteSubresource = (typeof WRITE_SUBRESOURCES)[number];

/** The subresources a PUT can write through (see {@link WriteSubresource}). */
export const WRITE_SUBRESOURCES = [
  'status',
  'finalize',
  'approval',
  'ephemeralcontainers',
  'resize',
] as const;

/** The subresources a PATCH can write through (a Namespace's `finalize` takes PUT only). */
export const PATCH_SUBRESOURCES = ['status', 'approval', 'ephemeralcontainers', 'resize'] as const;

/** A subresource a PATCH writes through. */
export type PatchSubresource = (typeof PATCH_SUBRESOURCES)[number];

/**
 * `apiVersion` when it is another version the resource serves: how an object of the
 * scope's version converts to it (through the stored form, as the served views convert; a
 * custom resource's versions convert as its `None` strategy does, by relabelling).
 */
function otherVersion(sc: Scope, apiVersion: string): OtherVersion | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (group !== sc.t.group || version === sc.version || !sc.t.versions.includes(version))
    return undefined;
  const from = viewAt(sc.t, sc.version);
  const to = viewAt(sc.t, version);
  return {
    convert(obj) {
      const stored = from ? from.toStored(obj) : obj;
      return { ...(to ? to.fromStored(stored) : stored), apiVersion };
    },
    rules: listRules(sc.t, version),
  };
}

/** How a write records field ownership (manager, apiVersion, list rules, subresource). */
export function ownership(
  sc: Scope,
  p: WriteParams,
  subresource?: WriteSubresource,
): OwnershipContext {
  const ctx: OwnershipContext = {
    manager: p.fieldManager ?? p.defaultManager,
    apiVersion: apiVersionOf(sc.t.group, sc.version),
    rules: listRules(sc.t, sc.version),
    statusSubresource: sc.t.status,
    reset: resetFields(sc.t, subresource),
    empty: sc.t.builtin ? emptyTypedObject(sc.t.group, sc.version, sc.t.kind) : {},
    otherVersion: (apiVersion) => otherVersion(sc, apiVersion),
  };
  if (subresource) ctx.subresource = subresource;
  return ctx;
}

/** Gives the object the next resourceVersion. */
export function stampRv(s: ApiState, obj: JsonObject): void {
  metaOf(obj).resourceVersion = String(s.storage.nextRv());
}
