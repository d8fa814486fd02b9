/**
 * A pod spec's volumes and each container's volume mounts, checked as kube-apiserver's
 * `ValidateVolumes` and `ValidateVolumeMounts` check them (own code: the causes, their
 * order and which volumes a mount may name are what a test sees). Covered: volume names
 * (RFC 1123 labels, unique), one source per volume, and the required fields and modes of
 * the common sources (configMap, secret, emptyDir, hostPath, persistentVolumeClaim,
 * projected, nfs, downwardAPI, csi; the others in `pod-volume-sources.ts`); a mount must
 * name a volume that passed its checks, and have a unique `mountPath`.
 */
import { dns1123SubdomainErrors, Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notFoundValue,
  notSupported,
  required,
  rfc1123LabelCauses,
  tooLong,
} from '../validation.js';
import { fieldRefCauses, resourceFieldRefCauses, VOLUME_FIELD_PATHS } from './downward-api.js';
import { moreSourceCauses } from './pod-volume-sources.js';

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

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

function modeCauses(field: string, mode: Json | undefined): StatusCause[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777)
    ? [invalidValue(field, mode, FILE_MODE)]
    : [];
}

/** `validatePathNoBacksteps`: no `..` segment. */
export function noBacksteps(field: string, path: string): StatusCause[] {
  return path.split('/').includes('..') ? [invalidValue(field, path, "must not contain '..'")] : [];
}

/** `validateLocalDescendingPath`: relative, without `..` segments. */
export function descendingPathCauses(field: string, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (path.startsWith('/')) causes.push(invalidValue(field, path, 'must be a relative path'));
  return [...causes, ...noBacksteps(field, path)];
}

/** `ValidateLocalNonReservedPath`: descending, and not starting with `..` (`..data`). */
function localPathCauses(field: string, path: string): StatusCause[] {
  const causes = descendingPathCauses(field, path);
  if (path.startsWith('..') && !path.startsWith('../')) {
    causes.push(invalidValue(field, path, "must not start with '..'"));
  }
  return causes;
}

/** One key-to-path item of a configMap or secret source (or projection). */
function keyToPathCauses(kp: JsonObject, p: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (str(kp.key) === '') causes.push(required(`${p}.key`));
  if (str(kp.path) === '') causes.push(required(`${p}.path`));
  causes.push(...localPathCauses(`${p}.path`, str(kp.path)));
  causes.push(...modeCauses(`${p}.mode`, kp.mode));
  return causes;
}

/** `items` of a configMap or secret source. */
function itemCauses(items: Json | undefined, at: string): StatusCause[] {
  return list(items).flatMap((kp, i) => keyToPathCauses(kp, `${at}.items[${i}]`));
}

/**
 * One downward API volume file. kube-apiserver reports a file's causes at the source's
 * path (`…downwardAPI.path`), without the item's index.
 */
function downwardFileCauses(file: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const path = str(file.path);
  if (path === '') causes.push(required(`${at}.path`));
  causes.push(...localPathCauses(`${at}.path`, path));
  if (isObject(file.fieldRef)) {
    causes.push(...fieldRefCauses(file.fieldRef, `${at}.fieldRef`, VOLUME_FIELD_PATHS));
    if (isObject(file.resourceFieldRef)) {
      causes.push(
        invalidValue(
          at,
          'resource',
          'fieldRef and resourceFieldRef can not be specified simultaneously',
        ),
      );
    }
  } else if (isObject(file.resourceFieldRef)) {
    causes.push(...resourceFieldRefCauses(file.resourceFieldRef, `${at}.resourceFieldRef`, true));
  } else causes.push(required(at, 'one of fieldRef and resourceFieldRef is required'));
  causes.push(...modeCauses(`${at}.mode`, file.mode));
  return causes;
}

/**
 * A projected volume's sources (`validateProjectionSources`): each source's fields, one
 * kind per source, and no path used twice among the files of all sources (reported at the
 * volume's `projected` path with the source's name, or the path for downward API files).
 */
