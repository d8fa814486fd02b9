/**
 * A pod spec's containers and init containers, checked as kube-apiserver's
 * `validateContainers`, `validateInitContainers` and `validateContainerCommon` check them
 * (own code: the causes and their order are what a test sees): name (an RFC 1123 label,
 * unique across containers and init containers) and image, termination message policy,
 * ports (IANA service names, unique; port numbers; protocols), env var names, volume
 * mounts, pull policy, resources and security context (`pod-resources.ts`,
 * `pod-security.ts`), then lifecycle hooks and probes (exactly one handler, its port,
 * path, scheme and headers, sleeps within the grace period, non-negative numbers,
 * `successThreshold` 1 for liveness and startup), restart policies and rules, host ports
 * used twice; an init container without `restartPolicy: Always` may have no hooks or
 * probes; ephemeral containers none of the long-running containers' fields.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notFoundValue,
  notNegative,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { envCauses, envFromCauses } from './pod-env.js';
import { containerClaimCauses } from './pod-resource-claims.js';
import { containerResourceCauses } from './pod-resources.js';
import { containerSecurityCauses } from './pod-security.js';
import { volumeDeviceCauses, volumeMountCauses } from './pod-volumes.js';
import { PORT_RANGE, portNameErrors } from './ports.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const SCHEMES = ['HTTP', 'HTTPS'];
const HEADER_NAME =
  "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";
const CONTAINER_RESTART_POLICIES = ['Always', 'Never', 'OnFailure'];
const RESTART_RULE_ACTIONS = ['Restart', 'RestartAllContainers'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const NOT_SIDECAR = 'may not be set for init containers without restartPolicy=Always';
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const RESIZE_RESOURCES = ['cpu', 'memory'];
const RESIZE_POLICIES = ['NotRequired', 'RestartContainer'];
function portNumberCauses(field: string, port: Json | undefined): StatusCause[] {
  return typeof port === 'number' && (port < 1 || port > 65535)
    ? [invalidValue(field, port, PORT_RANGE)]
    : [];
}

/** A handler's port: a number in range or a port name. */
function portCauses(field: string, port: Json | undefined): StatusCause[] {
  if (typeof port === 'string') {
    return portNameErrors(port).map((why) => invalidValue(field, port, why));
  }
  return portNumberCauses(field, num(port));
}

