/**
 * Security contexts, checked as kube-apiserver's `ValidateSecurityContext` (containers) and
 * `validatePodSpecSecurityContext` (the pod) check them with the default feature gates
 * (own code: the causes, their order and words are what a test sees): user and group IDs
 * in range, `procMount`, seccomp and AppArmor profiles, `allowPrivilegeEscalation: false`
 * beside `privileged` or `CAP_SYS_ADMIN`, Windows options, sysctl names (and the namespaced
 * ones a host network or IPC namespace forbids), `fsGroupChangePolicy`,
 * `supplementalGroupsPolicy` and `seLinuxChangePolicy` (only `Recursive` without the
 * SELinuxMount gate). kube-apiserver allows privileged containers (`--allow-privileged`).
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { duplicate, invalidValue, notSupported, required, tooLong } from '../validation.js';
import { descendingPathCauses } from './pod-volumes.js';

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_PATTERN = `^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`;
const SYSCTL = new RegExp(SYSCTL_PATTERN);
/** Sysctls of the IPC namespace by name; `net.*` and `fs.mqueue.*` by prefix. */
const IPC_SYSCTLS = new Set([
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
  'kernel.shm',
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.msg',
]);

const obj = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);
const set = (v: Json | undefined) => v !== undefined && v !== null;
/** A Go pointer field of an internal struct as Go's JSON writes it. */
const ptr = (v: Json | undefined): Json => (v === undefined ? null : v);

/** A user or group ID's cause, outside 0 to 2147483647 (`IsValidUserID`, `IsValidGroupID`). */
export function idCauses(field: string, id: Json | undefined): StatusCause[] {
  return typeof id === 'number' && (id < 0 || id > 2147483647)
    ? [invalidValue(field, id, ID_RANGE)]
    : [];
}

