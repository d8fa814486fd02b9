/**
 * What kube-controller-manager and the nodes do with workloads: the workload controllers
 * (ReplicaSet, ReplicationController, Deployment, Job, StatefulSet,
 * DaemonSet, CronJob), the Endpoints, EndpointSlice and EndpointSlice mirroring controllers, the ServiceCIDR
 * controller and kube-apiserver's IPAddress repair loop, which run on every MemoryApiServer
 * as they run on a control plane without nodes (their Pods then stay Pending, and Services
 * list none), and, for `MemoryApiServer.start({ nodes })`, the Nodes, the scheduler and
 * their kubelets, which make Deployments available and Jobs complete and give Pods the IPs
 * that Services list. All observe the server's changes like the garbage collector does.
 */
import { IPAddressRepair } from '../builtins/ip-address-repair.js';
import type { Change } from '../history.js';
import type { ApiState } from '../state.js';
import { CronJobController } from './cron-job-controller.js';
import { DaemonSetController } from './daemon-set-controller.js';
import { DeploymentController } from './deployment-controller.js';
import { EndpointSliceMirroring } from './endpoint-slice-mirroring.js';
import { EndpointsController } from './endpoints-controller.js';
import { JobController } from './job-controller.js';
import { SimulatedKubelet } from './kubelet.js';
import { nodeName, nodeObject } from './nodes.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { SimulatedScheduler } from './scheduler.js';
import { ServiceCidrController } from './service-cidr-controller.js';
import { StatefulSetController } from './stateful-set-controller.js';
import { createAs, NODES } from './writes.js';

/** The simulated components of one server. */
export class SimulatedCluster {
  /** The names of the Nodes, `node-0`, `node-1`, … */
  readonly nodeNames: readonly string[];
  readonly #components: { observe(c: Change): void }[];
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Starts the workload controllers and, with `count` > 0, that many Ready Nodes with their kubelets and the scheduler. */
  constructor(s: ApiState, count: number) {
    this.nodeNames = Array.from({ length: count }, (_, i) => nodeName(i));
    const later = (ms: number, task: () => void) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        s.schedule(task);
      }, ms);
      timer.unref();
      this.#timers.add(timer);
    };
    this.#components = [
      ...(count > 0 ? [new SimulatedScheduler(s), new SimulatedKubelet(s, this.nodeNames)] : []),
      new EndpointsController(s),
      new EndpointSliceMirroring(s),
      new ReplicaSetController(s, later),
      new ReplicaSetController(s, later, 'ReplicationController'),
      new DeploymentController(s, later),
      new JobController(s, later),
      new StatefulSetController(s, later),
      new DaemonSetController(s),
      new CronJobController(s, later),
      new ServiceCidrController(s, later),
      new IPAddressRepair(s, later),
    ];
    for (let i = 0; i < count; i++) createAs(s, 'kubelet', NODES, '', nodeObject(i));
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    for (const component of this.#components) component.observe(c);
  }

  /** Cancels pending timers (minReadySeconds checks, CronJobs' next times, ServiceCIDRs' grace). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
