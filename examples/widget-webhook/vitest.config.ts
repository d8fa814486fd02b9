import { project } from '../../vitest.shared.js';

export default project('example-widget-webhook', { testTimeout: 60_000 });
