/**
 * Differential: ReplicationControllers as kube-apiserver defaults, validates and warns
 * about them: the selector and labels taken from the template, one replica; the spec's
 * checks (`ValidateReplicationControllerSpec`) and the status's; the pod template's
 * warnings on create, and on an update that moves the generation those of the stored
 * template (kube-apiserver's strategy passes the two templates swapped).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, FORBIDDEN, INVALID, REQUIRED, UNSUPPORTED } from './invalid-causes.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-rc');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const path = () => `/api/v1/namespaces/${ns}/replicationcontrollers`;
const CONTAINERS = [{ name: 'c', image: 'i' }];

function rc(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec };
}

/**
 * Reads the stored object, changes it with `change` and PUTs it at `sub`, again on a 409
 * (the real ReplicationController controller writes the status in between).
 */
async function update(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests change arbitrary server JSON.
  change: (o: any) => void,
  sub = '',
): Promise<RawResponse> {
  for (;;) {
    const got = await raw(kc(), 'GET', `${path()}/${name}`);
    const o = got.json();
    change(o);
    const res = await raw(kc(), 'PUT', `${path()}/${name}${sub}`, { body: o });
    if (res.status !== 409) return res;
  }
}

describe('ReplicationControllers', () => {
  test('the selector, labels and replicas defaulted from the template', async () => {
    const res = await raw(kc(), 'POST', path(), {
      body: rc('defaults', {
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: CONTAINERS } },
      }),
    });
    expect(res.status, res.text).toBe(201);
    const o = res.json();
    expect(o.metadata.labels).toEqual({ app: 'd' });
    expect(o.spec.selector).toEqual({ app: 'd' });
    expect(o.spec.replicas).toBe(1);
    expect(o.metadata.generation).toBe(1);
    expect(o.spec.template.spec.restartPolicy).toBe('Always');
    // Given ones are kept.
    const given = await raw(kc(), 'POST', path(), {
      body: {
        ...rc('given', {
          replicas: 0,
          selector: { app: 'g' },
          template: {
            metadata: { labels: { app: 'g', tier: 't' } },
            spec: { containers: CONTAINERS },
          },
        }),
        metadata: { name: 'given', labels: { own: 'yes' } },
      },
    });
    expect(given.status, given.text).toBe(201);
    expect(given.json().metadata.labels).toEqual({ own: 'yes' });
    expect(given.json().spec.selector).toEqual({ app: 'g' });
  });

  test('the spec checks', async () => {
    await expectCauses(
      kc(),
      path(),
      rc('bad', {
        minReadySeconds: -1,
        replicas: -1,
        selector: { app: 'x' },
        template: {
          metadata: { labels: { app: 'y' } },
          spec: { restartPolicy: 'Never', activeDeadlineSeconds: 5, containers: CONTAINERS },
        },
      }),
      [
        ['spec.minReadySeconds', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        ['spec.replicas', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        [
          'spec.template.metadata.labels',
          INVALID,
          'Invalid value: {"app":"y"}: `selector` does not match template `labels`',
        ],
        [
          'spec.template.spec.restartPolicy',
          UNSUPPORTED,
          'Unsupported value: "Never": supported values: "Always"',
        ],
        [
          'spec.template.spec.activeDeadlineSeconds',
          FORBIDDEN,
          'Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
        ],
      ],
    );
    await expectCauses(kc(), path(), rc('empty', {}), [
      ['spec.selector', REQUIRED, 'Required value'],
      ['spec.template', REQUIRED, 'Required value'],
    ]);
    // The template's own checks, as a PodTemplate's (labels, annotations, pod spec).
    await expectCauses(
      kc(),
      path(),
      {
        ...rc('template', {
          selector: { app: 'x' },
          template: {
            metadata: {
              labels: { app: 'x', 'bad key': 'v' },
              annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'bogus' },
            },
            spec: { containers: [{ name: 'c' }] },
          },
        }),
        // Own labels: the template's are not copied (nor refused) there.
        metadata: { name: 'template', labels: { own: 'yes' } },
      },
      [
        [
          'spec.template.labels',
          INVALID,
          `Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        ],
        [
          'spec.template.annotations.seccomp.security.alpha.kubernetes.io/pod',
          INVALID,
          'Invalid value: "bogus": must be a valid seccomp profile',
        ],
        ['spec.template.spec.containers[0].image', REQUIRED, 'Required value'],
      ],
    );
  });

  test('the pod template warnings, on update those of the stored template', async () => {
    const template = (label: string) => ({
      metadata: { labels: { app: 'w' } },
      spec: { nodeSelector: { [label]: 'x' }, containers: CONTAINERS },
    });
    const created = await raw(kc(), 'POST', path(), {
      body: rc('web.one', { replicas: 0, template: template('beta.kubernetes.io/arch') }),
    });
    expect(created.status, created.text).toBe(201);
    const arch =
      'spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead';
    expect(created.warnings).toEqual([
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
      arch,
    ]);
    const labelled = await update('web.one', (o) => {
      o.metadata.labels = { ...o.metadata.labels, x: 'y' };
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.warnings).toEqual([]);
    const changed = await update('web.one', (o) => {
      o.spec.template = template('failure-domain.beta.kubernetes.io/zone');
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.warnings).toEqual([arch]);
  });

  test('the status checks', async () => {
    const created = await raw(kc(), 'POST', path(), {
      body: rc('counted', {
        replicas: 0,
        template: { metadata: { labels: { app: 's' } }, spec: { containers: CONTAINERS } },
      }),
    });
    expect(created.status, created.text).toBe(201);
    const res = await update(
      'counted',
      (o) => {
        o.status = { replicas: 1, readyReplicas: 2, availableReplicas: 3, observedGeneration: -1 };
      },
      '/status',
    );
    expect(res.status, res.text).toBe(422);
    expect(
      res
        .json()
        .details.causes.map((c: { field: string; message: string }) => [c.field, c.message]),
    ).toEqual([
      ['status.observedGeneration', 'Invalid value: -1: must be greater than or equal to 0'],
      ['status.readyReplicas', 'Invalid value: 2: cannot be greater than status.replicas'],
      ['status.availableReplicas', 'Invalid value: 3: cannot be greater than status.replicas'],
      ['status.availableReplicas', 'Invalid value: 3: cannot be greater than readyReplicas'],
    ]);
  });
});
