/**
 * The checks `ValidatePodStatusUpdate` makes of each container status (own code; fields and
 * words are kube-apiserver v1.36's): the user a Linux container runs as (IDs in range;
 * none for a Windows Pod), and `allocatedResourcesStatus` (ResourceHealthStatus is on):
 * names of the container's requests or resource claims, known health values, non-empty
 * messages of at most 1024 bytes, unique resource IDs, never on an ephemeral container.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, obj, objects, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  required,
  tooLong,
} from '../validation.js';
import { idCauses } from './pod-security.js';

const HEALTH = ['Healthy', 'Unhealthy', 'Unknown'];
const MESSAGE_MAX = 1024;
const LISTS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'];

/** `validateContainerStatusUsers` of one list. */
function userCauses(statuses: Json | undefined, windows: boolean, at: string): StatusCause[] {
  return objects(statuses).flatMap((s, i) => {
    if (!isObject(s.user)) return [];
    const linux = s.user.linux;
    const path = `${at}[${i}].user.linux`;
    if (windows) {
      return isObject(linux) ? [forbiddenValue(path, 'cannot be set for a windows pod')] : [];
    }
    if (!isObject(linux)) return [];
    const groups = Array.isArray(linux.supplementalGroups) ? linux.supplementalGroups : [];
    return [
      ...idCauses(`${path}.uid`, linux.uid),
      ...idCauses(`${path}.gid`, linux.gid),
      ...groups.flatMap((g, j) => idCauses(`${path}.supplementalGroups[${j}]`, g)),
    ];
  });
}

/** Whether a container has the resource (a request, or `claim:<claim>[/<request>]`). */
function allocatedNameCause(name: string, container: JsonObject, at: string): StatusCause[] {
  const resources = obj(container.resources);
  if (name.startsWith('claim:')) {
    const names = objects(resources.claims).map(
      (c) => `claim:${str(c.name)}${str(c.request) ? `/${str(c.request)}` : ''}`,
    );
    if (names.includes(name)) return [];
    const why =
      "must match one of the container's resource claims in a format 'claim:<claimName>/<request>' or 'claim:<claimName>' if request is empty";
    return [invalidValue(at, name, why)];
  }
  if (Object.hasOwn(obj(resources.requests), name)) return [];
  return [invalidValue(at, name, "must match one of the container's resource requests")];
}

/** `validateContainerStatusAllocatedResourcesStatus` of one list. */
function allocatedCauses(
  statuses: Json | undefined,
  containers: Json | undefined,
  at: string,
): StatusCause[] {
  return objects(statuses).flatMap((s, i) =>
    objects(s.allocatedResourcesStatus).flatMap((allocated, j) => {
      const path = `${at}[${i}].allocatedResourcesStatus[${j}]`;
      // A status of no container of the spec is not checked (kubernetes#124915).
      const container = objects(containers).find((c) => str(c.name) === str(s.name));
      const causes = container
        ? allocatedNameCause(str(allocated.name), container, `${path}.name`)
        : [];
      const seen = new Set<string>();
      objects(allocated.resources).forEach((r, k) => {
        const rp = `${path}.resources[${k}]`;
        if (!HEALTH.includes(str(r.health)))
          causes.push(notSupported(`${rp}.health`, str(r.health), HEALTH));
        if (typeof r.message === 'string') {
          if (r.message === '')
            causes.push(required(`${rp}.message`, 'must be non-empty if specified'));
          else if (Buffer.byteLength(r.message) > MESSAGE_MAX)
            causes.push(tooLong(`${rp}.message`, MESSAGE_MAX));
        }
        const id = str(r.resourceID);
        if (seen.has(id)) causes.push(duplicate(`${rp}.resourceID`, id));
        seen.add(id);
      });
      return causes;
    }),
  );
}

/** The container status causes of a Pod status write, in kube-apiserver's order. */
export function containerStatusCauses(status: JsonObject, spec: JsonObject): StatusCause[] {
  const windows = str(obj(spec.os).name) === 'windows';
  return [
    ...LISTS.flatMap((l) => userCauses(status[l], windows, `status.${l}`)),
    ...allocatedCauses(status.containerStatuses, spec.containers, 'status.containerStatuses'),
    ...allocatedCauses(
      status.initContainerStatuses,
      spec.initContainers,
      'status.initContainerStatuses',
    ),
    ...objects(status.ephemeralContainerStatuses).flatMap((s, i) =>
      objects(s.allocatedResourcesStatus).length
        ? [
            forbiddenValue(
              `status.ephemeralContainerStatuses[${i}].allocatedResourcesStatus`,
              'must not be specified in container status',
            ),
          ]
        : [],
    ),
  ];
}
