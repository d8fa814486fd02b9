import { project } from '../vitest.shared.js';

// One backend per run, chosen by KUBE_TS_E2E_BACKEND (memory | real | existing); each
// test file starts its own (see src/backend.ts). Files run one at a time: a real control
// plane per file is heavy on a 2-core machine.
const config = project('e2e', { include: ['src/**/*.e2e.test.ts'], testTimeout: 60_000 });
export default { ...config, test: { ...config.test, fileParallelism: false } };
