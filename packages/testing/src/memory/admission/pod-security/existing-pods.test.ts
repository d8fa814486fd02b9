import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../json.js';
import { existingPodWarnings } from './existing-pods.js';

const BASELINE = { level: 'baseline', version: 'latest' } as const;
const pod = (name: string, privileged: boolean, controller?: string): JsonObject => ({
  metadata: {
    name,
    ...(controller ? { ownerReferences: [{ uid: controller, controller: true }] } : {}),
  },
  spec: { containers: [{ name: 'c', securityContext: { privileged } }] },
});
const HEADING =
  'existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:latest"';

describe('existingPodWarnings', () => {
  it('groups the Pods by reasons under their lexically first name', () => {
    const pods = [pod('b', true), pod('a', true), pod('c', false), pod('d', true)];
    expect(existingPodWarnings('ns', BASELINE, pods)).toEqual([
      HEADING,
      'a (and 2 other pods): privileged',
    ]);
    expect(existingPodWarnings('ns', BASELINE, pods.slice(0, 2))).toEqual([
      HEADING,
      'a (and 1 other pod): privileged',
    ]);
    expect(existingPodWarnings('ns', BASELINE, [pod('x', true)])).toEqual([
      HEADING,
      'x: privileged',
    ]);
  });

  it('gives nothing when every Pod is allowed', () => {
    expect(existingPodWarnings('ns', BASELINE, [pod('a', false)])).toEqual([]);
  });

  it('checks one Pod of each controller first, and says how many it checked', () => {
    const pods = [pod('a', false, 'u1'), pod('b', true, 'u1'), pod('c', false, 'u2')];
    expect(existingPodWarnings('ns', BASELINE, pods, 2)).toEqual([
      'new PodSecurity enforce level only checked against the first 2 of 3 existing pods',
    ]);
    expect(existingPodWarnings('ns', BASELINE, pods, 3)).toEqual([HEADING, 'b: privileged']);
  });
});
