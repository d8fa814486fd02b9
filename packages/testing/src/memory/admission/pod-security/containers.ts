import { type JsonObject, objects } from '../../json.js';

/** A Pod spec's init containers, containers and ephemeral containers, in that order. */
export function allContainers(spec: JsonObject): JsonObject[] {
  return [
    ...objects(spec.initContainers),
    ...objects(spec.containers),
    ...objects(spec.ephemeralContainers),
  ];
}
