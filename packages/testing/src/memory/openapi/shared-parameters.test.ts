import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { builtinSpec } from './builtin-spec.js';
import { sharedParameterName, shareParameters } from './shared-parameters.js';

describe('sharedParameterName', () => {
  test("names every shared parameter of kube-apiserver's built-in /openapi/v2 as it does", () => {
    const shared = Object.entries(builtinSpec().v2.parameters as Record<string, JsonObject>);
    expect(shared.length).toBeGreaterThan(40);
    for (const [name, p] of shared) expect(sharedParameterName(p)).toBe(name);
  });
});

describe('shareParameters', () => {
  test('refers to shared parameters; name, dryRun, fieldValidation and a kind body stay inline', () => {
    const pretty = {
      uniqueItems: true,
      type: 'string',
      description: 'd',
      name: 'pretty',
      in: 'query',
    };
    const name = { type: 'string', name: 'name', in: 'path', required: true };
    const dryRun = { type: 'string', name: 'dryRun', in: 'query' };
    const kindBody = {
      name: 'body',
      in: 'body',
      schema: { $ref: '#/definitions/com.example.v1.K' },
    };
    const options = {
      name: 'body',
      in: 'body',
      schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions' },
    };
    const paths: JsonObject = {
      '/k/{name}': {
        put: { parameters: [kindBody, dryRun] },
        delete: { parameters: [options] },
        parameters: [name, pretty],
      },
    };
    const shared = shareParameters(paths);
    const prettyName = sharedParameterName(pretty);
    const optionsName = sharedParameterName(options);
    expect(Object.keys(shared).sort()).toEqual([optionsName, prettyName].sort());
    expect(paths['/k/{name}']).toEqual({
      put: { parameters: [kindBody, dryRun] },
      delete: { parameters: [{ $ref: `#/parameters/${optionsName}` }] },
      parameters: [name, { $ref: `#/parameters/${prettyName}` }],
    });
  });
});
