import { fileURLToPath } from 'node:url';
import { project } from '../vitest.shared.js';

// One backend per run, chosen by KUBE_TS_E2E_BACKEND (memory | real | existing); each
// test file has its own (see src/backend.ts; on `real` the pool starts it one file ahead).
// Files run one at a time: a real control plane per file is heavy on a 2-core machine. `*.rbac.test.ts` check authorization (RBAC),
// which every backend does (MemoryApiServer included).
const config = project('e2e', {
  include: ['src/**/*.e2e.test.ts', 'src/**/*.rbac.test.ts'],
  testTimeout: 60_000,
});
// The examples' scenarios, from their sources like the packages.
const examples = [
  {
    find: /^@kube-ts\/example-configmap-syncer$/,
    replacement: fileURLToPath(
      new URL('../examples/configmap-syncer/src/index.ts', import.meta.url),
    ),
  },
];
export default {
  ...config,
  resolve: {
    ...config.resolve,
    alias: [...((config.resolve?.alias ?? []) as object[]), ...examples],
  },
  test: {
    ...config.test,
    fileParallelism: false,
    // The real backend's control planes are started one file ahead (src/control-plane-pool.ts).
    globalSetup: ['./src/control-plane-pool.ts'],
  },
};
