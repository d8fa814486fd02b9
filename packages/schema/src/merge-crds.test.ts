import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { defineResource } from './define-resource.js';
import { ResourceDefinitionError } from './definition-error.js';
import { mergeCrds } from './merge-crds.js';
import type { ResourceOptions } from './resource-types.js';

const version = (
  name: string,
  extra: Partial<ResourceOptions<ReturnType<typeof Type.Object>, undefined>> = {},
) =>
  defineResource({
    group: 'example.com',
    version: name,
    kind: 'Widget',
    scope: 'Namespaced',
    spec: Type.Object({ size: Type.Integer() }),
    ...extra,
  });

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ResourceDefinitionError);
    return (e as ResourceDefinitionError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected a ResourceDefinitionError');
}

describe('mergeCrds', () => {
  it('combines versions with one storage version and served flags', () => {
    const crd = mergeCrds([
      version('v1alpha1', { served: false }),
      version('v1', { storage: true }),
      version('v2'),
    ]);
    expect(crd.metadata?.name).toBe('widgets.example.com');
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1alpha1', false, false],
      ['v1', true, true],
      ['v2', true, false],
    ]);
    expect(
      crd.spec.versions[2]?.schema?.openAPIV3Schema?.properties?.spec?.properties?.size,
    ).toEqual({ type: 'integer' });
  });

  it('uses the only definition as storage', () => {
    expect(mergeCrds([version('v1')]).spec.versions[0]?.storage).toBe(true);
  });

  it('rejects ambiguous storage', () => {
    expect(problemsOf(() => mergeCrds([version('v1'), version('v2')]))[0]).toMatch(
      /^storage: no version is marked storage: true/,
    );
    expect(
      problemsOf(() =>
        mergeCrds([version('v1', { storage: true }), version('v2', { storage: true })]),
      )[0],
    ).toMatch(/^storage: versions v1, v2 are all marked/);
  });

  it('rejects duplicate versions, mismatched names or scope, and no served version', () => {
    const problems = problemsOf(() =>
      mergeCrds([
        version('v1', { storage: true, served: false }),
        version('v1', { served: false, scope: 'Cluster', shortNames: ['w'] }),
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^defs\[1\]\.scope: "Cluster" differs/),
        expect.stringMatching(/^defs\[1\]\.shortNames: differs/),
        expect.stringMatching(/^defs\[1\]\.version: "v1" is a duplicate version/),
        expect.stringMatching(/^served: no version is served/),
      ]),
    );
  });

  it('rejects a version whose schema is not structural', () => {
    const broken = version('v2');
    const tampered = { ...broken, schema: { ...broken.schema, properties: { spec: {} } } };
    expect(
      problemsOf(() => mergeCrds([version('v1', { storage: true }), tampered])),
    ).toContainEqual(
      expect.stringMatching(
        /^versions\[1\]\.schema\.openAPIV3Schema\.properties\[spec\]\.type: Required value/,
      ),
    );
  });

  it('rejects an empty list', () => {
    expect(problemsOf(() => mergeCrds([]))[0]).toMatch(/at least one/);
  });
});
