/**
 * The bad inputs whose handling docs/bad-inputs.md records: each case feeds one bad input
 * to the public API and yields the error it produced. `bad-input.e2e.test.ts` runs them,
 * checks that each gives an Error and crashes nothing, and keeps docs/bad-inputs.json
 * (rendered to the table by scripts/bad-inputs.mjs) current. Add rows by adding cases.
 */
import { Api, Client } from '@kube-ts/client';
import { apiResource, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import {
  Action,
  Controller,
  exponentialBackoff,
  LeaderElector,
  Manager,
  Reconciler,
  watcher,
} from '@kube-ts/runtime';
import { defineResource } from '@kube-ts/schema';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { pino } from 'pino';
import { firstValueFrom } from 'rxjs';

/** What a case gets to work with. */
export interface CaseContext {
  readonly client: Client;
  readonly namespace: string;
}

/** One bad input: what it is, what happens to data, and how to produce its error. */
export interface BadInputCase {
  readonly id: string;
  /** The bad input, in words. */
  readonly input: string;
  /** What happens to data (written, kept, lost) when it is given. */
  readonly data: string;
  /** Whether the message says what is wrong and what to do (the reviewer's judgement). */
  readonly clear: boolean;
  /** Gives the bad input; resolves with the error it caused (thrown or emitted). */
  run(ctx: CaseContext): Promise<unknown>;
}

const silent = pino({ level: 'silent' });

/** The value `fn` throws or rejects with (undefined when it does not fail). */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

class Noop extends Reconciler<ConfigMap> {
  async reconcile(): Promise<Action> {
    return Action.awaitChange();
  }
}

export const CASES: readonly BadInputCase[] = [
  {
    id: 'watcher-page-size',
    input: '`watcher(api, { pageSize: 0 })`',
    data: 'nothing is requested',
    clear: true,
    run: ({ client, namespace }) =>
      failure(() =>
        watcher(Api.namespaced(client, resources.configMaps, namespace), { pageSize: 0 }),
      ),
  },
  {
    id: 'watcher-timeout',
    input: '`watcher(api, { timeoutSeconds: -1 })`',
    data: 'nothing is requested',
    clear: true,
    run: ({ client, namespace }) =>
      failure(() =>
        watcher(Api.namespaced(client, resources.configMaps, namespace), { timeoutSeconds: -1 }),
      ),
  },
  {
    id: 'backoff-options',
    input: '`exponentialBackoff({ initialMs: 5000, maxMs: 100 })`',
    data: 'nothing happens',
    clear: true,
    run: () => failure(() => exponentialBackoff({ initialMs: 5000, maxMs: 100 })),
  },
  {
    id: 'elector-no-name',
    input: '`new LeaderElector(api, { name: "" })`',
    data: 'no Lease is written',
    clear: true,
    run: ({ client, namespace }) =>
      failure(
        () => new LeaderElector(Api.namespaced(client, resources.leases, namespace), { name: '' }),
      ),
  },
  {
    id: 'elector-durations',
    input: '`LeaderElector` with `renewDeadlineMs` ≥ `leaseDurationMs`',
    data: 'no Lease is written',
    clear: true,
    run: ({ client, namespace }) =>
      failure(
        () =>
          new LeaderElector(Api.namespaced(client, resources.leases, namespace), {
            name: 'x',
            leaseDurationMs: 5_000,
            renewDeadlineMs: 5_000,
          }),
      ),
  },
  {
    id: 'manager-duplicate',
    input: 'two runnables with the same name in one `Manager`',
    data: 'nothing starts',
    clear: true,
    run: () =>
      failure(() => {
        const runnable = { name: 'twice', start: async () => {} };
        new Manager({ logger: silent, handleSignals: false }).add(runnable).add(runnable);
      }),
  },
  {
    id: 'controller-run-twice',
    input: '`controller.run()` subscribed a second time',
    data: 'the first run goes on; the second gets the error',
    clear: true,
    run: async ({ client, namespace }) => {
      const controller = new Controller(Api.namespaced(client, resources.configMaps, namespace));
      controller.withConfig({ logger: silent });
      const first = controller.run(new Noop()).subscribe();
      const error = await firstValueFrom(controller.run(new Noop())).catch((e: unknown) => e);
      first.unsubscribe();
      return error;
    },
  },
  {
    id: 'invalid-object-name',
    input: 'create a ConfigMap named `Not_Valid`',
    data: 'the server rejects it; nothing is stored',
    clear: true,
    run: ({ client, namespace }) =>
      failure(() =>
        Api.namespaced(client, resources.configMaps, namespace).create({
          metadata: { name: 'Not_Valid' },
        }),
      ),
  },
  {
    id: 'missing-object',
    input: '`api.get(name)` of an object that does not exist',
    data: 'nothing changes (use `getOpt` for `undefined` instead)',
    clear: true,
    run: ({ client, namespace }) =>
      failure(() => Api.namespaced(client, resources.configMaps, namespace).get('does-not-exist')),
  },
  {
    id: 'missing-crd',
    input: 'list a custom resource whose CRD is not installed',
    data: 'nothing changes',
    clear: true,
    run: ({ client, namespace }) =>
      failure(() =>
        Api.namespaced(
          client,
          apiResource({
            group: 'example.com',
            version: 'v1',
            plural: 'widgets',
            kind: 'Widget',
            namespaced: true,
          }),
          namespace,
        ).list(),
      ),
  },
  {
    id: 'kubeconfig-missing-cluster',
    input: 'a kubeconfig whose context names a cluster that is not defined',
    data: 'no request is sent',
    clear: true,
    run: () =>
      failure(() => {
        const kc = new KubeConfig();
        kc.loadFromOptions({
          clusters: [],
          users: [{ name: 'u', token: 'redacted' }],
          contexts: [{ name: 'c', cluster: 'nowhere', user: 'u' }],
          currentContext: 'c',
        });
        return Client.fromKubeConfig(kc);
      }),
  },
  {
    id: 'define-resource-no-spec',
    input: '`defineResource` without `spec`',
    data: 'nothing is generated',
    clear: true,
    run: () =>
      failure(() => {
        // The bad input, as JavaScript (or a cast) can give it: spec is required.
        const options = { group: 'example.com', version: 'v1', kind: 'Widget' };
        return defineResource(options as unknown as Parameters<typeof defineResource>[0]);
      }),
  },
];
