/**
 * core/v1 PersistentVolume: kube-apiserver's defaults (`persistentVolumeReclaimPolicy`
 * `Retain`, `volumeMode` `Filesystem`), a new volume's status (`phase: Pending` since the
 * moment of creation, whatever the client sent) and its checks (own code, for the causes
 * and their order): access modes, a positive `storage` capacity and nothing else, the
 * reclaim policy, node affinity (`required` node selector terms), exactly one volume
 * source with the fields of `hostPath`, `nfs`, `local` (which needs node affinity) and
 * `csi` checked (other sources as given, as for pod volumes), no `Recycle` of a hostPath
 * `/`, the class names, the volume mode, a `volumeAttributesClassName` only on a CSI
 * volume, and mount options only on volume types that take them. An update is checked
 * twice over as kube-apiserver does (its causes are listed twice, once in the message),
 * then the source, volume mode and node affinity may not change (but a GA label for its
 * beta name, and a first `controllerExpandSecretRef`), nor a volume attributes class be
 * removed. A status update moves `lastPhaseTransitionTime` when the phase changes.
 */
import { dns1123SubdomainErrors, Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { sortedKeys } from '../go-print.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import { timestamp } from '../state.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { internalJson } from './go-internal-json.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { nodeSelectorTermWarnings } from './node-label-warnings.js';
import { accessModeCauses, VOLUME_MODES } from './persistent-volume-claim.js';
import { persistentVolumeSourceCauses } from './persistent-volume-sources.js';
import { nodeSelectorTermsCauses } from './pod-scheduling.js';
import { defaultSourceFields } from './pod-spec.js';
import { wholeValue } from './quantities.js';
import { specDiff } from './spec-diff.js';

/** The sources of a PersistentVolumeSource, in the order kube-apiserver checks them. */
const SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];
/** Sources that take mount options (`volume.beta.kubernetes.io/mount-options`). */
const MOUNTABLE = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'nfs',
  'rbd',
  'quobyte',
  'iscsi',
  'cinder',
  'cephfs',
  'azureFile',
  'vsphereVolume',
  'azureDisk',
  'photonPersistentDisk',
];
const MOUNT_OPTIONS = 'volume.beta.kubernetes.io/mount-options';
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
/** Node label keys whose GA name may replace the beta one in a volume's node affinity. */
const BETA_TO_GA: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
};

const specOf = (o: JsonObject): JsonObject => (isObject(o.spec) ? o.spec : {});
const present = (v: Json | undefined) => v !== undefined && v !== null;

/** `ValidateClassName` (a DNS subdomain) for a class name at `at`. */
function classNameCauses(name: string, at: string): StatusCause[] {
  return dns1123SubdomainErrors(name).map((why) => invalidValue(at, name, why));
}

function capacityCauses(capacity: Json | undefined, spec: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const entries = isObject(capacity) ? Object.entries(capacity) : [];
  if (entries.length === 0) causes.push(required(`${spec}.capacity`));
  if (!isObject(capacity) || capacity.storage === undefined || entries.length > 1)
    causes.push(notSupported(`${spec}.capacity`, sortedKeys(capacity ?? null), ['storage']));
  for (const [name, v] of entries) {
    const text = typeof v === 'number' ? String(v) : str(v);
    const q = Quantity.parse(text);
    if (!q) continue;
    const at = `${spec}.capacity[${name}]`;
    if (wholeValue(q) < 0n)
      causes.push(invalidValue(at, Number(wholeValue(q)), 'must be a valid resource quantity'));
    if (q.sign() <= 0) causes.push(invalidValue(at, text, 'must be greater than zero'));
  }
  return causes;
}

/** Whether Go's `path.Clean` makes `/` of a path. */
function isRoot(path: string): boolean {
  if (!path.startsWith('/')) return false;
  let depth = 0;
  for (const seg of path.split('/')) {
    if (seg === '..') depth = Math.max(0, depth - 1);
    else if (seg !== '' && seg !== '.') depth++;
  }
  return depth === 0;
}

