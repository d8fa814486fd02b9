/**
 * A pod spec's volumes and each container's volume mounts, checked as kube-apiserver's
 * `ValidateVolumes` and `ValidateVolumeMounts` check them (own code: the causes, their
 * order and which volumes a mount may name are what a test sees). Covered: volume names
 * (RFC 1123 labels, unique), one source per volume, and the required fields and modes of
 * the common sources (configMap, secret, emptyDir, hostPath, persistentVolumeClaim,
 * projected); a mount must name a volume that passed its checks, and have a unique
 * `mountPath`. Other sources are accepted as given.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notFoundValue,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';

/** The volume sources in the order kube-apiserver's VolumeSource declares (and checks) them. */
const SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
];

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

function modeCauses(field: string, mode: Json | undefined): StatusCause[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777)
    ? [invalidValue(field, mode, FILE_MODE)]
    : [];
}

/** `items` of a configMap or secret source (or projection): key and path required. */
function itemCauses(items: Json | undefined, at: string): StatusCause[] {
  return list(items).flatMap((kp, i) => {
    const p = `${at}.items[${i}]`;
    const causes: StatusCause[] = [];
    if (str(kp.key) === '') causes.push(required(`${p}.key`));
    if (str(kp.path) === '') causes.push(required(`${p}.path`));
    causes.push(...modeCauses(`${p}.mode`, kp.mode));
    return causes;
  });
}

function noBacksteps(field: string, path: string): StatusCause[] {
  return path.split('/').includes('..') ? [invalidValue(field, path, "must not contain '..'")] : [];
}

function projectedCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = modeCauses(`${at}.defaultMode`, src.defaultMode);
  list(src.sources).forEach((s, i) => {
    const p = `${at}.sources[${i}]`;
    for (const kind of ['secret', 'configMap']) {
      const ref = s[kind];
      if (!isObject(ref)) continue;
      if (str(ref.name) === '') causes.push(required(`${p}.${kind}.name`));
      causes.push(...itemCauses(ref.items, `${p}.${kind}`));
    }
    const token = s.serviceAccountToken;
    if (isObject(token)) {
      const seconds = token.expirationSeconds;
      if (typeof seconds === 'number' && seconds < 600) {
        causes.push(
          invalidValue(
            `${p}.serviceAccountToken.expirationSeconds`,
            seconds,
            'may not specify a duration less than 10 minutes',
          ),
        );
      }
      // kube-apiserver names the projection's own path here, not the token's.
      if (str(token.path) === '') causes.push(required(`${at}.path`));
    }
  });
  return causes;
}

/** The causes of one source's own fields. */
function sourceCauses(kind: string, src: JsonObject, at: string): StatusCause[] {
  switch (kind) {
    case 'hostPath': {
      const path = str(src.path);
      if (path === '') return [required(`${at}.path`)];
      const causes = noBacksteps(`${at}.path`, path);
      const type = src.type;
      if (type !== undefined && type !== null && !HOST_PATH_TYPES.includes(String(type))) {
        causes.push(notSupported(`${at}.type`, type, HOST_PATH_TYPES));
      }
      return causes;
    }
    case 'secret':
      return [
        ...(str(src.secretName) === '' ? [required(`${at}.secretName`)] : []),
        ...modeCauses(`${at}.defaultMode`, src.defaultMode),
        ...itemCauses(src.items, at),
      ];
    case 'configMap':
      return [
        ...(str(src.name) === '' ? [required(`${at}.name`)] : []),
        ...modeCauses(`${at}.defaultMode`, src.defaultMode),
        ...itemCauses(src.items, at),
      ];
    case 'persistentVolumeClaim':
      return str(src.claimName) === '' ? [required(`${at}.claimName`)] : [];
    case 'projected':
      return projectedCauses(src, at);
    default:
      return [];
  }
}

/** The causes of a volume's source: exactly one, and its fields. */
function volumeSourceCauses(v: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  let seen = 0;
  for (const kind of SOURCES) {
    const src = v[kind];
    if (src === undefined || src === null) continue;
    if (seen > 0) {
      causes.push(forbiddenValue(`${at}.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    seen++;
    if (isObject(src)) causes.push(...sourceCauses(kind, src, `${at}.${kind}`));
  }
  if (seen === 0) causes.push(required(at, 'must specify a volume type'));
  return causes;
}

/**
 * The causes of `spec.volumes` (at `path`) and the names of the volumes that passed their
 * checks: a mount may name only those (a volume with errors is not a volume to mount).
 */
export function volumeCauses(
  volumes: Json | undefined,
  path: string,
): { causes: StatusCause[]; names: Set<string> } {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  list(volumes).forEach((v, i) => {
    const at = `${path}[${i}]`;
    const name = str(v.name);
    const own = volumeSourceCauses(v, at);
    if (name === '') own.push(required(`${at}.name`));
    else own.push(...rfc1123LabelCauses(`${at}.name`, name));
    if (names.has(name)) own.push(duplicate(`${at}.name`, name));
    if (own.length === 0) names.add(name);
    else causes.push(...own);
  });
  return { causes, names };
}

/** The causes of one container's `volumeMounts` (at `path`), given the mountable volumes. */
export function volumeMountCauses(
  mounts: Json | undefined,
  volumes: Set<string>,
  path: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const paths = new Set<string>();
  list(mounts).forEach((m, i) => {
    const at = `${path}[${i}]`;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (name === '') causes.push(required(`${at}.name`));
    if (!volumes.has(name)) causes.push(notFoundValue(`${at}.name`, name));
    if (mountPath === '') causes.push(required(`${at}.mountPath`));
    if (paths.has(mountPath))
      causes.push(invalidValue(`${at}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
  });
  return causes;
}
