import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { definitionOf, removeUnknownFields } from './typed-fields.js';

describe('removeUnknownFields', () => {
  test('drops undeclared fields at every depth and names them in document order', () => {
    const def = definitionOf('apps', 'v1', 'Deployment')!;
    expect(def).toBe('io.k8s.api.apps.v1.Deployment');
    const obj: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', Labels: {} },
      spec: {
        replica: 3,
        selector: { matchLabels: { app: 'x' } },
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'i', bogus: 1 },
              { name: 'b', image: 'i' },
            ],
          },
        },
      },
    };
    expect(removeUnknownFields(def, obj)).toEqual([
      'metadata.Labels',
      'spec.replica',
      'spec.template.spec.containers[0].bogus',
    ]);
    expect(obj.spec).toEqual({
      selector: { matchLabels: { app: 'x' } },
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'i' },
            { name: 'b', image: 'i' },
          ],
        },
      },
    });
  });

  test('keeps map keys and free-form fields', () => {
    const def = definitionOf('', 'v1', 'ConfigMap')!;
    const obj: JsonObject = {
      metadata: { name: 'x', managedFields: [{ fieldsV1: { 'f:data': { 'f:any': {} } } }] },
      data: { 'any key': 'v' },
    };
    expect(removeUnknownFields(def, obj)).toEqual([]);
    expect(obj.data).toEqual({ 'any key': 'v' });
  });
});
