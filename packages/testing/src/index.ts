export {
  type ControlPlaneBinaries,
  type ControlPlaneComponent,
  defaultCacheRoot,
  type KubeBinary,
  type ResolveBinariesOptions,
  resolveBinaries,
  resolveKubectl,
  TEST_ASSET_VARIABLES,
} from './control-plane/binaries.js';
export { type AdminIdentity, DEFAULT_ADMIN } from './control-plane/certificates.js';
export { DISABLED_ADMISSION_PLUGINS } from './control-plane/component-flags.js';
export {
  ControlPlane,
  type ControlPlaneOptions,
  type ControlPlaneProcess,
} from './control-plane/control-plane.js';
export type { InstallCrdsOptions } from './control-plane/crds.js';
export { ControlPlaneError } from './control-plane/errors.js';
export type { TlsClientIdentity } from './control-plane/http-request.js';
export { BUILD_BINARIES_COMMAND, KUBERNETES_VERSION } from './control-plane/version.js';
export type { FaultMatch, FaultOptions } from './memory/faults.js';
export { Faults } from './memory/faults.js';
export { MemoryApiServer, type MemoryApiServerOptions } from './memory/server.js';
