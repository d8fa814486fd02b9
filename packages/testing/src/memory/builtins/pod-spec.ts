import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import {
  annotationsCauses,
  forbiddenValue,
  invalidValue,
  labelsCauses,
  notSupported,
  required,
} from '../validation.js';
import { imageTag } from './image-reference.js';
import { containerCauses } from './pod-containers.js';
import { dnsConfigCauses, dnsPolicyCauses } from './pod-dns.js';
import { fileKeyVolumeCauses } from './pod-env.js';
import { dropGatedPodFields } from './pod-gated-fields.js';
import { podLevelResourceCauses } from './pod-level-resources.js';
import { hostProcessCauses, hostUsersCauses, osCauses } from './pod-os.js';
import { podClaimNames, podResourceClaimCauses } from './pod-resource-claims.js';
import { affinityCauses, tolerationsCauses, topologySpreadCauses } from './pod-scheduling.js';
import { podSecurityCauses, usesHostUsers } from './pod-security.js';
import {
  annotationFieldMatchCauses,
  securityAnnotationCauses,
} from './pod-security-annotations.js';
import {
  gateCauses,
  hostAliasCauses,
  hostnameOverrideCauses,
  identityCauses,
  nodeSelectorCauses,
  runtimeClassCauses,
} from './pod-spec-fields.js';
import { volumeCauses } from './pod-volumes.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** The containers of a pod spec, every list. */
function containersOf(ps: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  for (const list of CONTAINER_LISTS) {
    const cs = ps[list];
    if (Array.isArray(cs)) for (const c of cs) if (isObject(c)) out.push(c);
  }
  return out;
}

/** `SetDefaults_HTTPGetAction`, for probes and lifecycle hooks alike. */
function defaultHttpGet(h: Json | undefined): void {
  if (!isObject(h)) return;
  // Go fills empty strings too.
  if (h.path === undefined || h.path === '') h.path = '/';
  if (h.scheme === undefined || h.scheme === '') h.scheme = 'HTTP';
}

function defaultProbe(p: Json | undefined): void {
  if (!isObject(p)) return;
  // Zero means unset, as in Go's SetDefaults_Probe.
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObject(p.grpc)) p.grpc.service ??= '';
  defaultHttpGet(p.httpGet);
}

function defaultFieldRef(ref: Json | undefined): void {
  if (isObject(ref) && (ref.apiVersion === undefined || ref.apiVersion === '')) {
    ref.apiVersion = 'v1';
  }
}

function defaultContainer(c: JsonObject): void {
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') {
    // `Always` for the `latest` tag (given or implied); an image Go's parser cannot read
    // (none at all included) has no tag: `IfNotPresent`.
    const image = typeof c.image === 'string' ? c.image : '';
    c.imagePullPolicy = imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  if (isObject(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      const h = c.lifecycle[hook];
      if (isObject(h)) defaultHttpGet(h.httpGet);
    }
  }
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (isObject(e) && isObject(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
    }
  }
}

/** Volume sources whose `defaultMode` the server fills with 0644. */
const MODE_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'];

/**
 * The defaults of the volume sources a pod volume and a PersistentVolume share (the
 * generated defaulters of `hostPath`, `rbd`, `iscsi`, `azureDisk` and `scaleIO`); `holder`
 * is the volume or the PersistentVolume's spec. Go fills empty strings too.
 */
