import type { ResourceAttributes } from '../auth/request-attributes.js';
import type { UserInfo } from '../auth/user.js';
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { ApiState } from '../state.js';

/** What a rule knows of the request besides the object. */
export interface RuleContext {
  /** The API group the request came through (a view's own, e.g. `events.k8s.io`). */
  group: string;
  /** True when the object is being created. */
  create: boolean;
  /** The subresource an update came through (`status`, `approval`), if any. */
  subresource?: string;
  /** The stored object, on an update (some checks skip values it already had). */
  old?: JsonObject;
  /** The Namespace a namespaced object is written in, when it exists. */
  namespace?: JsonObject;
  /** Who writes and what they may do, on a write through the API (not on internal writes). */
  request?: RequestAccess;
}

/**
 * The requesting user of a write and the server's authorizer, for the strategies that
 * authorize parts of a write against synthetic subresources (a ResourceClaim's status).
 */
export interface RequestAccess {
  /** The requesting user. */
  readonly user: UserInfo;
  /** The request's own authorization attributes. */
  readonly attrs: ResourceAttributes;
  /** The message of the 403 the authorizer gives the user for `attrs`; undefined when allowed. */
  forbidden(attrs: ResourceAttributes): string | undefined;
}

/**
 * What kube-apiserver's registry strategy for one built-in kind does beyond the generic
 * handling: defaults, validation, the checks of an update against the stored object, and
 * when `metadata.generation` moves.
 */
export interface KindRules {
  /**
   * Writes the kind's defaults into `obj` (create and every update); `create` is true for
   * the values the server fills once, when the object is created (allocated IPs, Job
   * selectors, a new object's status).
   */
  defaults?(obj: JsonObject, create: boolean): void;
  /**
   * The strategy's `PrepareForCreate`, after mutating admission: writes into a new object
   * what the server takes from the requesting user (a CSR's requestor) or derives from the
   * admitted object (a Pod's QoS class); pushes the warnings it gives to `warnings`.
   */
  prepareCreate?(obj: JsonObject, user: UserInfo, warnings: string[]): void;
  /**
   * What defaulting adds when a new object is read back from storage, after validation
   * (kube-apiserver answers a create, a dry run's too, with the object decoded again): not
   * validated.
   */
  readBack?(obj: JsonObject): void;
  /** Carries over what an update may leave out and the server keeps (allocated values). */
  prepareUpdate?(next: JsonObject, prev: JsonObject): void;
  /** What the strategy of a `status` or `approval` update does beyond keeping the rest. */
  prepareSubresourceUpdate?(next: JsonObject, prev: JsonObject, subresource: string): void;
  /**
   * Reserves what the server allocates from cluster-wide pools (a Service's cluster IP and
   * node ports), before validation as kube-apiserver's BeginCreate/BeginUpdate hooks do;
   * throws the server's error for a value already taken; `dryRun` for a dry run (whose
   * allocators hand out placeholders).
   */
  allocate?(obj: JsonObject, prev: JsonObject | undefined, state: ApiState, dryRun: boolean): void;
  /** The causes of an object name, where the kind has its own rule (an IPAddress's is an IP). */
  nameCauses?(name: string): StatusCause[];
  /** The kind's validation causes (create and update). */
  validate?(obj: JsonObject, ctx: RuleContext): StatusCause[];
  /** The warnings of a valid create or update (the strategy's `WarningsOnCreate`/`OnUpdate`). */
  warnings?(obj: JsonObject, ctx: RuleContext): string[];
  /** The causes of an update that the stored object forbids (immutable fields). */
  validateUpdate?(next: JsonObject, prev: JsonObject, ctx: RuleContext): StatusCause[];
  /**
   * Whether an update bumps `metadata.generation` (kinds that track it): by default when
   * anything but metadata and status changes.
   */
  generationChanged?(next: JsonObject, prev: JsonObject): boolean;
}

/** The detail kube-apiserver gives for a changed immutable field. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** The detail for a change to an object marked `immutable: true`. */
export const IMMUTABLE_OBJECT = 'field is immutable when `immutable` is set';
