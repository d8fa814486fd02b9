import {
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  STALE_MESSAGE,
  type StatusDetails,
} from './errors.js';
import { type DecodedFrom, validateFields } from './field-validation.js';
import type { JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { unrecognized } from './request-body.js';
import { apiVersionOf } from './resource-types.js';
import type { ApiState } from './state.js';
import { type Scope, target, type WriteParams } from './write-scope.js';

/**
 * Checks the body's apiVersion/kind against the endpoint, like kube-apiserver's decoder: a
 * built-in takes them from the URL when absent, a custom resource (decoded as unstructured
 * JSON) must name its kind (`rawBody`, the request body as sent, is quoted in that 400).
 */
export function checkTypeMeta(sc: Scope, body: JsonObject, rawBody?: string): void {
  const want = apiVersionOf(sc.t.group, sc.version);
  // A JSON null reads as no value, as Go's decoder reads it into a string.
  if (body.apiVersion === null) {
    // A custom resource is unstructured: its accessor finds the null.
    if (!sc.t.builtin && rawBody !== undefined) {
      throw badRequest(
        `${sc.t.kind} in version "" cannot be handled as a ${sc.t.kind}: .apiVersion accessor error: <nil> is of the type <nil>, expected string`,
      );
    }
    delete body.apiVersion;
  }
  if (body.kind === null) delete body.kind;
  const av = body.apiVersion;
  const kind = body.kind;
  if (!sc.t.builtin && rawBody !== undefined && (kind === undefined || kind === '')) {
    throw unrecognized(sc.t.kind, `Object 'Kind' is missing in '${rawBody}'`, rawBody);
  }
  if (av !== undefined && av !== want && av !== '') {
    if (!sc.t.builtin) {
      throw badRequest(
        `the API version in the data (${String(av)}) does not match the expected API version (${want})`,
      );
    }
    const k = typeof kind === 'string' && kind ? kind : sc.t.kind;
    throw badRequest(
      `${k} in version "${sc.version}" cannot be handled as a ${sc.t.kind}: no kind "${k}" is registered for version "${String(av)}" in scheme "pkg/runtime/scheme.go:111"`,
    );
  }
  if (kind !== undefined && kind !== sc.t.kind && kind !== '') {
    if (!sc.t.builtin) {
      throw invalid(String(kind), sc.t.group, String(metaOf(body).name ?? ''), [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(kind)}: must be ${sc.t.kind}`,
          field: 'kind',
        },
      ]);
    }
    const internal = sc.t.group ? sc.t.group.split('.')[0] : 'core';
    throw badRequest(
      `${String(kind)} in version "${sc.version}" cannot be handled as a ${sc.t.kind}: converting (${sc.version}.${String(kind)}) to (${internal}.${sc.t.kind}): unknown conversion`,
    );
  }
  body.apiVersion = want;
  body.kind = sc.t.kind;
}

/** Checks the body's namespace against the URL's (dropped for a cluster-scoped resource). */
export function checkNamespace(sc: Scope, meta: JsonObject): void {
  if (!sc.t.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== sc.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  meta.namespace = sc.namespace;
}

/** Refuses a write into a namespace that does not exist or is being deleted. */
export function requireNamespace(s: ApiState, sc: Scope, name: string): void {
  const ns = sc.namespace;
  const o = s.storage.get('namespaces', ns);
  if (!o) throw notFound({ group: '', plural: 'namespaces', name: ns });
  if (metaOf(o).deletionTimestamp) {
    const what = sc.t.group ? `${sc.t.plural}.${sc.t.group}` : sc.t.plural;
    const details: StatusDetails = { name, kind: sc.t.plural };
    if (sc.t.group) details.group = sc.t.group;
    details.causes = [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${ns} is being terminated`,
        field: 'metadata.namespace',
      },
    ];
    throw forbidden(
      `${what} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      details,
    );
  }
}

/**
 * Refuses a write whose resourceVersion is set and is not the stored one (409); Go reads it
 * as a number, so "0" is none.
 */
export function checkRv(sc: Scope, prev: JsonObject, next: JsonObject, name: string): void {
  const want = metaOf(next).resourceVersion;
  if (typeof want === 'string' && !/^0*$/.test(want) && want !== metaOf(prev).resourceVersion) {
    throw conflict(target(sc, name), STALE_MESSAGE);
  }
}

/**
 * Refuses a body whose name differs from the URL's. An update (and a patch's result) must
 * carry the name (`required`), as kube-apiserver's update handler reads it from the object.
 */
export function checkName(body: JsonObject, name: string, required = false): void {
  const n = metaOf(body).name;
  if (required && (n === undefined || n === null || n === '')) {
    throw badRequest(
      `the name of the object (${name} based on URL) was undeterminable: name must be provided`,
    );
  }
  if (n !== undefined && n !== name) {
    throw badRequest(
      `the name of the object (${String(n)}) does not match the name on the URL (${name})`,
    );
  }
}

/** Checks the body's fields against the type under the request's fieldValidation. */
export function checkFields(sc: Scope, obj: JsonObject, p: WriteParams, from: DecodedFrom): void {
  const raw = from.body === 'object' ? p.rawBody : from.text;
  validateFields(sc.t, sc.version, obj, p.fieldValidation ?? 'Ignore', p.warnings ?? [], from, raw);
}
