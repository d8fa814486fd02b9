import type { ApiResource, KubeObject } from '@kube-ts/core';
import type { AdmissionRequest, AdmissionResponse } from '@kube-ts/k8s/admission/v1';
import type { UserInfo } from '@kube-ts/k8s/authentication/v1';
import fastJsonPatch from 'fast-json-patch';
import type {
  FailurePolicy,
  MatchCondition,
  MatchPolicy,
  Operation,
  ReinvocationPolicy,
  SideEffects,
  WireLabelSelector,
} from './wire-types.js';

/** What an admission handler is given. */
export interface AdmissionContext<K extends KubeObject> {
  /** The operation: `CREATE`, `UPDATE`, `DELETE` or `CONNECT`. */
  readonly operation: Operation;
  /**
   * The object as it would be stored (absent on `DELETE`). A mutating handler may change
   * this copy in place and return it.
   */
  readonly object: K | undefined;
  /** The current object on `UPDATE` and `DELETE`. */
  readonly oldObject: K | undefined;
  /** Who made the request. */
  readonly userInfo: UserInfo;
  /** `true` when the request is a dry run: the handler must have no side effects. */
  readonly dryRun: boolean;
  /** Name of the object (may be empty on `CREATE` with `generateName`). */
  readonly name: string;
  /** Namespace of the object (`''` for cluster-scoped resources). */
  readonly namespace: string;
  /** The subresource (`status`, `scale`), or `''`. */
  readonly subResource: string;
  /** The request as kube-apiserver sent it. */
  readonly request: AdmissionRequest;
  /** Aborts when the API server gives up on the call or the server shuts down. */
  readonly signal: AbortSignal;
}

/** The answer of an admission handler: allow (with warnings) or deny (with a message). */
export type AdmissionVerdict =
  | { readonly allowed: true; readonly warnings?: readonly string[] }
  | {
      readonly allowed: false;
      /** Shown to the user, as kube-apiserver's error message names it. */
      readonly message: string;
      /** HTTP code of the error the user sees (default 403). */
      readonly code?: number;
      /** Machine-readable reason (e.g. `Forbidden`, `Invalid`). */
      readonly reason?: string;
      readonly warnings?: readonly string[];
    };

/** A mutating handler's answer with the changed object. */
export interface Mutation<K extends KubeObject> {
  readonly allowed: true;
  /** The object as it should be; the library computes the JSON Patch. */
  readonly object: K;
  readonly warnings?: readonly string[];
}

/** Allows the request, optionally with warnings for the user. */
export function allow(warnings?: readonly string[]): AdmissionVerdict {
  return warnings?.length ? { allowed: true, warnings } : { allowed: true };
}

/** Denies the request with `message` (a 403 `Forbidden` unless `code`/`reason` say otherwise). */
export function deny(
  message: string,
  options: { code?: number; reason?: string; warnings?: readonly string[] } = {},
): AdmissionVerdict {
  return { allowed: false, message, ...options };
}

/** Returns the changed object from a mutating handler, optionally with warnings. */
export function mutate<K extends KubeObject>(object: K, warnings?: readonly string[]): Mutation<K> {
  return warnings?.length ? { allowed: true, object, warnings } : { allowed: true, object };
}

/** A validating handler. */
export type ValidatingHandler<K extends KubeObject> = (
  ctx: AdmissionContext<K>,
) => AdmissionVerdict | Promise<AdmissionVerdict>;

/**
 * A mutating handler: returns the changed object (or a {@link Mutation}), `undefined`
 * for no change, or a denial.
 */
export type MutatingHandler<K extends KubeObject> = (
  ctx: AdmissionContext<K>,
) =>
  | K
  | Mutation<K>
  | AdmissionVerdict
  | undefined
  | Promise<K | Mutation<K> | AdmissionVerdict | undefined>;

