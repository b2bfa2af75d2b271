package userhash

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"testing"
)

// errors_generated.go is what cmd/userhash-errors makes of the header today,
// and every error code of the library has its sentinel.
func TestSentinelsMatchHeader(t *testing.T) {
	want, err := exec.Command("go", "run", "./cmd/userhash-errors", "-o", "-").Output()
	if err != nil {
		t.Fatalf("go run ./cmd/userhash-errors: %v", err)
	}
	have, err := os.ReadFile("errors_generated.go")
	if err != nil || !bytes.Equal(have, want) {
		t.Fatalf("errors_generated.go is stale (run go generate in bindings-go):\n%s", want)
	}
	var codes []string
	for _, s := range sentinels {
		codes = append(codes, s.Code)
		if s.Item != -1 || s.Message != "" || s.Path != "" {
			t.Errorf("sentinel %#v", s)
		}
	}
	for _, code := range ErrorCodes() {
		if !slices.Contains(codes, code) {
			t.Errorf("the library's code %q has no sentinel", code)
		}
	}
	if len(codes) != len(ErrorCodes())+2 || !slices.Contains(codes, "null_argument") || !slices.Contains(codes, "panic") {
		t.Errorf("sentinels %v, library codes %v (+ the C ABI's null_argument and panic)", codes, ErrorCodes())
	}
}

// Input's fast path reads its fields in the order of inputNames.
func TestInputNames(t *testing.T) {
	if inputNames != [4]string{"email", "user_id", "external_id", "visitor"} {
		t.Errorf("inputNames = %v", inputNames)
	}
	for _, name := range inputNames {
		if !slices.Contains(Fields(), name) {
			t.Errorf("Input field %q is not a field of the library (%v)", name, Fields())
		}
	}
}