function projectedCauses(src: JsonObject, at: string): StatusCause[] {
  const causes = modeCauses(`${at}.defaultMode`, src.defaultMode);
  const paths = new Set<string>();
  const claim = (path: string, value: string) => {
    if (path === '') return;
    if (paths.has(path)) causes.push(invalidValue(at, value, 'conflicting duplicate paths'));
    else paths.add(path);
  };
  list(src.sources).forEach((s, i) => {
    const p = `${at}.sources[${i}]`;
    let kinds = 0;
    for (const kind of ['secret', 'configMap']) {
      const ref = s[kind];
      if (!isObject(ref)) continue;
      kinds++;
      if (str(ref.name) === '') causes.push(required(`${p}.${kind}.name`));
      list(ref.items).forEach((kp, j) => {
        causes.push(...keyToPathCauses(kp, `${p}.${kind}.items[${j}]`));
        claim(str(kp.path), str(ref.name));
      });
    }
    if (isObject(s.downwardAPI)) {
      kinds++;
      for (const file of list(s.downwardAPI.items)) {
        causes.push(...downwardFileCauses(file, `${p}.downwardAPI`));
        claim(str(file.path), str(file.path));
      }
    }
    const token = s.serviceAccountToken;
    if (isObject(token)) {
      kinds++;
      const seconds = num(token.expirationSeconds);
      const secondsAt = `${p}.serviceAccountToken.expirationSeconds`;
      if (seconds < 600) {
        causes.push(
          invalidValue(secondsAt, seconds, 'may not specify a duration less than 10 minutes'),
        );
      }
      if (seconds > 2 ** 32) {
        causes.push(
          invalidValue(secondsAt, seconds, 'may not specify a duration larger than 2^32 seconds'),
        );
      }
      // kube-apiserver names the projection's own path here, not the token's.
      const path = str(token.path);
      if (path === '') causes.push(required(`${at}.path`));
      else causes.push(...localPathCauses(`${at}.path`, path));
    }
    if (kinds > 1)
      causes.push(forbiddenValue(p, 'may not specify more than 1 volume type per source'));
  });
  return causes;
}

/**
 * `ValidateCSIDriverName` (CSI volumes, DRA drivers, a PersistentVolume's CSI source):
 * required, at most 63 bytes, a DNS subdomain in any case.
 */
export function csiDriverCauses(at: string, driver: string): StatusCause[] {
  if (driver === '') return [required(at)];
  const causes = Buffer.byteLength(driver) > 63 ? [tooLong(at, 63)] : [];
  for (const why of dns1123SubdomainErrors(driver.toLowerCase())) {
    causes.push(invalidValue(at, driver, why));
  }
  return causes;
}

/** A CSI source: a driver named as a (case-insensitive) DNS subdomain, a named secret ref. */
function csiCauses(src: JsonObject, at: string): StatusCause[] {
  const driver = str(src.driver);
  const causes = csiDriverCauses(`${at}.driver`, driver);
  const ref = src.nodePublishSecretRef;
  if (isObject(ref)) {
    const name = str(ref.name);
    if (name === '') causes.push(required(`${at}.nodePublishSecretRef.name`));
    else {
      // kube-apiserver reports a bad secret name at `csi.name`.
      for (const why of dns1123SubdomainErrors(name))
        causes.push(invalidValue(`${at}.name`, name, why));
    }
  }
  return causes;
}

/**
 * The causes of one source's own fields (a pod volume's, `isPod` in a Pod's own spec; a
 * PersistentVolume's `hostPath` and `nfs`, which kube-apiserver checks alike).
 */
