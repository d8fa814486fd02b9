/**
 * kube-scheduler, reduced to what a test cluster needs: each Pod without a node (and for
 * the default scheduler) is bound to the Ready Node that its `nodeSelector` and required
 * node affinity allow and that runs the fewest Pods; the binding sets `spec.nodeName` and the `PodScheduled`
 * condition, as kube-apiserver's `pods/binding` does. A Pod no Node fits stays Pending
 * with `PodScheduled=False` (`Unschedulable`) and the scheduler's message. Both are recorded
 * as kube-scheduler records them: an events.k8s.io/v1 Event from `default-scheduler`,
 * `Scheduled` (action `Binding`) or `FailedScheduling` (action `Scheduling`). Taints, preferred
 * affinity, pod affinity, resources and topology spread are not considered (the Nodes have no taints and room for
 * 110 Pods).
 */
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { boundPod, commitPod } from '../subresources/binding.js';
import { recordNewEvent } from './events.js';
import { fitsNode, restrictsNodes } from './node-affinity.js';
import { NODES, PODS, tableOf, writeStatus } from './writes.js';

const MANAGER = 'kube-scheduler';

/** The scheduler profile's name, the `reportingController` of its Events. */
const PROFILE = 'default-scheduler';

function specOf(obj: JsonObject): JsonObject {
  return isObject(obj.spec) ? obj.spec : {};
}

function isReady(node: JsonObject): boolean {
  const status = isObject(node.status) ? node.status : {};
  const list = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  return list.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether the Pod waits for this scheduler. */
export function needsScheduling(pod: JsonObject): boolean {
  const spec = specOf(pod);
  return (
    !spec.nodeName &&
    !metaOf(pod).deletionTimestamp &&
    (spec.schedulerName === undefined || spec.schedulerName === 'default-scheduler')
  );
}

/** Binds pending Pods to Nodes. */
export class SimulatedScheduler {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === 'pods' && c.type !== 'DELETED' && needsScheduling(c.object)) {
      this.s.schedule(() => this.schedule(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === 'nodes' && c.type !== 'DELETED') {
      this.s.schedule(() => this.scheduleAll());
    }
  }

  /** Tries every Pod still waiting (after a Node changed). */
  scheduleAll(): void {
    for (const [, pod] of [...this.s.storage.scan('pods')]) {
      if (needsScheduling(pod))
        this.schedule(String(metaOf(pod).namespace), String(metaOf(pod).name));
    }
  }

  /** Schedules one Pod, if it still waits. */
  schedule(namespace: string, name: string): void {
    const pod = this.s.storage.get('pods', objectKey(namespace, name));
    if (pod === undefined || !needsScheduling(pod)) return;
    const nodes = [...this.s.storage.scan(tableOf(NODES))].map(([, n]) => n);
    const fit = nodes.filter((node) => isReady(node) && fitsNode(specOf(pod), node));
    if (fit.length === 0) {
      this.unschedulable(pod, nodes.length, restrictsNodes(specOf(pod)));
      return;
    }
    const load = new Map<string, number>();
    for (const [, other] of this.s.storage.scan('pods')) {
      const node = specOf(other).nodeName;
      if (typeof node === 'string') load.set(node, (load.get(node) ?? 0) + 1);
    }
    const names = fit.map((n) => String(metaOf(n).name));
    names.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b));
    this.bind(pod, names[0] ?? '');
  }

  /** Binds the Pod to the Node as `pods/binding` does. */
  bind(pod: JsonObject, node: string): void {
    commitPod(this.s, boundPod(pod, node));
    const { namespace, name } = metaOf(pod);
    const note = `Successfully assigned ${String(namespace)}/${String(name)} to ${node}`;
    recordNewEvent(this.s, PROFILE, pod, 'Normal', 'Scheduled', 'Binding', note, MANAGER);
  }

  /**
   * Reports that no Node fits, as kube-scheduler words it (its DynamicResources plugin's
   * PostFilter adds `no new claims to deallocate` for a Pod without resource claims, the
   * only Pods considered here). The Event is recorded when the condition changes: the real
   * scheduler records one per failed attempt (counted as an Event series), and this one
   * tries again only when a Node or the Pod changes, its own status write included.
   */
  unschedulable(pod: JsonObject, total: number, bySelector: boolean): void {
    const why =
      total === 0
        ? 'no nodes available to schedule pods'
        : `0/${total} nodes are available: ${total} node(s) ${bySelector ? "didn't match Pod's node affinity/selector" : 'were not ready'}. no new claims to deallocate, preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
    const status = isObject(pod.status) ? structuredClone(pod.status) : {};
    const others = Array.isArray(status.conditions)
      ? status.conditions.filter((c) => isObject(c) && c.type !== 'PodScheduled')
      : [];
    const old = Array.isArray(status.conditions)
      ? status.conditions.filter(isObject).find((c) => c.type === 'PodScheduled')
      : undefined;
    status.conditions = [
      ...others,
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime:
          old?.status === 'False' && typeof old.lastTransitionTime === 'string'
            ? old.lastTransitionTime
            : timestamp(),
        reason: 'Unschedulable',
        message: why,
      },
    ];
    if (writeStatus(this.s, MANAGER, PODS, pod, status) === pod) return;
    recordNewEvent(this.s, PROFILE, pod, 'Warning', 'FailedScheduling', 'Scheduling', why, MANAGER);
  }
}
