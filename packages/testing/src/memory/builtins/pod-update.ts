/**
 * The pod update rule (the spec part of kube-apiserver's `ValidatePodUpdate`): an update
 * keeps the containers (it may change their images), may lower or set
 * `activeDeadlineSeconds`, add tolerations (or change their `tolerationSeconds`) and remove
 * scheduling gates; a gated Pod may also add to its `nodeSelector` and node affinity terms.
 * Any other change is refused with the diff kube-apiserver appends (see `spec-diff.ts`).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, semanticEqual, str } from '../json.js';
import { forbiddenValue, invalidValue, required } from '../validation.js';
import { internalJson, internalSemanticEqual } from './go-internal-json.js';
import { imageSpaceCauses } from './pod-containers.js';
import { tolerationsCauses } from './pod-scheduling.js';
import { specDiff } from './spec-diff.js';

/** The internal type a Pod's spec is compared and quoted as. */
const POD_SPEC = 'core.PodSpec';

/** The first line of kube-apiserver's refusal of a pod spec change. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const objects = (v: Json | undefined): JsonObject[] => list(v).filter(isObject);

/** `ValidateContainerUpdates`: as many containers as before (else the check stops), each with an image. */
function containerUpdateCauses(
  next: Json | undefined,
  prev: Json | undefined,
  at: string,
): StatusCause[] | 'stop' {
  if (list(next).length !== list(prev).length) return 'stop';
  return objects(next).flatMap((c, i) =>
    str(c.image) === '' ? [required(`${at}[${i}].image`)] : imageSpaceCauses(c, `${at}[${i}]`),
  );
}

/** An update may set `activeDeadlineSeconds` or lower it, not raise or unset it. */
function deadlineCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const at = 'spec.activeDeadlineSeconds';
  const now = next.activeDeadlineSeconds;
  const before = prev.activeDeadlineSeconds;
  const set = (v: Json | undefined) => v !== undefined && v !== null;
  if (set(now)) {
    const n = Number(now);
    if (n < 0 || n > MAX_INT32) {
      return [invalidValue(at, n, `must be between 0 and ${MAX_INT32}, inclusive`)];
    }
    if (set(before) && Number(before) < n) {
      return [invalidValue(at, n, 'must be less than or equal to previous value')];
    }
  } else if (set(before)) {
    return [invalidValue(at, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

/** A toleration as Go compares it, without its `tolerationSeconds`. */
function tolerationKey(t: JsonObject): string {
  return JSON.stringify([str(t.key), str(t.operator), str(t.value), str(t.effect)]);
}

/** `validateOnlyAddedTolerations`: every stored toleration stays (its seconds may change). */
function tolerationUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const kept = new Set(objects(next.tolerations).map(tolerationKey));
  if (objects(prev.tolerations).some((t) => !kept.has(tolerationKey(t)))) {
    return [
      forbiddenValue(
        'spec.tolerations',
        'existing toleration can not be modified except its tolerationSeconds',
      ),
    ];
  }
  // kube-apiserver checks the new tolerations a second time here (the causes repeat).
  return tolerationsCauses(next.tolerations, 'spec.tolerations');
}

/**
 * `validateOnlyDeletedSchedulingGates`: no gate that was not there (kube-apiserver ranges
 * over a map of the new ones, so several come in no fixed order there).
 */
function gateUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const added = new Map<string, number>();
  list(next.schedulingGates).forEach((g, i) => {
    if (isObject(g)) added.set(str(g.name), i);
  });
  for (const g of objects(prev.schedulingGates)) added.delete(str(g.name));
  return [...added].map(([name, i]) =>
    forbiddenValue(
      `spec.schedulingGates[${i}].name`,
      `only deletion is allowed, but found new scheduling gate '${name}'`,
    ),
  );
}

const stringMap = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});

/** A gated Pod may add to its `nodeSelector`, neither change nor remove an entry. */
function nodeSelectorMutationCauses(next: Json | undefined, prev: Json | undefined) {
  const now = stringMap(next);
  const before = stringMap(prev);
  const kept = Object.entries(before).every(([k, v]) => k in now && now[k] === v);
  if (kept) return [];
  return [
    invalidValue(
      'spec.nodeSelector',
      internalJson(next, 'map[string]'),
      'only additions to spec.nodeSelector are allowed (no mutations or deletions)',
    ),
  ];
}

const nodeAffinityOf = (spec: JsonObject): JsonObject | undefined =>
  isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity)
    ? spec.affinity.nodeAffinity
    : undefined;

function termsOf(affinity: JsonObject | undefined): JsonObject[] | undefined {
  const req = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return isObject(req) ? objects(req.nodeSelectorTerms) : undefined;
}

