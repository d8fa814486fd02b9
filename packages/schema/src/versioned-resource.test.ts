import { Type } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineResource } from './define-resource.js';
import { ResourceDefinitionError } from './definition-error.js';
import { Gizmo } from './fixtures/gizmo.test-helper.js';
import type { ResourceOf } from './resource-types.js';

const alpha = {
  apiVersion: 'example.com/v1alpha1',
  kind: 'Gizmo',
  metadata: { name: 'g', namespace: 'default', uid: 'u1', labels: { a: 'b' } },
  spec: { size: '3' },
};

describe('defineResource with several versions', () => {
  it('is the storage version definition, with one definition per version', () => {
    expect(Gizmo.version).toBe('v1');
    expect(Gizmo.storageVersion).toBe('v1');
    expect(Gizmo.apiVersion).toBe('example.com/v1');
    expect(Gizmo.versions.v1alpha1.apiVersion).toBe('example.com/v1alpha1');
    expect(Gizmo.versions.v1alpha1.plural).toBe('gizmos');
    expectTypeOf<ResourceOf<typeof Gizmo>['spec']['replicas']>().toEqualTypeOf<number>();
    expectTypeOf<
      ResourceOf<typeof Gizmo.versions.v1alpha1>['spec']['size']
    >().toEqualTypeOf<string>();
    expect(Gizmo.versions.v1alpha1.validate(alpha).valid).toBe(true);
    expect(Gizmo.validate(alpha).valid).toBe(false);
  });

  it('converts through the storage version, keeping metadata except labels and annotations', () => {
    const v1 = Gizmo.convert(alpha, 'example.com/v1');
    expect(v1).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: alpha.metadata,
      spec: { replicas: 3, tier: 'standard' },
    });
    expect(Gizmo.convert(v1, 'example.com/v1alpha1')).toEqual({
      ...alpha,
      spec: { size: '3', tier: 'standard' },
    });
    const same = Gizmo.convert(alpha, 'example.com/v1alpha1');
    expect(same).toEqual(alpha);
    expect(same).not.toBe(alpha);
  });

  it('says which versions exist when asked for another, and wraps converter errors', () => {
    expect(() => Gizmo.convert(alpha, 'example.com/v2')).toThrow(
      /cannot convert apiVersion "example.com\/v2"; this resource has example.com\/v1alpha1, example.com\/v1/,
    );
    expect(() => Gizmo.convert({ ...alpha, kind: 'Other' }, 'example.com/v1')).toThrow(
      /kind "Other"/,
    );
    const Broken = defineResource({
      group: 'example.com',
      kind: 'Broken',
      scope: 'Cluster',
      versions: { v1: { spec: Type.Object({}) }, v2: { spec: Type.Object({}) } },
      storage: 'v2',
      conversion: {
        v1: {
          toStorage: () => {
            throw new Error('no way');
          },
          fromStorage: (o) => o,
        },
      },
    });
    expect(() =>
      Broken.convert(
        { apiVersion: 'example.com/v1', kind: 'Broken', metadata: {} },
        'example.com/v2',
      ),
    ).toThrow('Broken.example.com: converting v1 to v2 failed: no way');
  });

  it('renders every version with conversion None, or Webhook with a client config', () => {
    const none = Gizmo.crd();
    expect(none.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1alpha1', true, false],
      ['v1', true, true],
    ]);
    expect(none.spec.conversion).toEqual({ strategy: 'None' });
    const hook = Gizmo.crd({
      service: { namespace: 'ops', name: 'gizmo-webhook', path: '/convert' },
      caBundle: 'Q0E=',
    });
    expect(hook.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1'],
        clientConfig: {
          service: { namespace: 'ops', name: 'gizmo-webhook', path: '/convert' },
          caBundle: 'Q0E=',
        },
      },
    });
  });

  it('reports a missing storage version and missing or extra converters at once', () => {
    let err: unknown;
    try {
      // @ts-expect-error: v2 has no converter, v9 is not a version
      defineResource({
        group: 'example.com',
        kind: 'Bad',
        scope: 'Cluster',
        versions: { v1: { spec: Type.Object({}) }, v2: { spec: Type.Object({}) } },
        storage: 'v3' as 'v1',
        conversion: { v9: { toStorage: (o: unknown) => o, fromStorage: (o: unknown) => o } },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceDefinitionError);
    const message = (err as Error).message;
    expect(message).toContain('"v3" is not one of the versions (v1, v2)');
    expect(message).toContain('version v2 needs a converter with toStorage and fromStorage');
    expect(message).toContain('v9 is not one of the versions');
  });
});
