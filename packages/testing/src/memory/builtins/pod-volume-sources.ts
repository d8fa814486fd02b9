/**
 * The checks of the pod volume sources beyond the common ones of `pod-volumes.ts`, as
 * kube-apiserver's `validateVolumeSource` gives them (own code: the causes and their words
 * are what a test sees): the sources a PersistentVolume shares (`volume-source-checks.ts`)
 * and the pod-only ones (gitRepo, glusterfs, rbd, cinder, cephfs, azureFile, storageos,
 * image, an ephemeral volume's claim template: its metadata and claim spec).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, num, str } from '../json.js';
import {
  annotationsCauses,
  forbiddenValue,
  invalidValue,
  labelsCauses,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { claimSpecCauses } from './persistent-volume-claim.js';
import {
  awsElasticBlockStoreCauses,
  azureDiskCauses,
  cephfsCauses,
  fcCauses,
  flexVolumeCauses,
  flockerCauses,
  gcePersistentDiskCauses,
  iscsiNameCauses,
  photonPersistentDiskCauses,
  portworxVolumeCauses,
  quobyteCauses,
  rbdCauses,
  scaleIOCauses,
  vsphereVolumeCauses,
} from './volume-source-checks.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function requiredIfEmpty(src: JsonObject, at: string, ...fields: string[]): StatusCause[] {
  return fields.filter((f) => str(src[f]) === '').map((f) => required(`${at}.${f}`));
}

const NO_PREFIX = 'must be valid format starting with iqn, eui, or naa';

/**
 * A pod's `iscsi` (`validateISCSIVolumeSource`): a target portal, a qualified name, a lun
 * 0–255, a secret for CHAP, a valid initiator name.
 */
function iscsiCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = requiredIfEmpty(src, at, 'targetPortal');
  const iqn = str(src.iqn);
  if (iqn === '') causes.push(required(`${at}.iqn`));
  else causes.push(...iscsiNameCauses(iqn, `${at}.iqn`, NO_PREFIX));
  const lun = num(src.lun);
  if (lun < 0 || lun > 255) {
    causes.push(invalidValue(`${at}.lun`, lun, 'must be between 0 and 255, inclusive'));
  }
  const chap = src.chapAuthDiscovery === true || src.chapAuthSession === true;
  if (chap && !isObject(src.secretRef)) causes.push(required(`${at}.secretRef`));
  if (src.initiatorName !== undefined && src.initiatorName !== null) {
    causes.push(...iscsiNameCauses(str(src.initiatorName), `${at}.initiatorname`, NO_PREFIX));
  }
  return causes;
}

/** A secret reference that, when given, must name its secret. */
function secretRefCauses(src: JsonObject, at: string): StatusCause[] {
  return isObject(src.secretRef) && str(src.secretRef.name) === ''
    ? [required(`${at}.secretRef.name`)]
    : [];
}

/** `descendingPathCauses` of `pod-volumes.ts`, passed in to keep one copy. */
type PathCheck = (field: string, path: string) => StatusCause[];

/**
 * The ObjectMeta fields a template's metadata may not set (all but labels and
 * annotations), in the order of Go's struct, named as kube-apiserver names them.
 */
const NOT_IN_TEMPLATE: [string, string][] = [
  ['name', 'name'],
  ['generateName', 'generateName'],
  ['namespace', 'namespace'],
  ['selfLink', 'selfLink'],
  ['uid', 'uID'],
  ['resourceVersion', 'resourceVersion'],
  ['generation', 'generation'],
  ['creationTimestamp', 'creationTimestamp'],
  ['deletionTimestamp', 'deletionTimestamp'],
  ['deletionGracePeriodSeconds', 'deletionGracePeriodSeconds'],
  ['ownerReferences', 'ownerReferences'],
  ['finalizers', 'finalizers'],
  ['managedFields', 'managedFields'],
];

