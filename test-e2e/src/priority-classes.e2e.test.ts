/**
 * Differential: PriorityClasses as kube-apiserver serves them: the system classes it
 * creates at start, the validation of a new class and of an update, and the Priority
 * admission plugin (a Pod's priority from its class or the global default; one global
 * default at a time; 403 for an unknown class or a priority that disagrees).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const created: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-priority');
});

afterAll(async () => {
  for (const name of created) await raw(e2e.backend.kubeConfig, 'DELETE', classPath(name));
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const CLASSES = '/apis/scheduling.k8s.io/v1/priorityclasses';
const classPath = (name: string) => `${CLASSES}/${name}`;
const createClass = (name: string, body: Record<string, unknown>) => {
  created.push(name);
  return raw(kc(), 'POST', CLASSES, { body: { metadata: { name }, ...body } });
};
const createPod = (name: string, spec: Record<string, unknown> = {}) =>
  raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
    body: { metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } },
  });
const GROUP = 'scheduling.k8s.io';

describe('PriorityClasses', () => {
  test('the system classes exist and pods resolve their priority from a class', async () => {
    const node = await raw(kc(), 'GET', classPath('system-node-critical'));
    expect(node.json()).toMatchObject({
      value: 2000001000,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Used for system critical pods that must not be moved from their current node.',
    });
    const critical = await createPod('critical', { priorityClassName: 'system-cluster-critical' });
    expect(critical.status, critical.text).toBe(201);
    expect(critical.json().spec).toMatchObject({
      priorityClassName: 'system-cluster-critical',
      priority: 2000000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const plain = await createPod('plain');
    expect(plain.json().spec).toMatchObject({
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });

    const missing = await createPod('missing', { priorityClassName: `nope-${suffix}` });
    expect(missing.status).toBe(403);
    expect(missing.json()).toMatchObject({
      reason: 'Forbidden',
      message: `pods "missing" is forbidden: no PriorityClass with name nope-${suffix} was found`,
      details: { name: 'missing', kind: 'pods' },
    });
    const wrong = await createPod('wrong', { priority: 7 });
    expect(wrong.status).toBe(403);
    expect(wrong.json().message).toBe(
      'pods "wrong" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
  });

  test('a Pod update keeps the stored priority it leaves out, and may change neither', async () => {
    const created = await createPod('updated', { priorityClassName: 'system-cluster-critical' });
    expect(created.status, created.text).toBe(201);
    const path = `/api/v1/namespaces/${ns}/pods/updated`;
    const put = (change: (spec: Record<string, unknown>) => void) => {
      const pod = structuredClone(created.json());
      change(pod.spec);
      // Unconditional (something may write the Pod meanwhile), and a write every time.
      delete pod.metadata.resourceVersion;
      pod.metadata.labels = { step: uniqueSuffix() };
      return raw(kc(), 'PUT', path, { body: pod });
    };
    // The Priority plugin puts back what an update leaves out (the plugin set it on create).
    const kept = await put((spec) => {
      delete spec.priority;
      delete spec.preemptionPolicy;
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json().spec).toMatchObject({
      priorityClassName: 'system-cluster-critical',
      priority: 2000000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    // It computes nothing on update: a change is the Pod validation's refusal.
    for (const change of [
      (spec: Record<string, unknown>) => {
        spec.priorityClassName = 'system-node-critical';
      },
      (spec: Record<string, unknown>) => {
        spec.priority = 1;
      },
    ]) {
      const res = await put(change);
      expect(res.status, res.text).toBe(422);
      expect(
        res
          .json()
          .details.causes.map((c: { reason: string; field: string }) => [c.reason, c.field]),
      ).toEqual([['FieldValueForbidden', 'spec']]);
    }
  });

  test('a new class: no system- name, no value above one billion, a known policy', async () => {
    const high = `e2e-high-${suffix}`;
    expectInvalid(
      await createClass(high, { value: 1000000001, preemptionPolicy: 'Sometimes' }),
      `PriorityClass.${GROUP} "${high}"`,
      [
        forbidden('value', 'maximum allowed value of a user defined priority is 1000000000'),
        {
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
          field: 'preemptionPolicy',
        },
      ],
    );
    const system = `system-e2e-${suffix}`;
    expectInvalid(await createClass(system, { value: 1 }), `PriorityClass.${GROUP} "${system}"`, [
      forbidden(
        'metadata.name',
        `priority class names with 'system-' prefix are reserved for system use only. error: ${system} is not a known system priority class`,
      ),
    ]);
  });

  test('an update changes neither value nor preemptionPolicy', async () => {
    const name = `e2e-fixed-${suffix}`;
    expect((await createClass(name, { value: 100 })).status).toBe(201);
    expectInvalid(
      await raw(kc(), 'PATCH', classPath(name), {
        body: { value: 200, preemptionPolicy: 'Never' },
        contentType: 'application/merge-patch+json',
      }),
      `PriorityClass.${GROUP} "${name}"`,
      [
        forbidden('value', 'may not be changed in an update.'),
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "Never": field is immutable',
          field: 'preemptionPolicy',
        },
      ],
    );
  });

  test('one global default at a time; pods without a class get it', async () => {
    const a = `e2e-default-a-${suffix}`;
    const b = `e2e-default-b-${suffix}`;
    const first = await createClass(a, {
      value: 10,
      globalDefault: true,
      preemptionPolicy: 'Never',
    });
    expect(first.status, first.text).toBe(201);
    try {
      const second = await createClass(b, { value: 20, globalDefault: true });
      expect(second.status).toBe(403);
      expect(second.json().message).toBe(
        `priorityclasses.scheduling.k8s.io "${b}" is forbidden: PriorityClass ${a} is already marked as default. Only one default can exist`,
      );
      const pod = await createPod('defaulted');
      expect(pod.json().spec).toMatchObject({
        priorityClassName: a,
        priority: 10,
        preemptionPolicy: 'Never',
      });
    } finally {
      await raw(kc(), 'DELETE', classPath(a));
    }
  });
});
