import { project } from '../../vitest.shared.js';

export default project('example-ha-operator', { testTimeout: 60_000 });
