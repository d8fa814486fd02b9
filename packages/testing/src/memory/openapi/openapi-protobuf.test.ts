import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { openApiV3Protobuf, swaggerProtobuf } from './openapi-protobuf.js';
import descriptor from './openapi-v2-proto.json' with { type: 'json' };
import v3Descriptor from './openapi-v3-proto.json' with { type: 'json' };

const Document = protobuf.Root.fromJSON(descriptor).lookupType('openapi.v2.Document');
const V3Document = protobuf.Root.fromJSON(v3Descriptor).lookupType('openapi.v3.Document');

describe('swaggerProtobuf', () => {
  test("maps, extensions, free-form values and oneofs as gnostic's messages", () => {
    const doc = {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'v1.36.3' },
      paths: {
        '/api/v1/pods': {
          get: {
            operationId: 'listPods',
            parameters: [{ $ref: '#/parameters/limit' }, { name: 'body', in: 'body', schema: {} }],
            responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/Pod' } } },
            'x-kubernetes-action': 'list',
          },
        },
      },
      definitions: {
        Pod: {
          type: 'object',
          properties: {
            names: { type: 'array', items: { type: 'string' }, default: ['a'] },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
          },
          'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
        },
      },
      parameters: { limit: { name: 'limit', in: 'query', type: 'integer', uniqueItems: true } },
      security: [{ BearerToken: [] }],
      securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
    };
    const decoded = Document.toObject(Document.decode(swaggerProtobuf(JSON.stringify(doc))), {
      longs: Number,
    });
    expect(decoded.info).toEqual({ title: 'Kubernetes', version: 'v1.36.3' });
    const get = decoded.paths.path[0].value.get;
    expect(decoded.paths.path[0].name).toBe('/api/v1/pods');
    expect(get.parameters[0]).toEqual({ json_reference: { _ref: '#/parameters/limit' } });
    expect(get.parameters[1].parameter.body_parameter).toMatchObject({ name: 'body', in: 'body' });
    expect(get.responses.response_code[0]).toMatchObject({
      name: '200',
      value: { response: { description: 'OK', schema: { schema: { _ref: '#/definitions/Pod' } } } },
    });
    expect(get.vendor_extension).toEqual([
      { name: 'x-kubernetes-action', value: { yaml: 'list\n' } },
    ]);
    const pod = decoded.definitions.additional_properties[0];
    expect(pod.name).toBe('Pod');
    expect(pod.value.type).toEqual({ value: ['object'] });
    const [names, labels] = pod.value.properties.additional_properties;
    expect(names.value.items).toEqual({ schema: [{ type: { value: ['string'] } }] });
    expect(names.value.default).toEqual({ yaml: '- a\n' });
    expect(labels.value.additional_properties).toEqual({ schema: { type: { value: ['string'] } } });
    expect(pod.value.vendor_extension[0].value.yaml).toBe(
      '- group: ""\n  kind: Pod\n  version: v1\n',
    );
    expect(decoded.parameters.additional_properties[0].value).toEqual({
      non_body_parameter: {
        query_parameter_sub_schema: {
          name: 'limit',
          in: 'query',
          type: 'integer',
          unique_items: true,
        },
      },
    });
    expect(decoded.security).toEqual([
      { additional_properties: [{ name: 'BearerToken', value: {} }] },
    ]);
    expect(decoded.security_definitions.additional_properties[0].value).toEqual({
      api_key_security: { type: 'apiKey', name: 'authorization', in: 'header' },
    });
  });
});

describe('openApiV3Protobuf', () => {
  test("references, schemas, scalar defaults, extensions and maps as gnostic's v3 messages", () => {
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.36.3' },
      paths: {
        '/api/v1/pods': {
          get: {
            operationId: 'listCoreV1Pods',
            parameters: [{ $ref: '#/components/parameters/limit' }],
            responses: {
              '200': {
                description: 'OK',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/io.k8s.api.core.v1.PodList' },
                  },
                },
              },
            },
            'x-kubernetes-action': 'list',
          },
        },
      },
      components: {
        schemas: {
          Pod: {
            type: 'object',
            required: ['spec'],
            properties: {
              spec: { allOf: [{ $ref: '#/components/schemas/PodSpec' }], default: {} },
              replicas: { type: 'integer', format: 'int32', default: 1 },
              names: { type: 'array', items: { type: 'string', default: '' } },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              mode: { type: 'string', enum: ['A', 'B'] },
            },
            'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
          },
        },
        parameters: { limit: { name: 'limit', in: 'query', schema: { type: 'integer' } } },
        securitySchemes: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
      },
      security: [{ BearerToken: [] }],
    };
    const decoded = V3Document.toObject(V3Document.decode(openApiV3Protobuf(JSON.stringify(doc))), {
      longs: Number,
    });
    expect(decoded.openapi).toBe('3.0.0');
    const path = decoded.paths.path[0];
    expect(path.name).toBe('/api/v1/pods');
    expect(path.value.get.parameters).toEqual([
      { reference: { _ref: '#/components/parameters/limit' } },
    ]);
    const ok = path.value.get.responses.response_or_reference[0];
    expect(ok.name).toBe('200');
    expect(ok.value.response.content.additional_properties[0]).toEqual({
      name: 'application/json',
      value: { schema: { reference: { _ref: '#/components/schemas/io.k8s.api.core.v1.PodList' } } },
    });
    expect(path.value.get.specification_extension).toEqual([
      { name: 'x-kubernetes-action', value: { yaml: 'list\n' } },
    ]);
    const pod = decoded.components.schemas.additional_properties[0];
    expect(pod.name).toBe('Pod');
    expect(pod.value.schema.type).toBe('object');
    expect(pod.value.schema.required).toEqual(['spec']);
    const [spec, replicas, names, labels, mode] = pod.value.schema.properties.additional_properties;
    // A map or list default has no DefaultType member: gnostic keeps an empty message.
    expect(spec.value.schema.default).toEqual({});
    expect(spec.value.schema.all_of).toEqual([
      { reference: { _ref: '#/components/schemas/PodSpec' } },
    ]);
    expect(replicas.value.schema.default).toEqual({ number: 1 });
    expect(names.value.schema.items).toEqual({
      schema_or_reference: [{ schema: { type: 'string', default: { string: '' } } }],
    });
    expect(labels.value.schema.additional_properties).toEqual({
      schema_or_reference: { schema: { type: 'string' } },
    });
    expect(mode.value.schema.enum).toEqual([{ yaml: 'A\n' }, { yaml: 'B\n' }]);
    expect(pod.value.schema.specification_extension[0].value.yaml).toBe(
      '- group: ""\n  kind: Pod\n  version: v1\n',
    );
    expect(decoded.components.parameters.additional_properties[0].value).toEqual({
      parameter: { name: 'limit', in: 'query', schema: { schema: { type: 'integer' } } },
    });
    expect(decoded.components.security_schemes.additional_properties[0].value).toEqual({
      security_scheme: { type: 'apiKey', name: 'authorization', in: 'header' },
    });
    expect(decoded.security).toEqual([
      { additional_properties: [{ name: 'BearerToken', value: {} }] },
    ]);
  });
});
