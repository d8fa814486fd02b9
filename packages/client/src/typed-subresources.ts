/** The typed subresource helpers of `Api`: a ServiceAccount's token, a Pod's eviction and log. */
import type { Readable } from 'node:stream';
import type { CallOptions, DeleteParams, KubeObject, PostParams, Status } from '@kube-ts/core';
import type { TokenRequest, TokenRequestSpec } from '@kube-ts/k8s/authentication/v1';
import type { RequestOptions } from './client-options.js';
import { deleteOptions } from './delete-options.js';
import { type LogOptions, logLines, logQuery, logStream } from './logs.js';
import { control } from './request-options.js';
import type { ResourceCalls } from './resource-calls.js';

/** `Api.token`: creates a TokenRequest for the ServiceAccount `name`. */
export function requestToken(
  calls: ResourceCalls<KubeObject>,
  name: string,
  spec: TokenRequestSpec,
  params: PostParams | undefined,
): Promise<TokenRequest> {
  return calls.run(async () => {
    calls.expect('serviceaccounts', 'token');
    return calls
      .subresource<TokenRequest>(name, 'token')
      .create({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec }, params);
  });
}

/** `Api.evict`: creates an Eviction for the Pod `name`. */
export function evictPod(
  calls: ResourceCalls<KubeObject>,
  name: string,
  params: CallOptions & { deleteOptions?: DeleteParams; dryRun?: 'All' },
): Promise<Status> {
  return calls.run(async () => {
    calls.expect('pods', 'eviction');
    const options = params.deleteOptions ? deleteOptions(params.deleteOptions) : undefined;
    const eviction: KubeObject & { deleteOptions?: Record<string, unknown> } = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace: calls.namespace },
      ...(options ? { deleteOptions: options } : {}),
    };
    return calls.subresource<KubeObject>(name, 'eviction').create<Status>(eviction, params);
  });
}

/** `Api.logs`: the log of a container of the Pod `name`, as text or (following) lines. */
export function podLogs(
  calls: ResourceCalls<KubeObject>,
  name: string,
  options: LogOptions,
): Promise<string> | AsyncIterable<string> {
  const request = (): RequestOptions => {
    calls.expect('pods', 'log');
    return {
      method: 'GET',
      path: calls.item(name, 'log'),
      query: logQuery(options),
      accept: '*/*',
      ...control(options),
    };
  };
  if (options.follow) {
    const open = () =>
      calls.run(async () => {
        const r = request();
        const body = await calls.client.requestStream(r);
        return { body, url: calls.client.url(r.path, r.query).toString() };
      });
    return logLines(open, options.signal);
  }
  return calls.run(async () => (await calls.client.requestRaw(request())).body.toString('utf8'));
}

/** `Api.logStream`: the log of a container of the Pod `name` as a byte stream. */
export function podLogStream(
  calls: ResourceCalls<KubeObject>,
  name: string,
  options: LogOptions,
): Promise<Readable> {
  return calls.run(async () => {
    calls.expect('pods', 'log');
    const r: RequestOptions = {
      method: 'GET',
      path: calls.item(name, 'log'),
      query: logQuery(options),
      accept: '*/*',
      ...control(options),
    };
    const body = await calls.client.requestStream(r);
    return logStream(body, calls.client.url(r.path, r.query).toString(), options.signal);
  });
}
