export type { FaultMatch, FaultOptions } from './memory/faults.js';
export { Faults } from './memory/faults.js';
export { MemoryApiServer, type MemoryApiServerOptions } from './memory/server.js';