export function defaultSourceFields(holder: JsonObject): void {
  const fill = (src: Json | undefined, values: JsonObject, emptyToo: boolean) => {
    if (!isObject(src)) return;
    for (const [k, v] of Object.entries(values)) {
      if (src[k] === undefined || src[k] === null || (emptyToo && src[k] === '')) src[k] = v;
    }
  };
  if (isObject(holder.hostPath)) holder.hostPath.type ??= '';
  fill(holder.rbd, { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' }, true);
  fill(holder.iscsi, { iscsiInterface: 'default' }, true);
  fill(
    holder.azureDisk,
    { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' },
    false,
  );
  fill(holder.scaleIO, { storageMode: 'ThinProvisioned', fsType: 'xfs' }, true);
}

function defaultVolume(v: JsonObject): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const s of MODE_SOURCES) {
    const src = v[s];
    if (isObject(src)) src.defaultMode ??= 420;
  }
  defaultSourceFields(v);
  if (isObject(v.image) && (v.image.pullPolicy === undefined || v.image.pullPolicy === '')) {
    // A reference Go's image name parser fails on (an empty one too) has no tag.
    const ref = typeof v.image.reference === 'string' ? v.image.reference : '';
    v.image.pullPolicy = imageTag(ref) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  const claim = isObject(v.ephemeral) ? v.ephemeral.volumeClaimTemplate : undefined;
  if (isObject(claim) && isObject(claim.spec)) claim.spec.volumeMode ??= 'Filesystem';
  if (isObject(v.downwardAPI) && Array.isArray(v.downwardAPI.items)) {
    for (const item of v.downwardAPI.items) if (isObject(item)) defaultFieldRef(item.fieldRef);
  }
  if (isObject(v.projected) && Array.isArray(v.projected.sources)) {
    for (const src of v.projected.sources) {
      if (isObject(src) && isObject(src.serviceAccountToken)) {
        src.serviceAccountToken.expirationSeconds ??= 3600;
      }
      if (isObject(src) && isObject(src.downwardAPI) && Array.isArray(src.downwardAPI.items)) {
        for (const item of src.downwardAPI.items)
          if (isObject(item)) defaultFieldRef(item.fieldRef);
      }
    }
  }
}

/**
 * The defaults of every pod spec, in a Pod or in a template (kube-apiserver's
 * `SetDefaults_PodSpec` and the defaults of containers, probes and volumes), after the
 * fields whose feature gates are off are dropped (`pod-gated-fields.ts`).
 */
export function defaultPodSpec(ps: JsonObject): void {
  dropGatedPodFields(ps);
  // The v1 conversion: the deprecated `serviceAccount` names the account when
  // `serviceAccountName` does not, and is written back as a copy of it.
  if (!str(ps.serviceAccountName) && str(ps.serviceAccount))
    ps.serviceAccountName = ps.serviceAccount!;
  if (str(ps.serviceAccountName)) ps.serviceAccount = ps.serviceAccountName!;
  ps.dnsPolicy ??= 'ClusterFirst';
  ps.restartPolicy ??= 'Always';
  ps.securityContext ??= {};
  ps.terminationGracePeriodSeconds ??= 30;
  ps.schedulerName ??= 'default-scheduler';
  for (const c of containersOf(ps)) defaultContainer(c);
  if (Array.isArray(ps.volumes)) for (const v of ps.volumes) if (isObject(v)) defaultVolume(v);
}

/**
 * A template's `metadata`, which the server always writes (an empty object at least), and
 * its pod spec's defaults (the spec is a struct in kube-apiserver: a missing one is
 * defaulted as an empty one).
 */
export function defaultTemplate(tpl: Json | undefined): void {
  if (!isObject(tpl)) return;
  tpl.metadata ??= {};
  if (!isObject(tpl.spec)) tpl.spec = {};
  defaultPodSpec(tpl.spec as JsonObject);
}

/** The restart policies a pod spec may have. */
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** How a pod spec is checked where it appears. */
export interface PodSpecRules {
  /** The restart policies allowed (the Pod's three by default). */
  restartPolicies?: readonly string[];
  /** True for a Pod's own spec (not a template): host ports must then match under `hostNetwork`. */
  isPod?: boolean;
  /**
   * A Pod's own metadata (not a template's): its name and a volume's make an ephemeral
   * volume's claim name, and its mirror annotation refuses resource claims.
   */
  podMeta?: JsonObject;
}

function restartPolicyCauses(spec: JsonObject, path: string, rules: PodSpecRules): StatusCause[] {
  const allowed = rules.restartPolicies ?? RESTART_POLICIES;
  const policy = spec.restartPolicy;
  if (allowed.includes(String(policy))) return [];
  if (policy === undefined || policy === '' || policy === null) {
    const valid = allowed.map((v) => JSON.stringify(v)).join(', ');
    return [required(`${path}.restartPolicy`, `valid values: ${valid}`)];
  }
  return [notSupported(`${path}.restartPolicy`, policy, allowed)];
}

/**
 * `validatePodHostNetworkDeps`: with `hostNetwork`, a container's host port must be its
 * container port (a template may leave it 0, which the Pod's defaults fill).
 */
function hostNetworkCauses(spec: JsonObject, path: string, isPod: boolean): StatusCause[] {
  if (spec.hostNetwork !== true || !Array.isArray(spec.containers)) return [];
  return spec.containers.flatMap((c, i) => {
    const ports = isObject(c) && Array.isArray(c.ports) ? c.ports : [];
    return ports.flatMap((p, j) => {
      if (!isObject(p)) return [];
      const hp = num(p.hostPort);
      return (isPod || hp !== 0) && hp !== p.containerPort
        ? [
            invalidValue(
              `${path}.containers[${i}].ports[${j}].hostPort`,
              hp,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          ]
        : [];
    });
  });
}

/**
 * The checks of a pod spec at `path`, in kube-apiserver's order (`ValidatePodSpec`):
 * volumes, resource claims (`pod-resource-claims.ts`), containers, init and ephemeral
 * containers (`pod-volumes.ts`, `pod-containers.ts`), pod-level resources (`pod-level-resources.ts`), host network ports, the restart policy (see `PodSpecRules`), the
 * DNS policy, the pod's security context, affinity, DNS config, topology spread
 * constraints, host-process and user-namespace rules, tolerations, the runtime class and
 * overhead, `os`.
 */
export function podSpecCauses(
  spec: Json | undefined,
  path: string,
  rules: PodSpecRules = {},
): StatusCause[] {
  if (!isObject(spec)) return [required(path)];
  const volumes = volumeCauses(
    spec.volumes,
    `${path}.volumes`,
    rules.isPod === true,
    rules.podMeta,
  );
  const pod = {
    volumes: volumes.names,
    claims: volumes.claims,
    hostUsers: usesHostUsers(spec),
    grace: spec.terminationGracePeriodSeconds,
    restartPolicy: spec.restartPolicy,
    resourceClaims: podClaimNames(spec.resourceClaims),
  };
  const causes = [
    ...volumes.causes,
    ...podResourceClaimCauses(spec.resourceClaims, `${path}.resourceClaims`, rules.podMeta),
    ...containerCauses(spec, path, pod),
  ];
  causes.push(...podLevelResourceCauses(spec, path));
  causes.push(...hostNetworkCauses(spec, path, rules.isPod === true));
  causes.push(...restartPolicyCauses(spec, path, rules));
  causes.push(...dnsPolicyCauses(spec, path));
  causes.push(...nodeSelectorCauses(spec, path));
  causes.push(...podSecurityCauses(spec, path));
  causes.push(...affinityCauses(spec.affinity, `${path}.affinity`));
  causes.push(...dnsConfigCauses(spec, path));
  causes.push(...gateCauses(spec, path));
  causes.push(
    ...topologySpreadCauses(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`),
  );
  causes.push(...hostProcessCauses(spec, path), ...hostUsersCauses(spec, path));
  causes.push(...hostnameOverrideCauses(spec, path));
  causes.push(...identityCauses(spec, path));
  causes.push(...tolerationsCauses(spec.tolerations, `${path}.tolerations`));
  causes.push(...hostAliasCauses(spec, path));
  causes.push(...runtimeClassCauses(spec, path));
  causes.push(...osCauses(spec, path));
  causes.push(...fileKeyVolumeCauses(spec, path));
  return causes;
}

/**
 * The checks of the pod template at `path` (`ValidatePodTemplateSpec`, which every kind
 * with a pod template calls): its labels and annotation keys (at `<path>.labels` and
 * `<path>.annotations`, as kube-apiserver names them), its seccomp and AppArmor
 * annotations, its pod spec, the annotations against the spec's profile fields
 * (`pod-security-annotations.ts`), no ephemeral containers.
 */
export function podTemplateCauses(
  tpl: JsonObject,
  path: string,
  rules: PodSpecRules = {},
): StatusCause[] {
  const meta = isObject(tpl.metadata) ? tpl.metadata : {};
  const annotations = meta.annotations;
  const spec = isObject(tpl.spec) ? tpl.spec : {};
  const causes = [
    ...labelsCauses(meta.labels, `${path}.labels`),
    ...annotationsCauses(annotations, `${path}.annotations`),
    ...securityAnnotationCauses(annotations, spec, `${path}.annotations`),
    ...podSpecCauses(tpl.spec, `${path}.spec`, rules),
    ...annotationFieldMatchCauses(annotations, spec, `${path}.spec`),
  ];
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length) {
    causes.push(
      forbiddenValue(
        `${path}.spec.ephemeralContainers`,
        'ephemeral containers not allowed in pod template',
      ),
    );
  }
  return causes;
}
