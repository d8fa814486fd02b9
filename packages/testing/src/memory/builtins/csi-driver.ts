/**
 * storage.k8s.io/v1 CSIDriver: storage/v1's defaults (`attachRequired: true`,
 * `podInfoOnMount`, `storageCapacity`, `requiresRepublish` and `seLinuxMount` false,
 * `fsGroupPolicy: ReadWriteOnceWithFSType`, `volumeLifecycleModes: [Persistent]`) and
 * kube-apiserver's checks (own code, for the causes and their order): the required
 * booleans, a known fsGroupPolicy and lifecycle modes, token requests with distinct
 * audiences and a duration from 10 minutes to 2^32 seconds, a node allocatable update
 * period of at least 10 seconds, `serviceAccountTokenInSecrets` only with token requests;
 * an update may change neither `attachRequired` (reported at `spec.attachedRequired`, as
 * there) nor `volumeLifecycleModes`. A write whose token requests are new and leave
 * `serviceAccountTokenInSecrets` unset is warned about. `preventPodSchedulingIfMissing` is
 * dropped (its VolumeLimitScaling gate is off in 1.36) unless the stored driver had it.
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { duplicate, invalidValue, notSupported, required } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];
const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'];
const TOKEN_WARNING =
  'spec.serviceAccountTokenInSecrets is unset; if supported by this CSI driver, set to true to prevent possible logging of tokens in volume attributes';

const specOf = (o: JsonObject): JsonObject => (isObject(o.spec) ? o.spec : {});
const present = (v: Json | undefined) => v !== undefined && v !== null;
const tokenRequests = (spec: JsonObject) =>
  Array.isArray(spec.tokenRequests) ? spec.tokenRequests : [];

function tokenRequestCauses(requests: Json[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const audiences = new Set<string>();
  requests.forEach((r, i) => {
    if (!isObject(r)) return;
    const at = `spec.tokenRequests[${i}]`;
    const audience = typeof r.audience === 'string' ? r.audience : '';
    if (audiences.has(audience)) {
      causes.push(duplicate(`${at}.audience`, audience));
      return;
    }
    audiences.add(audience);
    const seconds = r.expirationSeconds;
    if (typeof seconds !== 'number') return;
    if (seconds < 600)
      causes.push(
        invalidValue(
          `${at}.expirationSeconds`,
          seconds,
          'may not specify a duration less than 10 minutes',
        ),
      );
    if (seconds > 2 ** 32)
      causes.push(
        invalidValue(
          `${at}.expirationSeconds`,
          seconds,
          'may not specify a duration larger than 2^32 seconds',
        ),
      );
  });
  return causes;
}

/** `validateCSIDriverSpec`, in its order. */
function specCauses(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!present(spec.attachRequired)) causes.push(required('spec.attachedRequired'));
  if (!present(spec.podInfoOnMount)) causes.push(required('spec.podInfoOnMount'));
  if (!present(spec.storageCapacity)) causes.push(required('spec.storageCapacity'));
  const policy = spec.fsGroupPolicy;
  if (present(policy) && !FS_GROUP_POLICIES.includes(String(policy)))
    causes.push(notSupported('spec.fsGroupPolicy', policy, FS_GROUP_POLICIES));
  causes.push(...tokenRequestCauses(tokenRequests(spec)));
  const modes = Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes : [];
  for (const mode of modes)
    if (!LIFECYCLE_MODES.includes(String(mode)))
      causes.push(notSupported('spec.volumeLifecycleModes', mode, LIFECYCLE_MODES));
  if (!present(spec.seLinuxMount)) causes.push(required('spec.seLinuxMount'));
  const period = spec.nodeAllocatableUpdatePeriodSeconds;
  if (typeof period === 'number' && period < 10)
    causes.push(
      invalidValue(
        'spec.nodeAllocatableUpdatePeriodSeconds',
        period,
        'must be greater than or equal to 10 seconds',
      ),
    );
  const inSecrets = spec.serviceAccountTokenInSecrets;
  if (present(inSecrets) && tokenRequests(spec).length === 0)
    causes.push(
      invalidValue(
        'spec.serviceAccountTokenInSecrets',
        inSecrets,
        'serviceAccountTokenInSecrets is set but no tokenRequests are specified',
      ),
    );
  return causes;
}

/** The field of the VolumeLimitScaling gate, off in 1.36. */
const GATED = 'preventPodSchedulingIfMissing';

/** storage.k8s.io/v1 CSIDriver's defaults, validation, immutable fields and warnings. */
export const csiDriverRules: KindRules = {
  prepareCreate(obj) {
    delete specOf(obj)[GATED];
  },
  prepareUpdate(next, prev) {
    if (!present(specOf(prev)[GATED])) delete specOf(next)[GATED];
  },
  defaults(obj) {
    const spec = specOf(obj);
    spec.attachRequired ??= true;
    spec.podInfoOnMount ??= false;
    spec.storageCapacity ??= false;
    spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0)
      spec.volumeLifecycleModes = ['Persistent'];
    spec.requiresRepublish ??= false;
    spec.seLinuxMount ??= false;
    obj.spec = spec;
  },
  // An update is checked as a create first, then its immutable fields, as there.
  validate: (obj, ctx) => (ctx.create ? specCauses(specOf(obj)) : []),
  validateUpdate(next, prev) {
    const a = specOf(next);
    const b = specOf(prev);
    const causes = specCauses(a);
    if (!deepEqual(a.attachRequired ?? null, b.attachRequired ?? null))
      causes.push(invalidValue('spec.attachedRequired', a.attachRequired ?? null, FIELD_IMMUTABLE));
    if (!deepEqual(a.volumeLifecycleModes ?? null, b.volumeLifecycleModes ?? null))
      causes.push(
        invalidValue('spec.volumeLifecycleModes', a.volumeLifecycleModes ?? null, FIELD_IMMUTABLE),
      );
    return causes;
  },
  warnings(obj, ctx) {
    const spec = specOf(obj);
    const requests = tokenRequests(spec);
    if (requests.length === 0 || present(spec.serviceAccountTokenInSecrets)) return [];
    const before = ctx.old ? tokenRequests(specOf(ctx.old)) : undefined;
    return before && deepEqual(before, requests) ? [] : [TOKEN_WARNING];
  },
};
