import type { ProjectNames } from '../names.js';

/** `src/manifests.ts` and `src/write-manifests.ts`: the deployment manifests, rendered. */
export function manifestsSource({ kind }: ProjectNames): string {
  return `import { stringify } from 'yaml';
import { ACCESS, OPERATOR_NAME } from './operator.js';
import { clusterRules, namespaceRules } from './rbac.js';
import { ${kind}, sample${kind} } from './resource.js';

/** Options of {@link renderManifests}. */
export interface ManifestOptions {
  /** Namespace the operator runs in (default: its name). */
  readonly namespace?: string;
  /** Its container image (default \`<name>:latest\`, as \`docker build -t <name> .\` tags it). */
  readonly image?: string;
  /** Port of /healthz, /readyz and /metrics in the pod (default 8080). */
  readonly port?: number;
}

/** Multi-document YAML of the given objects. */
function yamlOf(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\\n');
}

/**
 * The files under \`deploy/\` (applied in name order by \`kubectl apply -f deploy/\`) and
 * \`samples/\`, by path. The ClusterRole and Role come from \`ACCESS\` (what the
 * controller watches, owns, writes, records, and its Lease).
 */
export function renderManifests(options: ManifestOptions = {}): Record<string, string> {
  const namespace = options.namespace ?? OPERATOR_NAME;
  const image = options.image ?? \`\${OPERATOR_NAME}:latest\`;
  const port = options.port ?? 8080;
  const labels = { 'app.kubernetes.io/name': OPERATOR_NAME };
  const meta = (name: string) => ({ name, namespace, labels });
  const subject = { kind: 'ServiceAccount', name: OPERATOR_NAME, namespace };
  const rbac = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(OPERATOR_NAME) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: OPERATOR_NAME, labels },
      rules: clusterRules(ACCESS),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: OPERATOR_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OPERATOR_NAME },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(OPERATOR_NAME),
      rules: namespaceRules(ACCESS),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(OPERATOR_NAME),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OPERATOR_NAME },
      subjects: [subject],
    },
  ];
  const fromField = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  const probe = (path: string) => ({
    httpGet: { path, port: 'http' },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  const deployment = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(OPERATOR_NAME),
      spec: {
        // Two replicas: one leads and reconciles, the other takes over if it goes away.
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: OPERATOR_NAME,
            // Longer than the Manager's 30 s shutdown deadline.
            terminationGracePeriodSeconds: 40,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'operator',
                image,
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'POD_NAME', ...fromField('metadata.name') },
                  { name: 'POD_NAMESPACE', ...fromField('metadata.namespace') },
                  { name: 'PROBE_HOST', value: '0.0.0.0' },
                  { name: 'PROBE_PORT', value: String(port) },
                  { name: 'LEADER_ELECT', value: 'true' },
                ],
                ports: [{ name: 'http', containerPort: port }],
                livenessProbe: probe('/healthz'),
                readinessProbe: probe('/readyz'),
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(\`\${OPERATOR_NAME}-metrics\`),
      spec: { selector: labels, ports: [{ name: 'http-metrics', port, targetPort: 'http' }] },
    },
  ];
  return {
    'deploy/1-crd.yaml': yamlOf([${kind}.crd()]),
    'deploy/2-rbac.yaml': yamlOf(rbac),
    'deploy/3-deployment.yaml': yamlOf(deployment),
    'samples/${kind.toLowerCase()}.yaml': yamlOf([sample${kind}()]),
  };
}
`;
}

/** `src/write-manifests.ts`: `npm run manifests`. */
export function writeManifestsSource(): string {
  return `import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderManifests } from './manifests.js';

// npm run manifests: writes deploy/ and samples/. IMAGE and NAMESPACE override the defaults.
const files = renderManifests({
  ...(process.env.IMAGE ? { image: process.env.IMAGE } : {}),
  ...(process.env.NAMESPACE ? { namespace: process.env.NAMESPACE } : {}),
});
for (const [path, content] of Object.entries(files)) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  console.log(\`wrote \${path}\`);
}
`;
}
