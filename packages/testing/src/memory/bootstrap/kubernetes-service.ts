import type { JsonObject } from '../json.js';
import { timestamp } from '../state.js';
import type { Storage } from '../storage.js';

/**
 * Stores the `kubernetes` ServiceCIDR that kube-apiserver's default ServiceCIDR
 * controller makes from `--service-cluster-ip-range` (10.0.0.0/24, what `ControlPlane`
 * gives it), Ready as that controller reports it: the range Services take addresses from.
 */
export function storeDefaultServiceCidr(storage: Storage): void {
  const now = timestamp();
  const cidr: JsonObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'ServiceCIDR',
    metadata: {
      name: 'kubernetes',
      uid: crypto.randomUUID(),
      resourceVersion: String(storage.nextRv()),
      creationTimestamp: now,
    },
    spec: { cidrs: ['10.0.0.0/24'] },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: now,
          reason: '',
          message: 'Kubernetes default Service CIDR is ready',
        },
      ],
    },
  };
  storage.commit('servicecidrs.networking.k8s.io', 'kubernetes', '', cidr);
}

/**
 * Stores the `default/kubernetes` Service that kube-apiserver keeps for itself (clients
 * and the Kubernetes e2e framework look it up): ClusterIP `10.0.0.1`, port 443 `https`
 * to the server's own port. Nothing is stored when the `default` namespace is absent.
 */
export function storeKubernetesService(storage: Storage, port: number): void {
  if (!storage.get('namespaces', 'default')) return;
  const service: JsonObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: crypto.randomUUID(),
      resourceVersion: String(storage.nextRv()),
      creationTimestamp: timestamp(),
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.0.0.1',
      clusterIPs: ['10.0.0.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
    },
    status: { loadBalancer: {} },
  };
  storage.commit('services', 'default/kubernetes', 'default', service);
}
