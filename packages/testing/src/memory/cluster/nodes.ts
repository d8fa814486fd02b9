/**
 * The Nodes of the simulated cluster: what a kubelet registers (well-known labels, a pod
 * CIDR, capacity, the four pressure/readiness conditions, an InternalIP and the kubelet
 * endpoint, node info) for `node-0`, `node-1`, …, untainted, so every Pod fits.
 */
import { KUBERNETES_VERSION } from '../../control-plane/version.js';
import type { JsonObject } from '../json.js';
import { timestamp } from '../state.js';

/** The name of the `index`th Node (the same names as ControlPlane's fake nodes). */
export function nodeName(index: number): string {
  return `node-${index}`;
}

/** The InternalIP of the `index`th Node. */
export function nodeIp(index: number): string {
  return `172.18.0.${index + 2}`;
}

/** The pod CIDR of the `index`th Node; its pods get the addresses in it. */
export function podCidr(index: number): string {
  return `10.244.${index}.0/24`;
}

const condition = (type: string, status: string, reason: string, message: string, now: string) => ({
  type,
  status,
  lastHeartbeatTime: now,
  lastTransitionTime: now,
  reason,
  message,
});

/** The Node object a kubelet registers as the `index`th node, Ready. */
export function nodeObject(index: number): JsonObject {
  const name = nodeName(index);
  const now = timestamp();
  const resources = { cpu: '4', 'ephemeral-storage': '100Gi', memory: '16Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: podCidr(index), podCIDRs: [podCidr(index)] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
          now,
        ),
        condition(
          'DiskPressure',
          'False',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
          now,
        ),
        condition(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
          now,
        ),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeIp(index) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '6.8.0',
        osImage: 'kube-ts MemoryApiServer',
        containerRuntimeVersion: 'memory://kube-ts',
        kubeletVersion: KUBERNETES_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
