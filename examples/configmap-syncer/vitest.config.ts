import { project } from '../../vitest.shared.js';

export default project('example-configmap-syncer', { testTimeout: 60_000 });
