import { describe, expect, it } from 'vitest';
import { checkCrd } from './check-crd.js';
import { Widget } from './fixtures/widget.test-helper.js';
import { mergeCrds } from './merge-crds.js';

const fieldsOf = (crd: unknown) => checkCrd(crd).map((p) => p.field);

describe('checkCrd', () => {
  it('accepts the CRDs defineResource and mergeCrds render', () => {
    expect(checkCrd(Widget.crd())).toEqual([]);
    expect(checkCrd(mergeCrds([Widget]))).toEqual([]);
  });

  it('reports names, scope and versions the API server rejects', () => {
    const crd = structuredClone(Widget.crd());
    crd.metadata!.name = 'widgets.other.com';
    crd.spec.names.plural = 'Widgets';
    crd.spec.names.listKind = 'Widget';
    crd.spec.names.shortNames = ['W'];
    crd.spec.scope = 'Global' as never;
    crd.spec.versions.push({ ...crd.spec.versions[0]!, schema: {} as never });
    const problems = checkCrd(crd);
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([
        'metadata.name',
        'spec.names.plural',
        'spec.names.listKind',
        'spec.names.shortNames[0]',
        'spec.scope',
        'spec.versions',
        'spec.versions[1].schema.openAPIV3Schema',
      ]),
    );
    expect(problems.find((p) => p.field === 'metadata.name')?.message).toBe(
      'Invalid value: "widgets.other.com": must be spec.names.plural+"."+spec.group',
    );
    expect(problems.find((p) => p.field === 'spec.names.listKind')?.message).toContain(
      'kind and listKind may not be the same',
    );
    expect(problems.filter((p) => p.field === 'spec.versions').map((p) => p.message)).toEqual([
      'Invalid value: must contain unique version names',
      'Invalid value: must have exactly one version marked as storage version',
    ]);
  });

  it('reports schema problems where the server does: once when all versions share the schema', () => {
    const crd = structuredClone(Widget.crd());
    const spec = crd.spec.versions[0]!.schema!.openAPIV3Schema!.properties!.spec!;
    delete spec.properties!.replicas!.type;
    const field = 'properties[spec].properties[replicas].type';
    expect(fieldsOf(crd)).toEqual([`spec.validation.openAPIV3Schema.${field}`]);
    crd.spec.versions.push({
      ...structuredClone(crd.spec.versions[0]!),
      name: 'v2',
      storage: false,
    });
    expect(fieldsOf(crd)).toEqual([`spec.validation.openAPIV3Schema.${field}`]);
    crd.spec.versions[1]!.schema!.openAPIV3Schema!.description = 'different';
    expect(fieldsOf(crd)).toEqual([
      `spec.versions[0].schema.openAPIV3Schema.${field}`,
      `spec.versions[1].schema.openAPIV3Schema.${field}`,
    ]);
  });

  it('reports a group without a dot, an empty CRD, and bad columns and selectable fields', () => {
    expect(fieldsOf({})).toEqual(
      expect.arrayContaining([
        'metadata.name',
        'spec.group',
        'spec.names.plural',
        'spec.names.kind',
        'spec.scope',
        'spec.versions',
      ]),
    );
    const crd = structuredClone(Widget.crd());
    crd.spec.group = 'example';
    crd.metadata!.name = 'widgets.example';
    crd.spec.versions[0]!.additionalPrinterColumns = [
      { name: 'x', type: 'text' as never, jsonPath: '.spec.x' },
    ];
    crd.spec.versions[0]!.selectableFields = [
      { jsonPath: '.spec.labels' },
      { jsonPath: '.metadata.name' },
      { jsonPath: '.spec.nothing' },
    ];
    const problems = checkCrd(crd);
    expect(problems.find((p) => p.field === 'spec.group')?.message).toContain(
      'should be a domain with at least one dot',
    );
    expect(
      problems.find((p) => p.field === 'spec.versions[0].additionalPrinterColumns[0].type')
        ?.message,
    ).toContain('must be one of boolean,date,integer,number,string');
    // One version (so every version has the same): reported once, under spec.selectableFields.
    expect(
      problems.find((p) => p.field === 'spec.selectableFields[0].jsonPath')?.message,
    ).toContain('must point to a field of type string, boolean or integer');
    expect(
      problems.find((p) => p.field === 'spec.selectableFields[1].jsonPath')?.message,
    ).toContain('must not point to fields in metadata');
    expect(problems.find((p) => p.field === 'spec.selectableFields[2].jsonPath')?.message).toBe(
      'Invalid value: ".spec.nothing": is an invalid path: does not refer to a valid field',
    );
  });
});
