import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = [
  'k8s',
  'core',
  'client',
  'runtime',
  'schema',
  'testing',
  'test-support',
  'webhook',
  'create-operator',
];

/**
 * Vitest settings shared by every workspace: `@kube-ts/*` imports resolve to the
 * TypeScript sources, so tests never need a build first.
 */
export function project(
  name: string,
  extra: { testTimeout?: number; include?: string[]; isolate?: boolean } = {},
) {
  return defineProject({
    resolve: {
      alias: [
        // @kube-ts/k8s has one subpath per group/version (`@kube-ts/k8s/core/v1`).
        { find: /^@kube-ts\/k8s\/(.+\/.+)$/, replacement: `${root}packages/k8s/src/$1.ts` },
        ...packages.flatMap((p) => [
          { find: new RegExp(`^@kube-ts/${p}$`), replacement: `${root}packages/${p}/src/index.ts` },
          // A subpath export `@kube-ts/<p>/<name>` is `src/<name>.ts` (e.g. schema/validation).
          {
            find: new RegExp(`^@kube-ts/${p}/([a-z-]+)$`),
            replacement: `${root}packages/${p}/src/$1.ts`,
          },
        ]),
      ],
    },
    test: {
      name,
      include: extra.include ?? ['src/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 20_000,
      // `isolate: false` (for packages whose tests mock no module and leave no global state
      // behind) keeps a worker's modules loaded from one test file to the next: importing
      // them afresh for each file was a third of the run.
      isolate: extra.isolate ?? true,
      hookTimeout: 60_000,
      restoreMocks: true,
      // expect.poll gives up after 1 s by default: too short on a loaded CI machine for a
      // poll that names no timeout of its own.
      expect: { poll: { timeout: 15_000 } },
    },
  });
}
