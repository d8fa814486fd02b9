import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AuthzCheck } from '@kube-ts/schema/validation';
import { cloneKeeping, parseKeeping } from '../big-integers.js';
import { HttpStatusError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { jsonPatch } from '../json-patch.js';
import { SCALE_KIND } from '../scale.js';
import { conditionsMatch } from './match-conditions.js';
import type { AdmissionAttributes, WebhookEntry } from './matching.js';
import { callWebhook, type ServiceDirectory } from './webhook-call.js';

/** Converts an object to another version of its resource (identity without a conversion webhook). */
export type Converter = (obj: JsonObject, version: string) => Promise<JsonObject>;

/**
 * What the chain needs from the server: conversion, Services for `service` references, and
 * the authorizer behind matchConditions' `authorizer`.
 */
export interface ChainEnv {
  readonly convert: Converter;
  readonly services: ServiceDirectory;
  readonly authorize: AuthzCheck;
}

/** The chain's second round (a create's in-tree plugins, the policies) at the request's version. */
export interface PolicyRound {
  /** Whether a policy applied a mutation in the first round (the chain then runs again). */
  readonly applied: boolean;
  /** The object after the second round (`object` itself is left alone). */
  again(object: JsonObject): Promise<JsonObject>;
}

/** A webhook that could not be called or answered wrongly (subject to its failurePolicy). */
class CallError extends Error {}

function reviewOf(
  a: AdmissionAttributes,
  version: string,
  object?: JsonObject,
  oldObject?: JsonObject,
): JsonObject {
  // A write through `scale` is of an autoscaling/v1 Scale, whatever the resource's version.
  const scale = a.subresource === 'scale';
  const kind = scale ? { ...SCALE_KIND } : { group: a.t.group, version, kind: a.kind ?? a.t.kind };
  const resource = { group: a.t.group, version, resource: a.t.plural };
  const request: JsonObject = {
    uid: randomUUID(),
    kind,
    resource,
    requestKind: scale ? kind : { ...kind, version: a.version },
    requestResource: { ...resource, version: a.version },
    operation: a.operation,
    userInfo: a.user as unknown as JsonObject,
    object: object ?? null,
    oldObject: oldObject ?? null,
    dryRun: a.dryRun,
    // A CONNECT has no operation options (its options object is the `object`).
    options: a.options,
  };
  if (a.subresource) {
    request.subResource = a.subresource;
    request.requestSubResource = a.subresource;
  }
  // AdmissionRequest's name and namespace are `omitempty`: a create by generateName or a
  // deletecollection's item has no name on the wire.
  if (a.name) request.name = a.name;
  if (a.t.namespaced && a.namespace) request.namespace = a.namespace;
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

function timeoutOf(w: JsonObject): number {
  return typeof w.timeoutSeconds === 'number' ? w.timeoutSeconds : 10;
}

async function call(
  entry: WebhookEntry,
  review: JsonObject,
  services: ServiceDirectory,
): Promise<JsonObject> {
  const name = String(entry.webhook.name);
  let answer: JsonObject;
  try {
    answer = await callWebhook(
      (entry.webhook.clientConfig ?? {}) as JsonObject,
      review,
      timeoutOf(entry.webhook),
      services,
    );
  } catch (err) {
    throw new CallError(
      `failed calling webhook "${name}": failed to call webhook: ${(err as Error).message}`,
    );
  }
  const response = answer.response;
  const uid = (review.request as JsonObject).uid;
  if (!isObject(response)) {
    throw new CallError(`failed calling webhook "${name}": webhook response was absent`);
  }
  if (response.uid !== uid) {
    throw new CallError(
      `failed calling webhook "${name}": expected response.uid="${String(uid)}", got "${String(response.uid)}"`,
    );
  }
  return response;
}

/** kube-apiserver's error for a webhook that said no (webhookerrors.ToStatusErr). */
function deniedError(name: string, response: JsonObject): HttpStatusError {
  const status = isObject(response.status) ? response.status : {};
  const deniedBy = `admission webhook "${name}" denied the request`;
  const code = typeof status.code === 'number' && status.code >= 400 ? status.code : 400;
  const message =
    typeof status.message === 'string' && status.message
      ? `${deniedBy}: ${status.message}`
      : typeof status.reason === 'string' && status.reason
        ? `${deniedBy}: ${status.reason}`
        : `${deniedBy} without explanation`;
  const details = isObject(status.details) ? (status.details as never) : undefined;
  return new HttpStatusError(
    code,
    typeof status.reason === 'string' ? status.reason : '',
    message,
    details,
  );
}

/** Applies a webhook's failurePolicy to a call error: `Ignore` lets the request through. */
function failed(entry: WebhookEntry, err: unknown): void {
  if (!(err instanceof CallError)) throw err;
  if (entry.webhook.failurePolicy === 'Ignore') return;
  throw new HttpStatusError(500, 'InternalError', `Internal error occurred: ${err.message}`, {
    causes: [{ message: err.message }],
  });
}

function warningsOf(response: JsonObject): string[] {
  return Array.isArray(response.warnings) ? response.warnings.map(String) : [];
}

/**
 * Runs the mutating webhooks one after the other on the object (each sees the previous
 * one's result, at the version its rules match) and returns the mutated object at the
 * request's version, with the warnings. A denial or (with failurePolicy Fail) a call
 * failure throws kube-apiserver's error.
 *
 * Reinvocation as kube-apiserver's admission chain and mutating dispatcher do it: when a
 * webhook changes the object, the `reinvocationPolicy: IfNeeded` webhooks called before it
 * are marked; when a webhook changed the object or a policy applied a mutation, the chain
 * runs again: the in-tree plugins' and the policies' second round (`policies`), then the
 * marked webhooks once more, in order, and, when that round changed the object, the IfNeeded webhooks
 * called after the last change too (a change in the second round marks nothing further:
 * the chain is re-run only once). A refusal carries the warnings given before it.
 */
export async function runMutating(
  entries: readonly WebhookEntry[],
  a: AdmissionAttributes,
  { convert, services, authorize }: ChainEnv,
  policies?: PolicyRound,
): Promise<{ object: JsonObject | undefined; warnings: string[] }> {
  let object = a.object;
  const warnings: string[] = [];
  const invokedIfNeeded = new Set<WebhookEntry>();
  const reinvoke = new Set<WebhookEntry>();
  let anyChange = false;
  /**
   * Calls one webhook on the current object unless its matchConditions skip it; returns
   * whether it changed the object, or `skipped`.
   */
  const invoke = async (entry: WebhookEntry): Promise<boolean | 'skipped'> => {
    const name = String(entry.webhook.name);
    try {
      const at =
        object && entry.version !== a.version ? await convert(object, entry.version) : object;
      const old =
        a.oldObject && entry.version !== a.version
          ? await convert(a.oldObject, entry.version)
          : a.oldObject;
      const review = reviewOf(a, entry.version, at, old);
      if (!conditionsMatch(entry, a, review, authorize)) return 'skipped';
      const response = await call(entry, review, services);
      warnings.push(...warningsOf(response));
      if (response.allowed !== true) throw deniedError(name, response);
      if (typeof response.patch !== 'string' || !at) return false;
      if (response.patchType !== 'JSONPatch') {
        throw new CallError(
          `failed calling webhook "${name}": unsupported patch type "${String(response.patchType)}"`,
        );
      }
      let ops: unknown;
      try {
        ops = parseKeeping(Buffer.from(response.patch, 'base64').toString('utf8'));
      } catch (err) {
        throw new CallError(`failed calling webhook "${name}": ${(err as Error).message}`);
      }
      const patched = jsonPatch(cloneKeeping(at), ops);
      if (!isObject(patched))
        throw new CallError(
          `failed calling webhook "${name}": the patch did not produce an object`,
        );
      if (isDeepStrictEqual(patched, at)) return false;
      object = entry.version !== a.version ? await convert(patched, a.version) : patched;
      return true;
    } catch (err) {
      failed(entry, err);
      return false;
    }
  };
  try {
    for (const entry of entries) {
      const changed = await invoke(entry);
      // A webhook its matchConditions skipped was not invoked: it is not reinvoked either.
      if (changed === 'skipped') continue;
      if (changed) {
        anyChange = true;
        for (const earlier of invokedIfNeeded) reinvoke.add(earlier);
        invokedIfNeeded.clear();
      }
      if (entry.webhook.reinvocationPolicy === 'IfNeeded') invokedIfNeeded.add(entry);
    }
    if (!anyChange && !policies?.applied) return { object, warnings };
    if (policies && object) {
      const again = await policies.again(object);
      if (!isDeepStrictEqual(again, object)) {
        object = again;
        for (const entry of invokedIfNeeded) reinvoke.add(entry);
      }
    }
    for (const entry of entries) if (reinvoke.has(entry)) await invoke(entry);
    return { object, warnings };
  } catch (err) {
    // The warnings given before a refusal are sent with it.
    throw Object.assign(err as Error, { warnings });
  }
}

/**
 * Calls the validating webhooks at once, as kube-apiserver does, waits for all, and throws
 * the first denial (or call failure with failurePolicy Fail) to arrive; returns the
 * warnings, in the order their answers arrived.
 * Before any call, each webhook's matchConditions are checked in order (the first that
 * fails with failurePolicy Fail refuses the request), as kube-apiserver decides which
 * webhooks to call before calling them.
 */
export async function runValidating(
  entries: readonly WebhookEntry[],
  a: AdmissionAttributes,
  { convert, services, authorize }: ChainEnv,
): Promise<string[]> {
  const calls: { entry: WebhookEntry; review: JsonObject }[] = [];
  for (const entry of entries) {
    const at =
      a.object && entry.version !== a.version ? await convert(a.object, entry.version) : a.object;
    const old =
      a.oldObject && entry.version !== a.version
        ? await convert(a.oldObject, entry.version)
        : a.oldObject;
    const review = reviewOf(a, entry.version, at, old);
    if (conditionsMatch(entry, a, review, authorize)) calls.push({ entry, review });
  }
  // kube-apiserver calls them all in parallel and keeps their answers as they arrive: the
  // warnings in that order, and the first refusal to arrive is the one reported.
  const results: { error?: unknown; warnings: string[] }[] = [];
  const answer = async ({ entry, review }: (typeof calls)[number]) => {
    try {
      const response = await call(entry, review, services);
      const warnings = warningsOf(response);
      if (response.allowed !== true)
        return { error: deniedError(String(entry.webhook.name), response), warnings };
      return { warnings };
    } catch (err) {
      try {
        failed(entry, err);
        return { warnings: [] };
      } catch (e) {
        return { error: e, warnings: [] };
      }
    }
  };
  await Promise.all(calls.map(async (c) => results.push(await answer(c))));
  const warnings = results.flatMap((r) => r.warnings);
  const first = results.find((r) => r.error !== undefined);
  if (first) throw Object.assign(first.error as Error, { warnings });
  return warnings;
}
