import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { notSupported, required } from '../validation.js';
import { containerCauses } from './pod-containers.js';
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

/** Go's `parsers.ParseImageName` tag rule: no tag and no digest means `latest`. */
function pullPolicyFor(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const lastPart = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  const latest = tag === 'latest' || (tag === '' && !image.includes('@'));
  return latest ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Json | undefined): void {
  if (!isObject(p)) return;
  // Zero means unset, as in Go's SetDefaults_Probe.
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObject(p.grpc)) p.grpc.service ??= '';
  if (isObject(p.httpGet)) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultFieldRef(ref: Json | undefined): void {
  if (isObject(ref) && (ref.apiVersion === undefined || ref.apiVersion === '')) {
    ref.apiVersion = 'v1';
  }
}

function defaultContainer(c: JsonObject): void {
  if (
    typeof c.image === 'string' &&
    (c.imagePullPolicy === undefined || c.imagePullPolicy === '')
  ) {
    c.imagePullPolicy = pullPolicyFor(c.image);
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (isObject(e) && isObject(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
    }
  }
}

/** Volume sources whose `defaultMode` the server fills with 0644. */
const MODE_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'];

function defaultVolume(v: JsonObject): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const s of MODE_SOURCES) {
    const src = v[s];
    if (isObject(src)) src.defaultMode ??= 420;
  }
  if (isObject(v.hostPath)) v.hostPath.type ??= '';
  if (isObject(v.downwardAPI) && Array.isArray(v.downwardAPI.items)) {
    for (const item of v.downwardAPI.items) if (isObject(item)) defaultFieldRef(item.fieldRef);
  }
  if (isObject(v.projected) && Array.isArray(v.projected.sources)) {
    for (const src of v.projected.sources) {
      if (isObject(src) && isObject(src.serviceAccountToken)) {
        src.serviceAccountToken.expirationSeconds ??= 3600;
      }
    }
  }
}

/**
 * The defaults of every pod spec, in a Pod or in a template (kube-apiserver's
 * `SetDefaults_PodSpec` and the defaults of containers, probes and volumes).
 * `restartPolicy` is left alone when `defaultRestartPolicy` is false (Job templates,
 * whose validation wants it set explicitly).
 */
export function defaultPodSpec(ps: JsonObject, defaultRestartPolicy = true): void {
  ps.dnsPolicy ??= 'ClusterFirst';
  if (defaultRestartPolicy) ps.restartPolicy ??= 'Always';
  ps.securityContext ??= {};
  ps.terminationGracePeriodSeconds ??= 30;
  ps.schedulerName ??= 'default-scheduler';
  for (const c of containersOf(ps)) defaultContainer(c);
  if (Array.isArray(ps.volumes)) for (const v of ps.volumes) if (isObject(v)) defaultVolume(v);
}

/** A template's `metadata`, which the server always writes (an empty object at least). */
export function defaultTemplate(tpl: Json | undefined, defaultRestartPolicy = true): void {
  if (!isObject(tpl)) return;
  tpl.metadata ??= {};
  if (isObject(tpl.spec)) defaultPodSpec(tpl.spec, defaultRestartPolicy);
}

/** The restart policies a pod spec may have. */
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/**
 * The checks of a pod spec, in kube-apiserver's order: volumes, containers and init
 * containers (see `pod-volumes.ts` and `pod-containers.ts`), then the restart policy, one
 * of `allowed` (the Pod's three, `Always` for the templates of long-running workloads,
 * `OnFailure`/`Never` for Jobs, which call any other value missing: `refuse` is
 * `required` for them).
 */
export function podSpecCauses(
  spec: Json | undefined,
  path: string,
  allowed: readonly string[] = RESTART_POLICIES,
  refuse: 'unsupported' | 'required' = 'unsupported',
): StatusCause[] {
  if (!isObject(spec)) return [required(path)];
  const volumes = volumeCauses(spec.volumes, `${path}.volumes`);
  const causes = [...volumes.causes, ...containerCauses(spec, path, volumes.names)];
  const policy = spec.restartPolicy;
  if (allowed.includes(String(policy))) return causes;
  if (policy === undefined || policy === '' || policy === null || refuse === 'required') {
    const valid = allowed.map((v) => JSON.stringify(v)).join(', ');
    causes.push(required(`${path}.restartPolicy`, `valid values: ${valid}`));
  } else causes.push(notSupported(`${path}.restartPolicy`, policy, allowed));
  return causes;
}
