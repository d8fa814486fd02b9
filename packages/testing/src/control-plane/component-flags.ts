import { join } from 'node:path';
import type { CertificateFiles } from './certificates.js';
import { LOOPBACK } from './ports.js';

/** Where etcd listens and keeps its data. */
export interface EtcdLayout {
  /** Client port on 127.0.0.1. */
  readonly port: number;
  /** Data directory (created by etcd). */
  readonly dataDir: string;
}

/**
 * etcd flags for a throw-away single-member cluster on loopback: plain HTTP clients, a peer
 * listener on an OS-chosen port (never used by a single member), and no fsync, since test
 * data need not survive a crash.
 */
export function etcdFlags(layout: EtcdLayout): string[] {
  const client = `http://${LOOPBACK}:${layout.port}`;
  return [
    '--name=default',
    `--data-dir=${layout.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=http://${LOOPBACK}:0`,
    '--unsafe-no-fsync=true',
  ];
}

/** What kube-apiserver is wired to. */
export interface ApiServerLayout {
  /** Secure port on 127.0.0.1. */
  readonly port: number;
  /** etcd client URL. */
  readonly etcdUrl: string;
  /** Certificates and keys. */
  readonly certs: CertificateFiles;
  /** Scratch directory for anything else kube-apiserver writes. */
  readonly certDir: string;
}

/** Admission plugins switched off: each needs a controller or objects a test cluster lacks. */
export const DISABLED_ADMISSION_PLUGINS: readonly string[] = [
  // Needs the `default` ServiceAccount, which only kube-controller-manager creates; with it
  // on, creating a Pod in a fresh namespace fails (controller-runtime's envtest does the same).
  'ServiceAccount',
];

/**
 * kube-apiserver flags, chosen like controller-runtime's envtest: secure serving on
 * 127.0.0.1 only, client certificates signed by the test CA, RBAC authorization,
 * privileged pods allowed, a small service IP range, service-account tokens signed with
 * the generated key, {@link DISABLED_ADMISSION_PLUGINS} off, and no endpoint reconciler
 * (a loopback address is not a valid endpoint of the `kubernetes` Service). `extra` flags
 * come last and so override these.
 */
export function apiServerFlags(layout: ApiServerLayout, extra: readonly string[] = []): string[] {
  const { certs } = layout;
  return [
    `--etcd-servers=${layout.etcdUrl}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    `--secure-port=${layout.port}`,
    `--cert-dir=${layout.certDir}`,
    `--tls-cert-file=${certs.servingCert}`,
    `--tls-private-key-file=${certs.servingKey}`,
    `--client-ca-file=${certs.caCert}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://${LOOPBACK}:${layout.port}`,
    `--service-account-key-file=${certs.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${certs.serviceAccountKey}`,
    `--disable-admission-plugins=${DISABLED_ADMISSION_PLUGINS.join(',')}`,
    '--endpoint-reconciler-type=none',
    ...extra,
  ];
}

/** What kube-controller-manager or kube-scheduler is wired to. */
export interface ComponentLayout {
  /** Secure (health) port on 127.0.0.1. */
  readonly port: number;
  /** Admin kubeconfig file. */
  readonly kubeconfigPath: string;
  /** Certificates and keys. */
  readonly certs: CertificateFiles;
  /** Scratch directory. */
  readonly workDir: string;
}

/**
 * What kube-controller-manager and kube-scheduler share: the admin user for the API and
 * for delegated authentication/authorization, no leader election, and their health
 * endpoint on 127.0.0.1 with the API server's certificate.
 */
function componentFlags(layout: ComponentLayout): string[] {
  const { certs } = layout;
  return [
    `--kubeconfig=${layout.kubeconfigPath}`,
    `--authentication-kubeconfig=${layout.kubeconfigPath}`,
    `--authorization-kubeconfig=${layout.kubeconfigPath}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${layout.port}`,
    `--cert-dir=${join(layout.workDir, 'certs')}`,
    `--tls-cert-file=${certs.servingCert}`,
    `--tls-private-key-file=${certs.servingKey}`,
    '--leader-elect=false',
  ];
}

/**
 * kube-controller-manager flags: all default controllers (garbage collector, namespace
 * deletion, service-account tokens, …) as the admin user (see {@link componentFlags}),
 * signing service-account tokens and CSRs with the test keys.
 */
export function controllerManagerFlags(layout: ComponentLayout): string[] {
  const { certs } = layout;
  return [
    ...componentFlags(layout),
    `--service-account-private-key-file=${certs.serviceAccountKey}`,
    `--root-ca-file=${certs.caCert}`,
    `--cluster-signing-cert-file=${certs.caCert}`,
    `--cluster-signing-key-file=${certs.caKey}`,
  ];
}

/** kube-scheduler flags: the default scheduling profile, as the admin user (see {@link componentFlags}). */
export function schedulerFlags(layout: ComponentLayout): string[] {
  return componentFlags(layout);
}

/** The annotation (`key=value`) that marks the Nodes kwok manages. */
export const KWOK_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

/** The range kwok gives pod IPs from (apart from the service range 10.0.0.0/24). */
export const POD_CIDR = '10.244.0.0/16';

/** What kwok is wired to. */
export interface KwokLayout {
  /** Port of its fake kubelet (logs, exec, attach, port-forward, health) on 127.0.0.1. */
  readonly port: number;
  /** Admin kubeconfig file. */
  readonly kubeconfigPath: string;
  /** Its configuration file (stages and the ClusterExec/… objects). */
  readonly configPath: string;
  /** Certificates and keys. */
  readonly certs: CertificateFiles;
}

/**
 * kwok flags: manage the Nodes annotated {@link KWOK_NODE_ANNOTATION} (and their Pods),
 * each with InternalIP 127.0.0.1 and its kubelet endpoint at kwok's own HTTPS server (the
 * API server's certificate, valid for 127.0.0.1), node leases of 40 s (so
 * kube-controller-manager's node lifecycle controller keeps them Ready), pod IPs from
 * {@link POD_CIDR}.
 */
export function kwokFlags(layout: KwokLayout): string[] {
  const { certs } = layout;
  return [
    `--kubeconfig=${layout.kubeconfigPath}`,
    `--config=${layout.configPath}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    `--server-address=${LOOPBACK}:${layout.port}`,
    `--node-ip=${LOOPBACK}`,
    `--node-port=${layout.port}`,
    `--tls-cert-file=${certs.servingCert}`,
    `--tls-private-key-file=${certs.servingKey}`,
    '--node-lease-duration-seconds=40',
    `--cidr=${POD_CIDR}`,
  ];
}

/**
 * The kube-apiserver flags that let it reach kwok's fake kubelet for logs, exec, attach
 * and port-forward: by the Node's InternalIP (the default order tries the host name
 * first, which does not resolve), verifying its certificate with the test CA and
 * presenting the admin client certificate.
 */
export function kubeletClientFlags(certs: CertificateFiles): string[] {
  return [
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-certificate-authority=${certs.caCert}`,
    `--kubelet-client-certificate=${certs.adminCert}`,
    `--kubelet-client-key=${certs.adminKey}`,
  ];
}
