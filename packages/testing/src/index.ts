// The public API of `@kube-ts/testing` (docs/testing.md): MemoryApiServer with its fault
// injection, and ControlPlane (real etcd + kube-apiserver) with the types its options use.
export {
  type ControlPlaneBinaries,
  type ControlPlaneComponent,
  type ResolveBinariesOptions,
  resolveKubectl,
} from './control-plane/binaries.js';
export type { AdminIdentity } from './control-plane/certificates.js';
export { ControlPlane } from './control-plane/control-plane.js';
export type { ControlPlaneOptions } from './control-plane/control-plane-options.js';
export { ControlPlaneError } from './control-plane/errors.js';
export type { TlsClientIdentity } from './control-plane/http-request.js';
export type { KwokResource } from './control-plane/kwok-config.js';
export {
  BUILD_BINARIES_COMMAND,
  KUBERNETES_VERSION,
  KWOK_VERSION,
} from './control-plane/version.js';
export {
  type ContainerHandler,
  ContainerRuntime,
  type ContainerSession,
  type PortForwardHandler,
  type TerminalSize,
} from './memory/containers/container-runtime.js';
export type { FaultMatch, FaultOptions } from './memory/faults.js';
export { Faults } from './memory/faults.js';
export { MemoryApiServer, type MemoryApiServerOptions } from './memory/server.js';
