import { fileURLToPath } from 'node:url';
import { project } from '../vitest.shared.js';

// One backend per run, chosen by KUBE_TS_E2E_BACKEND (memory | real | existing); each
// test file has its own (see src/backend.ts; on `real` the pool starts it one file ahead).
// On `real` and `existing`, files run one at a time: a real control plane per file is
// heavy on a 2-core machine. `*.rbac.test.ts` check authorization (RBAC), which every
// backend does (MemoryApiServer included).
const memory = (process.env.KUBE_TS_E2E_BACKEND ?? 'memory') === 'memory';
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
    // A file's modules stay loaded for the next file in the same worker: importing kube-ts,
    // MemoryApiServer and the clients afresh for each file took a third of the run. Each
    // file still starts its own backend (src/backend.ts), so no server state is shared.
    isolate: false,
    // MemoryApiServer files spend most of their time waiting (watch timeouts, controllers'
    // delays), so three run at once; each has its own server on its own port.
    fileParallelism: memory,
    maxWorkers: memory ? 3 : 1,
    // The real backend's control planes are started one file ahead (src/control-plane-pool.ts).
    globalSetup: ['./src/control-plane-pool.ts'],
  },
};
