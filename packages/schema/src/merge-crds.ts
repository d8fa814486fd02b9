import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { ResourceDefinitionError } from './definition-error.js';
import { renderCrd } from './render-crd.js';
import type { ResourceDefinition } from './resource-types.js';
import { checkStructural, type StructuralProblem } from './structural.js';

const SHARED = ['group', 'kind', 'plural', 'singular', 'scope'] as const;

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function pickStorage(
  defs: readonly ResourceDefinition[],
  out: StructuralProblem[],
): ResourceDefinition | undefined {
  const marked = defs.filter((d) => d.options.storage === true);
  if (marked.length > 1) {
    out.push({
      field: 'storage',
      message: `versions ${marked.map((d) => d.version).join(', ')} are all marked storage: true; exactly one version must be the storage version`,
    });
    return undefined;
  }
  if (marked.length === 1) return marked[0];
  if (defs.length === 1) return defs[0];
  out.push({
    field: 'storage',
    message: `no version is marked storage: true among ${defs.map((d) => d.version).join(', ')}; mark exactly one (storage is ambiguous)`,
  });
  return undefined;
}

/**
 * Combines the definitions of several versions of one kind into one CRD.
 *
 * Guarantees: every definition must share group, kind, plural, singular, scope,
 * shortNames and categories; version names are unique; exactly one version is the
 * storage version (the one with `storage: true`, or the only definition); `served`
 * comes from each definition (default `true`) and at least one version is served; every
 * version's schema is structural. Otherwise a {@link ResourceDefinitionError} lists
 * each problem with the field and the rule.
 *
 * @throws ResourceDefinitionError when the versions cannot form one CRD.
 */
export function mergeCrds(defs: readonly ResourceDefinition[]): CustomResourceDefinition {
  const first = defs[0];
  if (first === undefined) {
    throw new ResourceDefinitionError('(none)', [
      { field: 'defs', message: 'mergeCrds needs at least one resource definition' },
    ]);
  }
  const problems: StructuralProblem[] = [];
  const seen = new Set<string>();
  defs.forEach((d, i) => {
    for (const key of SHARED) {
      if (d.options[key] !== first.options[key]) {
        problems.push({
          field: `defs[${i}].${key}`,
          message: `${JSON.stringify(d.options[key])} differs from ${JSON.stringify(first.options[key])}: all versions of one CRD must share it`,
        });
      }
    }
    for (const key of ['shortNames', 'categories'] as const) {
      if (!sameList(d.options[key], first.options[key])) {
        problems.push({
          field: `defs[${i}].${key}`,
          message: 'differs from the first definition: all versions of one CRD must share it',
        });
      }
    }
    if (seen.has(d.version)) {
      problems.push({
        field: `defs[${i}].version`,
        message: `${JSON.stringify(d.version)} is a duplicate version`,
      });
    }
    seen.add(d.version);
    for (const p of checkStructural(d.schema, `versions[${i}].schema.openAPIV3Schema`))
      problems.push(p);
  });
  const storage = pickStorage(defs, problems);
  const versions = defs.map((d) => ({
    ...d.crdVersion(),
    storage: d === storage,
    served: d.options.served ?? true,
  }));
  if (!versions.some((v) => v.served)) {
    problems.push({
      field: 'served',
      message: 'no version is served; at least one version must have served: true',
    });
  }
  if (problems.length > 0 || storage === undefined) {
    throw new ResourceDefinitionError(`${first.kind}.${first.group}`, problems);
  }
  return renderCrd(storage.options, versions);
}
