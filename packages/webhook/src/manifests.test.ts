import { defineResource } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { allow } from './admission.js';
import { clientConfigFor } from './manifests.js';
import { WebhookServer } from './webhook-server.js';

const Gizmo = defineResource({
  group: 'example.com',
  kind: 'Gizmo',
  scope: 'Cluster',
  versions: { v1alpha1: { spec: Type.Object({}) }, v1: { spec: Type.Object({}) } },
  storage: 'v1',
  conversion: { v1alpha1: { toStorage: (o) => o, fromStorage: (o) => o } },
});

function server(): WebhookServer {
  return new WebhookServer({ name: 'gizmo-webhook', logger: pino({ level: 'silent' }) })
    .validating(
      {
        name: 'validate.gizmos.example.com',
        resource: Gizmo,
        operations: ['CREATE', 'UPDATE', 'DELETE'],
        subresources: ['status'],
        failurePolicy: 'Ignore',
        timeoutSeconds: 5,
        objectSelector: { matchLabels: { managed: 'yes' } },
        matchConditions: [{ name: 'not-system', expression: "request.namespace != 'kube-system'" }],
      },
      () => allow(),
    )
    .mutating(
      {
        name: 'default.gizmos.example.com',
        resource: Gizmo.versions.v1alpha1,
        namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
      },
      () => undefined,
    )
    .mutating(
      {
        name: 'sidecar.gizmos.example.com',
        resource: Gizmo,
        reinvocationPolicy: 'IfNeeded',
      },
      () => undefined,
    )
    .conversion(Gizmo);
}

describe('manifests', () => {
  it('renders both configurations and the CRD for a Service, with the cert-manager annotation', () => {
    const m = server().manifests({
      service: { namespace: 'ops', name: 'gizmo-webhook' },
      annotations: { 'cert-manager.io/inject-ca-from': 'ops/gizmo-webhook' },
    });
    expect(m.validating).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name: 'gizmo-webhook',
        annotations: { 'cert-manager.io/inject-ca-from': 'ops/gizmo-webhook' },
      },
      webhooks: [
        {
          name: 'validate.gizmos.example.com',
          clientConfig: {
            service: {
              namespace: 'ops',
              name: 'gizmo-webhook',
              path: '/validate/validate.gizmos.example.com',
            },
          },
          rules: [
            {
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              apiGroups: ['example.com'],
              apiVersions: ['v1'],
              resources: ['gizmos', 'gizmos/status'],
              scope: 'Cluster',
            },
          ],
          failurePolicy: 'Ignore',
          matchPolicy: 'Equivalent',
          sideEffects: 'None',
          timeoutSeconds: 5,
          admissionReviewVersions: ['v1'],
          objectSelector: { matchLabels: { managed: 'yes' } },
          matchConditions: [
            { name: 'not-system', expression: "request.namespace != 'kube-system'" },
          ],
        },
      ],
    });
    expect(m.mutating?.webhooks?.[0]).toMatchObject({
      name: 'default.gizmos.example.com',
      rules: [
        { operations: ['CREATE', 'UPDATE'], apiVersions: ['v1alpha1'], resources: ['gizmos'] },
      ],
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
      reinvocationPolicy: 'Never',
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
    });
    expect(m.mutating?.webhooks?.[1]).toMatchObject({
      name: 'sidecar.gizmos.example.com',
      reinvocationPolicy: 'IfNeeded',
    });
    expect(m.crds).toHaveLength(1);
    expect(m.crds[0]?.metadata?.annotations).toEqual({
      'cert-manager.io/inject-ca-from': 'ops/gizmo-webhook',
    });
    expect(m.crds[0]?.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1'],
        clientConfig: { service: { namespace: 'ops', name: 'gizmo-webhook', path: '/convert' } },
      },
    });
  });

  it('renders the URL form with the caBundle for local development, and refuses plain http', () => {
    const m = server().manifests({ url: 'https://127.0.0.1:9443', caBundle: 'Q0E=' });
    expect(m.validating?.webhooks?.[0]?.clientConfig).toEqual({
      url: 'https://127.0.0.1:9443/validate/validate.gizmos.example.com',
      caBundle: 'Q0E=',
    });
    expect(m.crds[0]?.spec.conversion?.webhook?.clientConfig).toEqual({
      url: 'https://127.0.0.1:9443/convert',
      caBundle: 'Q0E=',
    });
    expect(() => clientConfigFor({ url: 'http://127.0.0.1:9443' }, '/x')).toThrow(
      'webhook url http://127.0.0.1:9443 must use https: the API server calls webhooks over TLS only',
    );
  });

  it('leaves out a configuration without handlers of its kind', () => {
    const m = new WebhookServer({ logger: pino({ level: 'silent' }) }).conversion(Gizmo).manifests({
      url: 'https://localhost:1',
    });
    expect(m.validating).toBeUndefined();
    expect(m.mutating).toBeUndefined();
    expect(m.crds[0]?.metadata?.name).toBe('gizmos.example.com');
  });
});
