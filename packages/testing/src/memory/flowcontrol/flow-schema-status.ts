/**
 * kube-apiserver's API Priority and Fairness config consumer, as far as objects show it:
 * every FlowSchema's `Dangling` condition says whether the PriorityLevelConfiguration it
 * names exists (`False`/`Found` or `True`/`NotFound`, with kube-apiserver's message),
 * rewritten after any FlowSchema or PriorityLevelConfiguration changes.
 */
import type { Change } from '../history.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { timestamp } from '../state.js';
import { commitUpdate } from '../update-object.js';
import { FLOW_SCHEMAS, FLOWCONTROL, PRIORITY_LEVELS } from './bootstrap-configuration.js';

const MANAGER = 'api-priority-and-fairness-config-consumer-v1';

/** The name of the PriorityLevelConfiguration a FlowSchema refers to. */
export function priorityLevelOf(flowSchema: JsonObject): string {
  const spec = isObject(flowSchema.spec) ? flowSchema.spec : {};
  const ref = isObject(spec.priorityLevelConfiguration) ? spec.priorityLevelConfiguration : {};
  return String(ref.name ?? '');
}

/** Keeps each FlowSchema's `Dangling` condition current. */
export class FlowSchemaStatusController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === FLOW_SCHEMAS || c.resKey === PRIORITY_LEVELS) {
      this.s.schedule(() => this.sync());
    }
  }

  /** Rewrites the condition of every FlowSchema whose condition is not the desired one. */
  sync(): void {
    const t = this.s.registry.find(FLOWCONTROL, 'v1', 'flowschemas');
    if (!t) return;
    for (const [, fs] of [...this.s.storage.scan(FLOW_SCHEMAS)]) {
      const level = priorityLevelOf(fs);
      const found = this.s.storage.get(PRIORITY_LEVELS, level) !== undefined;
      const desired = {
        type: 'Dangling',
        status: found ? 'False' : 'True',
        reason: found ? 'Found' : 'NotFound',
        message: found
          ? `This FlowSchema references the PriorityLevelConfiguration object named "${level}" and it exists`
          : `This FlowSchema references the PriorityLevelConfiguration object named "${level}" but there is no such object`,
      };
      const status = isObject(fs.status) ? fs.status : {};
      const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
      const current = conditions.find((c) => c.type === 'Dangling');
      if (
        current &&
        current.status === desired.status &&
        current.reason === desired.reason &&
        current.message === desired.message
      ) {
        continue;
      }
      const condition: JsonObject = {
        type: desired.type,
        status: desired.status,
        lastTransitionTime:
          current && current.status === desired.status
            ? (current.lastTransitionTime ?? timestamp())
            : timestamp(),
        reason: desired.reason,
        message: desired.message,
      };
      const others = conditions.filter((c) => c.type !== 'Dangling');
      try {
        commitUpdate(
          this.s,
          { t, version: 'v1', namespace: '' },
          fs,
          { ...fs, status: { ...status, conditions: [...others, condition] } },
          { defaultManager: MANAGER },
          {
            subresource: 'status',
            managedFields: (metaOf(fs).managedFields as Json[] | undefined) ?? [],
          },
        );
      } catch {
        // A concurrent change of the FlowSchema brings it back here.
      }
    }
  }
}
