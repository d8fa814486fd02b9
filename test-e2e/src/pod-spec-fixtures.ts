/**
 * Bodies for the differential pod spec tests: one pod spec put in a Pod and in the pod
 * template of every workload kind, with the path at which each kind reports the spec.
 */

/** A kind that holds a pod spec: where to create it and how its causes name the spec. */
export interface SpecHolder {
  /** `v1`, `apps/v1` or `batch/v1`. */
  readonly gv: string;
  readonly plural: string;
  /** The field path of the pod spec in this kind's causes. */
  readonly prefix: string;
  /** The kind's body around `spec` (a pod spec), named `name`. */
  body(name: string, spec: Record<string, unknown>): Record<string, unknown>;
}

const LABELS = { app: 'fixture' };

function template(spec: Record<string, unknown>) {
  return { metadata: { labels: LABELS }, spec };
}

function appsWorkload(kind: string, extra: Record<string, unknown> = {}) {
  return (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: { selector: { matchLabels: LABELS }, template: template(spec), ...extra },
  });
}

/** A Pod: its spec is `spec`. */
export const POD: SpecHolder = {
  gv: 'v1',
  plural: 'pods',
  prefix: 'spec',
  body: (name, spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec }),
};

/** Every workload kind whose template is a pod spec (Jobs and CronJobs restart `Never`). */
export const WORKLOADS: readonly SpecHolder[] = [
  {
    gv: 'apps/v1',
    plural: 'deployments',
    prefix: 'spec.template.spec',
    body: appsWorkload('Deployment'),
  },
  {
    gv: 'apps/v1',
    plural: 'statefulsets',
    prefix: 'spec.template.spec',
    body: appsWorkload('StatefulSet', { serviceName: 'svc' }),
  },
  {
    gv: 'apps/v1',
    plural: 'daemonsets',
    prefix: 'spec.template.spec',
    body: appsWorkload('DaemonSet'),
  },
  {
    gv: 'apps/v1',
    plural: 'replicasets',
    prefix: 'spec.template.spec',
    body: appsWorkload('ReplicaSet'),
  },
  {
    gv: 'batch/v1',
    plural: 'jobs',
    prefix: 'spec.template.spec',
    body: (name, spec) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: { template: { spec: { restartPolicy: 'Never', ...spec } } },
    }),
  },
  {
    gv: 'batch/v1',
    plural: 'cronjobs',
    prefix: 'spec.jobTemplate.spec.template.spec',
    body: (name, spec) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name },
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', ...spec } } } },
      },
    }),
  },
];

/** The namespaced collection path of a holder. */
export function holderPath(holder: SpecHolder, ns: string): string {
  const base = holder.gv === 'v1' ? '/api/v1' : `/apis/${holder.gv}`;
  return `${base}/namespaces/${ns}/${holder.plural}`;
}

/** The tolerations kube-apiserver's DefaultTolerationSeconds admission gives a new Pod. */
export const DEFAULT_POD_TOLERATIONS = ['not-ready', 'unreachable'].map((t) => ({
  key: `node.kubernetes.io/${t}`,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
}));
