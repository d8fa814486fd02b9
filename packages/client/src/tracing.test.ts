import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { json, startFixture } from './fixture.test-helper.js';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);
afterAll(() => trace.disable());

describe('OpenTelemetry spans', () => {
  it('one client span per API call, with the object ref and the failure reason', async () => {
    const fixture = await startFixture((_req, res, seen) => {
      if (seen.url.endsWith('/missing')) {
        json(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
      } else json(res, 200, {});
    });
    const client = Client.fromKubeConfig(fixture.kubeConfig);
    try {
      await client.request({ method: 'GET', path: '/api/v1/namespaces/ns1/configmaps/cm1' });
      await expect(
        client.request({ method: 'GET', path: '/apis/apps/v1/namespaces/ns1/deployments/missing' }),
      ).rejects.toThrow();
    } finally {
      client.close();
      await fixture.close();
    }
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['GET configmaps', 'GET deployments']);
    expect(spans[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'k8s.namespace.name': 'ns1',
      'k8s.resource': 'configmaps',
      'k8s.object.name': 'cm1',
      'http.response.status_code': 200,
    });
    expect(spans[1]!.attributes).toMatchObject({
      'k8s.object.name': 'missing',
      'http.response.status_code': 404,
      'k8s.status.reason': 'NotFound',
    });
    expect(spans[1]!.status.code).toBe(2); // ERROR
  });
});
