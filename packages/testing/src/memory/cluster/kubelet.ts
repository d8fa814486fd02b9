/**
 * The kubelets of the simulated Nodes, as one component: a Pod bound to one of them starts
 * at once (Running, Ready unless a readiness gate is unmet, with a pod IP from the node's
 * range), and a Job's Pod then runs to completion (Succeeded), as kwok's fast pod stages
 * do on the real backend. Other Pods run until deleted. A deleted Pod's containers stop
 * at once (there are none), so its kubelet ends the graceful deletion right away with a
 * grace period of 0, as kubelet does once the containers have exited; finalizers still
 * hold it.
 */
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { nodeIp } from './nodes.js';
import { runningStatus, succeededStatus } from './pod-status.js';
import { controllerOf, deleteAs, PODS, writeStatus } from './writes.js';

const MANAGER = 'kubelet';

/** Runs the Pods bound to the simulated Nodes. */
export class SimulatedKubelet {
  /** The index of each simulated Node, by name. */
  readonly #nodes: ReadonlyMap<string, number>;
  /** The last host number given out per node. */
  readonly #lastHost = new Map<string, number>();

  constructor(
    private readonly s: ApiState,
    nodeNames: readonly string[],
  ) {
    this.#nodes = new Map(nodeNames.map((name, index) => [name, index]));
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey !== 'pods' || c.type === 'DELETED') return;
    if (this.#nodeOf(c.object) === undefined) return;
    this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
  }

  #nodeOf(pod: JsonObject): string | undefined {
    const spec = isObject(pod.spec) ? pod.spec : {};
    const node = spec.nodeName;
    return typeof node === 'string' && this.#nodes.has(node) ? node : undefined;
  }

  /** Brings one Pod's status to where its kubelet has it by now. */
  sync(namespace: string, name: string): void {
    const pod = this.s.storage.get('pods', objectKey(namespace, name));
    if (pod === undefined) return;
    const node = this.#nodeOf(pod);
    if (node === undefined) return;
    const meta = metaOf(pod);
    if (meta.deletionTimestamp) {
      if (meta.deletionGracePeriodSeconds !== 0) deleteAs(this.s, PODS, namespace, name, 0);
      return;
    }
    const status = isObject(pod.status) ? pod.status : {};
    const now = timestamp();
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
    if (status.phase === 'Running' && controllerOf(pod)?.kind === 'Job') {
      writeStatus(this.s, MANAGER, PODS, pod, succeededStatus(pod, now));
      return;
    }
    const podIP = typeof status.podIP === 'string' ? status.podIP : this.#allocate(node, pod);
    writeStatus(
      this.s,
      MANAGER,
      PODS,
      pod,
      runningStatus(pod, { hostIP: nodeIp(this.#nodes.get(node) ?? 0), podIP }, now),
    );
  }

  /** The next pod IP of the node's range (hostNetwork Pods take the node's IP). */
  #allocate(node: string, pod: JsonObject): string {
    const spec = isObject(pod.spec) ? pod.spec : {};
    const index = this.#nodes.get(node) ?? 0;
    if (spec.hostNetwork === true) return nodeIp(index);
    const host = ((this.#lastHost.get(node) ?? 1) % 254) + 1;
    this.#lastHost.set(node, host);
    return `10.244.${index}.${host}`;
  }
}
