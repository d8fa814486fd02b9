import { randomUUID } from 'node:crypto';
import { conversionBundleError } from '../crd-conversion.js';
import { HttpStatusError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { apiVersionOf, type ResourceType } from '../resource-types.js';
import type { ApiState } from '../state.js';
import { callWebhook, serviceDirectory } from './webhook-call.js';

/** The conversion webhook of a custom resource's CRD (`strategy: Webhook`), if any. */
export function conversionWebhookOf(s: ApiState, t: ResourceType): JsonObject | undefined {
  if (t.builtin || !t.crdName) return undefined;
  const crd = s.storage.get('customresourcedefinitions.apiextensions.k8s.io', t.crdName);
  const conversion = isObject(crd?.spec) ? crd.spec.conversion : undefined;
  if (!isObject(conversion) || conversion.strategy !== 'Webhook') return undefined;
  return isObject(conversion.webhook) ? conversion.webhook : {};
}

/**
 * Throws kube-apiserver's answer to any request of a custom resource whose conversion
 * webhook's `caBundle` holds no certificate (its CRD is then not established): it cannot
 * make the webhook's client, so neither the resource's handler, and answers a 500.
 */
export function requireResolvable(s: ApiState, t: ResourceType): void {
  if (!conversionWebhookOf(s, t)) return;
  const crd = s.storage.get('customresourcedefinitions.apiextensions.k8s.io', t.crdName!);
  if (!crd || conversionBundleError(crd) === undefined) return;
  const why = 'error resolving resource';
  throw new HttpStatusError(500, 'InternalError', `Internal error occurred: ${why}`, {
    causes: [{ message: why }],
  });
}

/** The storage version of a resource (the registry puts it first). */
export function storageVersionOf(t: ResourceType): string {
  return t.versions[0] ?? '';
}

/** kube-apiserver answers a failed conversion with a bare 500: no reason, no details. */
function conversionError(gvk: string, reason: string): HttpStatusError {
  return new HttpStatusError(500, '', `conversion webhook for ${gvk} failed: ${reason}`);
}

/**
 * Converts objects to `version` through the CRD's conversion webhook, as kube-apiserver
 * does (one ConversionReview for the objects not at that version yet; metadata other than
 * labels and annotations must come back unchanged). Without a webhook, relabels.
 */
export async function convertObjects(
  s: ApiState,
  t: ResourceType,
  objects: readonly JsonObject[],
  version: string,
): Promise<JsonObject[]> {
  const desired = apiVersionOf(t.group, version);
  const webhook = conversionWebhookOf(s, t);
  const pending = objects.filter((o) => o.apiVersion !== desired);
  if (pending.length === 0) return [...objects];
  if (!webhook)
    return objects.map((o) => (o.apiVersion === desired ? o : { ...o, apiVersion: desired }));
  const gvk = `${String(pending[0]!.apiVersion)}, Kind=${t.kind}`;
  const uid = randomUUID();
  let answer: JsonObject;
  try {
    answer = await callWebhook(
      (webhook.clientConfig ?? {}) as JsonObject,
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'ConversionReview',
        request: { uid, desiredAPIVersion: desired, objects: pending },
      },
      30,
      serviceDirectory(s.storage),
    );
  } catch (err) {
    throw conversionError(gvk, (err as Error).message);
  }
  const response = isObject(answer.response) ? answer.response : {};
  const result = isObject(response.result) ? response.result : {};
  if (result.status !== 'Success')
    throw conversionError(gvk, String(result.message ?? 'conversion failed'));
  const converted = Array.isArray(response.convertedObjects)
    ? response.convertedObjects.filter(isObject)
    : [];
  if (response.uid !== uid)
    throw conversionError(gvk, `expected response.uid="${uid}", got "${String(response.uid)}"`);
  if (converted.length !== pending.length) {
    throw conversionError(gvk, `returned ${converted.length} objects, expected ${pending.length}`);
  }
  let i = 0;
  return objects.map((o) => {
    if (o.apiVersion === desired) return o;
    const c = converted[i++]!;
    if (c.apiVersion !== desired) {
      throw conversionError(
        gvk,
        `invalid apiVersion "${String(c.apiVersion)}" in converted object, expected "${desired}"`,
      );
    }
    // Only labels and annotations may change; the rest of metadata stays the server's.
    const meta = { ...(o.metadata as JsonObject) };
    const cm = isObject(c.metadata) ? c.metadata : {};
    for (const k of ['labels', 'annotations']) {
      if (cm[k] !== undefined) meta[k] = cm[k]!;
      else delete meta[k];
    }
    return { ...c, metadata: meta };
  });
}
