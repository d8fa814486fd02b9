import { expect, test } from 'vitest';
import { builtinOwnershipRules } from './ownership-rules.js';
import { typedPatchErrors } from './typed-patch.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

test('scalar, map and list errors as structured-merge-diff words them (probed on v1.36.3)', () => {
  const errors = typedPatchErrors(builtinOwnershipRules('apps', 'v1', 'Deployment'), DEPLOYMENT, {
    metadata: { labels: { a: { b: 1, c: 'x' } }, finalizers: [1] },
    spec: {
      replicas: true,
      paused: 'x',
      template: {
        spec: {
          containers: [{ name: 'c', command: 'x', ports: [{ containerPort: '80' }] }],
          tolerations: [{ key: 1 }],
        },
      },
    },
  });
  expect(errors).toEqual([
    '.metadata.labels.a: expected string, got &value.valueUnstructured{Value:map[string]interface {}{"b":1, "c":"x"}}',
    '.metadata.finalizers[=1]: expected string, got &value.valueUnstructured{Value:1}',
    '.spec.replicas: expected numeric (int or float), got bool',
    '.spec.paused: expected boolean, got &{x}',
    '.spec.template.spec.containers[name="c"].command: expected list, got &{x}',
    '.spec.template.spec.containers[name="c"].ports[containerPort="80",protocol="TCP"].containerPort: expected numeric (int or float), got string',
    '.spec.template.spec.tolerations[0].key: expected string, got &value.valueUnstructured{Value:1}',
  ]);
});

test('times, quantities and int-or-strings are untyped; a map with an undeclared field is skipped', () => {
  expect(
    typedPatchErrors(builtinOwnershipRules('apps', 'v1', 'Deployment'), DEPLOYMENT, {
      metadata: { creationTimestamp: 5 },
      spec: { replicas: 'x', foo: 1, strategy: { rollingUpdate: { maxSurge: true } } },
    }),
  ).toEqual([]);
});
