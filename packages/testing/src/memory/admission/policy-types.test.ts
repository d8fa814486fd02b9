import { CelListOf, CelMapOf } from '@kube-ts/schema/validation';
import { describe, expect, it } from 'vitest';
import { celTypeOf } from './policy-types.js';
import { resourceType } from './resource-type.test-helper.js';

describe('celTypeOf', () => {
  it("types a built-in's lists of objects by their items, free-form objects as objects without fields", () => {
    const type = celTypeOf(resourceType('apps', 'Deployment'), 'v1');
    const spec = type?.spec as Record<string, unknown>;
    const template = spec.template as Record<string, Record<string, unknown>>;
    const containers = template.spec?.containers;
    expect(containers).toBeInstanceOf(CelListOf);
    expect((containers as CelListOf).item).toMatchObject({ name: 'string', image: 'string' });
    const meta = type?.metadata as Record<string, unknown>;
    expect((meta.managedFields as CelListOf).item).toMatchObject({ fieldsV1: {} });
  });

  it("types a CRD's maps of objects, free-form objects and untyped fields as Kubernetes' mapping does", () => {
    const type = celTypeOf(
      resourceType('example.com', 'Gadget', {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            properties: {
              byName: {
                type: 'object',
                additionalProperties: { type: 'object', properties: { n: { type: 'integer' } } },
              },
              open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              untyped: { 'x-kubernetes-preserve-unknown-fields': true },
              embedded: {
                type: 'object',
                'x-kubernetes-embedded-resource': true,
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      }),
      'v1',
    );
    expect(type?.spec).toEqual({
      byName: new CelMapOf({ n: 'int' }),
      open: {},
      embedded: {
        kind: 'string',
        apiVersion: 'string',
        metadata: { name: 'string', generateName: 'string' },
      },
    });
  });
});
