import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { WebSocketServer } from 'ws';
import { certificateAuthorityPem, servingCertificate } from '../control-plane/certificates.js';
import { serveRequest } from './admission/intercept.js';
import { PodSecurityMetrics } from './admission/pod-security/pod-security-metrics.js';
import { PolicyStatusController } from './admission/policy-status.js';
import {
  installLocalApiServices,
  LocalAvailabilityController,
} from './aggregation/api-services.js';
import { CrdApiServiceController } from './aggregation/crd-api-services.js';
import { RemoteAvailabilityController } from './aggregation/remote-availability.js';
import { ClusterRoleAggregator } from './auth/aggregation.js';
import { authenticationFor } from './auth/authenticate.js';
import { installBootstrapPolicy } from './auth/bootstrap-policy.js';
import { authorizeIdentified, type Identified, identify } from './auth/gate.js';
import { configureIssuer } from './auth/issuer.js';
import { ServiceAccountController } from './auth/service-accounts.js';
import { storeDefaultServiceCidr, storeKubernetesService } from './bootstrap/kubernetes-service.js';
import { installSystemPriorityClasses } from './bootstrap/system-priority-classes.js';
import { ServiceIPAddresses } from './builtins/service-ip-addresses.js';
import { SimulatedCluster } from './cluster/cluster.js';
import { ContainerRuntime } from './containers/container-runtime.js';
import { serveUpgrade, upgradeServer } from './containers/upgrade.js';
import { prepareCustomResource } from './custom-validation.js';
import { Faults } from './faults.js';
import { installFlowControlConfiguration } from './flowcontrol/bootstrap-configuration.js';
import { serveFlowControlPath } from './flowcontrol/debug-paths.js';
import { FlowSchemaStatusController } from './flowcontrol/flow-schema-status.js';
import { PrioritySeats } from './flowcontrol/seats.js';
import { GarbageCollector } from './garbage-collector.js';
import type { RequestContext } from './http-handler.js';
import { kubeConfigFor, type ServerAccess, writeKubeconfigFile } from './kubeconfig.js';
import { RequestMetrics } from './metrics/request-metrics.js';
import { requestBodyText } from './protobuf/request-body.js';
import { QuotaController } from './quota/quota-controller.js';
import { ResourceRegistry } from './registry.js';
import { resourceKey } from './resource-types.js';
import { sendError } from './respond.js';
import { route } from './router.js';
import type { ApiState } from './state.js';
import { timestamp } from './state.js';
import { Storage } from './storage.js';
import { StorageProtectionController } from './storage-protection/protection-controller.js';
import { DisruptionController } from './subresources/disruption-budgets.js';
import { WatchHub } from './watch-hub.js';

/** Options of {@link MemoryApiServer.start}. */
export interface MemoryApiServerOptions {
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** Interval of BOOKMARK events to watches with allowWatchBookmarks=true (default 5000 ms; 0 turns them off). */
  bookmarkIntervalMs?: number;
  /** How many changes the history keeps before the oldest are compacted (default 100 000). */
  historySize?: number;
  /**
   * Compacts the history every this many ms to where it stood one interval earlier, as
   * kube-apiserver compacts etcd (`--etcd-compaction-interval`, default 5 minutes; 0 turns
   * it off): list continue tokens and watch resourceVersions older than that get 410.
   */
  compactionIntervalMs?: number;
  /** Namespaces that exist from the start (default: default, kube-system, kube-public, kube-node-lease). */
  namespaces?: string[];
  /**
   * Serve HTTPS with a generated CA and serving certificate for `127.0.0.1`/`localhost`
   * (default false: plain HTTP), for clients that insist on https. The kubeconfig then
   * carries the CA (`certificate-authority-data`); the CA is also {@link MemoryApiServer.ca}.
   * A request without credentials is then `system:anonymous`, as on kube-apiserver's secure
   * port (over plain HTTP it is the admin: kubectl and client-go send no credentials there).
   */
  tls?: boolean;
  /**
   * A cluster where Pods run (default 0: none): this many Ready Nodes (`node-0`, `node-1`,
   * …), a scheduler that binds pending Pods to them, kubelets that mark bound Pods Running
   * and Ready at once (pod IPs, container statuses, no containers run) and Job Pods then
   * Succeeded, so Deployments become Available and Jobs complete. The ReplicaSet,
   * ReplicationController, Deployment and Job controllers run without this option too, as
   * kube-controller-manager does on a control plane without nodes: their Pods stay Pending.
   * What is simplified is listed in docs/testing.md.
   */
  nodes?: number;
  /**
   * kube-apiserver's `--min-request-timeout` in seconds (default 1800): a watch the client
   * gives no `timeoutSeconds` (or 0) ends after a random time between this and twice this.
   */
  minRequestTimeoutSeconds?: number;
  /**
   * kube-apiserver's `--etcd-count-metric-poll-period` in seconds (default 60): how often
   * the storage's object counts and sizes, by which API Priority and Fairness estimates a
   * LIST's seats, are taken.
   */
  countMetricPollPeriodSeconds?: number;
  /**
   * How old, in seconds, a resource's object counts get before API Priority and Fairness
   * takes them as stale (default 180: kube-apiserver's threshold, fixed there). Only the
   * counts of a resource no longer served (its CRD gone) get that old; a LIST of it is then
   * estimated as the most objects of the largest size. A test lowers it so as not to wait
   * three minutes.
   */
  objectCountStaleSeconds?: number;
}

