/**
 * Differential: the pod spec fields whose feature gates are off in kube-apiserver v1.36.3
 * are dropped from Pods and workload templates: `lifecycle.stopSignal`
 * (ContainerStopSignals) and the `clusterTrustBundle` and `podCertificate` projections.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { holderPath, POD, type SpecHolder, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-gated');
});

afterAll(async () => {
  await e2e?.stop();
});

const preStop = { exec: { command: ['x'] } };
const spec = {
  containers: [
    { name: 'a', image: 'i', lifecycle: { stopSignal: 'SIGTERM' } },
    { name: 'b', image: 'i', lifecycle: { stopSignal: 'SIGUSR1', preStop } },
  ],
  volumes: [
    {
      name: 'certs',
      projected: {
        sources: [
          { clusterTrustBundle: { name: 'bundle', path: 'ca.pem' } },
          {
            podCertificate: {
              signerName: 'example.com/signer',
              keyType: 'ED25519',
              credentialBundlePath: 'creds.pem',
            },
          },
          { configMap: { name: 'cm' } },
        ],
      },
    },
  ],
};

/** The pod spec of a stored object of `holder`. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
function podSpecOf(holder: SpecHolder, obj: any) {
  if (holder === POD) return obj.spec;
  if (holder.plural === 'cronjobs') return obj.spec.jobTemplate.spec.template.spec;
  return obj.spec.template.spec;
}

describe('gated pod fields', () => {
  test.each([POD, ...WORKLOADS].map((h) => [h.plural, h] as const))(
    '%s: stop signals and gated projections are dropped',
    async (_, holder) => {
      const res = await raw(e2e.backend.kubeConfig, 'POST', holderPath(holder, ns), {
        body: holder.body(`gated-${holder.plural}`, spec),
      });
      expect(res.status, res.text).toBe(201);
      const stored = podSpecOf(holder, res.json());
      expect(stored.containers[0].lifecycle).toBeUndefined();
      expect(stored.containers[1].lifecycle).toEqual({ preStop });
      expect(stored.volumes[0].projected.sources).toEqual([{}, {}, { configMap: { name: 'cm' } }]);
    },
  );
});
