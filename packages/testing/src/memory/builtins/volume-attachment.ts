/**
 * storage.k8s.io/v1 VolumeAttachment, checked as kube-apiserver checks it (own code, for
 * the causes and their order): an attacher named as a CSI driver, exactly one source (a
 * non-empty persistent volume name, or an inline volume spec checked as an inline
 * PersistentVolume spec), a node name, and the status (attachment metadata of at most
 * 256 KiB, attach and detach errors with a message of at most 1024 bytes and an error code
 * not negative). An inline spec's volume sources get a PersistentVolume's defaults. A new
 * attachment's status is empty; the spec is immutable (quoted as
 * kube-apiserver's internal struct) and the status is written through `/status` only.
 */

import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, semanticEqual, str } from '../json.js';
import { forbiddenValue, invalidValue, required, tooLong } from '../validation.js';
import { internalJson } from './go-internal-json.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { persistentVolumeSpecCauses } from './persistent-volume.js';
import { defaultSourceFields } from './pod-spec.js';
import { csiDriverCauses } from './pod-volumes.js';

const MAX_METADATA_BYTES = 256 * 1024;
const MAX_ERROR_MESSAGE = 1024;
const ONE_SOURCE = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';
/** kube-apiserver's internal spec, which the immutable-spec cause quotes. */
const SPEC = 'storage.VolumeAttachmentSpec';

const present = (v: Json | undefined) => v !== undefined && v !== null;
const objectAt = (o: JsonObject, key: string): JsonObject => (isObject(o[key]) ? o[key] : {});

const subdomainCauses = (at: string, name: string) =>
  dns1123SubdomainErrors(name).map((why) => invalidValue(at, name, why));

function sourceCauses(source: JsonObject): StatusCause[] {
  const name = source.persistentVolumeName;
  const inline = source.inlineVolumeSpec;
  if (!present(name) && !present(inline)) return [required('spec.source', ONE_SOURCE)];
  if (present(name) && present(inline)) return [forbiddenValue('spec.source', ONE_SOURCE)];
  if (present(name))
    return str(name) === ''
      ? [
          required(
            'spec.source.persistentVolumeName',
            'must specify non empty persistentVolumeName',
          ),
        ]
      : [];
  return persistentVolumeSpecCauses(
    isObject(inline) ? inline : {},
    '',
    'spec.source.inlineVolumeSpec',
    true,
  );
}

function volumeErrorCauses(e: Json | undefined, at: string): StatusCause[] {
  if (!isObject(e)) return [];
  const causes: StatusCause[] = [];
  // kube-apiserver names the metadata's limit here, not the message's.
  if (Buffer.byteLength(str(e.message)) > MAX_ERROR_MESSAGE)
    causes.push(tooLong(`${at}.message`, MAX_METADATA_BYTES));
  if (typeof e.errorCode === 'number' && e.errorCode < 0)
    causes.push(
      invalidValue(`${at}.errorCode`, e.errorCode, 'must be between 0 and 2147483647, inclusive'),
    );
  return causes;
}

function attachmentCauses(obj: JsonObject): StatusCause[] {
  const spec = objectAt(obj, 'spec');
  const status = objectAt(obj, 'status');
  const source = objectAt(spec, 'source');
  const causes = csiDriverCauses('spec.attacher', str(spec.attacher));
  causes.push(...sourceCauses(source));
  causes.push(...subdomainCauses('spec.nodeName', str(spec.nodeName)));
  let bytes = 0;
  for (const [k, v] of Object.entries(objectAt(status, 'attachmentMetadata')))
    bytes += Buffer.byteLength(k) + Buffer.byteLength(str(v));
  if (bytes > MAX_METADATA_BYTES)
    causes.push(tooLong('status.attachmentMetadata', MAX_METADATA_BYTES));
  causes.push(...volumeErrorCauses(status.attachError, 'status.attachError'));
  causes.push(...volumeErrorCauses(status.detachError, 'status.detachError'));
  if (present(source.persistentVolumeName))
    causes.push(
      ...subdomainCauses('spec.source.persistentVolumeName', str(source.persistentVolumeName)),
    );
  return causes;
}

/** storage.k8s.io/v1 VolumeAttachment's validation, new status and immutable spec. */
export const volumeAttachmentRules: KindRules = {
  defaults(obj, create) {
    // The inline spec's volume sources get a PersistentVolume's source defaults.
    const spec = objectAt(obj, 'spec');
    const inline = objectAt(spec, 'source').inlineVolumeSpec;
    if (isObject(inline)) defaultSourceFields(inline);
    if (create) obj.status = {};
  },
  validate: (obj, ctx) => (ctx.create ? attachmentCauses(obj) : []),
  validateUpdate(next, prev) {
    const causes = attachmentCauses(next);
    const quoted = internalJson(next.spec, SPEC);
    if (!semanticEqual(quoted, internalJson(prev.spec, SPEC)))
      causes.push(invalidValue('spec', quoted, FIELD_IMMUTABLE));
    return causes;
  },
};
