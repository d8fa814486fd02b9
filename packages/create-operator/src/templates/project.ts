import type { ProjectNames } from '../names.js';

/**
 * Where the generated project takes `@kube-ts/*` from: a version range of the registry,
 * or tarballs copied into the project (`--from-checkout`), by package name, as paths
 * relative to the project.
 */
export type KubeTsSource =
  | { readonly range: string }
  | { readonly tarballs: Readonly<Record<string, string>> };

/** The `@kube-ts/*` packages the project uses at run time and in its tests. */
const RUNTIME_PACKAGES = [
  '@kube-ts/client',
  '@kube-ts/core',
  '@kube-ts/runtime',
  '@kube-ts/schema',
];
const DEV_PACKAGES = ['@kube-ts/testing'];

/** `package.json`. */
export function packageJson({ project }: ProjectNames, source: KubeTsSource): string {
  const spec = (name: string) =>
    'range' in source ? source.range : `file:${source.tarballs[name] ?? missing(name)}`;
  const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, spec(n)]));
  const pkg = {
    name: project,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '^20.19.0 || >=22.12.0' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      prestart: 'npm run build',
      start: 'node dist/main.js --memory',
      'start:cluster': 'node dist/main.js',
      test: 'vitest run',
      typecheck: 'tsc -p . --noEmit',
      manifests: 'npm run build && node dist/write-manifests.js',
    },
    dependencies: {
      ...pick(RUNTIME_PACKAGES),
      '@sinclair/typebox': '^0.34.0',
      pino: '^10.0.0',
      yaml: '^2.8.0',
    },
    devDependencies: {
      ...pick(DEV_PACKAGES),
      '@types/node': '^20.19.0',
      typescript: '~5.9.3',
      vitest: '^4.1.0',
    },
    // Packages from tarballs depend on each other: every one resolves to its tarball.
    ...('tarballs' in source
      ? {
          overrides: Object.fromEntries(
            Object.entries(source.tarballs).map(([name, path]) => [name, `file:${path}`]),
          ),
        }
      : {}),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function missing(name: string): never {
  throw new Error(`no tarball of ${name} was packed; run npm run release:pack in the checkout`);
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  types: ['node'],
};

/** `tsconfig.json` (editor and typecheck, tests included) and `tsconfig.build.json`. */
export function tsconfigs(): Record<string, string> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'tsconfig.json': json({
      compilerOptions: { ...COMPILER_OPTIONS, noEmit: true },
      include: ['src'],
    }),
    'tsconfig.build.json': json({
      compilerOptions: { ...COMPILER_OPTIONS, rootDir: 'src', outDir: 'dist' },
      include: ['src'],
      exclude: ['src/**/*.test.ts'],
    }),
  };
}

/** `Dockerfile` and `.dockerignore`. */
export function docker(source: KubeTsSource): Record<string, string> {
  const tarballs = 'tarballs' in source ? 'COPY kube-ts-packages ./kube-ts-packages\n' : '';
  return {
    Dockerfile: `# Build: docker build -t <name>:latest .   (after npm install wrote package-lock.json)
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
${tarballs}RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Run: production dependencies only, as the image's unprivileged \`node\` user (uid 1000,
# numeric so that Kubernetes can check runAsNonRoot).
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
${tarballs}RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER 1000:1000
EXPOSE 8080
CMD ["node", "dist/main.js"]
`,
    '.dockerignore': 'node_modules\ndist\n.git\n*.log\n',
  };
}

/** `README.md`. */
export function readme({ project, group, kind, plural }: ProjectNames): string {
  return `# ${project}

A Kubernetes operator for \`${kind}\` (\`${group}/v1\`), built with kube-ts: for every
${kind} it keeps a ConfigMap \`<name>-config\` holding \`spec.message\`, and reports it in the
status.

| command | does |
|---|---|
| \`npm start\` | builds, then runs the operator against an embedded in-memory API server with a sample ${kind}; prints a kubeconfig and a kubectl line to look at it |
| \`npm test\` | the operator's test against an in-memory API server |
| \`npm run build\` | compiles \`src/\` to \`dist/\` |
| \`npm run start:cluster\` | runs it against the cluster of \`KUBECONFIG\` (install the CRD first: \`kubectl apply -f deploy/1-crd.yaml\`) |
| \`npm run manifests\` | writes \`deploy/\` (CRD, RBAC, Deployment) and \`samples/\` |

Edit the schema in \`src/resource.ts\` and the logic in \`src/reconciler.ts\`. What the
controller watches, owns and writes is declared once, in \`ACCESS\` (\`src/operator.ts\`):
the controller is built from it and \`npm run manifests\` derives the ClusterRole from it.

## Deploy

\`\`\`sh
npm install                                # writes package-lock.json, which the image build needs
npm run manifests                          # IMAGE=registry.example/${project}:1.0 to use another image
docker build -t ${project}:latest .
kind load docker-image ${project}:latest   # or push it to your registry
kubectl apply -f deploy/
kubectl -n ${project} rollout status deployment/${project}
kubectl apply -f samples/
kubectl get ${plural},configmaps
\`\`\`

The Deployment runs two replicas with leader election (one reconciles, the other takes
over), probes on \`/healthz\` and \`/readyz\`, and Prometheus metrics on \`/metrics\`
(port 8080, Service \`${project}-metrics\`).
`;
}