/** How an admission webhook is registered with the API server. */
export interface AdmissionOptions<K extends KubeObject> {
  /**
   * The webhook's name: a fully qualified name with at least three segments
   * (`validate.widgets.example.com`); also its path, `/validate/<name>` or
   * `/mutate/<name>`, unless `path` is given.
   */
  readonly name: string;
  /** The resource the handler is for; the objects it gets have its type and version. */
  readonly resource: ApiResource<K>;
  /** Operations to be called for (default `CREATE` and `UPDATE`). */
  readonly operations?: readonly Operation[];
  /** Subresources to be called for as well (e.g. `['status']`); default none. */
  readonly subresources?: readonly string[];
  /** URL path on the webhook server (default from the name). */
  readonly path?: string;
  /** `Fail` (default) rejects requests when the webhook cannot answer; `Ignore` lets them through. */
  readonly failurePolicy?: FailurePolicy;
  /** Default `Equivalent`: requests at another version are converted to `resource`'s. */
  readonly matchPolicy?: MatchPolicy;
  /** Default `None`. */
  readonly sideEffects?: SideEffects;
  /** How long the API server waits, 1–30 s (default 10). */
  readonly timeoutSeconds?: number;
  /** Only objects in namespaces with these labels. */
  readonly namespaceSelector?: WireLabelSelector;
  /** Only objects with these labels. */
  readonly objectSelector?: WireLabelSelector;
  /**
   * CEL conditions checked by the API server after the rules and selectors: the webhook
   * is called only when all are true; one false skips it; an error with none false
   * follows `failurePolicy` (`Fail` refuses the request with 403). At most 64.
   */
  readonly matchConditions?: readonly MatchCondition[];
}

/** How a mutating webhook is registered: the admission options and its reinvocation. */
export interface MutatingOptions<K extends KubeObject> extends AdmissionOptions<K> {
  /**
   * `IfNeeded`: the API server calls the handler once more when a webhook called after
   * it changed the object (so it sees the others' changes, e.g. to add a sidecar to
   * containers another webhook added); the handler must then be idempotent. Default
   * `Never`.
   */
  readonly reinvocationPolicy?: ReinvocationPolicy;
}

/** A registered admission handler. */
export interface AdmissionRegistration {
  readonly type: 'validating' | 'mutating';
  readonly options: MutatingOptions<KubeObject>;
  readonly path: string;
  readonly handle: (ctx: AdmissionContext<KubeObject>) => Promise<unknown>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){2,}$/;

/** A Kubernetes qualified name: an optional DNS subdomain prefix and `/`, then a name. */
const QUALIFIED =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Checks a registration's options; returns the problems (empty when valid). */
export function checkAdmissionOptions(o: AdmissionOptions<KubeObject>): string[] {
  const problems: string[] = [];
  if (!NAME.test(o.name) || o.name.length > 253) {
    problems.push(
      `name ${JSON.stringify(o.name)} must be a lowercase fully qualified name with at least three segments, e.g. validate.widgets.example.com`,
    );
  }
  const t = o.timeoutSeconds;
  if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= 30)) {
    problems.push(`timeoutSeconds ${t} must be an integer from 1 to 30`);
  }
  if (o.path !== undefined && !o.path.startsWith('/')) {
    problems.push(`path ${JSON.stringify(o.path)} must start with /`);
  }
  if (o.operations?.length === 0) problems.push('operations must not be empty');
  problems.push(...checkMatchConditions(o.matchConditions ?? []));
  return problems;
}

/** kube-apiserver's checks of matchConditions that need no CEL: count, names, expressions. */
function checkMatchConditions(conditions: readonly MatchCondition[]): string[] {
  const problems: string[] = [];
  if (conditions.length > 64) problems.push('matchConditions must have at most 64 entries');
  const seen = new Set<string>();
  for (const c of conditions) {
    if (!QUALIFIED.test(c.name) || (c.name.split('/').at(-1)?.length ?? 0) > 63) {
      problems.push(`matchConditions name ${JSON.stringify(c.name)} must be a qualified name`);
    } else if (seen.has(c.name)) {
      problems.push(`matchConditions name ${JSON.stringify(c.name)} is used twice`);
    }
    seen.add(c.name);
    if (c.expression.trim() === '') {
      problems.push(`matchConditions ${JSON.stringify(c.name)} needs an expression`);
    }
  }
  return problems;
}

