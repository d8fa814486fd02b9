/**
 * A Node's deprecated scheduling annotations, which kube-apiserver still checks
 * (`ValidateNodeSpecificAnnotations`): `scheduler.alpha.kubernetes.io/taints` is decoded
 * with Go's encoding/json into the internal `[]core.Taint` (no JSON tags: member names
 * match the Go fields' case-insensitively), `scheduler.alpha.kubernetes.io/preferAvoidPods`
 * into `v1.AvoidPods`, and a text that does not decode is refused with Go's error. Own code
 * because those errors are what a client sees: the decoder below knows only the types of
 * these two annotations.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, jsonWord } from '../json.js';
import { goJsonSyntaxError } from '../json-scan.js';
import { invalidValue, required } from '../validation.js';
import { parseGoTime } from './times.js';

/** The Go types the annotations decode into. */
type GoType =
  | { kind: 'string' | 'bool' | 'time'; name: string }
  | { kind: 'slice'; name: string; of: GoType }
  | { kind: 'struct'; name: string; fields: Record<string, GoType> };

const STRING: GoType = { kind: 'string', name: 'string' };
const TIME: GoType = { kind: 'time', name: 'v1.Time' };
const struct = (name: string, fields: Record<string, GoType>): GoType => ({
  kind: 'struct',
  name,
  fields,
});

const TAINT = struct('core.Taint', {
  Key: STRING,
  Value: STRING,
  Effect: STRING,
  TimeAdded: TIME,
});
const TAINTS: GoType = { kind: 'slice', name: '[]core.Taint', of: TAINT };
const OWNER_REFERENCE = struct('v1.OwnerReference', {
  apiVersion: STRING,
  kind: STRING,
  name: STRING,
  uid: { kind: 'string', name: 'types.UID' },
  controller: { kind: 'bool', name: 'bool' },
  blockOwnerDeletion: { kind: 'bool', name: 'bool' },
});
const ENTRY = struct('v1.PreferAvoidPodsEntry', {
  podSignature: struct('v1.PodSignature', { podController: OWNER_REFERENCE }),
  evictionTime: TIME,
  reason: STRING,
  message: STRING,
});
const AVOID_PODS = struct('v1.AvoidPods', {
  preferAvoidPods: { kind: 'slice', name: '[]v1.PreferAvoidPodsEntry', of: ENTRY },
});

/** Where the decoder is: the innermost struct and the field names from the root. */
interface Context {
  struct?: string;
  fields: string[];
}

/** An error of a type with its own decoding (a time): it stops decoding at once. */
class Stop {
  constructor(readonly message: string) {}
}

/** A mismatch as Go's UnmarshalTypeError words it, with its context. */
function mismatch(word: string, type: string, ctx: Context): string {
  if (ctx.struct === undefined)
    return `json: cannot unmarshal ${word} into Go value of type ${type}`;
  const field = ctx.fields.join('.');
  return `json: cannot unmarshal ${word} into Go struct field ${ctx.struct}.${field} of type ${type}`;
}

/**
 * Decodes `v` into `type` as encoding/json does: a mismatch is remembered (the first one
 * is the error) and decoding goes on; members are matched to fields case-insensitively
 * (the last one wins) and unknown members ignored. Returns the decoded value with the
 * fields' names as keys (null for a null or mismatched value).
 */
