import { useMemoryApiServer } from '@kube-ts/test-support';
import { expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));
const AR = '/apis/admissionregistration.k8s.io/v1';
const CMS = '/api/v1/namespaces/default/configmaps';

async function bind(name: string, spec: object): Promise<void> {
  const policy = await env.client('POST', `${AR}/mutatingadmissionpolicies`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name },
    spec: {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['configmaps'],
            resourceNames: [name],
          },
        ],
      },
      reinvocationPolicy: 'Never',
      ...spec,
    },
  });
  expect(policy.status).toBe(201);
  const binding = await env.client('POST', `${AR}/mutatingadmissionpolicybindings`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name: `${name}-binding` },
    spec: { policyName: name },
  });
  expect(binding.status).toBe(201);
}

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

it('an ApplyConfiguration mutation merges into the object on create and update', async () => {
  await bind('merged', {
    matchConditions: [{ name: 'not-skipped', expression: '!("skip" in object.data)' }],
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression: 'Object{data: {"count": string(size(object.data))}}',
        },
      },
    ],
  });
  const created = await env.client('POST', CMS, configMap('merged', { a: '1' }));
  expect(created.status).toBe(201);
  expect(created.body.data).toEqual({ a: '1', count: '1' });
  const updated = await env.client('PUT', `${CMS}/merged`, {
    ...created.body,
    data: { a: '1', b: '2', c: '3' },
  });
  expect(updated.body.data).toEqual({ a: '1', b: '2', c: '3', count: '3' });
  const skipped = await env.client('PUT', `${CMS}/merged`, {
    ...updated.body,
    data: { skip: 'yes' },
  });
  expect(skipped.body.data).toEqual({ skip: 'yes' });
});

it('a failing mutation refuses the write, unless failurePolicy is Ignore', async () => {
  const mutations = [
    {
      patchType: 'JSONPatch',
      jsonPatch: { expression: '[JSONPatch{op: "remove", path: "/nope"}]' },
    },
  ];
  await bind('refused', { mutations });
  const refused = await env.client('POST', CMS, configMap('refused', {}));
  expect(refused.status).toBe(403);
  expect(refused.body.reason).toBe('Invalid');
  expect(refused.body.message).toMatch(
    /^policy 'refused' with binding 'refused-binding' denied request: /,
  );
  await bind('ignored', { mutations, failurePolicy: 'Ignore' });
  const ignored = await env.client('POST', CMS, configMap('ignored', { k: 'v' }));
  expect(ignored.status).toBe(201);
  expect(ignored.body.data).toEqual({ k: 'v' });
});

it('a policy with reinvocationPolicy IfNeeded runs once more after the first round mutated', async () => {
  const append = {
    patchType: 'ApplyConfiguration',
    applyConfiguration: {
      expression: 'Object{data: {"log": ("log" in object.data ? object.data.log : "") + "x"}}',
    },
  };
  await bind('reinvoked', { reinvocationPolicy: 'IfNeeded', mutations: [append] });
  await bind('not-reinvoked', { reinvocationPolicy: 'Never', mutations: [append] });
  const reinvoked = await env.client('POST', CMS, configMap('reinvoked', { k: 'v' }));
  expect(reinvoked.body.data).toEqual({ k: 'v', log: 'xx' });
  const once = await env.client('POST', CMS, configMap('not-reinvoked', { k: 'v' }));
  expect(once.body.data).toEqual({ k: 'v', log: 'x' });
});
