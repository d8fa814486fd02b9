import { project } from '../../vitest.shared.js';

export default project('example-ttl-reaper', { testTimeout: 60_000 });
