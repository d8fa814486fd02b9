import { checkCrd, problemToCause } from '@kube-ts/schema/validation';
import { conversionBundleError, conversionCauses, isEstablished } from './crd-conversion.js';
import type { StatusCause } from './errors.js';
import { isObject, type JsonObject, objAt, strAt } from './json.js';
import type { ResourceType } from './resource-types.js';

/** The CRD finalizer kube-apiserver adds so that deleting a CRD deletes its objects first. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * Server defaults of a new CRD, as kube-apiserver sets them: conversion strategy None,
 * names.singular/listKind, and a status with no conditions yet (they follow once the
 * names are accepted) and the storage version recorded.
 */
export function defaultCrd(crd: JsonObject): void {
  const spec = isObject(crd.spec) ? crd.spec : {};
  crd.spec = spec;
  if (!isObject(spec.conversion)) spec.conversion = { strategy: 'None' };
  const names = isObject(spec.names) ? spec.names : {};
  spec.names = names;
  const kind = strAt(names, 'kind') ?? '';
  if (!names.singular) names.singular = kind.toLowerCase();
  if (!names.listKind) names.listKind = `${kind}List`;
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const storage = versions.find((v) => isObject(v) && v.storage === true);
  const sv = isObject(storage) ? strAt(storage, 'name') : undefined;
  crd.status = {
    acceptedNames: { kind: '', plural: '' },
    conditions: null,
    storedVersions: sv ? [sv] : [],
  };
}

/**
 * Checks a CustomResourceDefinition like the apiextensions validation does (names,
 * versions, structural schemas, CEL rules that must compile, printer columns, selectable
 * fields): `@kube-ts/schema`'s `checkCrd`, as Status causes, then its conversion (`old`:
 * the stored CRD on an update).
 */
export function validateCrd(crd: JsonObject, old?: JsonObject): StatusCause[] {
  const causes = checkCrd(crd).map((p) => {
    const { reason, message, field } = problemToCause(p);
    return { reason, message, field };
  });
  return [...causes, ...conversionCauses(crd, old)];
}

/** The resource a (valid) CRD defines; served versions only, storage version first. */
export function resourceTypeOfCrd(crd: JsonObject): ResourceType {
  const spec = objAt(crd, 'spec');
  const names = objAt(spec, 'names');
  const kind = strAt(names, 'kind')!;
  const versions = (spec.versions as JsonObject[]).filter((v) => v.served !== false);
  versions.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  const storage = versions[0] ?? (spec.versions as JsonObject[])[0]!;
  const subs = objAt(storage, 'subresources');
  const scale = isObject(subs.scale) ? subs.scale : undefined;
  const schemas: Record<string, JsonObject> = {};
  for (const v of versions) {
    const s = objAt(v, 'schema').openAPIV3Schema;
    if (isObject(s)) schemas[strAt(v, 'name')!] = s;
  }
  const t: ResourceType = {
    group: strAt(spec, 'group')!,
    versions: versions.map((v) => strAt(v, 'name')!),
    kind,
    listKind: strAt(names, 'listKind') ?? `${kind}List`,
    plural: strAt(names, 'plural')!,
    singular: strAt(names, 'singular') ?? kind.toLowerCase(),
    namespaced: strAt(spec, 'scope') === 'Namespaced',
    shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
    categories: Array.isArray(names.categories) ? names.categories.map(String) : [],
    status: isObject(subs.status),
    generation: true,
    builtin: false,
    schemas,
    crdName: strAt(objAt(crd, 'metadata'), 'name')!,
  };
  if (!isEstablished(crd)) t.unlisted = true;
  if (scale) {
    t.scale = {
      specReplicasPath: strAt(scale, 'specReplicasPath') ?? '.spec.replicas',
      statusReplicasPath: strAt(scale, 'statusReplicasPath') ?? '.status.replicas',
    };
    const sel = strAt(scale, 'labelSelectorPath');
    if (sel) t.scale.labelSelectorPath = sel;
  }
  t.selectableFields = Object.fromEntries(
    versions.map((v) => [
      strAt(v, 'name')!,
      (Array.isArray(v.selectableFields) ? v.selectableFields : [])
        .map((f) => (isObject(f) ? (strAt(f, 'jsonPath') ?? '') : '').replace(/^\./, ''))
        .filter((f) => f !== ''),
    ]),
  );
  t.printerColumns = Object.fromEntries(
    versions.map((v) => [
      strAt(v, 'name')!,
      Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns.filter(isObject) : [],
    ]),
  );
  return t;
}

/** The `Established` reason of a CRD whose conversion `caBundle` is unusable. */
const INVALID_BUNDLE = 'InvalidCABundle';

/** A CRD condition, its members in kube-apiserver's order. */
const condition = (type: string, status: string, now: string, reason: string, message: string) => ({
  type,
  status,
  lastTransitionTime: now,
  reason,
  message,
});

/**
 * Whether kube-apiserver's establishing controller has yet to settle a CRD: it is not
 * established, and not held back by a conversion `caBundle` that is still unusable.
 */
export function awaitsEstablishing(crd: JsonObject): boolean {
  if (isEstablished(crd)) return false;
  const { conditions } = objAt(crd, 'status');
  const held = (Array.isArray(conditions) ? conditions : []).some(
    (c) => isObject(c) && c.type === 'Established' && c.reason === INVALID_BUNDLE,
  );
  return !held || conversionBundleError(crd) === undefined;
}

/**
 * The status kube-apiserver reports once a CRD's names are accepted: `Established`, or
 * not with the reason `InvalidCABundle` while its conversion webhook's `caBundle` holds no
 * root certificate (its establishing controller checks that bundle as the validation does).
 */
export function establishedStatus(crd: JsonObject, now: string): JsonObject {
  const spec = objAt(crd, 'spec');
  const names = { ...objAt(spec, 'names') };
  const kind = strAt(names, 'kind') ?? '';
  if (!names.singular) names.singular = kind.toLowerCase();
  if (!names.listKind) names.listKind = `${kind}List`;
  const storage = (Array.isArray(spec.versions) ? spec.versions : []).find(
    (v) => isObject(v) && v.storage === true,
  );
  const prev = objAt(crd, 'status');
  const stored = Array.isArray(prev.storedVersions) ? prev.storedVersions.map(String) : [];
  const sv = isObject(storage) ? strAt(storage, 'name') : undefined;
  if (sv && !stored.includes(sv)) stored.push(sv);
  const established =
    conversionBundleError(crd) === undefined
      ? condition(
          'Established',
          'True',
          now,
          'InitialNamesAccepted',
          'the initial names have been accepted',
        )
      : condition(
          'Established',
          'False',
          now,
          INVALID_BUNDLE,
          'The conversion webhook CABundle is invalid',
        );
  const accepted = (Array.isArray(prev.conditions) ? prev.conditions : []).find(
    (c) => isObject(c) && c.type === 'NamesAccepted' && c.status === 'True',
  );
  return {
    conditions: [
      accepted ?? condition('NamesAccepted', 'True', now, 'NoConflicts', 'no conflicts found'),
      established,
    ],
    acceptedNames: names,
    storedVersions: stored,
  };
}
