/** The App custom resource: type, validation and CRD from one schema. */
import { defineResource, K8s, type ResourceOf } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';

/**
 * An App (`examples.kube-ts.dev/v1`) asks for a container image to be run behind a
 * Service. The operator renders a Deployment and a Service named like the App, owns them,
 * and reports the Deployment's availability as the App's `Ready` condition.
 */
export const App = defineResource({
  group: 'examples.kube-ts.dev',
  version: 'v1',
  kind: 'App',
  plural: 'apps',
  scope: 'Namespaced',
  description: 'Runs a container image behind a Service.',
  spec: Type.Object({
    /** The container image. */
    image: Type.String({ minLength: 1 }),
    /** How many pods to run. */
    replicas: Type.Integer({ minimum: 0, maximum: 100, default: 1 }),
    /** The port the container listens on; the Service exposes it as port 80. */
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
  }),
  status: Type.Object({
    /** The `metadata.generation` the status describes. */
    observedGeneration: Type.Optional(Type.Integer()),
    /** The Deployment's available replicas. */
    availableReplicas: Type.Optional(Type.Integer()),
    /** `Ready` mirrors the Deployment's `Available` condition. */
    conditions: Type.Optional(K8s.Conditions()),
  }),
  subresources: { status: true },
  printerColumns: [
    { name: 'Image', type: 'string', jsonPath: '.spec.image' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  ],
});

/** An App object as read from the API server. */
export type App = ResourceOf<typeof App>;

/** The status of an App. */
export type AppStatus = NonNullable<App['status']>;
