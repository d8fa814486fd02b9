/**
 * prom-client, loaded the first time a metric or a registry is made instead of when
 * `@kube-ts/runtime` is imported: a program that runs a `Controller` without a `Manager`
 * (or any code that never makes a metric) does not pay for loading it (about 0.2–0.4 s on
 * a loaded 2-CPU machine, bench scenario 7). prom-client is CommonJS, so it loads
 * synchronously, from the constructors that need it; the module is the one an
 * application's own `import { Counter } from 'prom-client'` gets, so its metrics register
 * in the Manager's registry as before.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

const require = createRequire(import.meta.url);
let loaded: typeof PromClient | undefined;

/** prom-client's exports, loaded on the first call. */
export function promClient(): typeof PromClient {
  loaded ??= require('prom-client') as typeof PromClient;
  return loaded;
}
