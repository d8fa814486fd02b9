import { useMemoryApiServer } from '@kube-ts/test-support';
import { expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));
const POLICIES = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';

/** Polls the policy until its status has observed `generation`. */
async function statusAt(name: string, generation: number) {
  for (let i = 0; i < 200; i++) {
    const { body } = await env.client('GET', `${POLICIES}/${name}`);
    if (body.status?.observedGeneration === generation) return body.status;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`status of ${name} never observed generation ${generation}`);
}

it('type-checks the validations against the matched kinds, again after each spec change', async () => {
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'typed' },
    spec: {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['', 'apps'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['configmaps', 'deployments', '*'],
          },
        ],
      },
      validations: [{ expression: "object.data.mode == 'on'" }],
    },
  };
  expect((await env.client('POST', POLICIES, policy)).status).toBe(201);
  const first = await statusAt('typed', 1);
  // data is a field of ConfigMaps, not of Deployments; a group/resource pair that does not
  // exist (apps ConfigMaps, core Deployments) is not checked.
  expect(first.typeChecking.expressionWarnings).toEqual([
    {
      fieldRef: 'spec.validations[0].expression',
      warning:
        "apps/v1, Kind=Deployment: ERROR: <input>:1:7: undefined field 'data'\n | object.data.mode == 'on'\n | ......^\n",
    },
  ]);
  const fixed = await env.client(
    'PATCH',
    `${POLICIES}/typed`,
    { spec: { validations: [{ expression: 'has(object.metadata.labels)' }] } },
    'application/merge-patch+json',
  );
  expect(fixed.status).toBe(200);
  expect((await statusAt('typed', 2)).typeChecking).toEqual({});
});