function seccompCauses(sp: Json | undefined, at: string): StatusCause[] {
  const p = obj(sp);
  if (!p) return [];
  const causes: StatusCause[] = [];
  const type = typeof p.type === 'string' ? p.type : '';
  if (type === '')
    causes.push(required(`${at}.type`, 'type is required when seccompProfile is set'));
  else if (!PROFILE_TYPES.includes(type))
    causes.push(notSupported(`${at}.type`, type, PROFILE_TYPES));
  const local = p.localhostProfile;
  if (type === 'Localhost') {
    if (typeof local !== 'string') {
      causes.push(required(`${at}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    } else causes.push(...descendingPathCauses(`${at}.localhostProfile`, local));
  } else if (set(local)) {
    // The cause quotes the internal struct as Go's JSON writes it.
    const internal = { Type: type, LocalhostProfile: ptr(local) };
    causes.push(
      invalidValue(
        `${at}.localhostProfile`,
        internal,
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return causes;
}

/** The causes of an `appArmorProfile` at `at` (`ValidateAppArmorProfileField`). */
export function appArmorCauses(profile: Json | undefined, at: string): StatusCause[] {
  const p = obj(profile);
  if (!p) return [];
  const type = typeof p.type === 'string' ? p.type : '';
  const local = p.localhostProfile;
  const must = 'must be set when AppArmor type is Localhost';
  switch (type) {
    case 'Localhost': {
      if (typeof local !== 'string') return [required(`${at}.localhostProfile`, must)];
      const causes: StatusCause[] = [];
      if (local.trim() !== local) {
        causes.push(
          invalidValue(`${at}.localhostProfile`, local, 'must not be padded with whitespace'),
        );
      } else if (local === '') causes.push(required(`${at}.localhostProfile`, must));
      // PATH_MAX - 1.
      if (Buffer.byteLength(local) > 4095) causes.push(tooLong(`${at}.localhostProfile`, 4095));
      return causes;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return set(local)
        ? [
            invalidValue(
              `${at}.localhostProfile`,
              local,
              'can only be set when AppArmor type is Localhost',
            ),
          ]
        : [];
    case '':
      return [required(`${at}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(`${at}.type`, type, PROFILE_TYPES)];
  }
}

const NETBIOS_DOMAIN = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const DNS_DOMAIN = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const USER_CHARS = /["/\\:;|=,+*?<>@[\]]/;

/** The messages of a Windows `runAsUserName` (`DOMAIN\USER`); empty when valid. */
function runAsUserNameErrors(name: string): string[] {
  if (name === '') return ['runAsUserName cannot be an empty string'];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go's [[:cntrl:]] class.
  if (/[\x00-\x1f\x7f]/.test(name)) return ['runAsUserName cannot contain control characters'];
  const parts = name.split('\\');
  if (parts.length > 2) return ['runAsUserName cannot contain more than one backslash'];
  const [domain, user] =
    parts.length === 1 ? ['', parts[0] ?? ''] : [parts[0] ?? '', parts[1] ?? ''];
  const errs: string[] = [];
  if (domain.length >= 256) errs.push("runAsUserName's Domain length must be under 256 characters");
  if (parts.length === 2 && !NETBIOS_DOMAIN.test(domain) && !DNS_DOMAIN.test(domain)) {
    errs.push("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
  }
  if (user === '') errs.push("runAsUserName's User cannot be empty");
  else if (user.length > 104) {
    errs.push("runAsUserName's User length must not be longer than 104 characters");
  }
  if (/^[. ]+$/.test(user)) errs.push("runAsUserName's User cannot contain only periods or spaces");
  if (USER_CHARS.test(user)) {
    errs.push(`runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`);
  }
  return errs;
}

function windowsCauses(options: Json | undefined, at: string): StatusCause[] {
  const w = obj(options);
  if (!w) return [];
  const causes: StatusCause[] = [];
  const specName = w.gmsaCredentialSpecName;
  if (typeof specName === 'string') {
    for (const why of dns1123SubdomainErrors(specName)) {
      causes.push(invalidValue(`${at}.gmsaCredentialSpecName`, specName, why));
    }
  }
  const spec = w.gmsaCredentialSpec;
  if (typeof spec === 'string') {
    const why =
      spec.length === 0
        ? 'gmsaCredentialSpec cannot be an empty string'
        : Buffer.byteLength(spec) > 64 * 1024
          ? 'gmsaCredentialSpec size must be under 64 KiB'
          : undefined;
    if (why) causes.push(invalidValue(`${at}.gmsaCredentialSpec`, spec, why));
  }
  const user = w.runAsUserName;
  if (typeof user === 'string') {
    for (const why of runAsUserNameErrors(user)) {
      causes.push(invalidValue(`${at}.runAsUserName`, user, why));
    }
  }
  return causes;
}

/** A container's security context as Go's JSON writes the internal struct. */
function internalContext(sc: JsonObject): Json {
  const caps = obj(sc.capabilities);
  const se = obj(sc.seLinuxOptions);
  const win = obj(sc.windowsOptions);
  const seccomp = obj(sc.seccompProfile);
  const appArmor = obj(sc.appArmorProfile);
  return {
    Capabilities: caps ? { Add: ptr(caps.add), Drop: ptr(caps.drop) } : null,
    Privileged: ptr(sc.privileged),
    SELinuxOptions: se
      ? { User: se.user ?? '', Role: se.role ?? '', Type: se.type ?? '', Level: se.level ?? '' }
      : null,
    WindowsOptions: win
      ? {
          GMSACredentialSpecName: ptr(win.gmsaCredentialSpecName),
          GMSACredentialSpec: ptr(win.gmsaCredentialSpec),
          RunAsUserName: ptr(win.runAsUserName),
          HostProcess: ptr(win.hostProcess),
        }
      : null,
    RunAsUser: ptr(sc.runAsUser),
    RunAsGroup: ptr(sc.runAsGroup),
    RunAsNonRoot: ptr(sc.runAsNonRoot),
    ReadOnlyRootFilesystem: ptr(sc.readOnlyRootFilesystem),
    AllowPrivilegeEscalation: ptr(sc.allowPrivilegeEscalation),
    ProcMount: ptr(sc.procMount),
    SeccompProfile: seccomp
      ? { Type: seccomp.type ?? '', LocalhostProfile: ptr(seccomp.localhostProfile) }
      : null,
    AppArmorProfile: appArmor
      ? { Type: appArmor.type ?? '', LocalhostProfile: ptr(appArmor.localhostProfile) }
      : null,
  };
}

/**
 * The causes of a container's `securityContext` at `at`; `hostUsers` is false when the pod
 * asks for a user namespace (`spec.hostUsers: false`).
 */
export function containerSecurityCauses(
  context: Json | undefined,
  at: string,
  hostUsers: boolean,
): StatusCause[] {
  const sc = obj(context);
  if (!sc) return [];
  const causes = [...idCauses(`${at}.runAsUser`, sc.runAsUser)];
  causes.push(...idCauses(`${at}.runAsGroup`, sc.runAsGroup));
  const proc = sc.procMount;
  if (typeof proc === 'string') {
    const mounts = ['Default', 'Unmasked'];
    if (!mounts.includes(proc)) causes.push(notSupported(`${at}.procMount`, proc, mounts));
    if (hostUsers && proc === 'Unmasked') {
      causes.push(
        invalidValue(`${at}.procMount`, proc, '`hostUsers` must be false to use `Unmasked`'),
      );
    }
  }
  causes.push(...seccompCauses(sc.seccompProfile, `${at}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      causes.push(
        invalidValue(
          at,
          internalContext(sc),
          'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
        ),
      );
    }
    const add = obj(sc.capabilities)?.add;
    for (const cap of Array.isArray(add) ? add : []) {
      if (cap === 'CAP_SYS_ADMIN') {
        causes.push(
          invalidValue(
            at,
            internalContext(sc),
            'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
          ),
        );
      }
    }
  }
  causes.push(...windowsCauses(sc.windowsOptions, `${at}.windowsOptions`));
  causes.push(...appArmorCauses(sc.appArmorProfile, `${at}.appArmorProfile`));
  return causes;
}

/** The namespace a sysctl belongs to (`Net`, `IPC` or none), as the kubelet's helper reads it. */
function sysctlNamespace(name: string): 'Net' | 'IPC' | undefined {
  // `net/ipv4/conf/eno2.100/rp_filter` is read as `net.ipv4.conf.eno2/100.rp_filter`.
  const sep = name.search(/[./]/);
  let n = name;
  if (sep !== -1 && name[sep] === '/') {
    n = name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
  }
  const star = n.indexOf('*');
  if (star !== -1) n = n.slice(0, star);
  if (IPC_SYSCTLS.has(n) || n.startsWith('fs.mqueue.')) return 'IPC';
  return n.startsWith('net.') ? 'Net' : undefined;
}

function sysctlCauses(spec: JsonObject, sysctls: Json[], at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  sysctls.forEach((s, i) => {
    const field = `${at}[${i}].name`;
    const name = isObject(s) && typeof s.name === 'string' ? s.name : '';
    if (name === '') causes.push(required(field));
    else if (name.length > 253 || !SYSCTL.test(name)) {
      causes.push(
        invalidValue(
          field,
          name,
          `must have at most 253 characters and match regex ${SYSCTL_PATTERN}`,
        ),
      );
    } else if (names.has(name)) causes.push(duplicate(field, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'Net') {
      causes.push(invalidValue(field, name, "may not be specified when 'hostNetwork' is true"));
    } else if (spec.hostIPC === true && ns === 'IPC') {
      causes.push(invalidValue(field, name, "may not be specified when 'hostIPC' is true"));
    }
    names.add(name);
  });
  return causes;
}

function oneOf(field: string, v: Json | undefined, allowed: string[]): StatusCause[] {
  return set(v) && !allowed.includes(String(v)) ? [notSupported(field, v, allowed)] : [];
}

/**
 * The causes of a pod spec's `securityContext` (`spec` is the pod spec at `path`): IDs,
 * supplemental groups, `shareProcessNamespace` with `hostPID` (reported under the security
 * context, where kube-apiserver keeps both internally), sysctls, policies and profiles.
 */
export function podSecurityCauses(spec: JsonObject, path: string): StatusCause[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const at = `${path}.securityContext`;
  const causes = [...idCauses(`${at}.fsGroup`, sc.fsGroup)];
  causes.push(...idCauses(`${at}.runAsUser`, sc.runAsUser));
  causes.push(...idCauses(`${at}.runAsGroup`, sc.runAsGroup));
  const groups = Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : [];
  groups.forEach((g, i) => {
    causes.push(...idCauses(`${at}.supplementalGroups[${i}]`, g));
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    causes.push(
      invalidValue(
        `${at}.shareProcessNamespace`,
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  }
  if (Array.isArray(sc.sysctls) && sc.sysctls.length) {
    causes.push(...sysctlCauses(spec, sc.sysctls, `${at}.sysctls`));
  }
  causes.push(
    ...oneOf(`${at}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']),
  );
  causes.push(...seccompCauses(sc.seccompProfile, `${at}.seccompProfile`));
  causes.push(...windowsCauses(sc.windowsOptions, `${at}.windowsOptions`));
  causes.push(...appArmorCauses(sc.appArmorProfile, `${at}.appArmorProfile`));
  causes.push(
    ...oneOf(`${at}.supplementalGroupsPolicy`, sc.supplementalGroupsPolicy, ['Merge', 'Strict']),
  );
  // Only `Recursive` while the SELinuxMount gate is off (its default in 1.36).
  causes.push(...oneOf(`${at}.seLinuxChangePolicy`, sc.seLinuxChangePolicy, ['Recursive']));
  return causes;
}

/** Whether the pod shares the host's user namespace (`hostUsers` unset or true). */
export function usesHostUsers(spec: JsonObject): boolean {
  return spec.hostUsers !== false;
}
