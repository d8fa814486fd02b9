/**
 * The Kubernetes version that `test-e2e/controlplane/build-binaries.sh` builds (the
 * `k8s.io/kubernetes` version in `test-e2e/controlplane/go.mod`, checked by a test). The
 * binary cache is `~/.cache/kube-ts/k8s/<KUBERNETES_VERSION>/`.
 */
export const KUBERNETES_VERSION = 'v1.36.3';

/** The command that builds the binaries into the cache, run from the kube-ts repository root. */
export const BUILD_BINARIES_COMMAND = 'bash test-e2e/controlplane/build-binaries.sh';

/**
 * The kwok version that the build script installs into `~/.cache/kube-ts/kwok/<KWOK_VERSION>/`
 * (with kwok's node and pod stages beside it), for `ControlPlane.start({ nodes })`.
 */
export const KWOK_VERSION = 'v0.8.0';
