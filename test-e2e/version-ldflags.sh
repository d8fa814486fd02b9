# Sourced by controlplane/build-binaries.sh and conformance/build-binaries.sh.
#
# kube_version_ldflags <k8s-version> prints the Go -ldflags that make a binary built from
# the module proxy report its real Kubernetes version (from /version and --version)
# instead of v0.0.0, the way Kubernetes' own build (hack/lib/version.sh) sets it. The
# module proxy does not carry the git commit, so gitCommit stays empty.
kube_version_ldflags() {
  local version="$1" major minor build_date pkg flags="-s -w"
  minor="${version#v}"
  major="${minor%%.*}"
  minor="${minor#*.}"
  minor="${minor%%.*}"
  build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X ${pkg}.gitVersion=${version}"
    flags+=" -X ${pkg}.gitMajor=${major}"
    flags+=" -X ${pkg}.gitMinor=${minor}"
    flags+=" -X ${pkg}.gitCommit="
    flags+=" -X ${pkg}.gitTreeState=clean"
    flags+=" -X ${pkg}.buildDate=${build_date}"
  done
  echo "$flags"
}
