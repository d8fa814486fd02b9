/**
 * The warnings kube-apiserver gives for a pod spec and its metadata, in a Pod or a pod
 * template (`GetWarningsForPod`, `GetWarningsForPodTemplate`; own code: the texts and their
 * order are what a client sees as `Warning` headers): deprecated node labels in node
 * selectors, node affinity and topology spread constraints, null label selectors,
 * deprecated annotations, deprecated volume types, overlapping volume file paths and empty
 * projected sources, duplicate host aliases and pull secrets, fractional byte quantities,
 * seccomp and AppArmor annotations without their fields, duplicate env vars, ports and
 * port names, a negative grace period, and IP addresses not in canonical form.
 * kube-apiserver ranges over the `nodeSelector` map; these come in key order.
 */
import { dns1123LabelErrors, Quantity } from '@kube-ts/schema/validation';
import { deepEqual, isObject, type Json, type JsonObject, num, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import { ipWarnings } from './ip-addresses.js';
import type { RuleContext } from './kind-rules.js';
import { deprecatedNodeLabelMessage, nodeSelectorTermWarnings } from './node-label-warnings.js';
import { claimSpecWarnings } from './persistent-volume-claim.js';
import {
  APPARMOR_CONTAINER,
  appArmorProfileOf,
  containersWithPaths,
  SECCOMP_CONTAINER,
  SECCOMP_POD,
} from './pod-security-annotations.js';
import { milliValue } from './quantities.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});

/** Pod annotations that no longer do anything, in kube-apiserver's order. */
const DEPRECATED_ANNOTATIONS: [string, string][] = [
  [
    'scheduler.alpha.kubernetes.io/critical-pod',
    'non-functional in v1.16+; use the "priorityClassName" field instead',
  ],
  [
    'security.alpha.kubernetes.io/sysctls',
    'non-functional in v1.11+; use the "sysctls" field instead',
  ],
  [
    'security.alpha.kubernetes.io/unsafe-sysctls',
    'non-functional in v1.11+; use the "sysctls" field instead',
  ],
];

/** Deprecated volume types with the path name and words of their warning, in kube-apiserver's order. */
const DEPRECATED_VOLUMES: [string, string, string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  // The GitRepoVolumeDriver gate is off (and locked) in v1.36.
  ['gitRepo', 'gitRepo', 'deprecated in v1.11, and disabled by default in v1.33+'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['ephemeral', '', ''],
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

const SECCOMP_WORDS = 'non-functional in v1.27+; use the "seccompProfile" field instead';

/** A Go field path below `prefix` (empty for a Pod's own). */
const under = (prefix: string, rest: string) => (prefix ? `${prefix}.${rest}` : rest);

/** The warning for a byte count (`memory`, `ephemeral-storage`) that is no whole number of bytes. */
export function fractionalByteWarnings(path: string, value: Json | undefined): string[] {
  const q = typeof value === 'string' ? Quantity.parse(value) : undefined;
  return q && milliValue(q) % 1000n !== 0n
    ? [`${path}: fractional byte value ${JSON.stringify(value)} is invalid, must be an integer`]
    : [];
}

function schedulingWarnings(spec: JsonObject, at: string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(obj(spec.nodeSelector))) {
    const msg = deprecatedNodeLabelMessage(key);
    if (msg) out.push(`${at}.nodeSelector[${key}]: ${msg}`);
  }
  const node = obj(obj(spec.affinity).nodeAffinity);
  const required = node.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(required)) {
    const termsAt = `${at}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    list(required.nodeSelectorTerms).forEach((t, i) => {
      out.push(...nodeSelectorTermWarnings(t, false, `${termsAt}[${i}]`));
    });
  }
  const preferredAt = `${at}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`;
  list(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    out.push(
      ...nodeSelectorTermWarnings(obj(t.preference), true, `${preferredAt}[${i}].preference`),
    );
  });
  list(spec.topologySpreadConstraints).forEach((c, i) => {
    const cAt = `${at}.topologySpreadConstraints[${i}]`;
    const key = str(c.topologyKey);
    const msg = deprecatedNodeLabelMessage(key);
    if (msg) out.push(`${cAt}.topologyKey: ${key} is ${msg}`);
    if (!isObject(c.labelSelector)) {
      out.push(`${cAt}.labelSelector: a null labelSelector results in matching no pod`);
    }
  });
  return out;
}

/** One path of a volume's files and where it came from (`pathAndSource`). */
interface SourcedPath {
  path: string;
  source: string;
}

const quotedPath = (p: SourcedPath) =>
  p.source ? `${JSON.stringify(p.path)} (${p.source})` : JSON.stringify(p.path);

/** The paths among `seen` that `next` overlaps: the same, or one a directory of the other. */
function overlaps(seen: SourcedPath[], next: SourcedPath): SourcedPath[] {
  if (next.path === '') return [];
  return seen.filter(
    (p) =>
      p.path !== '' &&
      (`${p.path}/`.startsWith(`${next.path}/`) || `${next.path}/`.startsWith(`${p.path}/`)),
  );
}

/** Each overlap of a list of paths, as `"b" with "a"`, the paths trimmed of trailing slashes. */
function overlapTexts(paths: SourcedPath[], seen: SourcedPath[] = []): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const next = { ...p, path: p.path.replace(/\/+$/, '') };
    for (const c of overlaps(seen, next)) out.push(`${quotedPath(next)} with ${quotedPath(c)}`);
    seen.push(next);
  }
  return out;
}

const itemPaths = (items: Json | undefined, source = ''): SourcedPath[] =>
  list(items).map((i) => ({ path: str(i.path), source }));

/** The paths of one projected source (the first of its kinds that has files). */
function projectionPaths(src: JsonObject): SourcedPath[] {
  const cm = src.configMap;
  if (isObject(cm) && Array.isArray(cm.items)) {
    return itemPaths(cm.items, `ConfigMap ${JSON.stringify(str(cm.name))}`);
  }
  const secret = src.secret;
  if (isObject(secret) && Array.isArray(secret.items)) {
    return itemPaths(secret.items, `Secret ${JSON.stringify(str(secret.name))}`);
  }
  const downward = src.downwardAPI;
  if (isObject(downward) && Array.isArray(downward.items)) {
    return itemPaths(downward.items, 'DownwardAPI');
  }
  const token = src.serviceAccountToken;
  if (isObject(token)) return [{ path: str(token.path), source: 'ServiceAccountToken' }];
  return [];
}

/** `warningsForOverlappingVirtualPaths`, and projected sources left empty. */
function volumePathWarnings(volumes: JsonObject[]): string[] {
  const out: string[] = [];
  for (const v of volumes) {
    const name = JSON.stringify(str(v.name));
    const warn = (what: string, text: string) =>
      out.push(`volume ${name} (${what}): overlapping paths: ${text}`);
    const cm = v.configMap;
    if (isObject(cm) && Array.isArray(cm.items)) {
      for (const t of overlapTexts(itemPaths(cm.items)))
        warn(`ConfigMap ${JSON.stringify(str(cm.name))}`, t);
    }
    const secret = v.secret;
    if (isObject(secret) && Array.isArray(secret.items)) {
      for (const t of overlapTexts(itemPaths(secret.items)))
        warn(`Secret ${JSON.stringify(str(secret.secretName))}`, t);
    }
    const downward = v.downwardAPI;
    if (isObject(downward) && Array.isArray(downward.items)) {
      for (const t of overlapTexts(itemPaths(downward.items))) warn('DownwardAPI', t);
    }
    if (!isObject(v.projected)) continue;
    const seen: SourcedPath[] = [];
    for (const src of Array.isArray(v.projected.sources) ? v.projected.sources : []) {
      if (!isObject(src) || Object.values(src).every((x) => x === null)) {
        out.push(`volume ${name} (Projected) has no sources provided`);
        continue;
      }
      for (const t of overlapTexts(projectionPaths(src), seen)) warn('Projected', t);
    }
  }
  return out;
}

function volumeWarnings(spec: JsonObject, at: string): string[] {
  const out: string[] = [];
  const volumes = list(spec.volumes);
  volumes.forEach((v, i) => {
    for (const [key, pathName, words] of DEPRECATED_VOLUMES) {
      if (v[key] === undefined || v[key] === null) continue;
      if (key === 'ephemeral') {
        const tpl = obj(v.ephemeral).volumeClaimTemplate;
        if (isObject(tpl)) {
          const path = `${at}.volumes[${i}].ephemeral.volumeClaimTemplate.spec`;
          out.push(...claimSpecWarnings(tpl.spec, path));
        }
      } else out.push(`${at}.volumes[${i}].${pathName}: ${words}`);
    }
  });
  return [...out, ...volumePathWarnings(volumes)];
}

function duplicateWarnings(spec: JsonObject, at: string): string[] {
  const out: string[] = [];
  const aliases = list(spec.hostAliases);
  if (aliases.length > 1) {
    const ips = new Set<string>();
    aliases.forEach((a, i) => {
      const ip = str(a.ip);
      if (ips.has(ip)) out.push(`${at}.hostAliases[${i}].ip: duplicate ip ${JSON.stringify(ip)}`);
      else ips.add(ip);
    });
  }
  const secrets = list(spec.imagePullSecrets);
  if (secrets.length > 1) {
    const names = new Set<string>();
    secrets.forEach((s, i) => {
      const name = str(s.name);
      if (names.has(name)) {
        out.push(`${at}.imagePullSecrets[${i}].name: duplicate name ${JSON.stringify(name)}`);
      } else names.add(name);
    });
  }
  secrets.forEach((s, i) => {
    if (str(s.name) === '') out.push(`${at}.imagePullSecrets[${i}].name: invalid empty name ""`);
  });
  const overhead = obj(spec.overhead);
  for (const r of ['memory', 'ephemeral-storage']) {
    out.push(...fractionalByteWarnings(`${at}.overhead[${r}]`, overhead[r]));
  }
  return out;
}

/** A container's warnings: annotations without fields, fractional bytes, hidden env vars. */
function containerWarnings(
  c: JsonObject,
  at: string,
  spec: JsonObject,
  annotations: JsonObject,
  template: string | undefined,
): string[] {
  const out: string[] = [];
  const meta = under(template ?? '', 'metadata.annotations');
  const name = str(c.name);
  const security = obj(c.securityContext);
  const seccompKey = SECCOMP_CONTAINER + name;
  if (!isObject(security.seccompProfile) && Object.hasOwn(annotations, seccompKey)) {
    out.push(`${meta}[${seccompKey}]: ${SECCOMP_WORDS}`);
  }
  // A Pod's AppArmor annotations are synced to its fields (not warned about here).
  const appArmorKey = APPARMOR_CONTAINER + name;
  if (
    template !== undefined &&
    !isObject(security.appArmorProfile) &&
    Object.hasOwn(annotations, appArmorKey)
  ) {
    const podProfile = obj(spec.securityContext).appArmorProfile;
    const profile = appArmorProfileOf(str(annotations[appArmorKey]));
    if (!isObject(podProfile) || !deepEqual(podProfile, profile ?? null)) {
      out.push(
        `${meta}[${appArmorKey}]: deprecated since v1.30; use the "appArmorProfile" field instead`,
      );
    }
  }
  const resources = obj(c.resources);
  for (const r of ['memory', 'ephemeral-storage']) {
    for (const kind of ['limits', 'requests']) {
      out.push(...fractionalByteWarnings(`${at}.resources.${kind}[${r}]`, obj(resources[kind])[r]));
    }
  }
  const env = list(c.env);
  if (env.length > 1) {
    const names = new Set<string>();
    env.forEach((e, i) => {
      const envName = str(e.name);
      if (!names.has(envName)) {
        names.add(envName);
        return;
      }
      const ref = `$(${envName})`;
      const value = str(e.value);
      // Fine only when the new value builds on the old one (X="$(X)123").
      if (isObject(e.valueFrom) || value === ref || !value.includes(ref)) {
        out.push(
          `${at}.env[${i}]: hides previous definition of ${JSON.stringify(envName)}, which may be dropped when using apply`,
        );
      }
    });
  }
  return out;
}

/** A container port as Go's `%+v` prints kube-apiserver's internal struct. */
function goPort(p: JsonObject): string {
  return `{Name:${str(p.name)} HostPort:${num(p.hostPort)} ContainerPort:${num(p.containerPort)} Protocol:${str(p.protocol)} HostIP:${str(p.hostIP)}}`;
}

function portWarnings(containers: [JsonObject, string][]): string[] {
  const out: string[] = [];
  const byKey = new Map<string, { at: string; port: JsonObject }[]>();
  const hostPort = (p: JsonObject) => num(p.hostPort);
  for (const [c, cAt] of containers) {
    list(c.ports).forEach((p, i) => {
      const at = `${cAt}.ports[${i}]`;
      if (str(p.hostIP) !== '' && hostPort(p) === 0) {
        out.push(`${at}: hostIP set without hostPort: ${goPort(p)}`);
      }
      const key = `${num(p.containerPort)}/${str(p.protocol)}`;
      const others = byKey.get(key) ?? [];
      for (const other of others) {
        const o = other.port;
        const [a, b] = [str(p.hostIP) === '', str(o.hostIP) === ''];
        if (str(p.hostIP) === str(o.hostIP) && hostPort(p) === hostPort(o)) {
          out.push(`${at}: duplicate port definition with ${other.at}`);
        } else if (hostPort(p) === 0 || hostPort(o) === 0) {
          out.push(`${at}: overlapping port definition with ${other.at}`);
        } else if (hostPort(p) === hostPort(o) && a !== b) {
          out.push(`${at}: dangerously ambiguous port definition with ${other.at}`);
        }
      }
      byKey.set(key, [...others, { at, port: p }]);
    });
  }
  const names = new Map<string, string>();
  for (const [c, cAt] of containers) {
    list(c.ports).forEach((p, i) => {
      const name = str(p.name);
      if (name === '') return;
      const at = `${cAt}.ports[${i}]`;
      const other = names.get(name);
      if (other === undefined) names.set(name, at);
      else {
        out.push(
          `${at}: duplicate port name ${JSON.stringify(name)} with ${other}, services and probes that select ports by name will use ${other}`,
        );
      }
    });
  }
  return out;
}

function podAffinityWarnings(affinity: JsonObject, at: string): string[] {
  const out: string[] = [];
  const nullSelector = 'a null labelSelector results in matching no pod';
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    if (!isObject(affinity[kind])) continue;
    const a = affinity[kind];
    const req = `${at}.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution`;
    list(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isObject(t.labelSelector)) out.push(`${req}[${i}].labelSelector: ${nullSelector}`);
    });
    const pref = `${at}.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution`;
    list(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isObject(obj(t.podAffinityTerm).labelSelector)) {
        out.push(`${pref}[${i}].podAffinityTerm.labelSelector: ${nullSelector}`);
      }
    });
  }
  return out;
}

/**
 * The warnings of a pod spec and its metadata (`warningsForPodSpecAndMeta`); `template` is
 * the template's path (`spec.template`, `template`) or undefined for a Pod's own spec.
 */
export function podSpecWarnings(spec: JsonObject, meta: JsonObject, template?: string): string[] {
  const at = under(template ?? '', 'spec');
  const annotations = obj(meta.annotations);
  const annotationsAt = under(template ?? '', 'metadata.annotations');
  const out = schedulingWarnings(spec, at);
  for (const [key, words] of DEPRECATED_ANNOTATIONS) {
    if (Object.hasOwn(annotations, key)) out.push(`${annotationsAt}[${key}]: ${words}`);
  }
  out.push(...volumeWarnings(spec, at), ...duplicateWarnings(spec, at));
  if (
    !isObject(obj(spec.securityContext).seccompProfile) &&
    Object.hasOwn(annotations, SECCOMP_POD)
  ) {
    out.push(`${annotationsAt}[${SECCOMP_POD}]: ${SECCOMP_WORDS}`);
  }
  const containers = containersWithPaths(spec, at);
  for (const [c, cAt] of containers) {
    out.push(...containerWarnings(c, cAt, spec, annotations, template));
  }
  out.push(...portWarnings(containers));
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) {
    out.push(
      `${at}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`,
    );
  }
  if (isObject(spec.affinity)) out.push(...podAffinityWarnings(spec.affinity, at));
  const dns = obj(spec.dnsConfig);
  (Array.isArray(dns.nameservers) ? dns.nameservers : []).forEach((ns, i) => {
    out.push(...ipWarnings(`${at}.dnsConfig.nameservers[${i}]`, str(ns)));
  });
  list(spec.hostAliases).forEach((a, i) => {
    out.push(...ipWarnings(`${at}.hostAliases[${i}].ip`, str(a.ip)));
  });
  return out;
}

/** `GetWarningsForPodTemplate` for the template at `path` (`spec.template`, `template`). */
export function podTemplateWarnings(template: Json | undefined, path: string): string[] {
  if (!isObject(template)) return [];
  return podSpecWarnings(obj(template.spec), obj(template.metadata), path);
}

/**
 * The create warning of an object whose name is not a DNS label: a Pod's (`pod`) is its
 * hostname, a workload's is in its Pods' names and hostnames.
 */
export function hostnameWarnings(name: string, pod = false): string[] {
  const errors = dns1123LabelErrors(name);
  const use = pod ? "the Pod's hostname" : 'Pod names and hostnames';
  return errors.length
    ? [
        `metadata.name: this is used in ${use}, which can result in surprising behavior; a DNS label is recommended: [${errors.join(' ')}]`,
      ]
    : [];
}

/**
 * The warnings of a write of a workload with a pod template at `spec.template`, as the
 * Deployment and ReplicaSet strategies give them: on create the name's and the template's,
 * on an update that moved the generation the template's.
 */
export function workloadWarnings(o: JsonObject, ctx: RuleContext): string[] {
  const template = obj(o.spec).template;
  if (ctx.create) {
    return [
      ...hostnameWarnings(str(metaOf(o).name)),
      ...podTemplateWarnings(template, 'spec.template'),
    ];
  }
  if (ctx.subresource || !ctx.old) return [];
  return metaOf(o).generation === metaOf(ctx.old).generation
    ? []
    : podTemplateWarnings(template, 'spec.template');
}
