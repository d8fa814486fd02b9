/**
 * What every e2e test file needs: a started backend, a client on it, namespaces of its own
 * with unique names, and cleanup of everything it created.
 */
import { randomBytes } from 'node:crypto';
import { Api, Client } from '@kube-ts/client';
import { ApiError, resources } from '@kube-ts/core';
import { type Backend, type BackendOptions, startBackend } from './backend.js';

/** How long a bounded poll for an eventually-true state may take (the real backend is slower). */
export const EVENTUALLY = { timeout: 45_000, interval: 200 } as const;

/**
 * A bounded poll for the garbage collection of objects owned by a custom resource whose
 * CRD was created during the run: kube-controller-manager's garbage collector picks up
 * new resources from discovery only every 30 s, so on the real backend this can take a
 * whole resync period or two.
 */
export const EVENTUALLY_COLLECTED = { timeout: 100_000, interval: 500 } as const;

/** A lowercase suffix that makes names unique across runs and files. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** A started backend with a client and the namespaces and cluster objects to remove after. */
export interface E2eContext {
  readonly backend: Backend;
  readonly client: Client;
  /** Creates a namespace `<prefix>-<random>` that `stop()` deletes; resolves with its name. */
  namespace(prefix: string): Promise<string>;
  /** Registers cleanup work that `stop()` runs (in reverse order) before stopping the backend. */
  onStop(fn: () => Promise<unknown>): void;
  /** Runs the cleanup work, closes the client and stops the backend. */
  stop(): Promise<void>;
}

/** Starts the backend chosen by `KUBE_TS_E2E_BACKEND` (with `options`) and a client on it. */
export async function startE2e(options: BackendOptions = {}): Promise<E2eContext> {
  const backend = await startBackend(options);
  const client = Client.fromKubeConfig(backend.kubeConfig);
  const cleanups: (() => Promise<unknown>)[] = [];
  const namespaces = Api.cluster(client, resources.namespaces);
  return {
    backend,
    client,
    async namespace(prefix) {
      const name = `${prefix}-${uniqueSuffix()}`;
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      cleanups.push(() => namespaces.delete(name).catch(ignoreNotFound));
      return name;
    },
    onStop(fn) {
      cleanups.push(fn);
    },
    async stop() {
      try {
        for (const fn of cleanups.reverse()) await fn();
      } finally {
        client.close();
        await backend.stop();
      }
    },
  };
}

/** Swallows a 404 (the object is already gone); rethrows anything else. */
export function ignoreNotFound(error: unknown): undefined {
  if (ApiError.is(error) && error.isNotFound()) return undefined;
  throw error;
}

/** Resolves with the `ApiError` that `promise` rejects with; fails if it resolves or rejects otherwise. */
export async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (ApiError.is(error)) return error;
    throw error;
  }
  throw new Error(
    `expected the request to fail with an ApiError; it returned ${JSON.stringify(result)}`,
  );
}
