export type { Scale } from './api.js';
export { Api } from './api.js';
export type { ExitStatus } from './channel-protocol.js';
export { Client } from './client.js';
export type {
  ClientOptions,
  DefaultClientOptions,
  HttpMethod,
  QueryParams,
  RequestOptions,
  ServerConnection,
} from './client-options.js';
export type { DeleteResult } from './delete-options.js';
export { Discovery } from './discovery.js';
export {
  KubeConfigError,
  PodStreamError,
  RequestTimeoutError,
  ResourceNotServedError,
  TransportError,
  WatchDecodeError,
} from './errors.js';
export type { LoadKubeConfigOptions } from './kubeconfig.js';
export { loadKubeConfig } from './kubeconfig.js';
export type { LogOptions } from './logs.js';
export type {
  Middleware,
  MiddlewareNext,
  MiddlewareRequest,
  MiddlewareResponse,
} from './middleware.js';
export type { ApplyPatch, JsonPatch, JsonPatchOp, MergePatch, StrategicPatch } from './patch.js';
export { jsonPointerEscape, Patch } from './patch.js';
export type {
  PortForwardListener,
  PortForwardListenerOptions,
  PortForwardOptions,
} from './port-forward.js';
export { PortForward, PortForwardError } from './port-forward.js';
export type { RemoteCommandOptions, TerminalSize } from './remote-command.js';
export { RemoteProcess } from './remote-command.js';
export type { RetryInfo, RetryPolicy } from './retry.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export { Subresource } from './subresource.js';
export type { WatchEvent } from './watch-event.js';
