/**
 * The API Priority and Fairness configuration kube-apiserver's config producer creates at
 * start: the mandatory (`exempt`, `catch-all`) and suggested FlowSchemas and
 * PriorityLevelConfigurations (`system-leader-election`, `workload-high`,
 * `global-default`, …) with the `apf.kubernetes.io/autoupdate-spec` annotation.
 * bootstrap-configuration.json is generated from the pinned Kubernetes version's Go
 * bootstrap configuration after its defaulting (scripts/bootstrap-policy/flowcontrol).
 */
import { createObject } from '../create-object.js';
import type { JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import configuration from './bootstrap-configuration.json' with { type: 'json' };

/** The GROUP of the flowcontrol API. */
export const FLOWCONTROL = 'flowcontrol.apiserver.k8s.io';
/** The storage keys of FlowSchemas and PriorityLevelConfigurations. */
export const FLOW_SCHEMAS = `flowschemas.${FLOWCONTROL}`;
export const PRIORITY_LEVELS = `prioritylevelconfigurations.${FLOWCONTROL}`;

/**
 * The fixed spec of a mandatory FlowSchema or PriorityLevelConfiguration (`exempt`,
 * `catch-all`), which kube-apiserver refuses to see changed; undefined for other names.
 */
export function mandatoryFlowControlSpec(
  kind: 'FlowSchema' | 'PriorityLevelConfiguration',
  name: string,
): JsonObject | undefined {
  if (name !== 'exempt' && name !== 'catch-all') return undefined;
  const objects = (kind === 'FlowSchema'
    ? configuration.flowSchemas
    : configuration.priorityLevelConfigurations) as unknown as JsonObject[];
  const found = objects.find((o) => (o.metadata as JsonObject).name === name);
  return found?.spec as JsonObject | undefined;
}

/** Stores the bootstrap PriorityLevelConfigurations and FlowSchemas. */
export function installFlowControlConfiguration(s: ApiState): void {
  const install = (plural: string, objects: JsonObject[]) => {
    const t = s.registry.find(FLOWCONTROL, 'v1', plural);
    if (!t) return;
    for (const obj of objects) {
      createObject(s, { t, version: 'v1', namespace: '' }, structuredClone(obj), {
        defaultManager: 'api-priority-and-fairness-config-producer-v1',
      });
    }
  };
  install(
    'prioritylevelconfigurations',
    configuration.priorityLevelConfigurations as unknown as JsonObject[],
  );
  install('flowschemas', configuration.flowSchemas as unknown as JsonObject[]);
}
