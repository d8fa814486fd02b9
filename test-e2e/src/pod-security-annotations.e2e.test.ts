/**
 * Differential: the deprecated seccomp and AppArmor annotations of Pods and pod templates.
 * kube-apiserver checks their values, refuses those that disagree with the profile fields
 * (on a new Pod and in every template), copies a new Pod's AppArmor annotation into a
 * container without a profile (with a deprecation warning) and refuses an update that adds,
 * changes or removes a Pod's AppArmor annotation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, expectCauses, FORBIDDEN, INVALID } from './invalid-causes.js';
import { holderPath, POD, type SpecHolder, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-annotations');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';
const DEPRECATED = 'deprecated since v1.30; use the "appArmorProfile" field instead';

/** A PodTemplate, whose template is checked as the workloads' are. */
const POD_TEMPLATE: SpecHolder = {
  gv: 'v1',
  plural: 'podtemplates',
  prefix: 'template.spec',
  body: (name, spec) => ({
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name },
    template: { metadata: { labels: { app: 'fixture' } }, spec },
  }),
};

const HOLDERS = [POD, ...WORKLOADS, POD_TEMPLATE];

/** The metadata the pod spec at `holder.prefix` belongs to (created when absent). */
function metadataOf(holder: SpecHolder, body: Record<string, unknown>): Record<string, unknown> {
  let at: Record<string, unknown> = body;
  for (const key of holder.prefix.split('.').slice(0, -1)) {
    at = at[key] as Record<string, unknown>;
  }
  at.metadata ??= {};
  return at.metadata as Record<string, unknown>;
}

/** `holder`'s body named `name` with `spec`, its pod (template) annotated with `annotations`. */
function annotated(
  holder: SpecHolder,
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string>,
): Record<string, unknown> {
  const body = holder.body(name, spec);
  metadataOf(holder, body).annotations = annotations;
  return body;
}

/** Where `holder`'s causes name the pod's (template's) annotations. */
function annotationsAt(holder: SpecHolder): string {
  return holder === POD
    ? 'metadata.annotations'
    : `${holder.prefix.slice(0, -'.spec'.length)}.annotations`;
}

