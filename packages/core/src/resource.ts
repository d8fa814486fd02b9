// The descriptor types live in @kube-ts/k8s beside the generated descriptors (one per
// built-in kind); core re-exports them so custom resources use the same ones.
export type { ApiResource, GroupVersionKind } from '@kube-ts/k8s';
