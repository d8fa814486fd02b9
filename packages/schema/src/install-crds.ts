import { delay, resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { collectCrds } from './crd-collection.js';

/**
 * What `installCrds` needs from a client: `@kube-ts/client`'s `Client` fits as it is.
 * (A structural type, so @kube-ts/schema does not depend on @kube-ts/client and the
 * in-memory API server can use this package's validator without a dependency cycle.)
 */
export interface CrdClient {
  request<T>(options: {
    method: 'GET' | 'PATCH';
    path: string;
    query?: Readonly<Record<string, string | number | boolean | undefined>>;
    body?: unknown;
    contentType?: string;
    signal?: AbortSignal;
  }): Promise<T>;
}

/** Options of {@link installCrds}. */
export interface InstallCrdsOptions {
  /** Field manager of the server-side apply (default `kube-ts`). */
  fieldManager?: string;
  /** Take over fields owned by other managers (default `true`, as for a CRD installer). */
  force?: boolean;
  /** How long to wait for each CRD to become Established, in ms (default 30 000). */
  timeoutMs?: number;
  /** Pause between two reads of a CRD's conditions, in ms (default 250). */
  pollIntervalMs?: number;
  /** Aborting it stops waiting (the promise rejects with the abort reason). */
  signal?: AbortSignal;
}

interface CrdCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type ServerCrd = CustomResourceDefinition & { status?: { conditions?: CrdCondition[] } };

const crds = resources.customResourceDefinitions;
const crdPath = (name: string): string =>
  `/apis/${crds.group}/${crds.version}/${crds.plural}/${encodeURIComponent(name)}`;

function conditionOf(crd: ServerCrd, type: string): CrdCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

function describeConditions(crd: ServerCrd): string {
  const list = crd.status?.conditions ?? [];
  if (list.length === 0) return 'no conditions yet';
  return list.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ');
}

async function waitEstablished(
  client: CrdClient,
  name: string,
  applied: ServerCrd,
  o: Required<Pick<InstallCrdsOptions, 'timeoutMs' | 'pollIntervalMs'>> & InstallCrdsOptions,
): Promise<ServerCrd> {
  const deadline = Date.now() + o.timeoutMs;
  let crd = applied;
  for (;;) {
    if (conditionOf(crd, 'Established')?.status === 'True') return crd;
    const names = conditionOf(crd, 'NamesAccepted');
    if (names?.status === 'False') {
      throw new Error(
        `CRD ${name} was applied but its names were not accepted: ${names.message ?? names.reason ?? 'no reason given'}. Choose another plural, kind or short name.`,
      );
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `CRD ${name} was applied but is not Established after ${o.timeoutMs} ms (${describeConditions(crd)}); check \`kubectl describe crd ${name}\` and the API server logs, or raise timeoutMs.`,
      );
    }
    await delay(Math.min(o.pollIntervalMs, Math.max(0, deadline - Date.now())), o.signal);
    crd = await client.request<ServerCrd>({ method: 'GET', path: crdPath(name), signal: o.signal });
  }
}

/**
 * Applies the CRDs of the given definitions (and/or CRD objects) with server-side apply,
 * then waits until each one is `Established`, and returns them as the server has them.
 * Several definitions of one kind are merged into one CRD (see `mergeCrds`).
 *
 * Guarantees: every CRD is applied before the first wait; a CRD whose `NamesAccepted`
 * condition is `False` fails at once with the server's message; a CRD that is not
 * Established within `timeoutMs` fails with its current conditions; request errors
 * (e.g. `ApiError` 403, 422) reject with the CRD's name added to the message and the
 * original error as `cause`.
 *
 * @param client a `Client` from `@kube-ts/client` (or anything with its `request`).
 */
export async function installCrds(
  client: CrdClient,
  defs: readonly unknown[],
  options: InstallCrdsOptions = {},
): Promise<CustomResourceDefinition[]> {
  const o = { timeoutMs: 30_000, pollIntervalMs: 250, ...options };
  const wanted = collectCrds(defs);
  if (wanted.length === 0) {
    throw new TypeError(
      'installCrds: no resource definitions given (pass values returned by defineResource)',
    );
  }
  const applied: ServerCrd[] = [];
  for (const crd of wanted) {
    const name = String(crd.metadata?.name);
    try {
      applied.push(
        await client.request<ServerCrd>({
          method: 'PATCH',
          path: crdPath(name),
          query: { fieldManager: o.fieldManager ?? 'kube-ts', force: o.force ?? true },
          body: crd,
          contentType: 'application/apply-patch+yaml',
          signal: o.signal,
        }),
      );
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`installCrds: applying CRD ${name} failed: ${why}`, { cause: err });
    }
  }
  const out: ServerCrd[] = [];
  for (const [i, crd] of wanted.entries()) {
    out.push(await waitEstablished(client, String(crd.metadata?.name), applied[i] ?? crd, o));
  }
  return out;
}
