/**
 * `ValidatePodStatusUpdate`'s container state rule, as kube-apiserver v1.36 applies it with
 * ContainerRestartRules and RestartAllContainersOnContainerExits on (both beta, on by
 * default; own code): a container whose stored status is terminated may come back to
 * running or waiting only when its restart policy would restart it after that exit code
 * (its `restartPolicyRules`, its own `restartPolicy`, then the Pod's), unless a container
 * may restart them all; an ephemeral container never.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, obj, objects, str } from '../json.js';
import { forbiddenValue } from '../validation.js';

const NOT_BACK = 'may not be transitioned to non-terminated state';
const RESTART_ALL = 'RestartAllContainers';

/** The terminated state of a container status, if it has one. */
const terminatedOf = (status: JsonObject): JsonObject | undefined => {
  const t = obj(status.state).terminated;
  return isObject(t) ? t : undefined;
};

/** The action of the container's first `restartPolicyRules` entry matching `exitCode`. */
function ruleAction(container: JsonObject, exitCode: number): string | undefined {
  for (const rule of objects(container.restartPolicyRules)) {
    if (!isObject(rule.exitCodes)) continue;
    const values = Array.isArray(rule.exitCodes.values) ? rule.exitCodes.values : [];
    const hit = values.includes(exitCode);
    const op = rule.exitCodes.operator;
    if ((op === 'In' && hit) || (op === 'NotIn' && !hit)) return str(rule.action);
  }
  return undefined;
}

/** What a restart policy says of an exit; undefined for another value (the next policy decides). */
function policyRestarts(policy: Json | undefined, exitCode: number): boolean | undefined {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  if (policy === 'Never') return false;
  return undefined;
}

/** Whether the kubelet would restart `container` after `exitCode` (`ContainerShouldRestart`). */
function shouldRestart(container: JsonObject, spec: JsonObject, exitCode: number): boolean {
  if (container.restartPolicy !== undefined && container.restartPolicy !== null) {
    const action = ruleAction(container, exitCode);
    if (action === 'Restart' || action === RESTART_ALL) return true;
    const own = policyRestarts(container.restartPolicy, exitCode);
    if (own !== undefined) return own;
  }
  // The Pod's policy; the default one (Always) restarts.
  return policyRestarts(spec.restartPolicy, exitCode) ?? true;
}

/** Whether some container's rule restarts all of them (`AllContainersCouldRestart`). */
function allCouldRestart(spec: JsonObject): boolean {
  return [...objects(spec.initContainers), ...objects(spec.containers)].some((c) =>
    objects(c.restartPolicyRules).some((r) => r.action === RESTART_ALL),
  );
}

/** The causes of one list of (init) container statuses, at `status.<field>[<old index>].state`. */
function listCauses(
  next: Json | undefined,
  prev: Json | undefined,
  containers: JsonObject[],
  spec: JsonObject,
  field: string,
): StatusCause[] {
  const statuses = objects(next);
  return objects(prev).flatMap((old, i) => {
    const terminated = terminatedOf(old);
    if (!terminated) return [];
    // The first status of that name decides.
    const now = statuses.find((s) => str(s.name) === str(old.name) && !terminatedOf(s));
    if (!now) return [];
    const exitCode = num(terminated.exitCode);
    const container = containers.find((c) => str(c.name) === str(old.name));
    if (container && shouldRestart(container, spec, exitCode)) return [];
    return [forbiddenValue(`status.${field}[${i}].state`, NOT_BACK)];
  });
}

/** Ephemeral containers never restart: one cause per new status of a terminated one's name. */
function ephemeralCauses(next: Json | undefined, prev: Json | undefined): StatusCause[] {
  const statuses = objects(next);
  return objects(prev).flatMap((old, i) => {
    if (!terminatedOf(old)) return [];
    return statuses
      .filter((s) => str(s.name) === str(old.name) && !terminatedOf(s))
      .map(() => forbiddenValue(`status.ephemeralContainerStatuses[${i}].state`, NOT_BACK));
  });
}

/**
 * The causes of a status write that brings terminated containers back (containers, init
 * containers, ephemeral containers, in that order), judged by the stored Pod's spec.
 */
export function containerStateCauses(status: JsonObject, prev: JsonObject): StatusCause[] {
  const spec = obj(prev.spec);
  const old = obj(prev.status);
  const restartAll = allCouldRestart(spec);
  return [
    ...(restartAll
      ? []
      : [
          ...listCauses(
            status.containerStatuses,
            old.containerStatuses,
            objects(spec.containers),
            spec,
            'containerStatuses',
          ),
          ...listCauses(
            status.initContainerStatuses,
            old.initContainerStatuses,
            objects(spec.initContainers),
            spec,
            'initContainerStatuses',
          ),
        ]),
    ...ephemeralCauses(status.ephemeralContainerStatuses, old.ephemeralContainerStatuses),
  ];
}
