#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and kubectl from the Go module
# proxy into ~/.cache/kube-ts/k8s/<k8s-version>/, the cache that
# @kube-ts/testing's ControlPlane looks in. Idempotent: when all four
# binaries are already there and kube-apiserver reports the pinned version,
# it does nothing. Needs Go (see go.mod for the minimum version) and network
# access to the Go module proxy on the first run only.
#
# Usage: test-e2e/controlplane/build-binaries.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v go >/dev/null 2>&1 || {
  echo "build-binaries.sh: 'go' is not on PATH; install Go $(sed -n 's/^go //p' go.mod) or newer" >&2
  exit 1
}

# The pinned versions come from go.mod, the single source of truth.
k8s_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd_version="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
cache_root="${HOME}/.cache/kube-ts/k8s"
out="${cache_root}/${k8s_version}"
bins=(etcd kube-apiserver kube-controller-manager kubectl)

is_complete() {
  local b
  for b in "${bins[@]}"; do
    [[ -x "${out}/${b}" ]] || return 1
  done
  [[ "$("${out}/kube-apiserver" --version 2>/dev/null)" == "Kubernetes ${k8s_version}" ]]
}

if is_complete; then
  echo "build-binaries.sh: ${out} already holds Kubernetes ${k8s_version} binaries; nothing to do"
  exit 0
fi

mkdir -p "$cache_root"
# One build at a time per machine; a second caller waits, then finds the result.
exec 9>"${cache_root}/.build.lock"
flock 9
if is_complete; then
  echo "build-binaries.sh: ${out} was built by a concurrent run; nothing to do"
  exit 0
fi

# Report the real version from /version and --version instead of v0.0.0,
# the way Kubernetes' own build (hack/lib/version.sh) does. The module proxy
# does not carry the git commit, so gitCommit stays empty.
minor="${k8s_version#v}"
major="${minor%%.*}"
minor="${minor#*.}"
minor="${minor%%.*}"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=${k8s_version}"
  ldflags+=" -X ${pkg}.gitMajor=${major}"
  ldflags+=" -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitCommit="
  ldflags+=" -X ${pkg}.gitTreeState=clean"
  ldflags+=" -X ${pkg}.buildDate=${build_date}"
done

# Build into a scratch directory and move into place at the end, so an
# interrupted build never leaves a half-filled cache directory behind.
tmp="$(mktemp -d "${cache_root}/.build-${k8s_version}.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "build-binaries.sh: building Kubernetes ${k8s_version} and etcd ${etcd_version} into ${out} (the first build takes a long time)"
start=$(date +%s)
CGO_ENABLED=0 go build -trimpath -ldflags="${ldflags}" -o "${tmp}/" \
  ./cmd/etcd \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl

rm -rf "$out"
mv "$tmp" "$out"
chmod 755 "$out"
trap - EXIT
echo "build-binaries.sh: built in $(($(date +%s) - start))s:"
ls -l "$out"
"${out}/kube-apiserver" --version
