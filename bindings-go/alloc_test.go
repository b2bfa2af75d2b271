//go:build !race

package userhash_test

// Issue 17: a sign makes one cgo call and allocates nothing but its result
// (the walker's buffers are pooled, hashes and errors use stack buffers).
// Counted with testing.AllocsPerRun: an allocation count, not a timing; not
// under -race, whose sync.Pool drops items on purpose (make test-go runs it
// without).

import (
	"encoding/json"
	"testing"

	"userhash.dev/userhash"
)

// Visitor is how an application may hold a FluentBot visitor.
type Visitor struct {
	Name  string         `json:"name"`
	Email string         `json:"email"`
	Data  map[string]any `json:"data"`
}

func TestSignAllocatesOnlyItsResult(t *testing.T) {
	ensoras, fb := signer(t, "ensoras"), signer(t, "fluentbot")
	data := map[string]any{"plan": "pro", "seats": 42, "mrr": 1299.5, "trial": false, "tags": []any{"vip", "beta"}}
	visitor := map[string]any{"name": "Ann", "email": "ann@example.com", "data": data}
	var email any = "Alice@Example.COM"
	var raw any = json.RawMessage(`{"name":"Ann","data":{"plan":"pro"}}`)
	var structured any = &Visitor{"Ann", "ann@example.com", data}
	text := []byte(`{"visitor":{"name":"Ann"}}`)
	for _, c := range []struct {
		name string
		sign func() (string, error)
	}{
		{"email", func() (string, error) { return ensoras.Sign(userhash.Input{Email: email}) }},
		{"visitor map", func() (string, error) { return fb.Sign(userhash.Input{Visitor: visitor}) }},
		{"visitor struct", func() (string, error) { return fb.Sign(userhash.Input{Visitor: structured}) }},
		{"visitor JSON text", func() (string, error) { return fb.Sign(userhash.Input{Visitor: raw}) }},
		{"SignJSON", func() (string, error) { return fb.SignJSON(text) }},
	} {
		if _, err := c.sign(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n := testing.AllocsPerRun(200, func() { c.sign() }); n > 1 {
			t.Errorf("%s: %v allocations per sign, want 1 (the hash)", c.name, n)
		}
	}
}
