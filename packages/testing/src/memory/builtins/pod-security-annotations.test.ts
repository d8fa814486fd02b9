import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  annotationFieldMatchCauses,
  appArmorAnnotationUpdateCauses,
  appArmorProfileOf,
  securityAnnotationCauses,
  syncAppArmorAnnotations,
} from './pod-security-annotations.js';

const AA = 'container.apparmor.security.beta.kubernetes.io/';
const SC = 'container.seccomp.security.alpha.kubernetes.io/';
const spec = (c: JsonObject = {}): JsonObject => ({ containers: [{ name: 'c', ...c }] });

describe('pod security annotations', () => {
  test('annotation values: seccomp paths and profiles, AppArmor containers and names', () => {
    const causes = securityAnnotationCauses(
      {
        'seccomp.security.alpha.kubernetes.io/pod': 'localhost//abs',
        [`${SC}c`]: 'bogus',
        [`${AA}nope`]: 'runtime/default',
        [`${AA}c`]: 'weird',
      },
      spec(),
      'metadata.annotations',
    );
    expect(causes.map((c) => [c.field, c.message])).toEqual([
      [
        'metadata.annotations.seccomp.security.alpha.kubernetes.io/pod',
        'Invalid value: "/abs": must be a relative path',
      ],
      [`metadata.annotations.${SC}c`, 'Invalid value: "bogus": must be a valid seccomp profile'],
      [`metadata.annotations[${AA}nope]`, 'Invalid value: "nope": container not found'],
      [
        `metadata.annotations[${AA}c]`,
        'Invalid value: "weird": invalid AppArmor profile name: "weird"',
      ],
    ]);
  });

  test('annotations that disagree with the fields', () => {
    const s = spec({
      securityContext: {
        seccompProfile: { type: 'Localhost', localhostProfile: 'a' },
        appArmorProfile: { type: 'RuntimeDefault' },
      },
    });
    const causes = annotationFieldMatchCauses(
      { [`${SC}c`]: 'localhost/b', [`${AA}c`]: 'unconfined' },
      s,
      'spec',
    );
    expect(causes.map((c) => [c.field, c.message])).toEqual([
      [
        'spec.containers[0].securityContext.seccompProfile.localhostProfile',
        'Forbidden: seccomp profile in annotation and field must match',
      ],
      [
        'spec.containers[0].securityContext.appArmorProfile.type',
        'Forbidden: apparmor type in annotation and field must match',
      ],
    ]);
    expect(
      annotationFieldMatchCauses(
        { [`${AA}c`]: 'unconfined' },
        { ...s, os: { name: 'windows' } },
        'spec',
      ),
    ).toEqual([]);
  });

  test('AppArmor annotations are fixed after create', () => {
    const causes = appArmorAnnotationUpdateCauses(
      { [`${AA}b`]: 'unconfined' },
      { [`${AA}a`]: 'unconfined' },
      'metadata.annotations',
    );
    expect(causes.map((c) => c.message)).toEqual([
      'Forbidden: may not remove or update AppArmor annotations',
      'Forbidden: may not add AppArmor annotations',
    ]);
  });

  test('a new Pod gets its AppArmor annotations as fields, with warnings', () => {
    const pod: JsonObject = {
      metadata: { annotations: { [`${AA}c`]: 'localhost/p', [`${AA}d`]: 'localhost/' } },
      spec: { containers: [{ name: 'c' }, { name: 'd' }] },
    };
    expect(syncAppArmorAnnotations(pod)).toEqual([
      `metadata.annotations[${AA}c]: deprecated since v1.30; use the "appArmorProfile" field instead`,
      `metadata.annotations[${AA}d]: deprecated since v1.30; use the "appArmorProfile" field instead`,
    ]);
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'c',
          securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } },
        },
        { name: 'd' },
      ],
    });
    expect(appArmorProfileOf('localhost/')).toBeUndefined();
  });
});
