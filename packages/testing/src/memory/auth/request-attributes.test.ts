import { describe, expect, it } from 'vitest';
import { requestAttributes } from './request-attributes.js';

const at = (method: string, path: string) =>
  requestAttributes(method, new URL(path, 'http://localhost'));

describe('requestAttributes', () => {
  it('derives the verb from the method, the name and watch/fieldSelector', () => {
    expect(at('GET', '/api/v1/namespaces/ns/configmaps')).toMatchObject({
      verb: 'list',
      resource: 'configmaps',
      namespace: 'ns',
      name: '',
    });
    expect(at('GET', '/api/v1/namespaces/ns/configmaps?watch=1').verb).toBe('watch');
    expect(at('GET', '/api/v1/namespaces/ns/configmaps?watch=false').verb).toBe('list');
    expect(at('GET', '/api/v1/watch/namespaces/ns/configmaps').verb).toBe('watch');
    expect(
      at('GET', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Dabc'),
    ).toMatchObject({
      verb: 'list',
      name: 'abc',
    });
    expect(at('DELETE', '/api/v1/namespaces/ns/configmaps').verb).toBe('deletecollection');
    expect(at('DELETE', '/api/v1/namespaces/ns/configmaps/x').verb).toBe('delete');
    expect(at('PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale')).toMatchObject({
      verb: 'patch',
      apiGroup: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      name: 'd',
    });
    expect(at('POST', '/api/v1/namespaces/ns/pods/p/eviction')).toMatchObject({
      verb: 'create',
      subresource: 'eviction',
    });
  });

  it('puts a namespace object in its own namespace; cluster resources in none', () => {
    expect(at('GET', '/api/v1/namespaces/ns')).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      namespace: 'ns',
    });
    expect(at('PUT', '/api/v1/namespaces/ns/finalize')).toMatchObject({
      resource: 'namespaces',
      subresource: 'finalize',
      namespace: 'ns',
    });
    expect(at('GET', '/api/v1/nodes')).toMatchObject({ verb: 'list', namespace: '' });
  });

  it('paths outside /api/v1/... and /apis/g/v/... are non-resource requests', () => {
    for (const p of [
      '/api',
      '/api/v1',
      '/apis',
      '/apis/apps',
      '/apis/apps/v1',
      '/version',
      '/metrics',
    ]) {
      expect(at('GET', p)).toEqual({ resourceRequest: false, verb: 'get', path: p });
    }
    expect(at('POST', '/logs').verb).toBe('post');
  });
});
