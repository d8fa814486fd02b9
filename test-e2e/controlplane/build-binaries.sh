#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from
# the Go module proxy into ~/.cache/kube-ts/k8s/<k8s-version>/, and kwok (the fake nodes
# of `ControlPlane.start({ nodes })`) into ~/.cache/kube-ts/kwok/<kwok-version>/, the
# caches that @kube-ts/testing's ControlPlane looks in. Idempotent: a binary already in
# the cache is not built again (all of Kubernetes is, when the cached kube-apiserver
# reports another version), so a warm run does nothing, and a cache made before a binary
# was added here builds only that one. Needs Go (see go.mod for the minimum version) and
# network access to the Go module proxy on the first run only.
#
# Usage: test-e2e/controlplane/build-binaries.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# shellcheck source=../version-ldflags.sh
source ../version-ldflags.sh

command -v go >/dev/null 2>&1 || {
  echo "build-binaries.sh: 'go' is not on PATH; install Go $(sed -n 's/^go //p' go.mod) or newer" >&2
  exit 1
}

# The pinned versions come from go.mod, the single source of truth; kwok is installed
# with its own go.mod (its tested dependency versions), so its version is pinned here
# (also KWOK_VERSION in packages/testing/src/control-plane/version.ts; a test checks
# they agree).
k8s_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd_version="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
kwok_version=v0.8.0
cache_root="${HOME}/.cache/kube-ts/k8s"
out="${cache_root}/${k8s_version}"
kwok_root="${HOME}/.cache/kube-ts/kwok"
kwok_out="${kwok_root}/${kwok_version}"
bins=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

# The Kubernetes binaries not yet in the cache, space-separated (all of them when the
# cached kube-apiserver is of another version).
missing_bins() {
  if [[ "$("${out}/kube-apiserver" --version 2>/dev/null)" != "Kubernetes ${k8s_version}" ]]; then
    echo "${bins[*]}"
    return
  fi
  local b missing=()
  for b in "${bins[@]}"; do
    [[ -x "${out}/${b}" ]] || missing+=("$b")
  done
  echo "${missing[*]}"
}

build_kubernetes() {
  local missing
  missing="$(missing_bins)"
  if [[ -z "$missing" ]]; then
    echo "build-binaries.sh: ${out} already holds Kubernetes ${k8s_version} binaries; nothing to do"
    return
  fi
  mkdir -p "$cache_root"
  # One build at a time per machine; a second caller waits, then finds the result.
  exec 9>"${cache_root}/.build.lock"
  flock 9
  missing="$(missing_bins)"
  if [[ -z "$missing" ]]; then
    echo "build-binaries.sh: ${out} was built by a concurrent run; nothing to do"
    exec 9>&-
    return
  fi

  local ldflags
  ldflags="$(kube_version_ldflags "$k8s_version")"

  local packages=() b
  for b in $missing; do
    if [[ "$b" == etcd ]]; then packages+=(./cmd/etcd); else packages+=("k8s.io/kubernetes/cmd/${b}"); fi
  done

  # Build into a scratch directory and move the binaries into place at the end, so an
  # interrupted build never leaves a half-written binary in the cache.
  tmp="$(mktemp -d "${cache_root}/.build-${k8s_version}.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "build-binaries.sh: building ${missing} (Kubernetes ${k8s_version}, etcd ${etcd_version}) into ${out} (the first build takes a long time)"
  local start
  start=$(date +%s)
  CGO_ENABLED=0 go build -trimpath -ldflags="${ldflags}" -o "${tmp}/" "${packages[@]}"

  # A full build replaces the directory (binaries of another version go); otherwise the
  # new binaries join those already there.
  if [[ "$missing" == "${bins[*]}" ]]; then rm -rf "$out"; fi
  mkdir -p "$out"
  chmod 755 "$out"
  for b in $missing; do mv "${tmp}/${b}" "${out}/${b}"; done
  rm -rf "$tmp"
  trap - EXIT
  echo "build-binaries.sh: built ${missing} in $(($(date +%s) - start))s:"
  ls -l "$out"
  "${out}/kube-apiserver" --version
  exec 9>&-
}

# kwok's fast node and pod stages (what a Node and a Pod go through: Ready at once,
# heartbeats with a node lease, Job pods Succeeded, deleted pods removed), which the kwok
# binary does not embed (kwokctl writes them into its config); they come from the same
# module version and are copied beside the binary, where ControlPlane reads them.
kwok_stages=(
  kustomize/stage/node/fast/node-initialize.yaml
  kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  kustomize/stage/pod/fast/pod-ready.yaml
  kustomize/stage/pod/fast/pod-complete.yaml
  kustomize/stage/pod/fast/pod-delete.yaml
)

kwok_complete() {
  [[ -x "${kwok_out}/kwok" ]] && [[ -d "${kwok_out}/stages" ]] &&
    "${kwok_out}/kwok" --version 2>/dev/null | grep -qF "${kwok_version}"
}

build_kwok() {
  if kwok_complete; then
    echo "build-binaries.sh: ${kwok_out} already holds kwok ${kwok_version}; nothing to do"
    return
  fi
  mkdir -p "$kwok_root"
  exec 8>"${kwok_root}/.build.lock"
  flock 8
  if kwok_complete; then
    echo "build-binaries.sh: ${kwok_out} was built by a concurrent run; nothing to do"
    exec 8>&-
    return
  fi
  echo "build-binaries.sh: building kwok ${kwok_version} into ${kwok_out}"
  local start ktmp module s
  start=$(date +%s)
  ktmp="$(mktemp -d "${kwok_root}/.build-${kwok_version}.XXXXXX")"
  trap 'rm -rf "$ktmp"' EXIT
  GOBIN="$ktmp" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@${kwok_version}"
  module="$(go env GOMODCACHE)/sigs.k8s.io/kwok@${kwok_version}"
  mkdir -p "${ktmp}/stages"
  for s in "${kwok_stages[@]}"; do cp "${module}/${s}" "${ktmp}/stages/"; done
  chmod -R u+w,go+rX "$ktmp"
  rm -rf "$kwok_out"
  mv "$ktmp" "$kwok_out"
  trap - EXIT
  echo "build-binaries.sh: built kwok in $(($(date +%s) - start))s"
  "${kwok_out}/kwok" --version
  exec 8>&-
}

build_kubernetes
build_kwok
