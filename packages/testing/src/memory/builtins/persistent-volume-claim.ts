/**
 * core/v1 PersistentVolumeClaim: `spec.volumeMode` defaults to `Filesystem`, a new claim's
 * status is `phase: Pending`; kube-apiserver's checks (own code, for its causes and their
 * order): access modes (required, known, `ReadWriteOncePod` alone), the selector, a
 * positive `storage` request, the class name, the volume mode, the data source; on update
 * a spec that changes only where allowed (a `volumeName` or `storageClassName` set for
 * the first time; the request and `volumeAttributesClassName` of a bound claim), a request
 * that does not shrink to the reported capacity, and a fixed volume mode; the data source
 * fields as kube-apiserver normalizes them (`dataSource` and `dataSourceRef` copied into
 * each other, a `dataSource` other than a claim or a VolumeSnapshot dropped); a
 * `volumeAttributesClassName` that is a class name, not removed nor emptied once the status
 * reports a current class; a status write's capacity, allocated resources and their resize
 * statuses; the warnings for the beta class annotation and a fractional byte count. (The
 * `kubernetes.io/pvc-protection` finalizer is `storage-protection/`'s.)
 */
import { dns1123LabelErrors, dns1123SubdomainErrors, Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import {
  forbiddenValue,
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
} from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { labelSelectorCauses } from './label-selector.js';
import { milliValue, wholeValue } from './quantities.js';
import { specDiff } from './spec-diff.js';

/** The access modes of claims and volumes, sorted as kube-apiserver lists them. */
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
/** The volume modes of claims and volumes. */
export const VOLUME_MODES = ['Block', 'Filesystem'];
const ZERO = new Quantity(0n, 0);
const CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const IMMUTABLE_SPEC =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

const specOf = (o: JsonObject): JsonObject => (isObject(o.spec) ? o.spec : {});

/** The claim's `storage` request, as stored (undefined when absent). */
function storageOf(spec: JsonObject): Json | undefined {
  const resources = isObject(spec.resources) ? spec.resources : {};
  return isObject(resources.requests) ? resources.requests.storage : undefined;
}

function dataSourceCauses(ref: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (str(ref.name) === '') causes.push(required(`${at}.name`));
  if (str(ref.kind) === '') causes.push(required(`${at}.kind`));
  const group = str(ref.apiGroup);
  if (group === '' && ref.kind !== 'PersistentVolumeClaim') {
    causes.push(
      invalidValue(
        at,
        str(ref.kind),
        "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
      ),
    );
  }
  if (group !== '') {
    for (const why of dns1123SubdomainErrors(group))
      causes.push(invalidValue(`${at}.apiGroup`, group, why));
  }
  // A `dataSourceRef`'s namespace (a `dataSource` has none) is a namespace name.
  const namespace = str(ref.namespace);
  if (namespace !== '') {
    for (const why of dns1123LabelErrors(namespace))
      causes.push(invalidValue(`${at}.namespace`, namespace, why));
  }
  return causes;
}

/**
 * `dataSource` beside a `dataSourceRef`: not with a namespaced ref, else the same apiGroup
 * (absent and empty differ, as Go compares the pointers' targets), kind and name. The
 * invalid value kube-apiserver quotes is a `field.Path`, which encoding/json writes as `{}`.
 */
function dataSourcePairCauses(spec: JsonObject, at: string): StatusCause[] {
  const { dataSource: source, dataSourceRef: ref } = spec;
  if (!isObject(source) || !isObject(ref)) return [];
  if (str(ref.namespace) !== '') {
    return [invalidValue(at, {}, 'may not be specified when dataSourceRef.namespace is specified')];
  }
  const same =
    (source.apiGroup ?? null) === (ref.apiGroup ?? null) &&
    str(source.kind) === str(ref.kind) &&
    str(source.name) === str(ref.name);
  return same ? [] : [invalidValue(at, {}, 'must match dataSourceRef')];
}

/**
 * The access modes of a claim or a volume at `at`: each one known, `ReadWriteOncePod`
 * alone (their presence is checked by the caller, in its words).
 */
export function accessModeCauses(modes: readonly Json[], at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  let once = false;
  let others = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(String(mode))) causes.push(notSupported(at, mode, ACCESS_MODES));
    else if (mode === 'ReadWriteOncePod') once = true;
    else others = true;
  }
  if (once && others)
    causes.push(forbiddenValue(at, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

/** `ValidatePersistentVolumeClaimSpec` at `at` (a claim's `spec`, an ephemeral volume's claim template's). */
export function claimSpecCauses(spec: JsonObject, at = 'spec'): StatusCause[] {
  const causes: StatusCause[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0)
    causes.push(required(`${at}.accessModes`, 'at least 1 access mode is required'));
  if (isObject(spec.selector)) causes.push(...labelSelectorCauses(spec.selector, `${at}.selector`));
  causes.push(...accessModeCauses(modes, `${at}.accessModes`));
  const storage = storageOf(spec);
  const amount = typeof storage === 'string' ? Quantity.parse(storage) : undefined;
  if (storage === undefined) causes.push(required(`${at}.resources[storage]`));
  else if (amount && amount.digits <= 0n)
    causes.push(invalidValue(`${at}.resources[storage]`, storage, 'must be greater than zero'));
  const className = str(spec.storageClassName);
  for (const why of className ? dns1123SubdomainErrors(className) : [])
    causes.push(invalidValue(`${at}.storageClassName`, className, why));
  if (typeof spec.volumeMode === 'string' && !VOLUME_MODES.includes(spec.volumeMode))
    causes.push(notSupported(`${at}.volumeMode`, spec.volumeMode, VOLUME_MODES));
  if (isObject(spec.dataSource))
    causes.push(...dataSourceCauses(spec.dataSource, `${at}.dataSource`));
  if (isObject(spec.dataSourceRef))
    causes.push(...dataSourceCauses(spec.dataSourceRef, `${at}.dataSourceRef`));
  causes.push(...dataSourcePairCauses(spec, at));
  const vac = str(spec.volumeAttributesClassName);
  for (const why of vac ? dns1123SubdomainErrors(vac) : [])
    causes.push(invalidValue(`${at}.volumeAttributesClassName`, vac, why));
  return causes;
}

/** Removing or emptying the volume attributes class of a claim whose status reports one. */
function attributesClassCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const after = specOf(next).volumeAttributesClassName ?? null;
  const before = specOf(prev).volumeAttributesClassName ?? null;
  const status = isObject(prev.status) ? prev.status : {};
  const current = status.currentVolumeAttributesClassName ?? null;
  if (after === before || current === null || (after !== null && after !== '')) return [];
  const at = 'spec.volumeAttributesClassName';
  const to = after === null ? 'nil' : 'empty string';
  return [
    forbiddenValue(
      at,
      `update to ${to} is forbidden when status.currentVolumeAttributesClassName is not nil`,
    ),
  ];
}

const RESIZE_STATUSES = [
  'ControllerResizeInProgress',
  'ControllerResizeInfeasible',
  'NodeResizeInProgress',
  'NodeResizeInfeasible',
  'NodeResizePending',
];

/** `validatePersistentVolumeClaimResourceKey`: a qualified name, `storage` if native. */
function resourceKeyCauses(key: string, at: string): StatusCause[] {
  const causes = qualifiedNameErrors(key).map((why) => invalidValue(at, key, why));
  if (causes.length) return causes;
  const native = !key.includes('/') || key.includes('kubernetes.io/');
  return native && key !== 'storage' ? [notSupported(at, key, ['storage'])] : [];
}

/** A quantity's causes as `validateBasicResource` gives them (its whole value not negative). */
function basicResourceCauses(value: Json | undefined, at: string): StatusCause[] {
  const q = Quantity.parse(str(value));
  return q && wholeValue(q) < 0n
    ? [invalidValue(at, Number(wholeValue(q)), 'must be a valid resource quantity')]
    : [];
}

/**
 * `ValidatePersistentVolumeClaimStatusUpdate`'s checks of the status (kube-apiserver ranges
 * over these maps in no fixed order; here in key order).
 */
function statusCauses(obj: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const status = isObject(obj.status) ? obj.status : {};
  const entries = (v: Json | undefined) => Object.entries(isObject(v) ? v : {});
  for (const [k, q] of entries(status.capacity))
    causes.push(...basicResourceCauses(q, `status.capacity[${k}]`));
  const statusesAt = 'status.allocatedResourceStatuses';
  for (const [k, v] of entries(status.allocatedResourceStatuses)) {
    causes.push(...resourceKeyCauses(k, statusesAt));
    // kube-apiserver quotes the key, not the status it does not support.
    if (!RESIZE_STATUSES.includes(str(v)))
      causes.push(notSupported(statusesAt, k, RESIZE_STATUSES));
  }
  const allocatedAt = 'status.allocatedResources';
  for (const [k, q] of entries(status.allocatedResources)) {
    const keyCauses = resourceKeyCauses(k, allocatedAt);
    if (keyCauses.length) {
      causes.push(...keyCauses);
      continue;
    }
    const basic = basicResourceCauses(q, `${allocatedAt}[${k}]`);
    const amount = Quantity.parse(str(q));
    if (basic.length) causes.push(...basic);
    else if (amount && amount.sign() < 0)
      causes.push(
        invalidValue(`${allocatedAt}[${k}]`, str(q), 'must be greater than or equal to 0'),
      );
  }
  return causes;
}

const CLASS_ANNOTATION_WARNING = 'deprecated since v1.8; use "storageClassName" attribute instead';

/**
 * `GetWarningsForPersistentVolumeClaimSpec` for the claim spec at `at` (a claim's or an
 * ephemeral volume's claim template's): a `storage` request or limit that is no whole
 * number of bytes.
 */
export function claimSpecWarnings(spec: Json | undefined, at: string): string[] {
  const resources = isObject(spec) && isObject(spec.resources) ? spec.resources : {};
  const warnings: string[] = [];
  for (const kind of ['requests', 'limits']) {
    const list = resources[kind];
    const text = isObject(list) ? str(list.storage) : '';
    const q = Quantity.parse(text);
    if (q && milliValue(q) % 1000n !== 0n)
      warnings.push(
        `${at}.resources.${kind}[storage]: fractional byte value "${text}" is invalid, must be an integer`,
      );
  }
  return warnings;
}

/** The stored spec with what this update may change taken from `next`. */
function allowedSpec(next: JsonObject, prev: JsonObject): JsonObject {
  const a = specOf(next);
  const b = structuredClone(specOf(prev));
  if (str(b.volumeName) === '' && a.volumeName !== undefined) b.volumeName = a.volumeName;
  const annotations = isObject(prev.metadata) ? prev.metadata.annotations : undefined;
  const fromAnnotation = isObject(annotations) ? annotations[CLASS_ANNOTATION] : undefined;
  if (
    b.storageClassName === undefined &&
    typeof a.storageClassName === 'string' &&
    (fromAnnotation === undefined || fromAnnotation === a.storageClassName)
  ) {
    b.storageClassName = a.storageClassName;
  }
  const bound = isObject(next.status) && next.status.phase === 'Bound';
  if (bound) {
    const requests = isObject(a.resources) && isObject(a.resources.requests) ? a.resources : {};
    if (isObject(requests.requests)) {
      b.resources = {
        ...(isObject(b.resources) ? b.resources : {}),
        requests: { ...requests.requests },
      };
    }
    if (a.volumeAttributesClassName === undefined) delete b.volumeAttributesClassName;
    else b.volumeAttributesClassName = a.volumeAttributesClassName;
  }
  return b;
}

/** Whether a `dataSource` is one kube-apiserver keeps without a `dataSourceRef`. */
function claimOrSnapshot(ref: Json | undefined): boolean {
  if (!isObject(ref)) return false;
  const group = str(ref.apiGroup);
  return (
    (ref.kind === 'PersistentVolumeClaim' && group === '') ||
    (ref.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io')
  );
}

/**
 * Drops a `dataSourceRef` naming a namespace (CrossNamespaceVolumeDataSource is off) unless
 * the stored claim has a `dataSourceRef`, as `DropDisabledFields` does.
 */
function dropNamespacedRef(spec: JsonObject, prev?: JsonObject): void {
  const ref = spec.dataSourceRef;
  if (!isObject(ref) || str(ref.namespace) === '') return;
  if (!prev || prev.dataSourceRef === undefined || prev.dataSourceRef === null)
    delete spec.dataSourceRef;
}

/** Drops a legacy `dataSource` of another kind when neither object has data sources. */
function enforceDataSource(spec: JsonObject, prev?: JsonObject): void {
  if (prev && (prev.dataSource !== undefined || prev.dataSourceRef !== undefined)) return;
  if (spec.dataSourceRef === undefined && !claimOrSnapshot(spec.dataSource)) delete spec.dataSource;
}

/** A reference with only the fields both data source kinds have (`apiGroup` is never left out). */
function copyRef(ref: JsonObject): JsonObject {
  return {
    apiGroup: typeof ref.apiGroup === 'string' ? ref.apiGroup : null,
    kind: str(ref.kind),
    name: str(ref.name),
  };
}

/** `dataSource` and `dataSourceRef` made equal when only one is set (a namespaced ref stays alone). */
function normalizeDataSources(spec: JsonObject): void {
  const { dataSource, dataSourceRef } = spec;
  if (isObject(dataSource) && dataSourceRef === undefined) spec.dataSourceRef = copyRef(dataSource);
  else if (
    isObject(dataSourceRef) &&
    dataSource === undefined &&
    str(dataSourceRef.namespace) === ''
  )
    spec.dataSource = copyRef(dataSourceRef);
}

/** core/v1 PersistentVolumeClaim's defaults, validation and update rules. */
export const persistentVolumeClaimRules: KindRules = {
  defaults(obj, create) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    spec.volumeMode ??= 'Filesystem';
    obj.spec = spec;
    if (create) {
      dropNamespacedRef(spec);
      enforceDataSource(spec);
    }
    normalizeDataSources(spec);
    if (create) obj.status = { phase: 'Pending' };
  },
  prepareUpdate(next, prev) {
    if (isObject(next.spec)) {
      dropNamespacedRef(next.spec, specOf(prev));
      enforceDataSource(next.spec, specOf(prev));
    }
  },
  warnings(obj, ctx) {
    if (ctx.subresource) return [];
    const annotations = isObject(obj.metadata) ? obj.metadata.annotations : undefined;
    const warnings =
      isObject(annotations) && annotations[CLASS_ANNOTATION] !== undefined
        ? [`metadata.annotations[${CLASS_ANNOTATION}]: ${CLASS_ANNOTATION_WARNING}`]
        : [];
    return [...warnings, ...claimSpecWarnings(obj.spec, 'spec')];
  },
  // kube-apiserver checks an update's spec first, then what it changes: both here.
  validate: (obj, ctx) => (ctx.create ? claimSpecCauses(specOf(obj)) : []),
  validateUpdate(next, prev, ctx) {
    if (ctx.subresource === 'status') return statusCauses(next);
    const causes = claimSpecCauses(specOf(next));
    const allowed = allowedSpec(next, prev);
    const spec = specOf(next);
    if (!deepEqual(spec, allowed))
      causes.push(
        forbiddenValue(
          'spec',
          `${IMMUTABLE_SPEC}\n${specDiff(allowed, spec, 'core.PersistentVolumeClaimSpec')}`,
        ),
      );
    // RecoverVolumeExpansionFailure (on in 1.36): a request may shrink, down to above the
    // capacity the status reports.
    const before = Quantity.parse(str(storageOf(specOf(prev))));
    const after = Quantity.parse(str(storageOf(spec)));
    const status = isObject(prev.status) ? prev.status : {};
    const capacity = isObject(status.capacity)
      ? Quantity.parse(str(status.capacity.storage))
      : undefined;
    if (before && after && after.compareTo(before) < 0 && after.compareTo(capacity ?? ZERO) <= 0) {
      causes.push(
        forbiddenValue(
          'spec.resources.requests.storage',
          'field can not be less than status.capacity',
        ),
      );
    }
    const mode = spec.volumeMode ?? null;
    if (!deepEqual(mode, specOf(prev).volumeMode ?? null))
      causes.push(invalidValue('volumeMode', mode, FIELD_IMMUTABLE));
    causes.push(...attributesClassCauses(next, prev));
    return causes;
  },
};
