#!/usr/bin/env bash
# Builds clientgo-script (main.go, a client-go typed-clientset script for the e2e suite)
# into ~/.cache/kube-ts/clientgo/<hash of the sources>/ and prints the binary's path.
# Idempotent: an existing build of the same sources is reused; concurrent runs wait for
# each other (a lock file). Needs Go and, on the first run, the Go module proxy. The build
# runs under `nice -n 10` (it shares the machine with the tests).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
command -v go >/dev/null 2>&1 || {
  echo "clientgo/build.sh: 'go' is not on PATH; install Go $(sed -n 's/^go //p' go.mod) or newer" >&2
  exit 1
}
hash="$(cat go.mod go.sum main.go | sha256sum | cut -c1-16)"
cache_root="${HOME}/.cache/kube-ts/clientgo"
out="${cache_root}/${hash}/clientgo-script"
if [[ -x "$out" ]]; then
  echo "$out"
  exit 0
fi
mkdir -p "$cache_root"
exec 9>"${cache_root}/.build.lock"
flock 9
if [[ ! -x "$out" ]]; then
  tmp="$(mktemp -d "${cache_root}/.build-${hash}.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  CGO_ENABLED=0 nice -n 10 go build -trimpath -o "${tmp}/clientgo-script" . >&2
  mkdir -p "$(dirname "$out")"
  mv "${tmp}/clientgo-script" "$out"
fi
echo "$out"