export function sourceCauses(
  kind: string,
  src: JsonObject,
  at: string,
  isPod = false,
): StatusCause[] {
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
    case 'emptyDir': {
      const limit = Quantity.parse(String(src.sizeLimit ?? ''));
      return limit && limit.sign() < 0
        ? [forbiddenValue(`${at}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')]
        : [];
    }
    case 'nfs': {
      const causes: StatusCause[] = [];
      if (str(src.server) === '') causes.push(required(`${at}.server`));
      const path = str(src.path);
      if (path === '') causes.push(required(`${at}.path`));
      if (!path.startsWith('/'))
        causes.push(invalidValue(`${at}.path`, path, 'must be an absolute path'));
      return causes;
    }
    case 'downwardAPI':
      return [
        ...modeCauses(`${at}.defaultMode`, src.defaultMode),
        ...list(src.items).flatMap((file) => downwardFileCauses(file, at)),
      ];
    case 'csi':
      return csiCauses(src, at);
    case 'projected':
      return projectedCauses(src, at);
    default:
      return moreSourceCauses(kind, src, at, isPod, descendingPathCauses) ?? [];
  }
}

/** Where kube-apiserver reports a second source of a volume, when not at its own name. */
const SECOND_SOURCE_AT: Record<string, string> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };

/**
 * The causes of an ephemeral volume's claim name, `<pod>-<volume>` (a Pod's own spec only,
 * when both names are set): a PersistentVolumeClaim's name, so a DNS subdomain.
 */
function claimNameCauses(volume: string, at: string, podMeta: JsonObject | undefined) {
  const pod = str(podMeta?.name);
  if (pod === '' || volume === '') return [];
  const claim = `${pod}-${volume}`;
  return dns1123SubdomainErrors(claim).map((msg) =>
    invalidValue(`${at}.name`, volume, `PVC name ${JSON.stringify(claim)}: ${msg}`),
  );
}

/** The causes of a volume's source: exactly one, and its fields. */
function volumeSourceCauses(
  v: JsonObject,
  at: string,
  isPod: boolean,
  podMeta: JsonObject | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  let seen = 0;
  for (const kind of SOURCES) {
    const src = v[kind];
    if (src === undefined || src === null) continue;
    if (seen > 0) {
      const second = SECOND_SOURCE_AT[kind] ?? kind;
      causes.push(forbiddenValue(`${at}.${second}`, 'may not specify more than 1 volume type'));
    } else {
      seen++;
      if (isObject(src)) causes.push(...sourceCauses(kind, src, `${at}.${kind}`, isPod));
      if (kind === 'ephemeral') causes.push(...claimNameCauses(str(v.name), at, podMeta));
    }
    // An initiator name limits the length of `<volume name>:<target portal>`.
    if (kind === 'iscsi' && isObject(src) && src.initiatorName != null) {
      const name = str(v.name);
      if (`${name}:${str(src.targetPortal)}`.length > 64) {
        causes.push(
          invalidValue(
            `${at}.name`,
            name,
            'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
          ),
        );
      }
    }
  }
  if (seen === 0) causes.push(required(at, 'must specify a volume type'));
  return causes;
}

/**
 * The causes of `spec.volumes` (at `path`) and the names of the volumes that passed their
 * checks: a mount may name only those (a volume with errors is not a volume to mount), and
 * a volume device only the claims and ephemeral volumes among them (`claims`).
 */
export function volumeCauses(
  volumes: Json | undefined,
  path: string,
  isPod: boolean,
  podMeta?: JsonObject,
): { causes: StatusCause[]; names: Set<string>; claims: Set<string> } {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  const claims = new Set<string>();
  list(volumes).forEach((v, i) => {
    const at = `${path}[${i}]`;
    const name = str(v.name);
    const own = volumeSourceCauses(v, at, isPod, podMeta);
    if (name === '') own.push(required(`${at}.name`));
    else own.push(...rfc1123LabelCauses(`${at}.name`, name));
    if (names.has(name)) own.push(duplicate(`${at}.name`, name));
    if (own.length === 0) {
      names.add(name);
      if (isObject(v.persistentVolumeClaim) || isObject(v.ephemeral)) claims.add(name);
    } else causes.push(...own);
  });
  return { causes, names, claims };
}

/** A container's `volumeDevices` as a map from volume name to device path (`GetVolumeDeviceMap`). */
function deviceMap(devices: Json | undefined): Map<string, string> {
  return new Map(list(devices).map((d) => [str(d.name), str(d.devicePath)]));
}

const PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

/**
 * `validateMountPropagation` and `validateMountRecursiveReadOnly` of one mount; as there,
 * their causes name the list (`path`) without the mount's index.
 */
function mountModeCauses(m: JsonObject, path: string, privileged: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const propagation = m.mountPropagation;
  if (typeof propagation === 'string') {
    const at = `${path}.mountPropagation`;
    if (!PROPAGATIONS.includes(propagation))
      causes.push(notSupported(at, propagation, PROPAGATIONS));
    if (propagation === 'Bidirectional' && !privileged) {
      causes.push(
        forbiddenValue(
          at,
          'Bidirectional mount propagation is available only to privileged containers',
        ),
      );
    }
  }
  const rro = m.recursiveReadOnly;
  if (typeof rro === 'string' && rro !== 'Disabled') {
    const at = `${path}.recursiveReadOnly`;
    if (!RECURSIVE_READ_ONLY.includes(rro)) causes.push(notSupported(at, rro, RECURSIVE_READ_ONLY));
    else {
      if (m.readOnly !== true)
        causes.push(forbiddenValue(at, 'may only be specified when readOnly is true'));
      if (typeof propagation === 'string' && propagation !== 'None') {
        causes.push(
          forbiddenValue(
            at,
            'may only be specified when mountPropagation is None or not specified',
          ),
        );
      }
    }
  }
  return causes;
}

/**
 * The causes of one container's `volumeMounts` (at `path`), given the mountable volumes,
 * the container's `volumeDevices` and whether it is privileged (`ValidateVolumeMounts`).
 */
export function volumeMountCauses(
  mounts: Json | undefined,
  volumes: Set<string>,
  path: string,
  devices?: Json,
  privileged = false,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const paths = new Set<string>();
  const devs = deviceMap(devices);
  const devPaths = new Set(devs.values());
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
    if (devs.has(name)) {
      causes.push(invalidValue(`${at}.name`, name, 'must not already exist in volumeDevices'));
    }
    if (devPaths.has(mountPath)) {
      causes.push(
        invalidValue(
          `${at}.mountPath`,
          mountPath,
          'must not already exist as a path in volumeDevices',
        ),
      );
    }
    // As there, the path checks name the list without the mount's index.
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath) causes.push(...descendingPathCauses(`${path}.subPath`, subPath));
    if (subPathExpr) {
      if (subPath) {
        causes.push(
          invalidValue(
            `${at}.subPathExpr`,
            subPathExpr,
            'subPathExpr and subPath are mutually exclusive',
          ),
        );
      }
      causes.push(...descendingPathCauses(`${path}.subPathExpr`, subPathExpr));
    }
    causes.push(...mountModeCauses(m, path, privileged));
  });
  return causes;
}

/**
 * The causes of one container's `volumeDevices` (at `path`), as `ValidateVolumeDevices`
 * gives them: a name naming a claim or ephemeral volume of the pod (`claims`; another
 * kind of volume among `volumes` is refused), unique; a device path without `..`, unique;
 * neither the name nor the path one of the container's mounts.
 */
export function volumeDeviceCauses(
  devices: Json | undefined,
  volumes: Set<string>,
  claims: Set<string>,
  path: string,
  mounts?: Json,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  const paths = new Set<string>();
  const mountMap = new Map(list(mounts).map((m) => [str(m.name), str(m.mountPath)]));
  const mountPaths = new Set(mountMap.values());
  list(devices).forEach((d, i) => {
    const at = `${path}[${i}]`;
    const name = str(d.name);
    const devicePath = str(d.devicePath);
    if (name === '') causes.push(required(`${at}.name`));
    if (names.has(name)) causes.push(invalidValue(`${at}.name`, name, 'must be unique'));
    if (volumes.has(name) && !claims.has(name)) {
      causes.push(
        invalidValue(
          `${at}.name`,
          name,
          'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
        ),
      );
    }
    if (!volumes.has(name)) causes.push(notFoundValue(`${at}.name`, name));
    if (devicePath === '') causes.push(required(`${at}.devicePath`));
    if (paths.has(devicePath)) {
      causes.push(invalidValue(`${at}.devicePath`, devicePath, 'must be unique'));
    }
    if (devicePath !== '' && devicePath.split('/').includes('..')) {
      causes.push(invalidValue(`${at}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    } else paths.add(devicePath);
    if (mountMap.has(name)) {
      causes.push(invalidValue(`${at}.name`, name, 'must not already exist in volumeMounts'));
    }
    if (mountPaths.has(devicePath)) {
      causes.push(
        invalidValue(
          `${at}.devicePath`,
          devicePath,
          'must not already exist as a path in volumeMounts',
        ),
      );
    }
    if (name !== '') names.add(name);
  });
  return causes;
}
