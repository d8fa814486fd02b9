/**
 * A pod spec's containers and init containers, checked as kube-apiserver's
 * `validateContainers`, `validateInitContainers` and `validateContainerCommon` check them
 * (own code: the causes and their order are what a test sees): name (an RFC 1123 label,
 * unique across containers and init containers) and image, termination message policy,
 * ports (IANA service names, unique; port numbers; protocols), env var names, volume
 * mounts, pull policy, then the probes (exactly one handler, its port, non-negative
 * numbers, `successThreshold` 1 for liveness and startup); an init container without
 * `restartPolicy: Always` may have no probes.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notNegative,
  notSupported,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { volumeMountCauses } from './pod-volumes.js';
import { PORT_RANGE, portNameErrors } from './ports.js';

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
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
  return portNumberCauses(field, typeof port === 'number' ? port : 0);
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

/** Env var names: required, printable ASCII without `=` (the relaxed rule, GA in 1.34). */
function envCauses(env: Json | undefined, path: string): StatusCause[] {
  return list(env).flatMap((e, i) => {
    const at = `${path}[${i}].name`;
    const name = str(e.name);
    if (name === '') return [required(at)];
    return /^[\x20-\x7e]+$/.test(name) && !name.includes('=')
      ? []
      : [
          invalidValue(
            at,
            name,
            "a valid environment variable name must consist only of printable ASCII characters other than '='",
          ),
        ];
  });
}

/** The causes of a probe's handler: exactly one, and its own fields. */
function handlerCauses(probe: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  let seen = 0;
  for (const kind of HANDLERS) {
    const h = probe[kind];
    if (h === undefined || h === null) continue;
    if (seen++ > 0) {
      causes.push(forbiddenValue(`${at}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    const hp = `${at}.${kind}`;
    const action = isObject(h) ? h : {};
    if (kind === 'exec' && !(Array.isArray(action.command) && action.command.length > 0)) {
      causes.push(required(`${hp}.command`));
    }
    if (kind === 'httpGet' || kind === 'tcpSocket' || kind === 'grpc') {
      causes.push(...portCauses(`${hp}.port`, action.port));
    }
  }
  if (seen === 0) causes.push(required(at, 'must specify a handler type'));
  return causes;
}

function probeCauses(kind: string, probe: Json | undefined, at: string): StatusCause[] {
  if (!isObject(probe)) return [];
  const causes = handlerCauses(probe, at);
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

/** What every container is checked for (kube-apiserver's `validateContainerCommon`). */
function commonCauses(c: JsonObject, at: string, volumes: Set<string>): StatusCause[] {
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
  causes.push(...envCauses(c.env, `${at}.env`));
  causes.push(...volumeMountCauses(c.volumeMounts, volumes, `${at}.volumeMounts`));
  const pull = str(c.imagePullPolicy);
  if (pull === '') causes.push(required(`${at}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) {
    causes.push(notSupported(`${at}.imagePullPolicy`, pull, PULL_POLICIES));
  }
  return causes;
}

/**
 * The causes of `containers` and `initContainers` of a (defaulted) pod spec at `path`,
 * given the volumes its mounts may name.
 */
export function containerCauses(
  spec: JsonObject,
  path: string,
  volumes: Set<string>,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = spec.containers;
  const names = new Set<string>();
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${path}.containers`));
  } else {
    containers.forEach((c, i) => {
      if (!isObject(c)) return;
      const at = `${path}.containers[${i}]`;
      causes.push(...commonCauses(c, at, volumes));
      const name = str(c.name);
      if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
      else names.add(name);
      for (const kind of PROBES) causes.push(...probeCauses(kind, c[kind], `${at}.${kind}`));
    });
  }
  list(spec.initContainers).forEach((c, i) => {
    const at = `${path}.initContainers[${i}]`;
    causes.push(...commonCauses(c, at, volumes));
    const name = str(c.name);
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    else if (name !== '') names.add(name);
    const sidecar = c.restartPolicy === 'Always';
    for (const kind of PROBES) {
      if (sidecar) causes.push(...probeCauses(kind, c[kind], `${at}.${kind}`));
      else if (c[kind] !== undefined && c[kind] !== null) {
        causes.push(
          forbiddenValue(
            `${at}.${kind}`,
            'may not be set for init containers without restartPolicy=Always',
          ),
        );
      }
    }
  });
  return causes;
}
