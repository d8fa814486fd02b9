// The generator of src/memory/builtins/go-time-zones.json (see main.go); nothing here is built by npm.
module github.com/kube-ts/kube-ts/packages/testing/scripts/go-time-zones

go 1.26.0
