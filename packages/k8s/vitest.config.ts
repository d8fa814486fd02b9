import { project } from '../../vitest.shared.js';

export default project('k8s', { isolate: false });
