import { project } from '../../vitest.shared.js';

export default project('example-configmapgen', { testTimeout: 60_000 });
