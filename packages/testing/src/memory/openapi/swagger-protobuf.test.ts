import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import descriptor from './openapi-v2-proto.json' with { type: 'json' };
import { swaggerProtobuf } from './swagger-protobuf.js';

const Document = protobuf.Root.fromJSON(descriptor).lookupType('openapi.v2.Document');

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
