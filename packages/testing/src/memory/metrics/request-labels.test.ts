import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type ResourceAttributes, requestAttributes } from '../auth/request-attributes.js';
import { ResourceRegistry } from '../registry.js';
import { type ResourceRoute, route } from '../router.js';
import { dryRunLabel, handlerScope, reportedVerb, requestScope } from './request-labels.js';

const registry = new ResourceRegistry();

/** The scope and verb kube-apiserver's handler reports for `method` on `path`. */
function labels(method: string, path: string, contentType?: string): [string, string] {
  const url = new URL(path, 'http://localhost');
  const r = route(registry, url.pathname) as ResourceRoute;
  const attrs = requestAttributes(method, url) as ResourceAttributes;
  const scope = handlerScope(r, method, attrs);
  const req = { method, headers: { 'content-type': contentType } } as unknown as IncomingMessage;
  return [scope, reportedVerb(req, url, scope, r.subresource ?? '', r.watchPath)];
}

describe('request labels', () => {
  it('reports a built-in route’s scope and the verb kube-apiserver reports', () => {
    expect(labels('POST', '/api/v1/namespaces/ns/configmaps')).toEqual(['resource', 'POST']);
    expect(labels('GET', '/api/v1/namespaces/ns/configmaps/a')).toEqual(['resource', 'GET']);
    expect(labels('GET', '/api/v1/namespaces/ns/configmaps')).toEqual(['namespace', 'LIST']);
    expect(labels('GET', '/api/v1/configmaps')).toEqual(['cluster', 'LIST']);
    expect(labels('GET', '/api/v1/namespaces/ns/configmaps?watch=1')).toEqual([
      'namespace',
      'WATCH',
    ]);
    expect(labels('GET', '/api/v1/watch/namespaces/ns/configmaps')).toEqual(['namespace', 'WATCH']);
    // A name from a field selector does not change a built-in route's scope.
    expect(
      labels('GET', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Da'),
    ).toEqual(['namespace', 'LIST']);
    expect(
      labels('PATCH', '/apis/apps/v1/namespaces/ns/deployments/d', 'application/apply-patch+yaml'),
    ).toEqual(['resource', 'APPLY']);
    expect(
      labels(
        'PATCH',
        '/apis/apps/v1/namespaces/ns/deployments/d/status',
        'application/merge-patch+json',
      ),
    ).toEqual(['resource', 'PATCH']);
    expect(labels('DELETE', '/api/v1/namespaces/ns/configmaps')).toEqual(['namespace', 'DELETE']);
    expect(labels('GET', '/api/v1/namespaces/ns/pods/p/log')).toEqual(['resource', 'CONNECT']);
    expect(labels('OPTIONS', '/api/v1/namespaces')).toEqual(['cluster', 'other']);
  });

  it('scopes a request by what it names', () => {
    const scope = (method: string, path: string) =>
      requestScope(requestAttributes(method, new URL(path, 'http://x')) as ResourceAttributes);
    expect(scope('GET', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Da')).toBe(
      'resource',
    );
    expect(scope('POST', '/api/v1/namespaces/ns/configmaps')).toBe('resource');
    expect(scope('GET', '/api/v1/namespaces/ns/configmaps')).toBe('namespace');
    expect(scope('GET', '/api/v1/nodes')).toBe('cluster');
  });

  it('labels dry runs: the values once each, invalid when one is not All', () => {
    const dryRun = (query: string) => dryRunLabel(new URL(`/x?${query}`, 'http://x'));
    expect(dryRun('')).toBe('');
    expect(dryRun('dryRun=All&dryRun=All')).toBe('All');
    expect(dryRun('dryRun=All&dryRun=Foo')).toBe('invalid');
    expect(dryRun('dryRun=')).toBe('invalid');
  });
});
