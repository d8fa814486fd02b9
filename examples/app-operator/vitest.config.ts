import { project } from '../../vitest.shared.js';

export default project('example-app-operator', { testTimeout: 60_000 });
