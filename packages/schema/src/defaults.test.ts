import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'Fast' },
        note: { type: 'string', nullable: true, default: 'n' },
        nested: { type: 'object', properties: { deep: { type: 'boolean', default: true } } },
        ports: {
          type: 'array',
          items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } },
        },
        labels: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { v: { type: 'integer', default: 0 } },
          },
        },
      },
    },
  },
};

describe('applyDefaults', () => {
  it('fills absent fields, recursing into a defaulted parent', () => {
    expect(applyDefaults(schema, {})).toEqual({ spec: { replicas: 1, mode: 'Fast', note: 'n' } });
  });

  it('keeps given values and replaces null only on non-nullable fields', () => {
    const out = applyDefaults(schema, { spec: { replicas: 5, mode: null, note: null } });
    expect(out).toEqual({ spec: { replicas: 5, mode: 'Fast', note: null } });
  });

  it('defaults inside existing objects, list items and map values, not in absent objects', () => {
    const input = { spec: { nested: {}, ports: [{}, { protocol: 'UDP' }], labels: { a: {} } } };
    const out = applyDefaults(schema, input);
    expect(out.spec).toMatchObject({
      nested: { deep: true },
      ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }],
      labels: { a: { v: 0 } },
    });
    expect(input.spec.nested).toEqual({});
  });

  it('gives each object its own copy of a default', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: { o: { type: 'object', default: { a: 1 } } },
    };
    const a = applyDefaults(s, {}) as { o: { a: number } };
    a.o.a = 2;
    expect(applyDefaults(s, {})).toEqual({ o: { a: 1 } });
  });
});