/** `ValidateTemplateObjectMeta`: valid labels and annotations, nothing else set. */
function templateMetaCauses(meta: JsonObject, at: string): StatusCause[] {
  const causes = [
    ...annotationsCauses(meta.annotations, `${at}.annotations`),
    ...labelsCauses(meta.labels, `${at}.labels`),
  ];
  for (const [json, goName] of NOT_IN_TEMPLATE) {
    const v = meta[json];
    // Go's zero values (0 is set in a pointer, `deletionGracePeriodSeconds`); an empty
    // list is set (not nil) once decoded.
    const zero =
      v === undefined ||
      v === null ||
      v === '' ||
      (v === 0 && goName !== 'deletionGracePeriodSeconds');
    if (!zero) causes.push(forbiddenValue(`${at}.${goName}`, 'cannot be set'));
  }
  return causes;
}

/** An ephemeral volume: a claim template with template metadata and a valid claim spec. */
function ephemeralCauses(src: JsonObject, at: string): StatusCause[] {
  const tpl = src.volumeClaimTemplate;
  if (!isObject(tpl)) return [required(`${at}.volumeClaimTemplate`)];
  const tplAt = `${at}.volumeClaimTemplate`;
  return [
    ...templateMetaCauses(isObject(tpl.metadata) ? tpl.metadata : {}, `${tplAt}.metadata`),
    ...claimSpecCauses(isObject(tpl.spec) ? tpl.spec : {}, `${tplAt}.spec`),
  ];
}

/**
 * The causes of a pod volume source `kind` beyond the common ones (undefined for a source
 * this file does not check); `isPod` for a Pod's own spec (an image volume needs a
 * reference there, not in a template).
 */
export function moreSourceCauses(
  kind: string,
  src: JsonObject,
  at: string,
  isPod: boolean,
  descendingPath: PathCheck,
): StatusCause[] | undefined {
  switch (kind) {
    case 'gitRepo':
      return [
        ...requiredIfEmpty(src, at, 'repository'),
        ...descendingPath(`${at}.directory`, str(src.directory)),
      ];
    case 'gcePersistentDisk':
      // kube-apiserver names this source `persistentDisk` in its causes.
      return gcePersistentDiskCauses(src, at.replace(/gcePersistentDisk$/, 'persistentDisk'));
    case 'awsElasticBlockStore':
      return awsElasticBlockStoreCauses(src, at);
    case 'iscsi':
      return iscsiCauses(src, at);
    case 'glusterfs':
      return requiredIfEmpty(src, at, 'endpoints', 'path');
    case 'flocker':
      return flockerCauses(src, at);
    case 'rbd':
      return rbdCauses(src, at);
    case 'cinder':
      return [...requiredIfEmpty(src, at, 'volumeID'), ...secretRefCauses(src, at)];
    case 'cephfs':
      return cephfsCauses(src, at);
    case 'quobyte':
      return quobyteCauses(src, at);
    case 'fc':
      return fcCauses(src, at);
    case 'flexVolume':
      return flexVolumeCauses(src, at);
    case 'azureFile':
      return requiredIfEmpty(src, at, 'secretName', 'shareName');
    case 'vsphereVolume':
      return vsphereVolumeCauses(src, at);
    case 'photonPersistentDisk':
      return photonPersistentDiskCauses(src, at);
    case 'portworxVolume':
      return portworxVolumeCauses(src, at);
    case 'azureDisk':
      return azureDiskCauses(src, at);
    case 'storageos': {
      const name = str(src.volumeName);
      const namespace = str(src.volumeNamespace);
      return [
        ...(name === ''
          ? [required(`${at}.volumeName`)]
          : rfc1123LabelCauses(`${at}.volumeName`, name)),
        ...(namespace === '' ? [] : rfc1123LabelCauses(`${at}.volumeNamespace`, namespace)),
        ...secretRefCauses(src, at),
      ];
    }
    case 'scaleIO':
      return scaleIOCauses(src, at);
    case 'ephemeral':
      return ephemeralCauses(src, at);
    case 'image': {
      const causes = isPod ? requiredIfEmpty(src, at, 'reference') : [];
      const policy = str(src.pullPolicy);
      if (policy === '') causes.push(required(`${at}.pullPolicy`));
      else if (!PULL_POLICIES.includes(policy)) {
        causes.push(notSupported(`${at}.pullPolicy`, policy, PULL_POLICIES));
      }
      return causes;
    }
    default:
      return undefined;
  }
}
