import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '@kube-ts/core';
import { ControlPlaneError } from './errors.js';
import { sendRequest, type TextResponse, type TlsClientIdentity } from './http-request.js';

/** The API server a request goes to. */
export interface ApiEndpoint {
  /** Base URL, e.g. `https://127.0.0.1:6443`. */
  readonly url: string;
  /** Client identity and CA. */
  readonly tls: TlsClientIdentity;
}

/** Options of {@link installCrds}. */
export interface InstallCrdsOptions {
  /** How long to wait for each CRD to be Established and served. Default 30 000 ms. */
  readonly timeoutMs?: number;
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CrdSpecShape {
  group?: unknown;
  names?: { plural?: unknown };
  versions?: { name?: unknown; served?: unknown }[];
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function parse(response: TextResponse): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(response.body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function statusMessage(response: TextResponse): string {
  const message = parse(response).message;
  return typeof message === 'string' ? message : response.body.slice(0, 500);
}

function crdName(crd: KubeObject): string {
  const name = crd.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new ControlPlaneError(
      'installCrds: a CustomResourceDefinition has no metadata.name; give it `<plural>.<group>`.',
    );
  }
  return name;
}

/** Path listing the CRD's resources in its first served version, to check that it is served. */
function servedListPath(crd: KubeObject): string | undefined {
  const spec = (crd as { spec?: CrdSpecShape }).spec;
  const version = spec?.versions?.find((v) => v.served !== false)?.name;
  const plural = spec?.names?.plural;
  if (typeof spec?.group !== 'string' || typeof plural !== 'string' || typeof version !== 'string')
    return undefined;
  return `/apis/${spec.group}/${version}/${plural}?limit=1`;
}

async function createOrReplace(
  endpoint: ApiEndpoint,
  crd: KubeObject,
  name: string,
): Promise<void> {
  const body = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...crd };
  const created = await sendRequest(`${endpoint.url}${CRD_PATH}`, {
    method: 'POST',
    json: body,
    tls: endpoint.tls,
  });
  if (created.status === 201) return;
  if (created.status !== 409) {
    throw new ControlPlaneError(
      `Creating CRD ${name} failed with HTTP ${created.status}: ${statusMessage(created)}`,
    );
  }
  const itemUrl = `${endpoint.url}${CRD_PATH}/${encodeURIComponent(name)}`;
  const existing = await sendRequest(itemUrl, { tls: endpoint.tls });
  const resourceVersion = (parse(existing).metadata as { resourceVersion?: unknown } | undefined)
    ?.resourceVersion;
  const replacement = { ...body, metadata: { ...crd.metadata, resourceVersion } };
  const replaced = await sendRequest(itemUrl, {
    method: 'PUT',
    json: replacement,
    tls: endpoint.tls,
  });
  if (replaced.status !== 200) {
    throw new ControlPlaneError(
      `Replacing CRD ${name} failed with HTTP ${replaced.status}: ${statusMessage(replaced)}`,
    );
  }
}

async function waitEstablishedAndServed(
  endpoint: ApiEndpoint,
  crd: KubeObject,
  name: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const itemUrl = `${endpoint.url}${CRD_PATH}/${encodeURIComponent(name)}`;
  const listPath = servedListPath(crd);
  let lastState = 'no status yet';
  for (;;) {
    const current = await sendRequest(itemUrl, { tls: endpoint.tls });
    const conditions = ((parse(current).status as { conditions?: Condition[] } | undefined)
      ?.conditions ?? []) as Condition[];
    const namesAccepted = conditions.find((c) => c.type === 'NamesAccepted');
    if (namesAccepted?.status === 'False') {
      throw new ControlPlaneError(
        `CRD ${name} was not accepted: ${namesAccepted.reason}: ${namesAccepted.message}`,
      );
    }
    const established = conditions.find((c) => c.type === 'Established');
    lastState =
      established === undefined
        ? 'no Established condition yet'
        : `Established=${established.status}`;
    if (established?.status === 'True') {
      if (listPath === undefined) return;
      const served = await sendRequest(`${endpoint.url}${listPath}`, { tls: endpoint.tls });
      if (served.status === 200) return;
      lastState = `Established, but GET ${listPath} answers HTTP ${served.status}`;
    }
    if (Date.now() >= deadline) {
      throw new ControlPlaneError(
        `CRD ${name} did not become Established and served within ${timeoutMs} ms (${lastState}).`,
      );
    }
    await sleep(100);
  }
}

/**
 * Creates each CustomResourceDefinition (or replaces it when one of that name exists),
 * then waits until every one has the `Established` condition and its resources answer a
 * list request, so custom resources can be created right after this resolves.
 *
 * @throws {ControlPlaneError} when the API server rejects a CRD (the message carries the
 *   server's reason, e.g. a schema error), its names conflict, or it is not served in time.
 */
export async function installCrds(
  endpoint: ApiEndpoint,
  crds: readonly KubeObject[],
  options: InstallCrdsOptions = {},
): Promise<void> {
  const named = crds.map((crd) => ({ crd, name: crdName(crd) }));
  for (const { crd, name } of named) await createOrReplace(endpoint, crd, name);
  await Promise.all(
    named.map(({ crd, name }) =>
      waitEstablishedAndServed(endpoint, crd, name, options.timeoutMs ?? 30_000),
    ),
  );
}
