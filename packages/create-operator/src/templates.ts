import type { ProjectNames } from './names.js';

/** One file of a generated project: its path relative to the project root and its text. */
export interface TemplateFile {
  readonly path: string;
  readonly content: string;
}

/**
 * The files of a new operator project: a custom resource defined with `defineResource`,
 * a reconciler that owns a ConfigMap per object and writes status, a `main.ts` that runs
 * against the cluster in `KUBECONFIG` (or an embedded `MemoryApiServer` with `--memory`),
 * a test against `MemoryApiServer`, and deployment manifests.
 *
 * `kubeTsVersion` is the version range the project depends on for `@kube-ts/*`.
 */
export function projectFiles(names: ProjectNames, kubeTsVersion: string): TemplateFile[] {
  const { project, group, kind, plural } = names;
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name: project,
        version: '0.1.0',
        private: true,
        type: 'module',
        scripts: {
          build: 'tsc -p .',
          start: 'node dist/main.js',
          'start:memory': 'node dist/main.js --memory',
          test: 'vitest run',
          crd: 'kube-ts crd ./dist/resource.js',
        },
        dependencies: {
          '@kube-ts/client': kubeTsVersion,
          '@kube-ts/core': kubeTsVersion,
          '@kube-ts/runtime': kubeTsVersion,
          '@kube-ts/schema': kubeTsVersion,
          '@kube-ts/testing': kubeTsVersion,
          '@sinclair/typebox': '^0.34.0',
          rxjs: '^7.8.0',
        },
        devDependencies: {
          '@types/node': '^20.19.0',
          typescript: '~5.9.3',
          vitest: '^4.1.0',
        },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          rootDir: 'src',
          outDir: 'dist',
          types: ['node'],
        },
        include: ['src'],
        exclude: ['src/**/*.test.ts'],
      },
      null,
      2,
    )}\n`,
    '.gitignore': 'node_modules/\ndist/\n',
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 20_000 } });
`,
    'src/resource.ts': `import type { ResourceOf } from '@kube-ts/schema';
import { defineResource } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';

/** The ${kind} custom resource: its type, validation and CRD all come from this schema. */
export const ${kind} = defineResource({
  group: '${group}',
  version: 'v1',
  kind: '${kind}',
  plural: '${plural}',
  scope: 'Namespaced',
  spec: Type.Object({
    /** What the operator writes into the ${kind}'s ConfigMap. */
    message: Type.String({ minLength: 1 }),
  }),
  status: Type.Object({
    observedGeneration: Type.Optional(Type.Integer()),
    configMapName: Type.Optional(Type.String()),
  }),
  subresources: { status: true },
});

/** A ${kind} object as read from the API server. */
export type ${kind} = ResourceOf<typeof ${kind}>;
`,
    'src/reconciler.ts': `import type { Client } from '@kube-ts/client';
import { Api, Patch } from '@kube-ts/client';
import { ownerRefTo, resources } from '@kube-ts/core';
import { Action, Reconciler } from '@kube-ts/runtime';
import { ${kind} } from './resource.js';

/** What every reconcile gets besides the object. */
export interface Context {
  readonly client: Client;
}

/** Field manager of this operator's server-side apply requests. */
export const FIELD_MANAGER = '${project}';

/**
 * Keeps, for every ${kind}, a ConfigMap named \`<name>-config\` holding its message, and
 * reports it in the status. The ConfigMap is owned by the ${kind}, so the garbage
 * collector deletes it with its owner.
 */
export class ${kind}Reconciler extends Reconciler<${kind}, Context> {
  override async reconcile(obj: ${kind}, ctx: Context): Promise<Action> {
    const name = obj.metadata!.name!;
    const namespace = obj.metadata!.namespace!;
    const configMapName = \`\${name}-config\`;
    const configMaps = Api.namespaced(ctx.client, resources.configMaps, namespace);
    await configMaps.patch(
      configMapName,
      Patch.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMapName, namespace, ownerReferences: [ownerRefTo(obj)] },
        data: { message: obj.spec.message },
      }),
      { fieldManager: FIELD_MANAGER, force: true },
    );
    await Api.namespaced(ctx.client, ${kind}, namespace).patchStatus(
      name,
      Patch.merge({ status: { observedGeneration: obj.metadata!.generation, configMapName } }),
    );
    return Action.awaitChange();
  }
}
`,
    'src/main.ts': `import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Controller } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { lastValueFrom } from 'rxjs';
import { ${kind} } from './resource.js';
import { ${kind}Reconciler } from './reconciler.js';

// \`--memory\` runs against an embedded in-memory API server (for trying things out);
// otherwise the cluster of KUBECONFIG (or the in-cluster service account) is used.
const memory = process.argv.includes('--memory') ? await MemoryApiServer.start() : undefined;
const client = memory ? Client.fromKubeConfig(memory.kubeConfig) : await Client.fromDefault();
await installCrds(client, [${kind}]);

const controller = new Controller(Api.all(client, ${kind}))
  .owns(Api.all(client, resources.configMaps))
  .shutdownOnSignal();
await lastValueFrom(controller.run(new ${kind}Reconciler(), { client }), { defaultValue: undefined });
client.close();
await memory?.stop();
`,
    'src/reconciler.test.ts': `import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Controller } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ${kind} } from './resource.js';
import { ${kind}Reconciler } from './reconciler.js';

let server: MemoryApiServer;
let client: Client;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
  await installCrds(client, [${kind}]);
});

afterAll(async () => {
  client.close();
  await server.stop();
});

test('a ${kind} gets its ConfigMap and status', async () => {
  const api = Api.namespaced(client, ${kind}, 'default');
  await api.create(${kind}.create('hello', { message: 'hi there' }, { namespace: 'default' }));

  const abort = new AbortController();
  const done = new Controller(Api.all(client, ${kind}))
    .owns(Api.all(client, resources.configMaps))
    .gracefulShutdownOn(abort.signal)
    .run(new ${kind}Reconciler(), { client })
    .subscribe();

  const configMaps = Api.namespaced(client, resources.configMaps, 'default');
  await expect.poll(async () => (await configMaps.getOpt('hello-config'))?.data?.message).toBe('hi there');
  await expect.poll(async () => (await api.get('hello')).status?.configMapName).toBe('hello-config');
  abort.abort();
  done.unsubscribe();
});
`,
    'deploy/rbac.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${project}
  namespace: ${project}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${project}
