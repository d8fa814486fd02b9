import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { KubeConfigError } from './errors.js';

type ConfigModule = typeof import('@kubernetes/client-node/dist/config.js');

const requireModule = createRequire(import.meta.url);
let kubeConfig: typeof KubeConfig | undefined;

/**
 * client-node's `KubeConfig` class, loaded on first use. Its module (1.4.x's
 * `dist/config.js`) statically imports client-node's generated API index, and with it every
 * generated model: about 0.9 s of loading that `import('@kube-ts/client')` (and runtime)
 * would otherwise pay although kube-ts never uses those models. Loading it here, when a
 * kubeconfig is first read, keeps it off the import path; `require` of an ES module is
 * synchronous, so `Client.fromDefault()` stays synchronous (Node ≥ 20.19, 22.12, 24).
 */
export function kubeConfigClass(): typeof KubeConfig {
  if (kubeConfig === undefined) {
    try {
      kubeConfig = (requireModule('@kubernetes/client-node/dist/config.js') as ConfigModule)
        .KubeConfig;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw err;
      throw new KubeConfigError(
        `reading a kubeconfig needs Node.js ^20.19 or >=22.12 (this is ${process.version}); ` +
          'upgrade Node.js, or build the KubeConfig yourself and pass it to Client.fromKubeConfig',
        undefined,
        err,
      );
    }
  }
  return kubeConfig;
}