/** Where kube-apiserver reports a second source, where it differs from the source's name. */
const SECOND_SOURCE_AT: Record<string, string> = { cephfs: 'cephFS' };
/** Where kube-apiserver checks a source's fields, where it differs from the source's name. */
const SOURCE_AT: Record<string, string> = { gcePersistentDisk: 'persistentDisk' };
const INLINE = 'in the context of inline volumes';

/**
 * `ValidatePersistentVolumeSpec` for the spec at `at` (`spec`, or a VolumeAttachment's
 * `spec.source.inlineVolumeSpec` with `inline`: no claim, capacity, node affinity or
 * class there, a CSI source, reclaim policy `Retain` and volume mode `Filesystem` only).
 */
export function persistentVolumeSpecCauses(
  spec: JsonObject,
  pvName: string,
  at: string,
  inline = false,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (inline) {
    if (present(spec.claimRef))
      causes.push(forbiddenValue(`${at}.claimRef`, `may not be specified ${INLINE}`));
    if (isObject(spec.capacity) && Object.keys(spec.capacity).length > 0)
      causes.push(forbiddenValue(`${at}.capacity`, `may not be specified ${INLINE}`));
    if (!present(spec.csi)) causes.push(required(`${at}.csi`, `has to be specified ${INLINE}`));
  }
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) causes.push(required(`${at}.accessModes`));
  causes.push(...accessModeCauses(modes, `${at}.accessModes`));
  if (!inline) causes.push(...capacityCauses(spec.capacity, at));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy !== '' && inline && policy !== 'Retain')
    causes.push(
      forbiddenValue(`${at}.persistentVolumeReclaimPolicy`, `may only be Retain ${INLINE}`),
    );
  else if (policy !== '' && !inline && !RECLAIM_POLICIES.includes(policy))
    causes.push(notSupported(`${at}.persistentVolumeReclaimPolicy`, policy, RECLAIM_POLICIES));
  const affinity = spec.nodeAffinity;
  if (present(affinity) && inline)
    causes.push(forbiddenValue(`${at}.nodeAffinity`, `may not be specified ${INLINE}`));
  else if (isObject(affinity)) {
    if (isObject(affinity.required))
      causes.push(...nodeSelectorTermsCauses(affinity.required, `${at}.nodeAffinity.required`));
    else
      causes.push(
        required(`${at}.nodeAffinity.required`, 'must specify required node constraints'),
      );
  }
  let sources = 0;
  for (const kind of SOURCES) {
    const src = spec[kind];
    if (!present(src)) continue;
    // kube-apiserver counts a flexVolume without checking for an earlier source.
    if (sources > 0 && kind !== 'flexVolume') {
      const second = `${at}.${SECOND_SOURCE_AT[kind] ?? kind}`;
      causes.push(forbiddenValue(second, 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    if (isObject(src))
      causes.push(
        ...persistentVolumeSourceCauses(kind, src, pvName, `${at}.${SOURCE_AT[kind] ?? kind}`),
      );
    if (kind === 'local' && !isObject(affinity))
      causes.push(required(`${at}.nodeAffinity`, 'Local volume requires node affinity'));
  }
  if (sources === 0) causes.push(required(at, 'must specify a volume type'));
  const hostPath = isObject(spec.hostPath) ? str(spec.hostPath.path) : undefined;
  if (hostPath !== undefined && isRoot(hostPath) && policy === 'Recycle')
    causes.push(
      forbiddenValue(
        `${at}.persistentVolumeReclaimPolicy`,
        "may not be 'recycle' for a hostPath mount of '/'",
      ),
    );
  const className = str(spec.storageClassName);
  if (className !== '' && inline)
    causes.push(forbiddenValue(`${at}.storageClassName`, `may not be specified ${INLINE}`));
  else if (className !== '') causes.push(...classNameCauses(className, `${at}.storageClassName`));
  const mode = spec.volumeMode;
  if (typeof mode === 'string' && inline && mode !== 'Filesystem')
    causes.push(
      forbiddenValue(
        `${at}.volumeMode`,
        `may not specify volumeMode other than Filesystem ${INLINE}`,
      ),
    );
  else if (typeof mode === 'string' && !inline && !VOLUME_MODES.includes(mode))
    causes.push(notSupported(`${at}.volumeMode`, mode, VOLUME_MODES));
  const vac = spec.volumeAttributesClassName;
  if (typeof vac === 'string') {
    if (vac === '')
      causes.push(required(`${at}.volumeAttributesClassName`, 'an empty string is disallowed'));
    else causes.push(...classNameCauses(vac, `${at}.volumeAttributesClassName`));
    if (!present(spec.csi))
      causes.push(
        required(`${at}.csi`, 'has to be specified when using volumeAttributesClassName'),
      );
  }
  return causes;
}

/** `ValidatePersistentVolumeSpec` for a volume. */
const volumeCauses = (obj: JsonObject) =>
  persistentVolumeSpecCauses(
    specOf(obj),
    isObject(obj.metadata) ? str(obj.metadata.name) : '',
    'spec',
  );

/** The mount options annotation on a volume type that takes none (`checkMountOption`). */
function mountOptionCauses(obj: JsonObject): StatusCause[] {
  const spec = specOf(obj);
  const causes: StatusCause[] = [];
  const annotations = isObject(obj.metadata) ? obj.metadata.annotations : undefined;
  if (
    isObject(annotations) &&
    annotations[MOUNT_OPTIONS] !== undefined &&
    !MOUNTABLE.some((k) => present(spec[k]))
  ) {
    causes.push(
      forbiddenValue(
        `metadata.annotations.${MOUNT_OPTIONS}`,
        'may not specify mount options for this volume type',
      ),
    );
  }
  return causes;
}

/** The source fields of a spec (its PersistentVolumeSource). */
function sourceOf(spec: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of SOURCES) if (present(spec[k])) out[k] = spec[k] as Json;
  return out;
}

/** A node affinity with beta label keys that the new one names by their GA name renamed. */
function withGaKeys(old: Json | undefined, next: Json | undefined): Json | undefined {
  if (!isObject(old) || !isObject(next)) return old;
  const copy = structuredClone(old);
  const terms = (a: Json | undefined) =>
    isObject(a) && isObject(a.required) && Array.isArray(a.required.nodeSelectorTerms)
      ? a.required.nodeSelectorTerms
      : [];
  const newTerms = terms(next);
  terms(copy).forEach((t, i) => {
    const nt = newTerms[i];
    if (!isObject(t) || !isObject(nt)) return;
    for (const list of ['matchExpressions', 'matchFields']) {
      const reqs = Array.isArray(t[list]) ? t[list] : [];
      const newReqs = Array.isArray(nt[list]) ? nt[list] : [];
      reqs.forEach((r, j) => {
        const nr = newReqs[j];
        const ga = isObject(r) ? BETA_TO_GA[str(r.key)] : undefined;
        if (isObject(r) && isObject(nr) && ga !== undefined && ga === nr.key) r.key = ga;
      });
    }
  });
  return copy;
}

function updateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const a = specOf(next);
  const b = specOf(prev);
  const causes: StatusCause[] = [];
  const after = sourceOf(a);
  const before = sourceOf(b);
  // A first controllerExpandSecretRef may be added to a CSI volume.
  if (
    isObject(before.csi) &&
    isObject(after.csi) &&
    before.csi.controllerExpandSecretRef === undefined
  )
    after.csi = { ...after.csi, controllerExpandSecretRef: null };
  if (isObject(before.csi) && before.csi.controllerExpandSecretRef === undefined)
    before.csi = { ...before.csi, controllerExpandSecretRef: null };
  if (!deepEqual(after, before))
    causes.push(
      forbiddenValue(
        'spec.persistentvolumesource',
        `spec.persistentvolumesource is immutable after creation\n${specDiff(before, after, 'core.PersistentVolumeSource')}`,
      ),
    );
  if (!deepEqual(a.volumeMode ?? null, b.volumeMode ?? null))
    causes.push(invalidValue('volumeMode', a.volumeMode ?? null, FIELD_IMMUTABLE));
  if (
    present(b.nodeAffinity) &&
    !deepEqual(a.nodeAffinity ?? null, withGaKeys(b.nodeAffinity, a.nodeAffinity) ?? null)
  )
    causes.push(
      invalidValue(
        'nodeAffinity',
        internalJson(a.nodeAffinity, '*core.VolumeNodeAffinity'),
        `${FIELD_IMMUTABLE}, except for updating from beta label to GA`,
      ),
    );
  if (typeof b.volumeAttributesClassName === 'string' && !present(a.volumeAttributesClassName))
    causes.push(
      forbiddenValue(
        'spec.volumeAttributesClassName',
        'update from non-nil value to nil is forbidden',
      ),
    );
  return causes;
}

