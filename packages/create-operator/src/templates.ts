import type { ProjectNames } from './names.js';
import { mainSource } from './templates/main.js';
import { manifestsSource, writeManifestsSource } from './templates/manifests.js';
import { operatorSource } from './templates/operator.js';
import { docker, type KubeTsSource, packageJson, readme, tsconfigs } from './templates/project.js';
import { rbacSource } from './templates/rbac.js';
import { reconcilerSource } from './templates/reconciler.js';
import { resourceSource } from './templates/resource.js';
import { testSource } from './templates/test.js';

export type { KubeTsSource } from './templates/project.js';

/** One file of a generated project: its path relative to the project root and its text. */
export interface TemplateFile {
  readonly path: string;
  readonly content: string;
}

/**
 * The files of a new operator project: a custom resource defined with `defineResource`, a
 * reconciler that owns a ConfigMap per object and writes status only when it changes,
 * the declaration of what the controller touches (`ACCESS`) from which the ClusterRole is
 * derived, a Manager with leader election, probes and metrics, a `main.ts` that runs
 * against the cluster (or an embedded `MemoryApiServer` with a sample, `npm start`), a
 * test against `MemoryApiServer`, a manifest renderer (`npm run manifests`) and a
 * multi-stage Dockerfile.
 *
 * `kubeTs` says where the `@kube-ts/*` dependencies come from.
 */
export function projectFiles(names: ProjectNames, kubeTs: KubeTsSource): TemplateFile[] {
  const files: Record<string, string> = {
    'package.json': packageJson(names, kubeTs),
    ...tsconfigs(),
    '.gitignore': 'node_modules/\ndist/\n',
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
`,
    'src/resource.ts': resourceSource(names),
    'src/reconciler.ts': reconcilerSource(names),
    'src/operator.ts': operatorSource(names),
    'src/rbac.ts': rbacSource(),
    'src/manifests.ts': manifestsSource(names),
    'src/write-manifests.ts': writeManifestsSource(),
    'src/main.ts': mainSource(names),
    'src/operator.test.ts': testSource(names),
    ...docker(kubeTs),
    'README.md': readme(names),
  };
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}
