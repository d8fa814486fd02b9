/**
 * Differential: PodTemplates (their pod spec defaults and checks, the template's labels,
 * the generation), ControllerRevisions (`revision`, `data`, immutable data) and
 * RuntimeClasses (handler, overhead, scheduling, immutable handler) as kube-apiserver
 * serves them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden, invalid, requiredValue, unsupported } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const CLASSES = '/apis/node.k8s.io/v1/runtimeclasses';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-core-kinds');
});

afterAll(async () => {
  await raw(e2e.backend.kubeConfig, 'DELETE', `${CLASSES}/e2e-rc-${suffix}`);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const merge = (path: string, body: unknown) =>
  raw(kc(), 'PATCH', path, { body, contentType: 'application/merge-patch+json' });

describe('PodTemplates', () => {
  const path = () => `/api/v1/namespaces/${ns}/podtemplates`;

  test('the template is defaulted and validated as a pod spec; generation follows it', async () => {
    expectInvalid(
      await raw(kc(), 'POST', path(), { body: { metadata: { name: 'empty' } } }),
      'PodTemplate "empty"',
      [requiredValue('template.spec.containers')],
    );
    expectInvalid(
      await raw(kc(), 'POST', path(), {
        body: {
          metadata: { name: 'bad' },
          template: {
            metadata: { labels: { 'a/b/c': 'x' } },
            spec: {
              restartPolicy: 'Sometimes',
              containers: [{ name: 'app', image: 'nginx' }],
              ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
            },
          },
        },
      }),
      'PodTemplate "bad"',
      [
        invalid(
          'template.labels',
          '"a/b/c"',
          "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        unsupported('template.spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']),
        forbidden(
          'template.spec.ephemeralContainers',
          'ephemeral containers not allowed in pod template',
        ),
      ],
    );
    const res = await raw(kc(), 'POST', path(), {
      body: {
        metadata: { name: 'web' },
        template: { spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
      },
    });
    expect(res.status, res.text).toBe(201);
    const pt = res.json();
    expect(pt.metadata.generation).toBe(1);
    expect(pt.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    });
    expect(pt.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
    });
    const labelled = await merge(`${path()}/web`, { metadata: { labels: { tier: 'web' } } });
    expect(labelled.json().metadata.generation).toBe(1);
    const changed = await merge(`${path()}/web`, {
      template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json().metadata.generation).toBe(2);
  });
});

describe('ControllerRevisions', () => {
  const path = () => `/apis/apps/v1/namespaces/${ns}/controllerrevisions`;
  const create = (name: string, body: Record<string, unknown>) =>
    raw(kc(), 'POST', path(), { body: { metadata: { name }, ...body } });

  test('revision and data on create; data immutable', async () => {
    expectInvalid(await create('none', { revision: -1 }), 'ControllerRevision.apps "none"', [
      invalid('revision', '-1', 'must be greater than or equal to 0'),
      requiredValue('data', 'data is mandatory'),
    ]);
    expectInvalid(
      await create('list', { revision: 1, data: [1, 2] }),
      'ControllerRevision.apps "list"',
      [requiredValue('data', 'data must be a valid JSON object')],
    );
    const res = await create('rev', { revision: 1, data: { spec: { replicas: 1 } } });
    expect(res.status, res.text).toBe(201);
    expect(res.json()).toMatchObject({ revision: 1, data: { spec: { replicas: 1 } } });
    expect(res.json().metadata.generation).toBeUndefined();
    const bumped = await merge(`${path()}/rev`, { revision: 2 });
    expect(bumped.status, bumped.text).toBe(200);
    expectInvalid(
      await merge(`${path()}/rev`, { revision: -2, data: { spec: { replicas: 2 } } }),
      'ControllerRevision.apps "rev"',
      [
        invalid('revision', '-2', 'must be greater than or equal to 0'),
        invalid('data', '{"spec":{"replicas":2}}', 'field is immutable'),
      ],
    );
  });
});

describe('RuntimeClasses', () => {
  test('handler, overhead and scheduling; the handler is immutable', async () => {
    const bad = `e2e-rc-bad-${suffix}`;
    expectInvalid(
      await raw(kc(), 'POST', CLASSES, {
        body: {
          metadata: { name: bad },
          handler: 'Not_A_Label',
          overhead: { podFixed: { cpu: '-1' } },
          scheduling: {
            tolerations: [
              { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
              { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
              { key: 'k', operator: 'Sometimes' },
            ],
          },
        },
      }),
      `RuntimeClass.node.k8s.io "${bad}"`,
      [
        invalid(
          'handler',
          '"Not_A_Label"',
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
        invalid('overhead.limits[cpu]', '"-1"', 'must be greater than or equal to 0'),
        unsupported('scheduling.tolerations[2].operator', 'Sometimes', ['Equal', 'Exists']),
        {
          reason: 'FieldValueDuplicate',
          message:
            'Duplicate value: {"Key":"k","Operator":"Equal","Value":"v","Effect":"NoSchedule","TolerationSeconds":null}',
          field: 'scheduling.tolerations[1]',
        },
      ],
    );
    const name = `e2e-rc-${suffix}`;
    const res = await raw(kc(), 'POST', CLASSES, {
      body: { metadata: { name }, handler: 'runc', overhead: { podFixed: { memory: '64Mi' } } },
    });
    expect(res.status, res.text).toBe(201);
    expectInvalid(
      await merge(`${CLASSES}/${name}`, { handler: 'kata' }),
      `RuntimeClass.node.k8s.io "${name}"`,
      [invalid('handler', '"kata"', 'field is immutable')],
    );
  });
});
