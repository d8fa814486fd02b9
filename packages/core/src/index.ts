export {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isServerTimeout,
  isTooManyRequests,
  isUnauthorized,
} from './api-error.js';
export { apiVersionOf, gvkOf, parseApiVersion } from './api-version.js';
export { delay } from './delay.js';
export type { OwnerReference } from './metadata.js';
export {
  annotationsOf,
  controllerOf,
  finalizersOf,
  labelsOf,
  nameOf,
  namespaceOf,
  ownerReferencesOf,
  ownerRefTo,
} from './metadata.js';
export type {
  DynamicObject,
  KubeObject,
  ListMeta,
  ObjectList,
  ObjectMeta,
  PartialObjectMetadata,
} from './object.js';
export { ObjectRef } from './object-ref.js';
export type {
  CallOptions,
  DeleteParams,
  DryRun,
  ListParams,
  PatchParams,
  PostParams,
  Preconditions,
  ResourceVersionMatch,
  WatchParams,
} from './params.js';
export type { ApiResource, GroupVersionKind } from './resource.js';
export { apiResource, resources } from './resources.js';
export type {
  FieldRequirement,
  FieldSelector,
  LabelRequirement,
  LabelSelector,
  SelectorLike,
} from './selectors.js';
export { fieldSelector, labelSelector, renderSelector } from './selectors.js';
export type { Status, StatusCause, StatusDetails } from './status.js';
export { isStatus, statusReasonFor } from './status.js';
