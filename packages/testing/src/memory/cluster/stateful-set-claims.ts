/**
 * The PersistentVolumeClaims of a StatefulSet's Pods, as kube-controller-manager's
 * StatefulSet controller keeps them: one per `volumeClaimTemplates` entry and ordinal,
 * `<template>-<set>-<ordinal>`, labelled with the template's labels and the set's
 * `matchLabels`, created before the Pod and mounted in it under the template's name; and
 * their ownerReferences as `persistentVolumeClaimRetentionPolicy` asks (`whenDeleted:
 * Delete`: the set as controller; `whenScaled: Delete`: the Pod, once scaled away), so the
 * garbage collector deletes them with their owner.
 */
import { type JsonObject, objAt, objects } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { createAs, ownerReference, PERSISTENT_VOLUME_CLAIMS, tableOf, updateAs } from './writes.js';

const MANAGER = 'kube-controller-manager';

/** A Pod as the claims see it: its name, and its uid once it exists. */
export interface ClaimPod {
  readonly name: string;
  readonly uid?: string;
}

function templatesOf(set: JsonObject): JsonObject[] {
  return objects(objAt(set, 'spec').volumeClaimTemplates);
}

function claimName(set: JsonObject, template: JsonObject, ordinal: number): string {
  return `${String(metaOf(template).name)}-${String(metaOf(set).name)}-${ordinal}`;
}

/** The claim a template gives the Pod of `ordinal` (not yet stored). */
function claimFor(set: JsonObject, template: JsonObject, ordinal: number): JsonObject {
  const claim = structuredClone(template);
  const meta = metaOf(claim);
  const matchLabels = objAt(objAt(objAt(set, 'spec'), 'selector'), 'matchLabels');
  meta.name = claimName(set, template, ordinal);
  meta.namespace = String(metaOf(set).namespace);
  meta.labels = { ...objAt(meta, 'labels'), ...matchLabels };
  claim.metadata = meta;
  return claim;
}

/**
 * The Pod's volumes: one per claim template (its claim, read-write), then the template's
 * other volumes.
 */
export function claimVolumes(set: JsonObject, ordinal: number, volumes: unknown): JsonObject[] {
  const templates = templatesOf(set);
  const names = new Set(templates.map((t) => String(metaOf(t).name)));
  return [
    ...templates.map((t) => ({
      name: String(metaOf(t).name),
      persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
    })),
    ...objects(Array.isArray(volumes) ? volumes : undefined).filter(
      (v) => !names.has(String(v.name)),
    ),
  ];
}

/** Creates the Pod's claims that do not exist yet; the names of those it created. */
export function createClaims(s: ApiState, set: JsonObject, ordinal: number): string[] {
  const namespace = String(metaOf(set).namespace);
  const created: string[] = [];
  for (const template of templatesOf(set)) {
    const name = claimName(set, template, ordinal);
    if (s.storage.get(tableOf(PERSISTENT_VOLUME_CLAIMS), objectKey(namespace, name))) continue;
    createAs(s, MANAGER, PERSISTENT_VOLUME_CLAIMS, namespace, claimFor(set, template, ordinal));
    created.push(name);
  }
  return created;
}

function refsOf(obj: JsonObject): JsonObject[] {
  return objects(metaOf(obj).ownerReferences);
}

/** Whether `ref` names the set (by kind and name, whatever its uid). */
function namesSet(ref: JsonObject, set: JsonObject): boolean {
  return (
    ref.apiVersion === 'apps/v1' && ref.kind === 'StatefulSet' && ref.name === metaOf(set).name
  );
}

/** Whether `ref` names the Pod (by kind and name, whatever its uid). */
function namesPod(ref: JsonObject, pod: ClaimPod): boolean {
  return ref.apiVersion === 'v1' && ref.kind === 'Pod' && ref.name === pod.name;
}

/**
 * The claim's ownerReferences under the set's retention policy, or undefined to leave them
 * (a reference to an earlier set or Pod of the same name: the garbage collector's work).
 */
function wantedRefs(
  claim: JsonObject,
  set: JsonObject,
  pod: ClaimPod,
  scaledDown: boolean,
): JsonObject[] | undefined {
  const refs = refsOf(claim);
  const setUid = metaOf(set).uid;
  if (
    refs.some(
      (r) =>
        (namesSet(r, set) && r.uid !== setUid) ||
        (pod.uid !== undefined && namesPod(r, pod) && r.uid !== pod.uid),
    )
  ) {
    return undefined;
  }
  const policy = objAt(objAt(set, 'spec'), 'persistentVolumeClaimRetentionPolicy');
  const deleteWithSet = policy.whenDeleted === 'Delete';
  const deleteScaled = policy.whenScaled === 'Delete';
  const kept = refs.filter((r) => !namesSet(r, set) && !namesPod(r, pod));
  // Another controller owns the claim: the retention policy is ignored for it.
  if ((deleteWithSet || deleteScaled) && kept.some((r) => r.controller === true)) return kept;
  if (deleteScaled && scaledDown && pod.uid !== undefined) {
    kept.push(
      ownerReference({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod.name, uid: pod.uid },
      }),
    );
  }
  if (deleteWithSet && !(deleteScaled && scaledDown)) kept.push(ownerReference(set));
  return kept;
}

/**
 * Brings the ownerReferences of the Pod's claims in line with the retention policy; whether
 * it changed any.
 */
export function syncClaimOwners(
  s: ApiState,
  set: JsonObject,
  ordinal: number,
  pod: ClaimPod,
  scaledDown: boolean,
): boolean {
  let changed = false;
  const namespace = String(metaOf(set).namespace);
  for (const template of templatesOf(set)) {
    const name = claimName(set, template, ordinal);
    const claim = s.storage.get(tableOf(PERSISTENT_VOLUME_CLAIMS), objectKey(namespace, name));
    if (claim === undefined) continue;
    const refs = wantedRefs(claim, set, pod, scaledDown);
    if (refs === undefined) continue;
    const updated = updateAs(s, MANAGER, PERSISTENT_VOLUME_CLAIMS, claim, (copy) => {
      const meta = metaOf(copy);
      if (refs.length > 0) meta.ownerReferences = refs;
      else delete meta.ownerReferences;
      copy.metadata = meta;
    });
    changed ||= updated !== claim;
  }
  return changed;
}
