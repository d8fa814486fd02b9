/** The Widget custom resource: two versions, stored as v1, converted by the webhook. */
import { defineResource, type ResourceOf } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';

/** The most replicas the validating webhook admits. */
export const MAX_REPLICAS = 10;
/** The tier the mutating webhook sets when none is given. */
export const DEFAULT_TIER = 'standard';

/**
 * `v1alpha1` said `spec.size` (a string such as `"3"`); `v1` says `spec.replicas` (an
 * integer) and has a `status`. Every conversion goes through v1, the storage version.
 */
export const Widget = defineResource({
  group: 'examples.kube-ts.dev',
  kind: 'Widget',
  scope: 'Namespaced',
  versions: {
    v1alpha1: {
      spec: Type.Object({
        size: Type.String({ pattern: '^[0-9]+$' }),
        tier: Type.Optional(Type.String()),
      }),
      deprecated: true,
      deprecationWarning: 'examples.kube-ts.dev/v1alpha1 Widget is deprecated; use v1',
    },
    v1: {
      spec: Type.Object({
        replicas: Type.Integer({ minimum: 0 }),
        tier: Type.Optional(Type.String()),
      }),
      status: Type.Object({
        observedGeneration: Type.Optional(Type.Integer()),
        readyReplicas: Type.Optional(Type.Integer()),
      }),
      printerColumns: [
        { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        { name: 'Tier', type: 'string', jsonPath: '.spec.tier' },
      ],
    },
  },
  storage: 'v1',
  conversion: {
    v1alpha1: {
      toStorage: (w) => ({
        ...w,
        spec: { replicas: Number.parseInt(w.spec.size, 10), tier: w.spec.tier },
      }),
      fromStorage: ({ status: _status, ...w }) => ({
        ...w,
        spec: { size: String(w.spec.replicas), tier: w.spec.tier },
      }),
    },
  },
});
/** A Widget at the storage version. */
export type Widget = ResourceOf<typeof Widget>;
