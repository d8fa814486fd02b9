import type { PolicyReinvocation } from './admission/mutating-policies.js';
import type { PodSecurityMetrics } from './admission/pod-security/pod-security-metrics.js';
import type { ContainerRuntime } from './containers/container-runtime.js';
import type { StatusCause } from './errors.js';
import type { JsonObject } from './json.js';
import type { ResourceRegistry } from './registry.js';
import type { ResourceType } from './resource-types.js';
import type { Storage } from './storage.js';
import type { WatchHub } from './watch-hub.js';

/** Validates (and prunes) a custom resource against its CRD schema. */
export type CustomValidator = (
  t: ResourceType,
  version: string,
  obj: JsonObject,
  old?: JsonObject,
  warnings?: string[],
) => StatusCause[];

/** An object at the point of a create or update where admission webhooks run. */
export interface AdmissionPoint {
  t: ResourceType;
  version: string;
  namespace: string;
  name: string;
  /** The object about to be validated and stored (may be changed in place). */
  object: JsonObject;
  /** The stored object on an update. */
  old: JsonObject | undefined;
  /** `'status'` on a write to the status subresource. */
  subresource: string;
  /**
   * The chain's second round, after the mutating webhooks' first: a create's in-tree
   * plugins and the MutatingAdmissionPolicies again (run only when it `applied` a mutation
   * or a webhook changed the object).
   */
  policies?: PolicyReinvocation | undefined;
  /** The write's warnings so far, in order: admission adds its own after them. */
  warnings?: string[] | undefined;
}

/** Called by the write path around validation (see `memory/admission`). */
export interface AdmissionHook {
  /**
   * After the mutating admission plugins and policies, before the strategy, the allocators
   * and validation: mutating admission webhooks, and the chain's second round (the write
   * path runs it itself when no hook is set). On a create by `generateName` the point's
   * `name` is empty, as the AdmissionRequest's is.
   */
  beforeValidation(p: AdmissionPoint): void;
  /** After schema validation passed, before the commit: validating admission. */
  afterValidation(p: AdmissionPoint): void;
  /**
   * What `make` gives the first time `what` is asked for in one request, given again in its
   * later runs (a create's generated name, uid and creation time).
   */
  once(what: string, make: () => string): string;
}

/** The shared state of one server: storage, served resources and open watches. */
export interface ApiState {
  storage: Storage;
  registry: ResourceRegistry;
  hub: WatchHub;
  validateCustom: CustomValidator;
  /** What the Pods' containers answer: exec/attach/port-forward handlers and logs. */
  containers: ContainerRuntime;
  /** Set while a write runs through admission webhooks. */
  admission?: AdmissionHook | undefined;
  /**
   * Set while a DELETE or deletecollection that went through the admission webhooks (and
   * the policies with them) runs: the items admitted, which are not admitted again.
   */
  admittedDeletes?: ((obj: JsonObject) => boolean) | undefined;
  /** Schedules background work (garbage collection, namespace/CRD cleanup). */
  schedule(task: () => void): void;
  /**
   * kube-apiserver's `--min-request-timeout` in seconds: a watch without `timeoutSeconds`
   * lasts a random time between it and twice it.
   */
  minRequestTimeoutSeconds: number;
  /** What Pod Security admission counts, for `/metrics`. */
  podSecurityMetrics: PodSecurityMetrics;
}

/** RFC 3339 timestamp with second precision, as Kubernetes writes them. */
export function timestamp(d?: Date): string {
  if (d) return d.toISOString().replace(/\.\d+Z$/, 'Z');
  const sec = Math.floor(Date.now() / 1000);
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cachedStamp = new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  return cachedStamp;
}

let cachedSecond = -1;
let cachedStamp = '';