/** The context handed to a handler (the objects are copies the handler may change). */
export function contextOf(
  req: AdmissionRequest,
  signal: AbortSignal,
): AdmissionContext<KubeObject> {
  return {
    // The wire type is a string; kube-apiserver sends one of the four operations.
    operation: req.operation as Operation,
    object: req.object ? structuredClone(req.object) : undefined,
    oldObject: req.oldObject ? structuredClone(req.oldObject) : undefined,
    userInfo: req.userInfo ?? {},
    dryRun: req.dryRun === true,
    name: req.name ?? '',
    namespace: req.namespace ?? '',
    subResource: req.subResource ?? '',
    request: req,
    signal,
  };
}

function isVerdict(v: unknown): v is AdmissionVerdict | Mutation<KubeObject> {
  return (
    typeof v === 'object' && v !== null && typeof (v as { allowed?: unknown }).allowed === 'boolean'
  );
}

function denied(uid: string, v: Extract<AdmissionVerdict, { allowed: false }>): AdmissionResponse {
  const code = v.code ?? 403;
  const r: AdmissionResponse = {
    uid,
    allowed: false,
    status: {
      status: 'Failure',
      code,
      reason: v.reason ?? (code === 403 ? 'Forbidden' : code === 422 ? 'Invalid' : 'BadRequest'),
      message: v.message,
    },
  };
  if (v.warnings?.length) r.warnings = [...v.warnings];
  return r;
}

/**
 * The AdmissionResponse for a handler's result: a denial with its status, an allowance
 * with warnings, or (mutating) the JSON Patch from the request's object to the returned
 * one, computed with `fast-json-patch` (no patch when nothing changed).
 */
export function responseOf(
  type: 'validating' | 'mutating',
  req: AdmissionRequest,
  result: unknown,
): AdmissionResponse {
  const uid = req.uid;
  let object: KubeObject | undefined;
  let warnings: readonly string[] | undefined;
  if (isVerdict(result)) {
    if (!result.allowed) return denied(uid, result);
    warnings = result.warnings;
    if ('object' in result) object = result.object;
  } else if (type === 'mutating' && typeof result === 'object' && result !== null) {
    object = result as KubeObject;
  } else if (result !== undefined) {
    throw new TypeError(
      `a ${type} handler must return ${type === 'mutating' ? 'the changed object, mutate(obj), allow() or deny(message)' : 'allow() or deny(message)'}; got ${typeof result}`,
    );
  }
  const r: AdmissionResponse = { uid, allowed: true };
  if (warnings?.length) r.warnings = [...warnings];
  if (type === 'mutating' && object !== undefined) {
    if (!req.object)
      throw new TypeError(
        `a mutating handler cannot change the object of a ${req.operation} request`,
      );
    const ops = fastJsonPatch.compare(req.object, object);
    if (ops.length > 0) {
      r.patchType = 'JSONPatch';
      r.patch = Buffer.from(JSON.stringify(ops)).toString('base64');
    }
  } else if (type === 'validating' && object !== undefined) {
    throw new TypeError(
      'a validating handler must not return an object; register it with mutating()',
    );
  }
  return r;
}

/** The response for a handler that threw: denied with a 500 and the error's message. */
export function errorResponse(uid: string, name: string, err: unknown): AdmissionResponse {
  const message = err instanceof Error ? err.message : String(err);
  return {
    uid,
    allowed: false,
    status: {
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: `${name}: ${message}`,
    },
  };
}