/** Deprecated annotations of a volume and what kube-apiserver says of each. */
const DEPRECATED_ANNOTATIONS: readonly (readonly [string, string])[] = [
  [
    'volume.beta.kubernetes.io/storage-class',
    'deprecated since v1.8; use "storageClassName" attribute instead',
  ],
  [MOUNT_OPTIONS, 'deprecated since v1.31; use "mountOptions" attribute instead'],
];
/** Deprecated volume plugins and what kube-apiserver says of each. */
const DEPRECATED_SOURCES: readonly (readonly [string, string, string])[] = [
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

/** `GetWarningsForPersistentVolume`. */
function volumeWarnings(obj: JsonObject): string[] {
  const spec = specOf(obj);
  const annotations = isObject(obj.metadata) ? obj.metadata.annotations : undefined;
  const warnings: string[] = [];
  for (const [key, msg] of DEPRECATED_ANNOTATIONS)
    if (isObject(annotations) && annotations[key] !== undefined)
      warnings.push(`metadata.annotations[${key}]: ${msg}`);
  if (spec.persistentVolumeReclaimPolicy === 'Recycle')
    warnings.push(
      'spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.',
    );
  const affinity = spec.nodeAffinity;
  if (isObject(affinity) && isObject(affinity.required)) {
    const terms = affinity.required.nodeSelectorTerms;
    (Array.isArray(terms) ? terms : []).forEach((term, i) => {
      const at = `spec.nodeAffinity.required.nodeSelectorTerms[${i}]`;
      warnings.push(...nodeSelectorTermWarnings(term, false, at));
    });
  }
  for (const [kind, at, msg] of DEPRECATED_SOURCES)
    if (present(spec[kind])) warnings.push(`spec.${at}: ${msg}`);
  return warnings;
}

/** core/v1 PersistentVolume's defaults, status, validation and update rules. */
export const persistentVolumeRules: KindRules = {
  defaults(obj, create) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    defaultSourceFields(spec);
    obj.spec = spec;
    if (create) obj.status = { phase: 'Pending', lastPhaseTransitionTime: timestamp() };
  },
  prepareSubresourceUpdate(next, prev, subresource) {
    if (subresource !== 'status') return;
    const status: JsonObject = isObject(next.status) ? next.status : {};
    const old = isObject(prev.status) ? prev.status : {};
    if (status.phase === old.phase) {
      if (status.lastPhaseTransitionTime === undefined && old.lastPhaseTransitionTime !== undefined)
        status.lastPhaseTransitionTime = old.lastPhaseTransitionTime;
    } else if (
      status.lastPhaseTransitionTime === undefined ||
      status.lastPhaseTransitionTime === old.lastPhaseTransitionTime
    ) {
      status.lastPhaseTransitionTime = timestamp();
    }
    next.status = status;
  },
  warnings: (obj, ctx) => (ctx.subresource ? [] : volumeWarnings(obj)),
  // An update is checked as a new volume, then again with what it changes, as there.
  validate: (obj, ctx) => (ctx.create ? [...volumeCauses(obj), ...mountOptionCauses(obj)] : []),
  validateUpdate: (next, prev, ctx) =>
    ctx.subresource
      ? []
      : [
          ...volumeCauses(next),
          ...mountOptionCauses(next),
          ...volumeCauses(next),
          ...updateCauses(next, prev),
        ],
};
