/**
 * The operating-system and host-namespace rules of a pod spec, as kube-apiserver's
 * `ValidatePodSpec` applies them (own code: causes and words are what a test sees):
 * Windows host-process containers (`validateWindowsHostProcessPod`), user namespaces
 * (`validateHostUsers`: no host PID or IPC namespace and no volume devices beside
 * `hostUsers: false`; host networking is allowed, UserNamespacesHostNetworkSupport being
 * GA), and `os` (`linux` or `windows`), which forbids the other system's security fields.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';

const OS_NAMES = ['linux', 'windows'];
const NOT_WINDOWS = 'cannot be set for a windows pod';
const NOT_LINUX = 'windows options cannot be set for a linux pod';
const set = (v: Json | undefined) => v !== undefined && v !== null;
const objectOf = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);

/** Every container of a spec with its path, in Go's `VisitContainersWithPath` order. */
function visitContainers(spec: JsonObject, path: string): [JsonObject, string][] {
  const out: [JsonObject, string][] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    const cs = Array.isArray(spec[key]) ? spec[key] : [];
    cs.forEach((c, i) => {
      if (isObject(c)) out.push([c, `${path}.${key}[${i}]`]);
    });
  }
  return out;
}

/**
 * `validateWindowsHostProcessPod`: a container's `hostProcess` agrees with the pod's, and
 * a pod with one host-process container has only those and the host network.
 */
export function hostProcessCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const sc = objectOf(spec.securityContext);
  const podValue = objectOf(sc?.windowsOptions)?.hostProcess;
  const podHostProcess = typeof podValue === 'boolean' ? podValue : undefined;
  const containers = visitContainers(spec, path);
  let hostProcess = 0;
  for (const [c, at] of containers) {
    const own = objectOf(objectOf(c.securityContext)?.windowsOptions)?.hostProcess;
    const mine = typeof own === 'boolean' ? own : undefined;
    if (podHostProcess !== undefined && mine !== undefined && mine !== podHostProcess) {
      causes.push(
        invalidValue(
          `${at}.securityContext.windowsOptions.hostProcess`,
          mine,
          `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`,
        ),
      );
    }
    if (mine === true || (mine === undefined && podHostProcess === true)) hostProcess++;
  }
  if (hostProcess > 0) {
    if (hostProcess !== containers.length) {
      causes.push(
        invalidValue(
          path,
          '',
          'If pod contains any hostProcess containers then all containers must be HostProcess containers',
        ),
      );
    }
    if (spec.hostNetwork !== true) {
      causes.push(
        invalidValue(
          `${path}.hostNetwork`,
          false,
          'hostNetwork must be true if pod contains any hostProcess containers',
        ),
      );
    }
  }
  return causes;
}

/**
 * `validateHostUsers`: with `hostUsers: false`, no host PID or IPC namespace (kube-apiserver
 * names the fields `HostPID` and `HostIPC` here) and no container with volume devices.
 */
export function hostUsersCauses(spec: JsonObject, path: string): StatusCause[] {
  if (spec.hostUsers !== false) return [];
  const why = 'when `hostUsers` is false';
  const causes: StatusCause[] = [];
  if (spec.hostPID === true) causes.push(forbiddenValue(`${path}.HostPID`, why));
  if (spec.hostIPC === true) causes.push(forbiddenValue(`${path}.HostIPC`, why));
  for (const [c, at] of visitContainers(spec, path)) {
    if (Array.isArray(c.volumeDevices) && c.volumeDevices.length) {
      causes.push(forbiddenValue(`${at}.volumeDevices`, why));
    }
  }
  return causes;
}

/** The pod fields a Windows pod may not set, in kube-apiserver's order: [field path, set?]. */
function windowsPodFields(spec: JsonObject, path: string): [string, boolean][] {
  // kube-apiserver's internal pod always has a security context (the host fields live there).
  const sc = objectOf(spec.securityContext) ?? {};
  const scPath = `${path}.securityContext`;
  const groups = sc.supplementalGroups;
  return [
    [`${scPath}.appArmorProfile`, set(sc.appArmorProfile)],
    [`${scPath}.seLinuxOptions`, set(sc.seLinuxOptions)],
    [`${path}.hostUsers`, set(spec.hostUsers)],
    [`${path}.hostPID`, spec.hostPID === true],
    [`${path}.hostIPC`, spec.hostIPC === true],
    [`${scPath}.seccompProfile`, set(sc.seccompProfile)],
    [`${scPath}.fsGroup`, set(sc.fsGroup)],
    [`${scPath}.fsGroupChangePolicy`, set(sc.fsGroupChangePolicy)],
    [`${scPath}.sysctls`, Array.isArray(sc.sysctls) && sc.sysctls.length > 0],
    [`${path}.shareProcessNamespace`, set(spec.shareProcessNamespace)],
    [`${scPath}.runAsUser`, set(sc.runAsUser)],
    [`${scPath}.runAsGroup`, set(sc.runAsGroup)],
    [`${scPath}.supplementalGroups`, set(groups)],
    [`${scPath}.supplementalGroupsPolicy`, set(sc.supplementalGroupsPolicy)],
    [`${scPath}.seLinuxChangePolicy`, set(sc.seLinuxChangePolicy)],
  ];
}

/** The container security fields a Windows pod may not set. */
const WINDOWS_CONTAINER_FIELDS = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

function windowsCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes = windowsPodFields(spec, path)
    .filter(([, isSet]) => isSet)
    .map(([field]) => forbiddenValue(field, NOT_WINDOWS));
  for (const [c, at] of visitContainers(spec, path)) {
    const sc = objectOf(c.securityContext);
    if (!sc) continue;
    for (const f of WINDOWS_CONTAINER_FIELDS) {
      if (set(sc[f])) causes.push(forbiddenValue(`${at}.securityContext.${f}`, NOT_WINDOWS));
    }
  }
  return causes;
}

function linuxCauses(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (set(objectOf(spec.securityContext)?.windowsOptions)) {
    causes.push(forbiddenValue(`${path}.securityContext.windowsOptions`, NOT_LINUX));
  }
  for (const [c, at] of visitContainers(spec, path)) {
    if (set(objectOf(c.securityContext)?.windowsOptions)) {
      causes.push(forbiddenValue(`${at}.securityContext.windowsOptions`, NOT_LINUX));
    }
  }
  return causes;
}

/** `os`: a name, `linux` or `windows`, and then the other system's fields forbidden. */
export function osCauses(spec: JsonObject, path: string): StatusCause[] {
  const os = objectOf(spec.os);
  if (!os) return [];
  const name = typeof os.name === 'string' ? os.name : '';
  if (name === '') return [required(`${path}.os.name`)];
  if (!OS_NAMES.includes(name)) return [notSupported(`${path}.os`, name, OS_NAMES)];
  return name === 'linux' ? linuxCauses(spec, path) : windowsCauses(spec, path);
}
