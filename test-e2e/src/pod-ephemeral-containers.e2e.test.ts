/**
 * Differential: a Pod's `ephemeralcontainers` subresource adds ephemeral containers (with
 * the container defaults), changes nothing else, refuses to remove a stored one, and checks
 * a new one like kube-apiserver (its causes before the removal's, as there).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL } from './invalid-causes.js';
import { expectInvalid, forbidden, invalid } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ephemeral');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const pod = () => `/api/v1/namespaces/${ns}/pods/debugged`;
const debug = { name: 'debug', image: 'busybox', command: ['sh'], targetContainerName: 'app' };

describe('pods/ephemeralcontainers', () => {
  test('adds ephemeral containers only; a stored one stays', async () => {
    const created = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
      body: {
        metadata: { name: 'debugged' },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const got = await raw(kc(), 'GET', `${pod()}/ephemeralcontainers`);
    expect(got.status, got.text).toBe(200);
    expect(got.json()).toMatchObject({ kind: 'Pod', metadata: { name: 'debugged' } });

    const body = created.json();
    const put = await raw(kc(), 'PUT', `${pod()}/ephemeralcontainers`, {
      body: {
        ...body,
        metadata: { ...body.metadata, labels: { changed: 'yes' } },
        spec: {
          ...body.spec,
          containers: [{ ...body.spec.containers[0], image: 'nginx:2' }],
          ephemeralContainers: [debug],
        },
      },
    });
    expect(put.status, put.text).toBe(200);
    const after = put.json();
    expect(after.spec.containers[0].image).toBe('nginx');
    expect(after.metadata.labels).toBeUndefined();
    expect(after.spec.ephemeralContainers).toEqual([
      {
        ...debug,
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'Always',
      },
    ]);

    expectInvalid(
      await raw(kc(), 'PUT', `${pod()}/ephemeralcontainers`, {
        body: { ...after, spec: { ...after.spec, ephemeralContainers: [] } },
      }),
      'Pod "debugged"',
      [
        forbidden(
          'spec.ephemeralContainers',
          'existing ephemeral containers "debug" may not be removed\n',
        ),
      ],
    );
  });

  test("the new containers' causes come before the update rule's", async () => {
    const path = `/api/v1/namespaces/${ns}/pods/ordered`;
    const created = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
      body: {
        metadata: { name: 'ordered' },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const body = created.json();
    const added = await raw(kc(), 'PUT', `${path}/ephemeralcontainers`, {
      body: { ...body, spec: { ...body.spec, ephemeralContainers: [debug] } },
    });
    expect(added.status, added.text).toBe(200);
    const now = added.json();
    // The stored one removed and a bad one added: ValidatePodEphemeralContainersUpdate
    // checks the new spec first.
    const res = await raw(kc(), 'PUT', `${path}/ephemeralcontainers`, {
      body: {
        ...now,
        spec: { ...now.spec, ephemeralContainers: [{ name: 'Bad_Name', image: 'busybox' }] },
      },
    });
    expectInvalid(res, 'Pod "ordered"', [
      invalid('spec.ephemeralContainers[0].name', '"Bad_Name"', LABEL),
      forbidden(
        'spec.ephemeralContainers',
        'existing ephemeral containers "debug" may not be removed\n',
      ),
    ]);
  });
});
