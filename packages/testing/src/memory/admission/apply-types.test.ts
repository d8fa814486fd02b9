import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { applyTypeProblem } from './apply-types.js';
import { resourceType as resource } from './resource-type.test-helper.js';

const HEAD = 'error applying patch: failed to convert patch object to typed object: ';

const deployment = resource('apps', 'Deployment');
const configMap = resource('', 'ConfigMap');

describe('applyTypeProblem', () => {
  it('accepts what the kind declares, with scalars of their types', () => {
    expect(
      applyTypeProblem(deployment, 'v1', {
        metadata: { labels: { a: 'b' } },
        spec: { replicas: 2, paused: false },
      }),
    ).toBeUndefined();
  });

  it('refuses an undeclared field and a scalar of the wrong type, with its path', () => {
    expect(applyTypeProblem(deployment, 'v1', { spec: { replica: 2 } })).toBe(
      `${HEAD}.spec.replica: field not declared in schema`,
    );
    expect(applyTypeProblem(configMap, 'v1', { data: { a: true } })).toBe(
      `${HEAD}.data.a: expected string, got &value.valueUnstructured{Value:true}`,
    );
    expect(applyTypeProblem(deployment, 'v1', { spec: { replicas: 'x' } })).toBe(
      `${HEAD}.spec.replicas: expected numeric (int or float), got string`,
    );
  });

  it('refuses another scalar for a boolean, and lists several problems', () => {
    expect(applyTypeProblem(configMap, 'v1', { immutable: 1 })).toBe(
      `${HEAD}.immutable: expected boolean, got &{1}`,
    );
    expect(applyTypeProblem(configMap, 'v1', { data: { a: 1, b: 2 }, immutable: 'x' })).toBe(
      `${HEAD}errors:\n  .data.a: expected string, got &value.valueUnstructured{Value:1}\n  .data.b: expected string, got &value.valueUnstructured{Value:2}\n  .immutable: expected boolean, got &{x}`,
    );
    // A map's visit stops at its first undeclared field.
    expect(applyTypeProblem(deployment, 'v1', { spec: { nope: 1, other: 2, replicas: 'x' } })).toBe(
      `${HEAD}.spec.nope: field not declared in schema`,
    );
  });

  it('names list items as structured-merge-diff does: by keys, by value, by index', () => {
    const pod = (containers: JsonObject[]) => ({ spec: { template: { spec: { containers } } } });
    expect(applyTypeProblem(deployment, 'v1', pod([{ name: 'app', imagee: 'x' }]))).toBe(
      `${HEAD}.spec.template.spec.containers[name="app"].imagee: field not declared in schema`,
    );
    expect(
      applyTypeProblem(deployment, 'v1', pod([{ name: 'app', ports: [{ containerPort: 'x' }] }])),
    ).toBe(
      `${HEAD}.spec.template.spec.containers[name="app"].ports[containerPort="x",protocol="TCP"].containerPort: expected numeric (int or float), got string`,
    );
    expect(applyTypeProblem(deployment, 'v1', pod([{ name: 'a', args: ['x', 1] }]))).toBe(
      `${HEAD}.spec.template.spec.containers[name="a"].args[1]: expected string, got &value.valueUnstructured{Value:1}`,
    );
  });

  it('types a custom resource by its schema, metadata as an ObjectMeta', () => {
    const gadget = resource('example.com', 'Gadget', {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            byName: { type: 'object', additionalProperties: { type: 'string' } },
            entries: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['id'],
              items: { type: 'object', properties: { id: { type: 'string' } } },
            },
            open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            size: { type: 'integer' },
          },
        },
      },
    });
    expect(
      applyTypeProblem(gadget, 'v1', {
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        metadata: { name: 'a' },
        spec: { size: 1, open: { x: 1 }, byName: { a: 'b' } },
      }),
    ).toBeUndefined();
    expect(applyTypeProblem(gadget, 'v1', { spec: { nope: 1 } })).toBe(
      `${HEAD}.spec.nope: field not declared in schema`,
    );
    expect(applyTypeProblem(gadget, 'v1', { spec: { byName: { a: 1 } } })).toBe(
      `${HEAD}.spec.byName.a: expected string, got &value.valueUnstructured{Value:1}`,
    );
    expect(applyTypeProblem(gadget, 'v1', { spec: { entries: [{ id: 'a', n: 1 }] } })).toBe(
      `${HEAD}.spec.entries[id="a"].n: field not declared in schema`,
    );
    expect(applyTypeProblem(gadget, 'v1', { spec: { entries: [{}] } })).toBe(
      `${HEAD}.spec.entries: element 0: associative list with keys has an element that omits all key fields ["id"] (and doesn't have default values for any key fields)`,
    );
    expect(applyTypeProblem(gadget, 'v1', { metadata: { nope: 'x' } })).toBe(
      `${HEAD}.metadata.nope: field not declared in schema`,
    );
  });
});