/**
 * An in-memory Kubernetes API server over real HTTP on 127.0.0.1, behaving like
 * kube-apiserver on what operators depend on: discovery, CRUD with server-set metadata,
 * resourceVersion conflicts, paginated lists, watches with bookmarks and 410 after
 * compaction, selectors, the four patch types with managedFields, status/scale
 * subresources, finalizers, garbage collection, namespaces and CRDs (with schema
 * validation and pruning). Deliberate gaps are listed in docs/testing.md.
 */
export class MemoryApiServer {
  /** Fault injection for tests (dropped watches, compaction, failures, latency, silence). */
  readonly faults: Faults;
  /**
   * What the Pods' containers do, in place of a kubelet: register exec, attach and
   * port-forward handlers (`onExec`, `onAttach`, `onPortForward`, answered over the same
   * WebSocket protocols as kube-apiserver) and write logs (`writeLog`, `endLog`).
   */
  readonly containers: ContainerRuntime;
  /** Base URL, `http://127.0.0.1:PORT` (`https://` with the `tls` option). */
  readonly url: string;
  /** PEM of the CA that issued the serving certificate (with the `tls` option only). */
  readonly ca: string | undefined;
  /** A client-node KubeConfig whose current context points at this server. */
  readonly kubeConfig: KubeConfig;
  private readonly access: ServerAccess;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private compactionTimer: NodeJS.Timeout | undefined;
  private readonly cluster: SimulatedCluster;

  private constructor(
    private readonly http: Server | HttpsServer,
    private readonly wss: WebSocketServer,
    private readonly state: ApiState,
    faults: Faults,
    access: ServerAccess,
    bookmarkIntervalMs: number,
    compactionIntervalMs: number,
    cluster: SimulatedCluster,
    private readonly remoteAvailability: RemoteAvailabilityController,
  ) {
    this.cluster = cluster;
    this.faults = faults;
    this.containers = state.containers;
    this.url = access.url;
    this.ca = access.ca;
    this.access = access;
    this.kubeConfig = kubeConfigFor(access);
    if (bookmarkIntervalMs > 0) {
      this.bookmarkTimer = setInterval(
        () => state.hub.bookmark(state.storage.rv),
        bookmarkIntervalMs,
      );
      this.bookmarkTimer.unref();
    }
    if (compactionIntervalMs > 0) {
      let previous = state.storage.rv;
      this.compactionTimer = setInterval(() => {
        previous = state.storage.compactionRound(previous);
      }, compactionIntervalMs);
      this.compactionTimer.unref();
    }
  }

