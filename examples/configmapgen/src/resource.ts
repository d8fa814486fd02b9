/** The ConfigMapGenerator custom resource: type, validation and CRD from one schema. */
import { defineResource, K8s, type ResourceOf } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';

/**
 * A ConfigMapGenerator (`examples.kube-ts.dev/v1`) asks for a ConfigMap with the given
 * content. The operator writes `<name>-generated` in the same namespace, owns it, and
 * reports what it did in `status`.
 */
export const ConfigMapGenerator = defineResource({
  group: 'examples.kube-ts.dev',
  version: 'v1',
  kind: 'ConfigMapGenerator',
  plural: 'configmapgenerators',
  shortNames: ['cmg'],
  scope: 'Namespaced',
  description: 'Generates a ConfigMap with the given content.',
  spec: Type.Object({
    /** The data of the generated ConfigMap. */
    content: K8s.Map(Type.String()),
    /** Extra labels for the generated ConfigMap. */
    labels: Type.Optional(K8s.Map(Type.String())),
  }),
  status: Type.Object({
    /** The `metadata.generation` the status describes. */
    observedGeneration: Type.Optional(Type.Integer()),
    /** The name of the generated ConfigMap. */
    configMapName: Type.Optional(Type.String()),
    /** `Ready` is `True` once the ConfigMap matches the spec. */
    conditions: Type.Optional(K8s.Conditions()),
  }),
  subresources: { status: true },
  printerColumns: [
    { name: 'ConfigMap', type: 'string', jsonPath: '.status.configMapName' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  ],
});

/** A ConfigMapGenerator object as read from the API server. */
export type ConfigMapGenerator = ResourceOf<typeof ConfigMapGenerator>;

/** The status of a ConfigMapGenerator. */
export type ConfigMapGeneratorStatus = NonNullable<ConfigMapGenerator['status']>;
