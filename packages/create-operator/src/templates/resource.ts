import type { ProjectNames } from '../names.js';

/** `src/resource.ts`: the custom resource, its type and a sample object. */
export function resourceSource({ group, kind, plural }: ProjectNames): string {
  return `import type { ResourceOf } from '@kube-ts/schema';
import { defineResource } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';

/** The ${kind} custom resource: its type, validation and CRD all come from this schema. */
export const ${kind} = defineResource({
  group: '${group}',
  version: 'v1',
  kind: '${kind}',
  plural: '${plural}',
  scope: 'Namespaced',
  spec: Type.Object({
    /** What the operator writes into the ${kind}'s ConfigMap. */
    message: Type.String({ minLength: 1 }),
  }),
  status: Type.Object({
    /** The generation the status describes. */
    observedGeneration: Type.Optional(Type.Integer()),
    /** The ConfigMap the operator keeps for this ${kind}. */
    configMapName: Type.Optional(Type.String()),
  }),
  subresources: { status: true },
});

/** A ${kind} object as read from the API server. */
export type ${kind} = ResourceOf<typeof ${kind}>;

/** The sample \`npm start\` creates and \`deploy/sample.yaml\` holds. */
export function sample${kind}(namespace = 'default'): ${kind} {
  return ${kind}.create('sample', { message: 'hello from ${kind.toLowerCase()}/sample' }, { namespace });
}
`;
}
