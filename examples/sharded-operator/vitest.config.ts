import { project } from '../../vitest.shared.js';

export default project('example-sharded-operator', { testTimeout: 120_000 });