describe('seccomp and AppArmor annotations', () => {
  test.each(HOLDERS.map((h) => [h.plural, h] as const))(
    'annotation values (%s)',
    async (_, holder) => {
      const at = annotationsAt(holder);
      const causes: Cause[] = [
        [
          `${at}.${SECCOMP_POD}`,
          INVALID,
          'Invalid value: "bogus": must be a valid seccomp profile',
        ],
        [`${at}.${SECCOMP}c`, INVALID, 'Invalid value: "/abs/../x": must be a relative path'],
        [`${at}.${SECCOMP}c`, INVALID, `Invalid value: "/abs/../x": must not contain '..'`],
        [`${at}[${APPARMOR}nope]`, INVALID, 'Invalid value: "nope": container not found'],
        [
          `${at}[${APPARMOR}c]`,
          INVALID,
          'Invalid value: "weird": invalid AppArmor profile name: "weird"',
        ],
      ];
      // The StatefulSet's validation checks its template's annotations twice.
      const twice = holder.plural === 'statefulsets' ? [...causes, ...causes] : causes;
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        annotated(
          holder,
          'values',
          { containers: [{ name: 'c', image: 'i' }] },
          {
            [SECCOMP_POD]: 'bogus',
            [`${SECCOMP}c`]: 'localhost//abs/../x',
            [`${APPARMOR}nope`]: 'runtime/default',
            [`${APPARMOR}c`]: 'weird',
          },
        ),
        twice,
        true,
      );
    },
  );

  test.each(HOLDERS.map((h) => [h.plural, h] as const))(
    'annotations that disagree with the profile fields (%s)',
    async (_, holder) => {
      const spec = {
        securityContext: {
          seccompProfile: { type: 'RuntimeDefault' },
          appArmorProfile: { type: 'RuntimeDefault' },
        },
        initContainers: [{ name: 'i', image: 'i' }],
        containers: [
          {
            name: 'c',
            image: 'i',
            securityContext: {
              seccompProfile: { type: 'Localhost', localhostProfile: 'a' },
              appArmorProfile: { type: 'Localhost', localhostProfile: 'p' },
            },
          },
          {
            name: 'd',
            image: 'i',
            securityContext: { seccompProfile: { type: 'Unconfined' } },
          },
        ],
      };
      const at = holder.prefix;
      const causes: Cause[] = [
        [
          `${at}.securityContext.seccompProfile.type`,
          FORBIDDEN,
          'Forbidden: seccomp type in annotation and field must match',
        ],
        [
          `${at}.containers[0].securityContext.seccompProfile.localhostProfile`,
          FORBIDDEN,
          'Forbidden: seccomp profile in annotation and field must match',
        ],
        [
          `${at}.containers[1].securityContext.seccompProfile.type`,
          FORBIDDEN,
          'Forbidden: seccomp type in annotation and field must match',
        ],
        // A new Pod's init container gets its annotation's profile first: no cause there.
        ...(holder === POD
          ? []
          : ([
              [
                `${at}.initContainers[0].securityContext.appArmorProfile.type`,
                FORBIDDEN,
                'Forbidden: apparmor type in annotation and field must match',
              ],
            ] as Cause[])),
        [
          `${at}.containers[0].securityContext.appArmorProfile.type`,
          FORBIDDEN,
          'Forbidden: apparmor type in annotation and field must match',
        ],
      ];
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        annotated(holder, 'mismatch', spec, {
          [SECCOMP_POD]: 'unconfined',
          [`${SECCOMP}c`]: 'localhost/b',
          [`${SECCOMP}d`]: 'runtime/default',
          [`${APPARMOR}i`]: 'unconfined',
          [`${APPARMOR}c`]: 'runtime/default',
        }),
        causes,
      );
    },
  );

  test('annotations that agree with the fields are accepted in every kind', async () => {
    for (const holder of HOLDERS) {
      const spec = {
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'c',
            image: 'i',
            securityContext: {
              seccompProfile: { type: 'Localhost', localhostProfile: 'a' },
              appArmorProfile: { type: 'Unconfined' },
            },
          },
        ],
      };
      const body = annotated(holder, 'agree', spec, {
        [SECCOMP_POD]: 'docker/default',
        [`${SECCOMP}c`]: 'localhost/a',
        [`${APPARMOR}c`]: 'unconfined',
      });
      const res = await raw(kc(), 'POST', holderPath(holder, ns), { body });
      expect(res.status, `${holder.plural}: ${res.text}`).toBe(201);
    }
  });

  test('a new Pod gets its AppArmor annotations as container profiles', async () => {
    const res = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: annotated(
        POD,
        'synced',
        {
          containers: [
            { name: 'c', image: 'i' },
            {
              name: 'd',
              image: 'i',
              securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
            },
            { name: 'e', image: 'i' },
          ],
        },
        {
          [`${APPARMOR}c`]: 'localhost/prof',
          // A container with its own profile: kept, no warning.
          [`${APPARMOR}d`]: 'runtime/default',
          // No profile to copy: a warning only.
          [`${APPARMOR}e`]: 'localhost/',
        },
      ),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      `metadata.annotations[${APPARMOR}c]: ${DEPRECATED}`,
      `metadata.annotations[${APPARMOR}e]: ${DEPRECATED}`,
    ]);
    const profiles = (r: typeof res) =>
      r.json().spec.containers.map((c: { securityContext?: unknown }) => c.securityContext);
    expect(profiles(res)).toEqual([
      { appArmorProfile: { type: 'Localhost', localhostProfile: 'prof' } },
      { appArmorProfile: { type: 'RuntimeDefault' } },
      undefined,
    ]);
    // The pod's own profile is not copied, and draws no warning.
    const podLevel = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: annotated(
        POD,
        'pod-level',
        {
          securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
          containers: [{ name: 'c', image: 'i' }],
        },
        { [`${APPARMOR}c`]: 'runtime/default' },
      ),
    });
    expect(podLevel.status, podLevel.text).toBe(201);
    expect(podLevel.warnings).toEqual([]);
    expect(profiles(podLevel)).toEqual([undefined]);
  });

  test("a Pod's AppArmor annotations cannot change after create", async () => {
    const created = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: annotated(
        POD,
        'fixed',
        { containers: [{ name: 'c', image: 'i' }] },
        {
          [`${APPARMOR}c`]: 'runtime/default',
        },
      ),
    });
    expect(created.status, created.text).toBe(201);
    const stored = created.json();
    const put = (annotations: Record<string, string>, sub = '') =>
      raw(kc(), 'PUT', `${holderPath(POD, ns)}/fixed${sub}`, {
        body: { ...stored, metadata: { ...stored.metadata, annotations } },
      });
    const changed = await put({ [`${APPARMOR}c`]: 'unconfined' });
    expect(changed.status, changed.text).toBe(422);
    const causes = (res: typeof changed) =>
      res
        .json()
        .details.causes.map((c: { field: string; message: string }) => [c.field, c.message]);
    const key = `metadata.annotations[${APPARMOR}c]`;
    expect(causes(changed)).toEqual([
      [key, 'Forbidden: may not remove or update AppArmor annotations'],
    ]);
    const removed = await put({}, '/status');
    expect(removed.status, removed.text).toBe(422);
    expect(causes(removed)).toEqual([
      [key, 'Forbidden: may not remove or update AppArmor annotations'],
    ]);
    // An added annotation is checked with the spec and again with the update rule.
    const added = await put({ [`${APPARMOR}c`]: 'runtime/default', [`${APPARMOR}x`]: 'weird' });
    expect(added.status, added.text).toBe(422);
    const x = `metadata.annotations[${APPARMOR}x]`;
    const values = [
      [x, 'Invalid value: "x": container not found'],
      [x, 'Invalid value: "weird": invalid AppArmor profile name: "weird"'],
    ];
    expect(causes(added)).toEqual([
      ...values,
      [x, 'Forbidden: may not add AppArmor annotations'],
      ...values,
    ]);
    expect(added.json().message).toBe(
      `Pod "fixed" is invalid: [${x}: Invalid value: "x": container not found, ${x}: Invalid value: "weird": invalid AppArmor profile name: "weird", ${x}: Forbidden: may not add AppArmor annotations]`,
    );
  });
});
