#!/usr/bin/env bash
# make test-dist-go: install the Go module from dist/goproxy as a user would, in a
# scratch module outside the repository, with a module cache of its own (so the
# module can only come from that proxy): go get, build, sign (checked against
# crypto/hmac), then go mod vendor and go build -mod=vendor; the module and its
# vendored copy must carry LICENSE-MIT and LICENSE-APACHE.
#
#   test-dist.sh <GOPROXY directory> <module path> <version>
set -euo pipefail
proxy=$1 module=$2 version=$3
go=${GO:-go}
scratch=$(mktemp -d)
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
export GOMODCACHE=$scratch/modcache GOPROXY=file://$proxy GONOSUMDB=$module GOFLAGS=-mod=mod GOTOOLCHAIN=local
mkdir "$scratch/app" && cd "$scratch/app"
$go mod init example.com/app >/dev/null 2>&1
cat > main.go <<'EOF'
// A user's program: signs with the module from the proxy and checks the
// hashes against the vendors' own rules written with crypto/hmac.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"userhash.dev/userhash"
)

const secret = "s3cr3t-widget-secret"

func mac(msg []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

// Visitor is the application's FluentBot visitor.
type Visitor struct {
	Name  string         `json:"name"`
	Email string         `json:"email"`
	Data  map[string]any `json:"data"`
}

func sign(preset string, in userhash.Input) string {
	s, err := userhash.NewSigner(secret, preset)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	hash, err := s.Sign(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, preset, err)
		os.Exit(1)
	}
	return hash
}

func main() {
	v := Visitor{"Ann", "ann@example.com", map[string]any{"plan": "pro"}}
	payload, _ := json.Marshal(v) // JSON.stringify({name, email, data}) for these ASCII values
	for _, c := range []struct{ name, got, want string }{
		{"ensoras (email.toLowerCase())", sign("ensoras", userhash.Input{Email: "Alice@Example.COM"}), mac([]byte(strings.ToLower("Alice@Example.COM")))},
		{"inviaro (the user id as is)", sign("inviaro", userhash.Input{UserID: "usr_42"}), mac([]byte("usr_42"))},
		{"fluentbot (JSON.stringify)", sign("fluentbot", userhash.Input{Visitor: v}), mac(payload)},
	} {
		if c.got != c.want {
			fmt.Fprintf(os.Stderr, "%s: userhash %s, crypto/hmac %s\n", c.name, c.got, c.want)
			os.Exit(1)
		}
	}
	fmt.Println("userhash", userhash.Version(), "from the module proxy: 3 hashes match crypto/hmac")
}
EOF
$go get "$module@$version"
grep -q "^require $module $version" go.mod || { echo "go.mod does not require $module $version:"; cat go.mod; exit 1; }
$go build -o app . && ./app
dir=$($go list -m -f '{{.Dir}}' "$module")
for f in LICENSE-MIT LICENSE-APACHE; do
  test -s "$dir/$f" || { echo "the module ($dir) has no $f"; exit 1; }
done
$go mod vendor
test -f "vendor/$module/libuserhash_linux_amd64.a" -a -f "vendor/$module/userhash.h" || { echo "go mod vendor left out the library"; exit 1; }
test -s "vendor/$module/LICENSE-MIT" -a -s "vendor/$module/LICENSE-APACHE" || { echo "go mod vendor left out the license files"; exit 1; }
rm -f app && $go build -mod=vendor -o app . && ./app
echo "test-dist-go: go get, build, sign, go mod vendor, go build -mod=vendor: ok"