  /** Starts a server; resolves once it listens. */
  static async start(opts: MemoryApiServerOptions = {}): Promise<MemoryApiServer> {
    const storage = new Storage(opts.historySize ?? 100_000);
    const hub = new WatchHub();
    const registry = new ResourceRegistry();
    storage.unstructured = (resKey) => registry.byResourceKey(resKey)?.crdName !== undefined;
    const queue: (() => void)[] = [];
    let scheduled = false;
    const minRequestTimeoutSeconds = opts.minRequestTimeoutSeconds ?? 1800;
    if (!(minRequestTimeoutSeconds > 0)) {
      throw new RangeError(
        `minRequestTimeoutSeconds must be a number > 0, not ${minRequestTimeoutSeconds}`,
      );
    }
    const state: ApiState = {
      minRequestTimeoutSeconds,
      storage,
      registry,
      hub,
      containers: new ContainerRuntime(),
      podSecurityMetrics: new PodSecurityMetrics(),
      validateCustom: (t, version, obj, old, warnings) =>
        prepareCustomResource(t.schemas?.[version], obj, old, warnings),
      schedule(task) {
        queue.push(task);
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          const tasks = queue.splice(0);
          for (const t of tasks) {
            try {
              t();
            } catch {
              // Background work is retried by the next change that needs it.
            }
          }
        });
      },
    };
    const gc = new GarbageCollector(state);
    const pems = opts.tls ? await servingCertificate() : undefined;
    // kube-root-ca.crt carries the CA that signs the serving certificate (a CA of its own over http).
    const accounts = new ServiceAccountController(
      state,
      pems?.ca ?? (await certificateAuthorityPem()),
    );
    const disruption = new DisruptionController(state);
    const aggregator = new ClusterRoleAggregator(state);
    const quotas = new QuotaController(state);
    const policyStatus = new PolicyStatusController(state);
    const flowSchemaStatus = new FlowSchemaStatusController(state);
    const apiServiceAvailability = new LocalAvailabilityController(state);
    const remoteAvailability = new RemoteAvailabilityController(state);
    const crdApiServices = new CrdApiServiceController(state);
    const storageProtection = new StorageProtectionController(state);
    const serviceIPs = new ServiceIPAddresses(state);
    const nodes = opts.nodes ?? 0;
    if (!Number.isInteger(nodes) || nodes < 0) {
      throw new RangeError(`nodes must be a whole number ≥ 0, not ${nodes}`);
    }
    let cluster: SimulatedCluster | undefined;
    let seats: PrioritySeats | undefined;
    storage.onChange = (c) => {
      hub.dispatch(c);
      gc.observe(c);
      accounts.observe(c);
      disruption.observe(c);
      aggregator.observe(c);
      quotas.observe(c);
      policyStatus.observe(c);
      flowSchemaStatus.observe(c);
      apiServiceAvailability.observe(c);
      remoteAvailability.observe(c);
      crdApiServices.observe(c);
      storageProtection.observe(c);
      serviceIPs.observe(c);
      cluster?.observe(c);
      seats?.observe(c);
    };
    const namespaces = opts.namespaces ?? [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ];
    for (const ns of namespaces) {
      const obj = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          uid: crypto.randomUUID(),
          resourceVersion: String(storage.nextRv()),
          creationTimestamp: timestamp(),
          labels: { 'kubernetes.io/metadata.name': ns },
          managedFields: [
            {
              manager: 'kube-apiserver',
              operation: 'Update',
              apiVersion: 'v1',
              time: timestamp(),
              fieldsType: 'FieldsV1',
              fieldsV1: {
                'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/metadata.name': {} } },
              },
            },
          ],
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      };
      storage.commit('namespaces', ns, '', obj);
    }
    for (const ns of namespaces) accounts.ensure(ns);
    installBootstrapPolicy(state);
    installFlowControlConfiguration(state);
    installSystemPriorityClasses(state);
    installLocalApiServices(state);
    cluster = new SimulatedCluster(state, nodes);
    const faults = new Faults({
      dropWatches: () => hub.closeAll(),
      compact: () => storage.compact(),
      silence: (on) => hub.freeze(on),
    });
    const http = pems ? createHttpsServer({ cert: pems.cert, key: pems.key }) : createServer();
    http.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (http.address() as AddressInfo).port;
    storeDefaultServiceCidr(storage);
    storeKubernetesService(storage, port);
    const url = `${pems ? 'https' : 'http'}://127.0.0.1:${port}`;
    configureIssuer(state, url);
    const ctx: RequestContext = { state, faults, host: `127.0.0.1:${port}` };
    const countTiming = {
      pollSeconds: opts.countMetricPollPeriodSeconds ?? 60,
      staleSeconds: opts.objectCountStaleSeconds ?? 180,
    };
    if (!(countTiming.pollSeconds > 0)) {
      throw new RangeError(
        `countMetricPollPeriodSeconds must be a number > 0, not ${countTiming.pollSeconds}`,
      );
    }
    if (!(countTiming.staleSeconds > 0)) {
      throw new RangeError(
        `objectCountStaleSeconds must be a number > 0, not ${countTiming.staleSeconds}`,
      );
    }
    const served = () =>
      state.registry
        .all()
        .filter((t) => !t.createOnly)
        .map(resourceKey);
    const priorities = new PrioritySeats(
      storage,
      served,
      countTiming,
      (resource) => state.registry.byResourceKey(resource)?.builtin === true,
    );
    const requestMetrics = new RequestMetrics();
    seats = priorities;
    http.once('close', () => priorities.stop());
    const token = randomBytes(16).toString('hex');
    const auth = authenticationFor(token, pems !== undefined);
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      requestMetrics.received(req);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const serve = (who: Identified, release: () => void) => {
          try {
            authorizeIdentified(state, who);
            if (!who.attrs.resourceRequest) {
              if (
                serveFlowControlPath(priorities, requestMetrics, url, res, () =>
                  state.podSecurityMetrics.families(),
                )
              )
                return;
              requestMetrics.servedNonResource(req, res, url);
            } else {
              const r = route(state.registry, url.pathname);
              if (r?.type === 'resource') requestMetrics.served(req, res, url, r, who.attrs);
            }
            serveRequest(ctx, req, res, requestBodyText(req, Buffer.concat(chunks)));
          } catch (e) {
            sendError(res, e);
          }
          // A watch holds its seat only while it starts, as kube-apiserver's filter does.
          if (who.attrs.verb === 'watch') release();
        };
        const run = () => {
          let who: Identified;
          try {
            who = identify(state, auth, req, res);
          } catch (e) {
            sendError(res, e);
            return;
          }
          if (who.classification) {
            const request = {
              classification: who.classification,
              userName: who.user.username,
              attrs: who.attrs,
              path: url.pathname,
              query: url.searchParams,
              refused: () => requestMetrics.dropped(req, url, who.attrs),
            };
            priorities.dispatch(request, res, (release) => serve(who, release));
          } else serve(who, () => {});
        };
        const delay = faults.delay;
        if (delay > 0) setTimeout(run, delay);
        else run();
      });
    });
    const wss = upgradeServer();
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      serveUpgrade(state, auth, requestMetrics, wss, { req, socket, head }),
    );
    return new MemoryApiServer(
      http,
      wss,
      state,
      faults,
      { url, token, ...(pems ? { ca: pems.ca } : {}) },
      opts.bookmarkIntervalMs ?? 5000,
      opts.compactionIntervalMs ?? 300_000,
      cluster,
      remoteAvailability,
    );
  }

  /**
   * Writes a kubeconfig file for this server, usable as is by kubectl (`--kubeconfig
   * <path>`), client-go and client-node.
   */
  async writeKubeconfig(path: string): Promise<void> {
    await writeKubeconfigFile(path, this.access);
  }

  /** The names of the Nodes of the `nodes` option (`node-0`, …); empty without it. */
  get nodeNames(): readonly string[] {
    return this.cluster.nodeNames;
  }

  /** Number of open watch connections. */
  get openWatches(): number {
    return this.state.hub.size;
  }

  /**
   * Number of open watches of one resource (`plural` in API group `group`, `''` for the
   * core group), in every namespace: what kube-apiserver reports as
   * `apiserver_longrunning_requests{verb="WATCH",group,resource}`.
   */
  openWatchesOf(plural: string, group = ''): number {
    return this.state.hub.sizeOf(group ? `${plural}.${group}` : plural);
  }

  /** The latest resourceVersion the server has committed. */
  get resourceVersion(): string {
    return String(this.state.storage.rv);
  }

  /** Stops the server: ends open watches and closes every connection. */
  async stop(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    this.cluster.stop();
    this.remoteAvailability.stop();
    this.state.hub.destroyAll();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}
