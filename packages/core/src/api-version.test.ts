import { describe, expect, it } from 'vitest';
import { apiVersionOf, gvkOf, parseApiVersion } from './api-version.js';
import { resources } from './resources.js';

describe('apiVersion helpers', () => {
  it('apiVersionOf() omits the core group', () => {
    expect(apiVersionOf({ group: '', version: 'v1' })).toBe('v1');
    expect(apiVersionOf({ group: 'apps', version: 'v1' })).toBe('apps/v1');
    expect(apiVersionOf(resources.leases)).toBe('coordination.k8s.io/v1');
  });

  it('parseApiVersion() splits group and version', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
  });

  it.each(['', '/', 'apps/', '/v1', 'a/b/c'])('parseApiVersion() rejects %j', (s) => {
    expect(() => parseApiVersion(s)).toThrow(TypeError);
  });

  it('gvkOf() combines apiVersion and kind', () => {
    expect(gvkOf('batch/v1', 'Job')).toEqual({ group: 'batch', version: 'v1', kind: 'Job' });
  });

  it('round-trips', () => {
    for (const r of Object.values(resources)) {
      expect(parseApiVersion(apiVersionOf(r))).toEqual({ group: r.group, version: r.version });
    }
  });
});
