import type { ProjectNames } from '../names.js';

/** `src/operator.ts`: what the controller touches, and the Manager that runs it. */
export function operatorSource({ project, group, kind }: ProjectNames): string {
  return `import { hostname } from 'node:os';
import { Api, type Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Controller, LeaderElector, Manager, Recorder } from '@kube-ts/runtime';
import type { Logger } from 'pino';
import { ${kind}Reconciler } from './reconciler.js';
import { ${kind} } from './resource.js';

/** The operator's name: its Deployment, ServiceAccount, ClusterRole and field manager. */
export const OPERATOR_NAME = '${project}';

/**
 * Everything the controller reads and writes. The controller is built from this, and the
 * ClusterRole in \`deploy/rbac.yaml\` is generated from it (\`npm run manifests\`), so the
 * two cannot drift apart: add a resource here, not in the YAML.
 */
export const ACCESS = {
  /** The resource it reconciles: watched, its status written. */
  reconciles: ${kind},
  /** The resources it creates and owns: watched, written with server-side apply. */
  owns: [resources.configMaps],
  /** It records Events (events.k8s.io) about what it reconciles. */
  recordsEvents: true,
  /** The Lease its replicas elect a leader with (in the operator's namespace). */
  leaseName: \`\${OPERATOR_NAME}-leader\`,
  /**
   * Set to a ring name (e.g. OPERATOR_NAME) to shard the controller across the replicas
   * (every replica reconciles the objects of its shard; the leader also assigns them; see
   * kube-ts docs/sharding.md). The RBAC follows: patch on what it reconciles (the shard
   * labels) and the ring's shard Leases. Needs leader election.
   */
  shardingRing: undefined as string | undefined,
} as const;

/** Options of {@link createManager}. */
export interface OperatorOptions {
  readonly client: Client;
  readonly logger: Logger;
  /** Namespace of the leader-election Lease (in a cluster: the pod's namespace). */
  readonly namespace: string;
  /** Elect a leader among replicas (default true). */
  readonly leaderElection?: boolean;
  /** Where \`/healthz\`, \`/readyz\` and \`/metrics\` are served (default 127.0.0.1:8080). */
  readonly host?: string;
  readonly port?: number;
  /** Shut down on SIGTERM/SIGINT (default true; tests pass false and call \`stop()\`). */
  readonly handleSignals?: boolean;
  /** This replica's name in Events and the Lease (default: the host name, i.e. the pod). */
  readonly identity?: string;
}

/**
 * The operator: a Manager running the ${kind} controller (only while it leads, when
 * leader election is on), serving probes and metrics. \`await manager.start()\` runs it
 * until SIGTERM/SIGINT or \`manager.stop()\`, letting reconciles in progress finish.
 */
export function createManager(options: OperatorOptions): Manager {
  const { client, logger } = options;
  const identity = options.identity ?? hostname();
  const leases = Api.namespaced(client, resources.leases, options.namespace);
  const leaderElector =
    options.leaderElection === false
      ? undefined
      : new LeaderElector(leases, { name: ACCESS.leaseName, identity, logger });
  const ring = ACCESS.shardingRing;
  const manager = new Manager({
    ...(leaderElector ? { leaderElector } : {}),
    ...(ring === undefined ? {} : { sharding: { ring, leases, identity } }),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8080,
    handleSignals: options.handleSignals ?? true,
    logger,
  });
  const recorder = new Recorder(client, { controller: \`${group}/\${OPERATOR_NAME}\`, instance: identity });
  let controller = new Controller(Api.all(client, ACCESS.reconciles)).withConfig({ logger });
  for (const owned of ACCESS.owns) controller = controller.owns(Api.all(client, owned));
  manager.addController('${kind.toLowerCase()}', controller, (c) =>
    c.run(new ${kind}Reconciler(), { client, recorder }),
  );
  return manager;
}
`;
}
