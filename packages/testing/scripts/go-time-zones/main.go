// Generates src/memory/builtins/go-time-zones.json: the zone names of Go's own time zone
// database, sorted. kube-apiserver links it in (`time/tzdata`, for CronJob time zones), so
// `time.LoadLocation` finds these names even on a machine without /usr/share/zoneinfo.
// time/tzdata is generated from $GOROOT/lib/time/zoneinfo.zip, which is read here.
//
// Usage (needs the Go that builds the pinned Kubernetes version):
//
//	cd packages/testing/scripts/go-time-zones && go run .
package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

func main() {
	archive, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	must(err)
	defer archive.Close()
	names := make([]string, 0, len(archive.File))
	for _, f := range archive.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	out, err := json.MarshalIndent(names, "", "  ")
	must(err)
	must(os.WriteFile("../../src/memory/builtins/go-time-zones.json", append(out, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
