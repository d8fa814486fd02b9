/**
 * The checks of the volume sources a pod volume and a PersistentVolume share (kube-apiserver
 * runs one validator for both, or two that check alike), giving kube-apiserver's causes in
 * its order and words (own code: they are what a test sees). One function per source,
 * `(src, at)`, `at` being where the causes name the source (kube-apiserver names a
 * `gcePersistentDisk` `persistentDisk`; the caller passes that path).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import { invalidValue, notSupported, required } from '../validation.js';

const count = (v: Json | undefined) => (Array.isArray(v) ? v.length : 0);

/** apimachinery's `InclusiveRangeError`. */
const inRange = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;
/** kube-apiserver's partition message (it says 1 but accepts 0). */
const PARTITION = inRange(1, 255);
const REGISTRY = 'must be a host:port pair or multiple pairs separated by commas';

/** `Required value` for each of `fields` that is empty in `src`. */
function requiredFields(src: JsonObject, at: string, ...fields: string[]): StatusCause[] {
  return fields.filter((f) => str(src[f]) === '').map((f) => required(`${at}.${f}`));
}

function partitionCauses(src: JsonObject, at: string): StatusCause[] {
  const p = num(src.partition);
  return p < 0 || p > 255 ? [invalidValue(`${at}.partition`, p, PARTITION)] : [];
}

/** `gcePersistentDisk`: a disk name, a partition from 0 to 255. */
export function gcePersistentDiskCauses(src: JsonObject, at: string): StatusCause[] {
  return [...requiredFields(src, at, 'pdName'), ...partitionCauses(src, at)];
}

/** `awsElasticBlockStore`: a volume ID, a partition from 0 to 255. */
export function awsElasticBlockStoreCauses(src: JsonObject, at: string): StatusCause[] {
  return [...requiredFields(src, at, 'volumeID'), ...partitionCauses(src, at)];
}

/** `flocker`: one of a dataset name (without `/`) and a dataset UUID. */
export function flockerCauses(src: JsonObject, at: string): StatusCause[] {
  const name = str(src.datasetName);
  const uuid = str(src.datasetUUID);
  const causes: StatusCause[] = [];
  if (name === '' && uuid === '')
    causes.push(required(at, 'one of datasetName and datasetUUID is required'));
  if (name !== '' && uuid !== '')
    causes.push(
      invalidValue(
        at,
        'resource',
        'datasetName and datasetUUID can not be specified simultaneously',
      ),
    );
  if (name.includes('/'))
    causes.push(invalidValue(`${at}.datasetName`, name, "must not contain '/'"));
  return causes;
}

/** Whether Go's `net.SplitHostPort` accepts `text` (a port after the last colon, brackets for IPv6). */
function splitsHostPort(text: string): boolean {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return false;
  let from = 0;
  let to = 0;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || end + 1 !== colon) return false;
    from = 1;
    to = end + 1;
  } else if (text.slice(0, colon).includes(':')) return false;
  return !text.slice(from).includes('[') && !text.slice(to).includes(']');
}

/** `quobyte`: a registry of host:port pairs, a tenant of at most 64 characters, a volume. */
export function quobyteCauses(src: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const registry = str(src.registry);
  if (registry === '') causes.push(required(`${at}.registry`, REGISTRY));
  else if (str(src.tenant).length >= 65)
    causes.push(
      required(`${at}.tenant`, 'must be a UUID and may not exceed a length of 64 characters'),
    );
  else
    for (const pair of registry.split(','))
      if (!splitsHostPort(pair)) causes.push(invalidValue(`${at}.registry`, registry, REGISTRY));
  return [...causes, ...requiredFields(src, at, 'volume')];
}

