import { describe, expect, it } from 'vitest';
import { nonResourceSeries } from './non-resource-series.js';

describe('nonResourceSeries', () => {
  it('counts the health endpoints, OpenAPI v3 and aggregated discovery as kube-apiserver does', () => {
    expect(nonResourceSeries('/healthz', false)).toEqual({
      subresource: '/healthz',
      component: '',
    });
    expect(nonResourceSeries('/openapi/v3', false)).toEqual({
      subresource: 'openapi/v3',
      component: '',
    });
    expect(nonResourceSeries('/openapi/v3/apis/apps/v1', false)).toEqual({
      subresource: 'openapi/v3/',
      component: '',
    });
    expect(nonResourceSeries('/apis', true)).toEqual({
      subresource: 'apis',
      component: 'apiserver',
    });
  });

  it('leaves out single health checks, legacy discovery, /version and OpenAPI v2', () => {
    for (const path of ['/healthz/ping', '/version', '/openapi/v2', '/metrics', '/apis/apps']) {
      expect(nonResourceSeries(path, true)).toBeUndefined();
    }
    expect(nonResourceSeries('/api', false)).toBeUndefined();
  });
});
