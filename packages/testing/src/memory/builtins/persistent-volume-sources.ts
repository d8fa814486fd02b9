/**
 * The fields of a PersistentVolume's sources, as kube-apiserver's
 * `ValidatePersistentVolumeSpec` checks them (own code: the causes, their order and words
 * are what a test sees). The sources a pod volume shares are checked by
 * `volume-source-checks.ts`; here the PersistentVolume forms (`*PersistentVolumeSource`):
 * glusterfs with an endpoints namespace, iSCSI with the volume name's length rule and a
 * named secret, cinder and storageos with a namespaced secret, azureFile with a secret
 * namespace, storageos names as DNS labels, local paths without `..`, CSI with named,
 * namespaced secrets.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import { invalidValue, required } from '../validation.js';
import { csiDriverCauses, noBacksteps, sourceCauses } from './pod-volumes.js';
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

const present = (v: Json | undefined) => v !== undefined && v !== null;
const labelCauses = (at: string, v: string) =>
  dns1123LabelErrors(v).map((why) => invalidValue(at, v, why));

const CSI_SECRETS = [
  'controllerPublishSecretRef',
  'controllerExpandSecretRef',
  'nodePublishSecretRef',
  'nodeExpandSecretRef',
];

/** `validatePVSecretReference`: a named secret (a DNS subdomain) in a namespace (a DNS label). */
function secretRefCauses(ref: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = str(ref.name);
  if (name === '') causes.push(required(`${at}.name`));
  else causes.push(...dns1123SubdomainErrors(name).map((w) => invalidValue(`${at}.name`, name, w)));
  const ns = str(ref.namespace);
  if (ns === '') causes.push(required(`${at}.namespace`));
  else causes.push(...labelCauses(`${at}.namespace`, ns));
  return causes;
}

/** A secret reference's name and namespace, present (cinder's and storageos' `secretRef`). */
function namespacedSecretCauses(ref: Json | undefined, at: string): StatusCause[] {
  if (!isObject(ref)) return [];
  const causes: StatusCause[] = [];
  if (str(ref.name) === '') causes.push(required(`${at}.name`));
  if (str(ref.namespace) === '') causes.push(required(`${at}.namespace`));
  return causes;
}

function glusterfsCauses(src: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (str(src.endpoints) === '') causes.push(required(`${at}.endpoints`));
  if (str(src.path) === '') causes.push(required(`${at}.path`));
  const ns = src.endpointsNamespace;
  if (ns === '')
    causes.push(
      invalidValue(
        `${at}.endpointsNamespace`,
        '',
        'if the endpointnamespace is set, it must be a valid namespace name',
      ),
    );
  else if (typeof ns === 'string') causes.push(...labelCauses(`${at}.endpointsNamespace`, ns));
  return causes;
}

/** `validateISCSIPersistentVolumeSource`, for the volume named `pvName`. */
function iscsiCauses(src: JsonObject, pvName: string, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const portal = str(src.targetPortal);
  if (portal === '') causes.push(required(`${at}.targetPortal`));
  if (present(src.initiatorName) && `${pvName}:${portal}`.length > 64)
    causes.push(
      invalidValue(
        `${at}.targetportal`,
        portal,
        'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
      ),
    );
  const iqn = str(src.iqn);
  if (iqn === '') causes.push(required(`${at}.iqn`));
  else causes.push(...iscsiNameCauses(iqn, `${at}.iqn`, 'must be valid format'));
  const lun = num(src.lun);
  if (lun < 0 || lun > 255)
    causes.push(invalidValue(`${at}.lun`, lun, 'must be between 0 and 255, inclusive'));
  if ((src.chapAuthDiscovery === true || src.chapAuthSession === true) && !present(src.secretRef))
    causes.push(required(`${at}.secretRef`));
  if (isObject(src.secretRef) && str(src.secretRef.name) === '')
    causes.push(required(`${at}.secretRef.name`));
  if (present(src.initiatorName))
    causes.push(
      ...iscsiNameCauses(str(src.initiatorName), `${at}.initiatorname`, 'must be valid format'),
    );
  return causes;
}

function cinderCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = str(src.volumeID) === '' ? [required(`${at}.volumeID`)] : [];
  return [...causes, ...namespacedSecretCauses(src.secretRef, `${at}.secretRef`)];
}

function azureFileCauses(src: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (str(src.secretName) === '') causes.push(required(`${at}.secretName`));
  if (str(src.shareName) === '') causes.push(required(`${at}.shareName`));
  if (src.secretNamespace === '') causes.push(required(`${at}.secretNamespace`));
  return causes;
}

function storageosCauses(src: JsonObject, at: string): StatusCause[] {
  const name = str(src.volumeName);
  const causes =
    name === '' ? [required(`${at}.volumeName`)] : labelCauses(`${at}.volumeName`, name);
  const ns = str(src.volumeNamespace);
  if (ns !== '') causes.push(...labelCauses(`${at}.volumeNamespace`, ns));
  return [...causes, ...namespacedSecretCauses(src.secretRef, `${at}.secretRef`)];
}

function csiCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = csiDriverCauses(`${at}.driver`, str(src.driver));
  if (str(src.volumeHandle) === '') causes.push(required(`${at}.volumeHandle`));
  for (const ref of CSI_SECRETS) {
    const r = src[ref];
    if (isObject(r)) causes.push(...secretRefCauses(r, `${at}.${ref}`));
  }
  return causes;
}

/** The causes of one source of the volume `pvName` (its fields checked at `at`). */
export function persistentVolumeSourceCauses(
  kind: string,
  src: JsonObject,
  pvName: string,
  at: string,
): StatusCause[] {
  switch (kind) {
    case 'hostPath':
    case 'nfs':
      return sourceCauses(kind, src, at);
    case 'gcePersistentDisk':
      return gcePersistentDiskCauses(src, at);
    case 'awsElasticBlockStore':
      return awsElasticBlockStoreCauses(src, at);
    case 'glusterfs':
      return glusterfsCauses(src, at);
    case 'flocker':
      return flockerCauses(src, at);
    case 'rbd':
      return rbdCauses(src, at);
    case 'quobyte':
      return quobyteCauses(src, at);
    case 'cephfs':
      return cephfsCauses(src, at);
    case 'iscsi':
      return iscsiCauses(src, pvName, at);
    case 'cinder':
      return cinderCauses(src, at);
    case 'fc':
      return fcCauses(src, at);
    case 'flexVolume':
      return flexVolumeCauses(src, at);
    case 'azureFile':
      return azureFileCauses(src, at);
    case 'vsphereVolume':
      return vsphereVolumeCauses(src, at);
    case 'photonPersistentDisk':
      return photonPersistentDiskCauses(src, at);
    case 'portworxVolume':
      return portworxVolumeCauses(src, at);
    case 'azureDisk':
      return azureDiskCauses(src, at);
    case 'scaleIO':
      return scaleIOCauses(src, at);
    case 'local': {
      const path = str(src.path);
      return path === '' ? [required(`${at}.path`)] : noBacksteps(`${at}.path`, path);
    }
    case 'storageos':
      return storageosCauses(src, at);
    case 'csi':
      return csiCauses(src, at);
    default:
      return [];
  }
}