rules:
  - apiGroups: ['${group}']
    resources: ['${plural}', '${plural}/status']
    verbs: ['get', 'list', 'watch', 'patch', 'update']
  - apiGroups: ['']
    resources: ['configmaps']
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete']
  - apiGroups: ['events.k8s.io']
    resources: ['events']
    verbs: ['create', 'patch']
  - apiGroups: ['coordination.k8s.io']
    resources: ['leases']
    verbs: ['get', 'create', 'update']
  - apiGroups: ['apiextensions.k8s.io']
    resources: ['customresourcedefinitions']
    verbs: ['get', 'create', 'patch']
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${project}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${project}
subjects:
  - kind: ServiceAccount
    name: ${project}
    namespace: ${project}
`,
    'deploy/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${project}
  namespace: ${project}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${project} }
  template:
    metadata:
      labels: { app: ${project} }
    spec:
      serviceAccountName: ${project}
      containers:
        - name: operator
          image: ${project}:latest
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { memory: 256Mi }
`,
    Dockerfile: `FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY dist ./dist
USER node
CMD ["node", "dist/main.js"]
`,
    'README.md': `# ${project}

A Kubernetes operator for \`${kind}\` (\`${group}/v1\`), built with kube-ts.

| command | does |
|---|---|
| \`npm run build\` | compiles to \`dist/\` |
| \`npm run start:memory\` | runs the operator against an embedded in-memory API server |
| \`npm start\` | runs it against the cluster in \`KUBECONFIG\` (installs the CRD first) |
| \`npm test\` | runs the reconciler test against an in-memory API server |
| \`npm run crd\` | prints the CRD manifest (after a build) |

Edit the schema in \`src/resource.ts\` and the logic in \`src/reconciler.ts\`.
\`deploy/\` has the RBAC rules and a Deployment for running it in a cluster.
`,
  };
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}
