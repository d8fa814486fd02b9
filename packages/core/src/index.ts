export type { DynamicObject, KubeObject, ListMeta, ObjectList, ObjectMeta } from './object.js';
export type { ApiResource, GroupVersionKind } from './resource.js';
