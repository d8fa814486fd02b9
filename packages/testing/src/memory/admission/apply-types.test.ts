import { describe, expect, it } from 'vitest';
import { applyTypeProblem } from './apply-types.js';

const HEAD = 'error applying patch: failed to convert patch object to typed object: ';

describe('applyTypeProblem', () => {
  it('accepts what the kind declares, with scalars of their types', () => {
    expect(
      applyTypeProblem('apps', 'v1', 'Deployment', {
        metadata: { labels: { a: 'b' } },
        spec: { replicas: 2, paused: false },
      }),
    ).toBeUndefined();
  });

  it('refuses an undeclared field and a scalar of the wrong type, with its path', () => {
    expect(applyTypeProblem('apps', 'v1', 'Deployment', { spec: { replica: 2 } })).toBe(
      `${HEAD}.spec.replica: field not declared in schema`,
    );
    expect(applyTypeProblem('', 'v1', 'ConfigMap', { data: { a: true } })).toBe(
      `${HEAD}.data.a: expected string, got &value.valueUnstructured{Value:true}`,
    );
    expect(applyTypeProblem('apps', 'v1', 'Deployment', { spec: { replicas: 'x' } })).toBe(
      `${HEAD}.spec.replicas: expected numeric (int or float), got string`,
    );
  });

  it('knows nothing of kinds without a table type', () => {
    expect(applyTypeProblem('example.com', 'v1', 'Gadget', { nope: 1 })).toBeUndefined();
  });
});
