/**
 * `/healthz`, `/livez` and `/readyz` as kube-apiserver answers them: `ok`, or with
 * `?verbose` one `[+]<check> ok` line per check and `<endpoint> check passed`; a single
 * check is `/<endpoint>/<check>`, an unknown one a plain 404. The checks are kube-apiserver
 * v1.36's names: health probes and scripts that look for one (e.g. `[+]etcd ok`) find it.
 */

const COMMON = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/peer-endpoint-reconciler-controller',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/storage-readiness',
  'poststarthook/start-legacy-token-tracking-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
  'poststarthook/start-kubernetes-service-cidr-controller',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];

const CHECKS: Record<string, string[]> = {
  healthz: [...COMMON.slice(0, 2), 'loopback-serving-certificate', ...COMMON.slice(2)],
  livez: [...COMMON.slice(0, 2), 'loopback-serving-certificate', ...COMMON.slice(2)],
  readyz: [
    ...COMMON.slice(0, 3),
    'etcd-readiness',
    'informer-sync',
    ...COMMON.slice(3),
    'shutdown',
  ],
};

/** A health answer: the HTTP code and the plain-text body, or undefined for no such path. */
export interface HealthAnswer {
  code: number;
  body: string;
}

/**
 * The answer to `/<endpoint>[/<check>]` (`segments` after the endpoint), or undefined when
 * the path names no check (kube-apiserver answers Go's plain 404).
 */
export function health(
  endpoint: string,
  segments: string[],
  q: URLSearchParams,
): HealthAnswer | undefined {
  const checks = CHECKS[endpoint];
  if (!checks) return undefined;
  if (segments.length > 0) return checks.includes(segments.join('/')) ? ok('ok') : undefined;
  const excluded = new Set(q.getAll('exclude'));
  if (!q.has('verbose')) return ok('ok');
  const lines = checks.map((c) => (excluded.has(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
  return ok(`${lines.join('\n')}\n${endpoint} check passed\n`);
}

function ok(body: string): HealthAnswer {
  return { code: 200, body };
}