/** Whether `next` keeps each requirement list of `prev` as its prefix (and adds none to an empty term). */
function onlyAdditions(next: JsonObject, prev: JsonObject): boolean {
  const lists = ['matchExpressions', 'matchFields'] as const;
  if (lists.every((k) => list(prev[k]).length === 0))
    return lists.every((k) => list(next[k]).length === 0);
  return lists.every((k) => {
    const before = list(prev[k]);
    return semanticEqual(list(next[k]).slice(0, before.length), before);
  });
}

/** A gated Pod may add requirements to its required node affinity terms, nothing else. */
function nodeAffinityMutationCauses(next: JsonObject | undefined, prev: JsonObject | undefined) {
  const at = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
  const before = termsOf(prev);
  if (!before) return [];
  const now = termsOf(next) ?? [];
  if (before.length > 0 && before.length !== now.length) {
    return [
      invalidValue(
        `${at}.nodeSelectorTerms`,
        internalJson(termsOf(next) ?? null, '[]core.NodeSelectorTerm'),
        'no additions/deletions to non-empty NodeSelectorTerms list are allowed',
      ),
    ];
  }
  return before.flatMap((term, i) =>
    onlyAdditions(now[i] as JsonObject, term)
      ? []
      : [
          invalidValue(
            `${at}.nodeSelectorTerms[${i}]`,
            internalJson(now[i], 'core.NodeSelectorTerm'),
            'only additions are allowed (no mutations or deletions)',
          ),
        ],
  );
}

/** What a gated Pod may change in its node selection is checked, then taken as unchanged. */
function gatedCauses(munged: JsonObject, prev: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!internalSemanticEqual(munged.nodeSelector, prev.nodeSelector, 'map[string]')) {
    causes.push(...nodeSelectorMutationCauses(munged.nodeSelector, prev.nodeSelector));
    setOrDelete(munged, 'nodeSelector', prev.nodeSelector);
  }
  const before = nodeAffinityOf(prev);
  const now = nodeAffinityOf(munged);
  if (internalSemanticEqual(before, now, '*core.NodeAffinity')) return causes;
  causes.push(...nodeAffinityMutationCauses(now, before));
  const affinity = isObject(munged.affinity) ? munged.affinity : undefined;
  if (!affinity) {
    if (before) munged.affinity = { nodeAffinity: before };
  } else if (!isObject(prev.affinity) && !affinity.podAffinity && !affinity.podAntiAffinity) {
    delete munged.affinity;
  } else setOrDelete(affinity, 'nodeAffinity', before);
  return causes;
}

function setOrDelete(o: JsonObject, key: string, v: Json | undefined): void {
  if (v === undefined) delete o[key];
  else o[key] = v;
}

/** The spec as the rule compares it: what an update may change taken from `prev`. */
function mungedSpec(next: JsonObject, prev: JsonObject): JsonObject {
  const out = structuredClone(next);
  for (const key of ['containers', 'initContainers']) {
    const before = list(prev[key]);
    objects(out[key]).forEach((c, i) => {
      setOrDelete(c, 'image', isObject(before[i]) ? before[i].image : undefined);
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations'])
    setOrDelete(out, key, prev[key]);
  return out;
}

/** The causes of a Pod update's spec changes (`next` and `prev` are the specs), in kube-apiserver's order. */
export function podUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of ['containers', 'initContainers']) {
    const own = containerUpdateCauses(next[key], prev[key], `spec.${key}`);
    if (own === 'stop') {
      causes.push(forbiddenValue(`spec.${key}`, 'pod updates may not add or remove containers'));
      return causes;
    }
    causes.push(...own);
  }
  const deadline = deadlineCauses(next, prev);
  causes.push(...deadline);
  // kube-apiserver stops at a deadline out of range or raised (not at one unset).
  if (deadline.length && next.activeDeadlineSeconds != null) return causes;
  causes.push(...tolerationUpdateCauses(next, prev));
  causes.push(...gateUpdateCauses(next, prev));
  // Compared as Go compares the internal specs (`equality.Semantic`): `[]` or `{}` against
  // nothing is no change.
  if (internalSemanticEqual(next, prev, POD_SPEC)) return causes;
  const munged = mungedSpec(next, prev);
  if (list(prev.schedulingGates).length) causes.push(...gatedCauses(munged, prev));
  if (!internalSemanticEqual(munged, prev, POD_SPEC)) {
    causes.push(
      forbiddenValue('spec', `${POD_UPDATE_FORBIDDEN}\n${specDiff(prev, munged, POD_SPEC)}`),
    );
  }
  return causes;
}
