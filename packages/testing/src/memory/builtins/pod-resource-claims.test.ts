import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import type { Json } from '../json.js';
import {
  containerClaimCauses,
  podClaimNames,
  podResourceClaimCauses,
  resourceClaimStatusCauses,
} from './pod-resource-claims.js';

const lines = (cs: StatusCause[]) => cs.map((c) => `${c.field}: ${c.message}`);

describe('pod resource claims', () => {
  test("a static Pod's mirror gets one refusal per claim, whatever the claim", () => {
    const mirror = { annotations: { 'kubernetes.io/config.mirror': '' } };
    const claims: Json = [{ name: 'a', resourceClaimName: 'x' }, { name: 'a' }];
    expect(lines(podResourceClaimCauses(claims, 'spec.resourceClaims', mirror))).toEqual([
      '[]: Forbidden: static pods do not support resource claims',
      '[]: Forbidden: static pods do not support resource claims',
    ]);
  });

  test('a claim names one source; names are unique labels', () => {
    const claims: Json = [
      { name: 'a', resourceClaimName: 'x' },
      { name: 'a', resourceClaimTemplateName: 't' },
      { name: 'b' },
    ];
    expect(lines(podResourceClaimCauses(claims, 'spec.resourceClaims'))).toEqual([
      'spec.resourceClaims[1].name: Duplicate value: "a"',
      'spec.resourceClaims[2]: Invalid value: {"Name":"b","ResourceClaimName":null,"ResourceClaimTemplateName":null}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`',
    ]);
    expect([...podClaimNames([{ name: '' }, { name: 'a' }])]).toEqual(['a']);
  });

  test('a container names pod claims once, a whole claim not after one of its requests', () => {
    const claims: Json = [{ name: 'a', request: 'r' }, { name: 'a' }, { name: 'c' }];
    expect(lines(containerClaimCauses(claims, new Set(['a', 'b']), 'c'))).toEqual([
      'c[1]: Duplicate value: "a"',
      'c[2]: Not found: "c": must be one of the names in pod.spec.resourceClaims: a, b',
    ]);
  });

  test('statuses name claims of the spec, once', () => {
    const statuses: Json = [{ name: 'a' }, { name: 'a', resourceClaimName: 'x' }, { name: 'z' }];
    expect(lines(resourceClaimStatusCauses(statuses, [{ name: 'a' }], 's'))).toEqual([
      's[1].name: Duplicate value: "a"',
      's[2].name: Invalid value: "z": must match the name of an entry in `spec.resourceClaims`',
    ]);
  });
});
