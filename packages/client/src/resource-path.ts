import type { ApiResource } from '@kube-ts/core';

/**
 * The REST path of a resource collection (and optionally one object and a subresource):
 * `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments`, `/api/v1/namespaces/ns/pods/p/status`.
 * Path segments are URL-encoded.
 */
export function resourcePath(
  resource: Pick<ApiResource, 'group' | 'version' | 'plural'>,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const root = resource.group
    ? `/apis/${resource.group}/${resource.version}`
    : `/api/${resource.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = subresource ? `/${subresource}` : '';
  return `${root}${ns}/${resource.plural}${obj}${sub}`;
}
