import type { ConversionRequest, ConversionResponse } from '@kube-ts/k8s/apiextensions/v1';
import type { RawExtension } from '@kube-ts/k8s/meta/v1';
import type { VersionedResourceDefinition } from '@kube-ts/schema';

/** A resource the conversion webhook converts (a multi-version `defineResource`). */
export type ConvertibleResource = Pick<
  VersionedResourceDefinition,
  'group' | 'kind' | 'crdName' | 'convert' | 'crd'
>;

function failure(uid: string, message: string): ConversionResponse {
  return { uid, convertedObjects: [], result: { status: 'Failure', message } };
}

/**
 * Converts every object of a ConversionRequest to `desiredAPIVersion` with the
 * resource's converters. All or nothing, as kube-apiserver expects: one object that
 * cannot be converted fails the whole review with its message.
 */
export function convertReview(
  resources: ReadonlyMap<string, ConvertibleResource>,
  req: ConversionRequest,
): ConversionResponse {
  const uid = req.uid;
  if (typeof req.desiredAPIVersion !== 'string' || !Array.isArray(req.objects)) {
    return failure(uid, 'the ConversionReview request needs desiredAPIVersion and objects');
  }
  const group = req.desiredAPIVersion.split('/')[0] ?? '';
  const out: RawExtension[] = [];
  for (const obj of req.objects) {
    if (obj === null || typeof obj !== 'object') {
      return failure(uid, 'the ConversionReview request holds an object that is not a JSON object');
    }
    const r = resources.get(`${obj.kind}.${group}`);
    if (!r) {
      return failure(
        uid,
        `no conversion is registered for ${String(obj.kind)}.${group}; register it with webhook.conversion(resource)`,
      );
    }
    try {
      out.push({ ...r.convert(obj, req.desiredAPIVersion) });
    } catch (err) {
      return failure(uid, err instanceof Error ? err.message : String(err));
    }
  }
  return { uid, convertedObjects: out, result: { status: 'Success' } };
}
