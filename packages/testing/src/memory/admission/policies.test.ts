import { useMemoryApiServer } from '@kube-ts/test-support';
import { expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));
const AR = '/apis/admissionregistration.k8s.io/v1';

it('a Deny binding refuses what a validation rejects; matchConditions and failurePolicy apply', async () => {
  const policy = await env.client('POST', `${AR}/validatingadmissionpolicies`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'cm-policy' },
    spec: {
      failurePolicy: 'Ignore',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['configmaps'],
          },
        ],
      },
      matchConditions: [{ name: 'labelled', expression: 'has(object.metadata.labels)' }],
      validations: [
        { expression: "object.data.mode == 'on'", message: 'mode must be on' },
        { expression: 'object.data.missing.size() > 0' },
      ],
    },
  });
  expect(policy.status).toBe(201);
  const binding = await env.client('POST', `${AR}/validatingadmissionpolicybindings`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: 'cm-binding' },
    spec: { policyName: 'cm-policy', validationActions: ['Deny'] },
  });
  expect(binding.status).toBe(201);
  const cm = (name: string, labels: boolean, mode: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(labels ? { labels: { a: 'b' } } : {}) },
    data: { mode },
  });
  const path = '/api/v1/namespaces/default/configmaps';
  const denied = await env.client('POST', path, cm('off', true, 'off'));
  expect(denied.status).toBe(422);
  expect(denied.body).toMatchObject({
    reason: 'Invalid',
    message:
      "configmaps \"off\" is forbidden: ValidatingAdmissionPolicy 'cm-policy' with binding 'cm-binding' denied request: mode must be on",
  });
  // The second validation fails to evaluate (no such key): ignored under failurePolicy Ignore.
  expect((await env.client('POST', path, cm('on', true, 'on'))).status).toBe(201);
  // Not matched by the matchCondition.
  expect((await env.client('POST', path, cm('unlabelled', false, 'off'))).status).toBe(201);
});
