import { Api, Client, Patch } from '@kube-ts/client';
import { isAlreadyExists, resources } from '@kube-ts/core';
import { KubeConfig } from '@kubernetes/client-node';
import {
  benchConfigMap,
  benchPod,
  configMapName,
  FIELD_MANAGER,
  updatePatch,
  wallClockMs,
} from './fixtures.js';
import { runPool } from './pool.js';

/** Requests in flight while seeding or bursting updates. */
const CONCURRENCY = 32;

/** Writes the benchmark data to one server, through kube-ts's own client. */
export class Writer {
  readonly #client: Client;

  private constructor(client: Client) {
    this.#client = client;
  }

  /** A writer for the server of the kubeconfig file at `path`. */
  static fromKubeconfigFile(path: string): Writer {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new Writer(Client.fromKubeConfig(kc));
  }

  /** Creates `namespace` and `count` benchmark ConfigMaps in it; resolves with the time taken. */
  async seed(namespace: string, count: number): Promise<number> {
    const t0 = performance.now();
    await Api.cluster(this.#client, resources.namespaces).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    const api = Api.namespaced(this.#client, resources.configMaps, namespace);
    await runPool(count, CONCURRENCY, (i) =>
      api.create(benchConfigMap(namespace, i), { fieldManager: FIELD_MANAGER }),
    );
    return performance.now() - t0;
  }

  /**
   * Creates `namespace` (with its `default` ServiceAccount, which kube-apiserver's
   * admission needs for a Pod and no controller-manager creates here) and `count`
   * benchmark Pods in it; resolves with the time taken.
   */
  async seedPods(namespace: string, count: number): Promise<number> {
    const t0 = performance.now();
    await Api.cluster(this.#client, resources.namespaces).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    await Api.namespaced(this.#client, resources.serviceAccounts, namespace)
      .create({ metadata: { name: 'default' } })
      .catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    const api = Api.namespaced(this.#client, resources.pods, namespace);
    await runPool(count, CONCURRENCY, (i) =>
      api.create(benchPod(namespace, i), { fieldManager: FIELD_MANAGER }),
    );
    return performance.now() - t0;
  }

  /**
   * Open watches of one resource on the server, as kube-apiserver's `/metrics` reports
   * them (`apiserver_longrunning_requests{verb="WATCH"}`, summed over scopes and versions).
   */
  async watchesFromMetrics(group: string, plural: string): Promise<number> {
    const { body } = await this.#client.requestRaw({
      method: 'GET',
      path: '/metrics',
      accept: 'text/plain',
    });
    let n = 0;
    for (const line of body.toString('utf8').split('\n')) {
      if (!line.startsWith('apiserver_longrunning_requests{')) continue;
      const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
      if (
        labels.includes('verb="WATCH"') &&
        labels.includes(`resource="${plural}"`) &&
        labels.includes(`group="${group}"`) &&
        /(^|,)subresource=""/.test(labels)
      ) {
        n += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  /**
   * Sends `updates` merge patches round-robin over the `objects` ConfigMaps of `namespace`
   * as fast as the server takes them; resolves with the achieved rate (updates/s).
   */
  async burst(namespace: string, objects: number, updates: number, firstSeq = 0): Promise<number> {
    const api = Api.namespaced(this.#client, resources.configMaps, namespace);
    const t0 = performance.now();
    await runPool(updates, CONCURRENCY, (i) => {
      const seq = firstSeq + i;
      return api.patch(configMapName(seq % objects), Patch.merge(updatePatch(seq, wallClockMs())), {
        fieldManager: FIELD_MANAGER,
      });
    });
    return (updates / (performance.now() - t0)) * 1000;
  }

  /**
   * Sends merge patches round-robin over the `objects` ConfigMaps at a steady `ratePerSecond`
   * for `durationMs`, each stamped with its send time, paced on a 5 ms tick without waiting
   * for earlier responses. Resolves with the number sent and each request's round-trip
   * time in ms (how long the write itself took, for reading the latency figures).
   */
  async steady(
    namespace: string,
    objects: number,
    ratePerSecond: number,
    durationMs: number,
    firstSeq = 0,
  ): Promise<{ sent: number; roundTripsMs: number[] }> {
    const api = Api.namespaced(this.#client, resources.configMaps, namespace);
    const total = Math.round((ratePerSecond * durationMs) / 1000);
    const inFlight = new Set<Promise<unknown>>();
    const roundTripsMs: number[] = [];
    let failure: unknown;
    const t0 = performance.now();
    let sent = 0;
    while (sent < total && failure === undefined) {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - t0) * ratePerSecond) / 1000) + 1,
      );
      for (; sent < due; sent++) {
        const seq = firstSeq + sent;
        const at = wallClockMs();
        const p = api
          .patch(configMapName(seq % objects), Patch.merge(updatePatch(seq, at)), {
            fieldManager: FIELD_MANAGER,
          })
          .then(
            () => roundTripsMs.push(wallClockMs() - at),
            (err: unknown) => {
              failure ??= err;
            },
          )
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    return { sent, roundTripsMs };
  }

  /** Closes the client's connections. */
  close(): void {
    this.#client.close();
  }
}
