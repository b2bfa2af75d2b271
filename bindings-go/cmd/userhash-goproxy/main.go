// Command userhash-goproxy writes one version of a module in the GOPROXY
// layout (https://go.dev/ref/mod#goproxy-protocol), so that `go get` can
// fetch it with GOPROXY=file://<out>:
//
//	go run . -dir build/dist/go/module -version v0.1.0 -out dist/goproxy
//
// writes <out>/<module path>/@v/{list,v0.1.0.info,v0.1.0.mod,v0.1.0.zip}. The
// module path is read from <dir>/go.mod; the zip is made and then checked by
// golang.org/x/mod/zip (the go command's own rules). SOURCE_DATE_EPOCH, when
// set, is the version's time in .info.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

func main() {
	dir := flag.String("dir", "", "the module's directory (with its go.mod)")
	version := flag.String("version", "", "the version to publish, e.g. v0.1.0")
	out := flag.String("out", "", "the GOPROXY directory to write into")
	flag.Parse()
	if err := run(*dir, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "userhash-goproxy:", err)
		os.Exit(1)
	}
}

func run(dir, version, out string) error {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	mv := module.Version{Path: modfile.ModulePath(gomod), Version: version}
	if err := module.Check(mv.Path, mv.Version); err != nil {
		return err
	}
	escPath, err := module.EscapePath(mv.Path)
	if err != nil {
		return err
	}
	escVersion, err := module.EscapeVersion(mv.Version)
	if err != nil {
		return err
	}
	at := filepath.Join(out, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return err
	}
	zipPath := filepath.Join(at, escVersion+".zip")
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	if err := zip.CreateFromDir(f, mv, dir); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := zip.CheckZip(mv, zipPath); err != nil {
		return err
	}
	when := time.Now().UTC()
	if epoch, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		when = time.Unix(epoch, 0).UTC()
	}
	info, _ := json.Marshal(map[string]any{"Version": mv.Version, "Time": when.Format(time.RFC3339)})
	if err := os.WriteFile(filepath.Join(at, escVersion+".info"), info, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(at, escVersion+".mod"), gomod, 0o644); err != nil {
		return err
	}
	// list: every version published here, this one included.
	old, _ := os.ReadFile(filepath.Join(at, "list"))
	versions := strings.Fields(string(old))
	if !slices.Contains(versions, mv.Version) {
		versions = append(versions, mv.Version)
	}
	semver.Sort(versions)
	return os.WriteFile(filepath.Join(at, "list"), []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}
