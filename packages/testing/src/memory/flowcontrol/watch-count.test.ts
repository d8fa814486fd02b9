import { describe, expect, it } from 'vitest';
import { type ResourceAttributes, requestAttributes } from '../auth/request-attributes.js';
import { WatchCounts } from './watch-count.js';

const attrs = (method: string, path: string) => {
  const url = new URL(path, 'http://localhost');
  return { a: requestAttributes(method, url) as ResourceAttributes, query: url.searchParams };
};

function watch(counts: WatchCounts, path: string): () => void {
  const { a, query } = attrs('GET', `${path}${path.includes('?') ? '&' : '?'}watch=1`);
  return counts.register(a, query);
}

describe('WatchCounts', () => {
  it('counts the watches of the resource, its namespace and its name for a write', () => {
    const counts = new WatchCounts();
    const forget = [
      watch(counts, '/api/v1/configmaps'),
      watch(counts, '/api/v1/namespaces/a/configmaps'),
      watch(counts, '/api/v1/namespaces/b/configmaps'),
      watch(counts, '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dx'),
      watch(counts, '/api/v1/namespaces/a/secrets'),
    ];
    expect(counts.interested(attrs('POST', '/api/v1/namespaces/a/configmaps').a)).toBe(2);
    expect(counts.interested(attrs('PUT', '/api/v1/namespaces/a/configmaps/x').a)).toBe(3);
    expect(counts.interested(attrs('PUT', '/api/v1/namespaces/b/configmaps/x').a)).toBe(2);
    forget[0]!();
    forget[0]!();
    expect(counts.interested(attrs('PUT', '/api/v1/namespaces/a/configmaps/x').a)).toBe(2);
  });

  it('leaves out watches of Pods bound to a node', () => {
    const counts = new WatchCounts();
    watch(counts, '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-0');
    watch(counts, '/api/v1/pods?fieldSelector=spec.nodeName%3D');
    watch(counts, '/api/v1/pods?fieldSelector=spec.nodeName!%3Dnode-0');
    expect(counts.interested(attrs('POST', '/api/v1/namespaces/a/pods').a)).toBe(2);
  });
});
