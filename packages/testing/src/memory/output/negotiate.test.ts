import { describe, expect, it } from 'vitest';
import type { HttpStatusError } from '../errors.js';
import { negotiate, negotiateJsonOnly } from './negotiate.js';

const RESOURCE = {
  transforms: ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'],
} as const;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function status(accept: string, list = false) {
  try {
    negotiate(accept, { ...RESOURCE, list });
  } catch (e) {
    return (e as HttpStatusError).toStatus();
  }
  throw new Error('negotiated');
}

describe('negotiate', () => {
  it('answers JSON without an Accept header, for */* and application/*', () => {
    for (const a of [undefined, '', '*/*', 'application/*', 'application/json, */*']) {
      expect(negotiate(a, RESOURCE)).toEqual({ format: 'json' });
    }
  });

  it('takes the first servable range, by quality then as written', () => {
    expect(negotiate(`${TABLE},application/json`, RESOURCE)).toEqual({
      format: 'json',
      as: 'Table',
    });
    expect(negotiate(`application/json,${TABLE}`, RESOURCE)).toEqual({ format: 'json' });
    expect(negotiate(`application/json;q=0.5,${TABLE}`, RESOURCE)).toEqual({
      format: 'json',
      as: 'Table',
    });
    expect(negotiate('application/yaml', RESOURCE)).toEqual({ format: 'yaml' });
    expect(negotiate('text/html, application/yaml', RESOURCE)).toEqual({ format: 'yaml' });
    expect(negotiate('application/vnd.kubernetes.protobuf, application/json', RESOURCE)).toEqual({
      format: 'json',
    });
  });

  it('skips transformations the endpoint does not serve or at unknown versions', () => {
    const discovery = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    expect(negotiate(discovery, { transforms: ['APIGroupDiscoveryList'] })).toEqual({
      format: 'json',
      as: 'APIGroupDiscoveryList',
    });
    expect(negotiate(`${discovery},application/json`, RESOURCE)).toEqual({ format: 'json' });
    expect(status('application/json;as=Table;v=v2;g=meta.k8s.io')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      reason: 'NotAcceptable',
      code: 406,
    });
  });

  it('refuses an unknown media type with 406 naming the representations', () => {
    expect(status('text/html')).toMatchObject({
      message:
        '406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      details: {},
      code: 406,
    });
    expect(status('application/xml', true).message).toBe(
      '406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch',
    );
  });
});

describe('negotiateJsonOnly (/version)', () => {
  it('takes JSON or */*, and refuses the rest with a 406 that names JSON', () => {
    for (const ok of [
      undefined,
      '',
      '*/*',
      'application/json;as=Table',
      'text/html, application/json',
    ]) {
      expect(() => negotiateJsonOnly(ok)).not.toThrow();
    }
    for (const refused of [
      'application/yaml',
      'application/*',
      'application/vnd.kubernetes.protobuf',
    ]) {
      expect(() => negotiateJsonOnly(refused)).toThrow(
        '406: Not Acceptable\n\nAvailable representations: application/json',
      );
    }
  });
});