/** `fc`: target WWNs (with a lun from 0 to 255) or WWIDs, not both. */
export function fcCauses(src: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const targets = count(src.targetWWNs);
  const wwids = count(src.wwids);
  if (targets === 0 && wwids === 0)
    causes.push(
      required(`${at}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'),
    );
  if (targets > 0 && wwids > 0)
    causes.push(
      invalidValue(
        `${at}.targetWWNs`,
        src.targetWWNs,
        'targetWWNs and wwids can not be specified simultaneously',
      ),
    );
  if (targets > 0) {
    const lun = src.lun;
    if (typeof lun !== 'number')
      causes.push(required(`${at}.lun`, 'lun is required if targetWWNs is specified'));
    else if (lun < 0 || lun > 255) causes.push(invalidValue(`${at}.lun`, lun, inRange(0, 255)));
  }
  return causes;
}

/** `vsphereVolume`: a volume path. */
export const vsphereVolumeCauses = (src: JsonObject, at: string) =>
  requiredFields(src, at, 'volumePath');

/** `photonPersistentDisk`: a disk ID. */
export const photonPersistentDiskCauses = (src: JsonObject, at: string) =>
  requiredFields(src, at, 'pdID');

/** `portworxVolume`: a volume ID. */
export const portworxVolumeCauses = (src: JsonObject, at: string) =>
  requiredFields(src, at, 'volumeID');

/** `scaleIO`: a gateway, a system and a volume name. */
export const scaleIOCauses = (src: JsonObject, at: string) =>
  requiredFields(src, at, 'gateway', 'system', 'volumeName');

/** `rbd`: monitors and an image. */
export function rbdCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = count(src.monitors) === 0 ? [required(`${at}.monitors`)] : [];
  return [...causes, ...requiredFields(src, at, 'image')];
}

/** `cephfs`: monitors. */
export const cephfsCauses = (src: JsonObject, at: string) =>
  count(src.monitors) === 0 ? [required(`${at}.monitors`)] : [];

const CACHING_MODES = ['None', 'ReadOnly', 'ReadWrite'];
const DISK_KINDS = ['Dedicated', 'Managed', 'Shared'];

/** `azureDisk`: a name and URI, a known caching mode and kind, a URI of the kind's form. */
export function azureDiskCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = requiredFields(src, at, 'diskName', 'diskURI');
  const mode = src.cachingMode;
  if (typeof mode === 'string' && !CACHING_MODES.includes(mode))
    causes.push(notSupported(`${at}.cachingMode`, mode, CACHING_MODES));
  const kind = src.kind;
  if (typeof kind === 'string' && !DISK_KINDS.includes(kind))
    causes.push(notSupported(`${at}.kind`, kind, DISK_KINDS));
  const uri = str(src.diskURI);
  if (kind === 'Managed' && !uri.startsWith('/subscriptions/'))
    causes.push(
      notSupported(`${at}.diskURI`, uri, [
        '/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}',
      ]),
    );
  if (typeof kind === 'string' && kind !== 'Managed' && !uri.startsWith('https://'))
    causes.push(
      notSupported(`${at}.diskURI`, uri, [
        'https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd',
      ]),
    );
  return causes;
}

/** `flexVolume`: a driver, option keys outside the kubernetes.io and k8s.io namespaces. */
export function flexVolumeCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = requiredFields(src, at, 'driver');
  // kube-apiserver ranges over the options map: in no fixed order there.
  for (const key of Object.keys(isObject(src.options) ? src.options : {})) {
    const slash = key.indexOf('/');
    const namespace = `.${(slash >= 0 ? key.slice(0, slash) : key).toLowerCase()}`;
    if (namespace.endsWith('.kubernetes.io') || namespace.endsWith('.k8s.io'))
      causes.push(
        invalidValue(
          `${at}.options[${key}]`,
          key,
          'kubernetes.io and k8s.io namespaces are reserved',
        ),
      );
  }
  return causes;
}

/** The iSCSI qualified name forms (Go's: the iqn one is not anchored at its start). */
const ISCSI_FORMS: Readonly<Record<string, RegExp>> = {
  iqn: /iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/,
  eui: /^eui.[A-Za-z0-9]{16}$/,
  naa: /^naa.[A-Za-z0-9]{32}$/,
};

/**
 * The causes of an iSCSI name (an `iqn` or `initiatorName`) at `at`: an `iqn`, `eui` or
 * `naa` name of its form; `noPrefix` is the message for a name with none of these prefixes.
 */
export function iscsiNameCauses(name: string, at: string, noPrefix: string): StatusCause[] {
  const kind = Object.keys(ISCSI_FORMS).find((k) => name.startsWith(k));
  if (kind === undefined) return [invalidValue(at, name, noPrefix)];
  return ISCSI_FORMS[kind]?.test(name) ? [] : [invalidValue(at, name, 'must be valid format')];
}
