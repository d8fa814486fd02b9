import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { type ServiceDirectory, webhookTarget } from './webhook-call.js';

function directory(services: Record<string, JsonObject>, slices: JsonObject[] = []) {
  const d: ServiceDirectory = {
    service: (ns, name) => services[`${ns}/${name}`],
    endpointSlices: () => slices,
  };
  return d;
}

const ref = { service: { namespace: 'ops', name: 'hook', path: '/v', port: 8443 } };

describe('webhookTarget', () => {
  it('calls a url as given, with the timeout kube-apiserver adds', () => {
    expect(webhookTarget({ url: 'https://127.0.0.1:9443/v' }, 5, directory({}))).toEqual({
      target: { url: 'https://127.0.0.1:9443/v?timeout=5s' },
    });
  });

  it('names a missing Service as kube-apiserver does', () => {
    expect(webhookTarget(ref, 10, directory({}))).toEqual({
      target: { url: 'https://hook.ops.svc:8443/v?timeout=10s' },
      error: 'service "hook" not found',
    });
  });

  it("dials an ExternalName Service's name at the reference's port (default 443)", () => {
    const svc = { spec: { type: 'ExternalName', externalName: '127.0.0.1' } };
    expect(webhookTarget(ref, 10, directory({ 'ops/hook': svc })).target).toEqual({
      url: 'https://hook.ops.svc:8443/v?timeout=10s',
      servername: 'hook.ops.svc',
      dial: { host: '127.0.0.1', port: 8443 },
    });
    const bare = { service: { namespace: 'ops', name: 'hook' } };
    expect(webhookTarget(bare, 10, directory({ 'ops/hook': svc })).target).toMatchObject({
      url: 'https://hook.ops.svc:443?timeout=10s',
      dial: { host: '127.0.0.1', port: 443 },
    });
  });

  it('dials a ready endpoint of another Service, at the slice port named like the Service port', () => {
    const svc = {
      spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 8443, targetPort: 9443 }] },
    };
    const slice = {
      ports: [{ name: 'https', port: 9443 }],
      endpoints: [
        { addresses: ['10.0.0.9'], conditions: { ready: false } },
        { addresses: ['127.0.0.1'], conditions: { ready: true } },
      ],
    };
    expect(webhookTarget(ref, 10, directory({ 'ops/hook': svc }, [slice])).target.dial).toEqual({
      host: '127.0.0.1',
      port: 9443,
    });
    expect(webhookTarget(ref, 10, directory({ 'ops/hook': svc })).error).toBe(
      'no endpoints available for service "hook"',
    );
    const other = { service: { ...ref.service, port: 1 } };
    expect(webhookTarget(other, 10, directory({ 'ops/hook': svc }, [slice])).error).toBe(
      'no service port 1 found for service "hook"',
    );
  });
});