function decode(v: Json, type: GoType, ctx: Context, errors: string[]): Json {
  if (v === null) return null;
  switch (type.kind) {
    case 'string':
    case 'bool':
      if (typeof v === (type.kind === 'string' ? 'string' : 'boolean')) return v;
      errors.push(mismatch(jsonWord(v), type.name, ctx));
      return null;
    case 'time': {
      // metav1.Time decodes a string itself: its errors stop decoding.
      if (typeof v !== 'string') throw new Stop(mismatch(jsonWord(v), 'string', ctx));
      const t = parseGoTime('Time', v);
      if (typeof t === 'string') throw new Stop(t);
      return v;
    }
    case 'slice':
      if (!Array.isArray(v)) {
        errors.push(mismatch(jsonWord(v), type.name, ctx));
        return null;
      }
      return v.map((item) => decode(item, type.of, ctx, errors));
    case 'struct': {
      if (!isObject(v)) {
        errors.push(mismatch(jsonWord(v), type.name, ctx));
        return null;
      }
      const out: JsonObject = {};
      const struct = type.name.slice(type.name.indexOf('.') + 1);
      for (const [member, value] of Object.entries(v)) {
        const field = Object.keys(type.fields).find(
          (f) => f.toLowerCase() === member.toLowerCase(),
        );
        if (field === undefined) continue;
        const inner = { struct, fields: [...ctx.fields, field] };
        out[field] = decode(value, type.fields[field]!, inner, errors);
      }
      return out;
    }
  }
}

/** The annotation's text decoded into `type`, or Go's error. */
function decodeText(text: string, type: GoType): { value: Json } | { error: string } {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    return { error: goJsonSyntaxError(text) ?? 'unexpected end of JSON input' };
  }
  const errors: string[] = [];
  try {
    const value = decode(parsed, type, { fields: [] }, errors);
    return errors.length ? { error: errors[0]! } : { value };
  } catch (e) {
    if (e instanceof Stop) return { error: e.message };
    throw e;
  }
}

export const TAINTS_ANNOTATION = 'scheduler.alpha.kubernetes.io/taints';
const AVOID_PODS_ANNOTATION = 'scheduler.alpha.kubernetes.io/preferAvoidPods';

const annotation = (annotations: Json | undefined, key: string): string => {
  const v = isObject(annotations) ? annotations[key] : undefined;
  return typeof v === 'string' ? v : '';
};

/**
 * The taints of the taints annotation, with `key`, `value` and `effect` as `spec.taints`
 * name them, or the cause of a text that does not decode; none when it is absent or empty.
 */
export function annotationTaints(
  annotations: Json | undefined,
): { taints: JsonObject[] } | { cause: StatusCause } {
  const text = annotation(annotations, TAINTS_ANNOTATION);
  if (text === '') return { taints: [] };
  const decoded = decodeText(text, TAINTS);
  if ('error' in decoded) {
    return { cause: invalidValue('metadata.annotations', TAINTS_ANNOTATION, decoded.error) };
  }
  const items = Array.isArray(decoded.value) ? decoded.value : [];
  const taints = items.map((t) => {
    const o = isObject(t) ? t : {};
    return { key: o.Key ?? '', value: o.Value ?? '', effect: o.Effect ?? '' };
  });
  return { taints };
}

/** The causes of the preferAvoidPods annotation (`ValidateAvoidPodsInNodeAnnotations`). */
export function avoidPodsCauses(annotations: Json | undefined): StatusCause[] {
  const text = annotation(annotations, AVOID_PODS_ANNOTATION);
  if (text === '') return [];
  const decoded = decodeText(text, AVOID_PODS);
  if ('error' in decoded) {
    return [invalidValue('metadata.annotations.AvoidPods', AVOID_PODS_ANNOTATION, decoded.error)];
  }
  const avoids = isObject(decoded.value) ? decoded.value : {};
  const entries = Array.isArray(avoids.preferAvoidPods) ? avoids.preferAvoidPods : [];
  return entries.flatMap((entry, i): StatusCause[] => {
    const at = `metadata.annotations.${AVOID_PODS_ANNOTATION}[${i}].PodSignature`;
    const signature = isObject(entry) && isObject(entry.podSignature) ? entry.podSignature : {};
    const controller = signature.podController;
    if (!isObject(controller)) return [required(at)];
    // kube-apiserver reads `controller` without checking that it is set; here a missing
    // one counts as false.
    if (controller.controller === true) return [];
    return [invalidValue(`${at}.PodController.Controller`, false, 'must point to a controller')];
  });
}