function containerPortCauses(ports: Json | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  list(ports).forEach((p, i) => {
    const at = `${path}[${i}]`;
    const name = str(p.name);
    if (name !== '') {
      const errs = portNameErrors(name);
      if (errs.length) causes.push(...errs.map((why) => invalidValue(`${at}.name`, name, why)));
      else if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
      else names.add(name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) {
      causes.push(required(`${at}.containerPort`));
    } else causes.push(...portNumberCauses(`${at}.containerPort`, p.containerPort));
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      causes.push(...portNumberCauses(`${at}.hostPort`, p.hostPort));
    }
    const protocol = str(p.protocol);
    if (protocol === '') causes.push(required(`${at}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) {
      causes.push(notSupported(`${at}.protocol`, protocol, PROTOCOLS));
    }
  });
  return causes;
}

/** What a handler is checked against: its allowed kinds and the pod's grace period. */
interface HandlerRules {
  kinds: readonly string[];
  grace: Json | undefined;
}

/** The causes of one handler action of `kind` at `hp`. */
function actionCauses(kind: string, action: JsonObject, hp: string, grace: Json | undefined) {
  const causes: StatusCause[] = [];
  if (kind === 'exec' && !(Array.isArray(action.command) && action.command.length > 0)) {
    causes.push(required(`${hp}.command`));
  }
  if (kind === 'httpGet' || kind === 'tcpSocket' || kind === 'grpc') {
    causes.push(...portCauses(`${hp}.port`, action.port));
  }
  if (kind === 'httpGet') {
    const scheme = str(action.scheme);
    if (!SCHEMES.includes(scheme)) causes.push(notSupported(`${hp}.scheme`, scheme, SCHEMES));
    for (const h of list(action.httpHeaders)) {
      const name = str(h.name);
      if (!/^[-A-Za-z0-9]+$/.test(name)) {
        causes.push(invalidValue(`${hp}.httpHeaders`, name, HEADER_NAME));
      }
    }
  }
  const seconds = num(action.seconds);
  if (kind === 'sleep' && typeof grace === 'number' && (seconds < 0 || seconds > grace)) {
    causes.push(
      invalidValue(
        hp,
        seconds,
        `must be non-negative and less than terminationGracePeriodSeconds (${grace})`,
      ),
    );
  }
  return causes;
}

/** The causes of a probe's or lifecycle hook's handler: exactly one, and its own fields. */
function handlerCauses(handler: JsonObject, at: string, rules: HandlerRules): StatusCause[] {
  const causes: StatusCause[] = [];
  let seen = 0;
  for (const kind of rules.kinds) {
    const h = handler[kind];
    if (h === undefined || h === null) continue;
    if (seen++ > 0) {
      causes.push(forbiddenValue(`${at}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    causes.push(...actionCauses(kind, isObject(h) ? h : {}, `${at}.${kind}`, rules.grace));
  }
  if (seen === 0) causes.push(required(at, 'must specify a handler type'));
  return causes;
}

/** A container's `lifecycle`: each hook present has exactly one valid handler. */
function lifecycleCauses(lifecycle: Json | undefined, at: string, grace: Json | undefined) {
  if (!isObject(lifecycle)) return [];
  const rules = { kinds: LIFECYCLE_HANDLERS, grace };
  return ['postStart', 'preStop'].flatMap((hook) => {
    const h = lifecycle[hook];
    return isObject(h) ? handlerCauses(h, `${at}.${hook}`, rules) : [];
  });
}

/** A container's `restartPolicy` and `restartPolicyRules` (the ContainerRestartRules gate is on). */
function restartRuleCauses(c: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const rules = list(c.restartPolicyRules);
  const policy = c.restartPolicy;
  if (policy === undefined || policy === null) {
    if (rules.length === 0) return causes;
    causes.push(
      required(`${at}.restartPolicy`, 'must specify restartPolicy when restart rules are used'),
    );
  } else if (!CONTAINER_RESTART_POLICIES.includes(String(policy))) {
    causes.push(notSupported(`${at}.restartPolicy`, policy, CONTAINER_RESTART_POLICIES));
  }
  rules.forEach((rule, i) => {
    const rp = `${at}.restartPolicyRules[${i}]`;
    if (!RESTART_RULE_ACTIONS.includes(str(rule.action))) {
      causes.push(notSupported(`${rp}.action`, str(rule.action), RESTART_RULE_ACTIONS));
    }
    const codes = rule.exitCodes;
    if (!isObject(codes)) causes.push(required(`${rp}.exitCodes`, 'must be specified'));
    else if (!EXIT_CODE_OPERATORS.includes(str(codes.operator))) {
      causes.push(
        notSupported(`${rp}.exitCodes.operator`, str(codes.operator), EXIT_CODE_OPERATORS),
      );
    }
  });
  return causes;
}

/** Host ports used twice among `containers` (protocol, host IP and port). */
function hostPortConflicts(containers: JsonObject[], at: (i: number) => string): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    list(c.ports).forEach((p, pi) => {
      if (typeof p.hostPort !== 'number' || p.hostPort === 0) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${p.hostPort}`;
      if (seen.has(key)) causes.push(duplicate(`${at(ci)}.ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return causes;
}

function probeCauses(kind: string, probe: Json | undefined, at: string): StatusCause[] {
  if (!isObject(probe)) return [];
  const causes = handlerCauses(probe, at, { kinds: PROBE_HANDLERS, grace: undefined });
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    causes.push(...notNegative(`${at}.${f}`, probe[f]));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) {
    causes.push(
      invalidValue(`${at}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'),
    );
  }
  if (
    kind !== 'readinessProbe' &&
    probe.successThreshold !== undefined &&
    probe.successThreshold !== 1
  ) {
    causes.push(invalidValue(`${at}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  if (kind === 'readinessProbe' && grace !== undefined && grace !== null) {
    causes.push(
      invalidValue(
        `${at}.terminationGracePeriodSeconds`,
        grace,
        'must not be set for readinessProbes',
      ),
    );
  }
  return causes;
}

/**
 * A container's `resizePolicy` (`validateResizePolicy`): each resource once, cpu or memory,
 * a known restart policy, `NotRequired` under a pod `restartPolicy: Never`; the missing and
 * unsupported values are reported on the list, not the item, as kube-apiserver does.
 */
function resizePolicyCauses(policies: Json | undefined, at: string, podRestart: Json | undefined) {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  list(policies).forEach((p, i) => {
    const resource = str(p.resourceName);
    if (seen.has(resource)) causes.push(duplicate(`${at}[${i}]`, resource));
    seen.add(resource);
    if (resource === '') causes.push(required(at));
    else if (!RESIZE_RESOURCES.includes(resource)) {
      causes.push(notSupported(at, resource, RESIZE_RESOURCES));
    }
    const policy = str(p.restartPolicy);
    if (policy === '') causes.push(required(at));
    else if (!RESIZE_POLICIES.includes(policy)) {
      causes.push(notSupported(at, policy, RESIZE_POLICIES));
    }
    if (podRestart === 'Never' && policy !== 'NotRequired') {
      causes.push(
        invalidValue(at, policy, "must be 'NotRequired' when pod `restartPolicy` is 'Never'"),
      );
    }
  });
  return causes;
}

/** What every container is checked for (kube-apiserver's `validateContainerCommon`). */
function commonCauses(c: JsonObject, at: string, pod: PodContext): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = str(c.name);
  if (name === '') causes.push(required(`${at}.name`));
  else causes.push(...rfc1123LabelCauses(`${at}.name`, name));
  if (str(c.image) === '') causes.push(required(`${at}.image`));
  const messagePolicy = str(c.terminationMessagePolicy);
  if (messagePolicy === '') causes.push(required(`${at}.terminationMessagePolicy`));
  else if (!MESSAGE_POLICIES.includes(messagePolicy)) {
    causes.push(notSupported(`${at}.terminationMessagePolicy`, messagePolicy, MESSAGE_POLICIES));
  }
  causes.push(...containerPortCauses(c.ports, `${at}.ports`));
  causes.push(...envCauses(c.env, `${at}.env`), ...envFromCauses(c.envFrom, `${at}.envFrom`));
  causes.push(
    ...volumeMountCauses(
      c.volumeMounts,
      pod.volumes,
      `${at}.volumeMounts`,
      c.volumeDevices,
      isObject(c.securityContext) && c.securityContext.privileged === true,
    ),
    ...volumeDeviceCauses(
      c.volumeDevices,
      pod.volumes,
      pod.claims,
      `${at}.volumeDevices`,
      c.volumeMounts,
    ),
  );
  const pull = str(c.imagePullPolicy);
  if (pull === '') causes.push(required(`${at}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) {
    causes.push(notSupported(`${at}.imagePullPolicy`, pull, PULL_POLICIES));
  }
  causes.push(...containerResourceCauses(c.resources, `${at}.resources`));
  const claims = isObject(c.resources) ? c.resources.claims : undefined;
  causes.push(...containerClaimCauses(claims, pod.resourceClaims, `${at}.resources.claims`));
  causes.push(...resizePolicyCauses(c.resizePolicy, `${at}.resizePolicy`, pod.restartPolicy));
  causes.push(
    ...containerSecurityCauses(c.securityContext, `${at}.securityContext`, pod.hostUsers),
  );
  return causes;
}

/** What the containers of a pod spec are checked against. */
export interface PodContext {
  /** The volumes that passed their checks, which mounts may name. */
  volumes: Set<string>;
  /** The claim and ephemeral volumes among them, which volume devices may name. */
  claims: Set<string>;
  /** False when the pod asks for a user namespace (`hostUsers: false`). */
  hostUsers: boolean;
  /** The pod's `terminationGracePeriodSeconds`, which bounds sleep hooks. */
  grace: Json | undefined;
  /** The pod's `restartPolicy`, which `resizePolicy` must agree with. */
  restartPolicy: Json | undefined;
  /** The names of the pod's `resourceClaims`, which `resources.claims` may name. */
  resourceClaims: Set<string>;
}

/**
 * Fields an ephemeral container may not set (kube-apiserver's allow list, inverted), in
 * the order of the Go struct it walks.
 */
const NOT_EPHEMERAL = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
];

/**
 * Whether a field is Go's zero value: unset (an empty list or object is set, as Go's
 * decoder makes them non-nil), or for `resources`, which is no pointer and defaulted to
 * `{}`, without any field.
 */
function isZero(field: string, v: Json | undefined): boolean {
  if (v === undefined || v === null) return true;
  return field === 'resources' && isObject(v) && Object.values(v).every((x) => x === null);
}

/**
 * The causes of `ephemeralContainers` (`validateEphemeralContainers`): the common checks,
 * no leading or trailing space in the image, names unique across every list, a
 * `targetContainerName` naming a container or init container, none of the fields meant
 * for long-running containers, no sub-paths in mounts.
 */
function ephemeralCauses(spec: JsonObject, path: string, pod: PodContext): StatusCause[] {
  const causes: StatusCause[] = [];
  const others = new Set(
    [...list(spec.containers), ...list(spec.initContainers)].map((c) => str(c.name)),
  );
  const all = new Set(others);
  list(spec.ephemeralContainers).forEach((c, i) => {
    const at = `${path}.ephemeralContainers[${i}]`;
    causes.push(...commonCauses(c, at, pod), ...imageSpaceCauses(c, at));
    const name = str(c.name);
    if (all.has(name)) causes.push(duplicate(`${at}.name`, name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target !== '' && !others.has(target)) {
      causes.push(notFoundValue(`${at}.targetContainerName`, target));
    }
    for (const f of NOT_EPHEMERAL) {
      if (!isZero(f, c[f])) {
        causes.push(forbiddenValue(`${at}.${f}`, 'cannot be set for an Ephemeral Container'));
      }
    }
    list(c.volumeMounts).forEach((m, j) => {
      for (const f of ['subPath', 'subPathExpr']) {
        if (str(m[f]) !== '') {
          causes.push(
            forbiddenValue(
              `${at}.volumeMounts[${j}].${f}`,
              'cannot be set for an Ephemeral Container',
            ),
          );
        }
      }
    });
  });
  return causes;
}

/** A Pod's (not a template's) image rule: no leading or trailing whitespace. */
export function imageSpaceCauses(c: JsonObject, at: string): StatusCause[] {
  const image = str(c.image);
  return image.trim() === image
    ? []
    : [invalidValue(`${at}.image`, image, 'must not have leading or trailing whitespace')];
}

/**
 * The causes of `containers`, `initContainers` and `ephemeralContainers` of a (defaulted)
 * pod spec at `path`, in kube-apiserver's order.
 */
export function containerCauses(spec: JsonObject, path: string, pod: PodContext): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = list(spec.containers);
  const names = new Set<string>();
  if (containers.length === 0) {
    causes.push(required(`${path}.containers`));
  } else {
    containers.forEach((c, i) => {
      const at = `${path}.containers[${i}]`;
      causes.push(...commonCauses(c, at, pod));
      const name = str(c.name);
      if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
      else names.add(name);
      causes.push(...lifecycleCauses(c.lifecycle, `${at}.lifecycle`, pod.grace));
      for (const kind of PROBES) causes.push(...probeCauses(kind, c[kind], `${at}.${kind}`));
      causes.push(...restartRuleCauses(c, at));
    });
    causes.push(...hostPortConflicts(containers, (i) => `${path}.containers[${i}]`));
  }
  list(spec.initContainers).forEach((c, i) => {
    const at = `${path}.initContainers[${i}]`;
    causes.push(...commonCauses(c, at, pod));
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      causes.push(...restartRuleCauses(c, at));
    } else if (list(c.restartPolicyRules).length > 0) {
      causes.push(
        required(`${at}.restartPolicy`, 'must specify restartPolicy when restart rules are used'),
      );
    }
    const name = str(c.name);
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    else if (name !== '') names.add(name);
    // Init containers run one by one, so only each one's own ports may conflict; the real
    // server checks each as a list of one, so its causes always say `initContainers[0]`.
    causes.push(...hostPortConflicts([c], () => `${path}.initContainers[0]`));
    if (sidecar) {
      causes.push(...lifecycleCauses(c.lifecycle, `${at}.lifecycle`, pod.grace));
      for (const kind of PROBES) causes.push(...probeCauses(kind, c[kind], `${at}.${kind}`));
    } else {
      for (const kind of ['lifecycle', ...PROBES]) {
        if (c[kind] !== undefined && c[kind] !== null) {
          causes.push(forbiddenValue(`${at}.${kind}`, NOT_SIDECAR));
        }
      }
      list(c.resizePolicy).forEach((p, j) => {
        if (p.restartPolicy === 'RestartContainer') {
          causes.push(
            invalidValue(
              `${at}.resizePolicy[${j}].restartPolicy`,
              p.restartPolicy,
              "must not be set to 'RestartContainer' for non-sidecar initContainers",
            ),
          );
        }
      });
    }
  });
  causes.push(...ephemeralCauses(spec, path, pod));
  return causes;
}
