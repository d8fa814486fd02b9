#!/usr/bin/env bash
# Builds the Kubernetes e2e test binary (e2e.test) and the ginkgo runner from
# the Go module proxy into ~/.cache/kube-ts/conformance/<k8s-version>/, where
# `npm run conformance` looks for them. Idempotent: when both binaries are
# there it does nothing. One build at a time per machine (flock); a second
# caller waits, then finds the result. Needs Go (see go.mod) and the module
# proxy on the first run only. The build runs under `nice` so that it does not
# starve the rest of the machine.
#
# Usage: test-e2e/conformance/build-binaries.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# shellcheck source=../version-ldflags.sh
source ../version-ldflags.sh

command -v go >/dev/null 2>&1 || {
  echo "build-binaries.sh: 'go' is not on PATH; install Go $(sed -n 's/^go //p' go.mod) or newer" >&2
  exit 1
}

# The pinned versions come from go.mod, the single source of truth.
k8s_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
cache_root="${HOME}/.cache/kube-ts/conformance"
out="${cache_root}/${k8s_version}"

is_complete() {
  [[ -x "${out}/e2e.test" && -x "${out}/ginkgo" ]]
}

if is_complete; then
  echo "build-binaries.sh: ${out} already holds e2e.test and ginkgo for Kubernetes ${k8s_version}; nothing to do"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"${cache_root}/.build.lock"
flock 9
if is_complete; then
  echo "build-binaries.sh: ${out} was built by a concurrent run; nothing to do"
  exit 0
fi

# e2e.test reports the Kubernetes version it was built from.
ldflags="$(kube_version_ldflags "$k8s_version")"

# Build into a scratch directory and move into place at the end, so an
# interrupted build never leaves a half-filled cache directory behind.
tmp="$(mktemp -d "${cache_root}/.build-${k8s_version}.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "build-binaries.sh: building e2e.test and ginkgo for Kubernetes ${k8s_version} into ${out} (the first build takes a long time)"
start=$(date +%s)
export CGO_ENABLED=0
nice -n 10 go build -trimpath -o "${tmp}/ginkgo" github.com/onsi/ginkgo/v2/ginkgo
nice -n 10 go test -c -trimpath -ldflags="${ldflags}" -o "${tmp}/e2e.test" k8s.io/kubernetes/test/e2e

rm -rf "$out"
mv "$tmp" "$out"
chmod 755 "$out"
trap - EXIT
echo "build-binaries.sh: built in $(($(date +%s) - start))s:"
ls -l "$out"
