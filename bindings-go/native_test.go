package userhash_test

// The shared native-value table (tests/native-values/cases.json, from
// table.json and the vendors' own snippets): every row naming "go" is built
// from its Go value and signed; ok rows must match the vector's hash and
// crypto/hmac over the canonical bytes, error rows the vector's code and path.

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"userhash.dev/userhash"
)

// hooked has its own MarshalJSON: userhash does not run it.
type hooked struct{}

func (hooked) MarshalJSON() ([]byte, error) { return []byte(`"hooked"`), nil }

// goValues builds the Go value of each row id naming "go" in table.json.
func goValues() map[string]func() any {
	return map[string]func() any{
		"plain-record": func() any {
			return struct {
				Plan   string   `json:"plan"`
				Seats  int      `json:"seats"`
				OK     bool     `json:"ok"`
				None   *string  `json:"none"`
				Tags   []string `json:"tags"`
				hidden int
			}{Plan: "pro", Seats: 3, OK: true, Tags: []string{"a", "b"}}
		},
		"tuple":               func() any { return [2]any{1, "two"} },
		"map-non-string-key":  func() any { return map[int]string{1: "a"} },
		"datetime":            func() any { return time.Date(2024, 3, 14, 9, 26, 53, 0, time.UTC) },
		"decimal":             func() any { return big.NewFloat(1.5) },
		"bigint-in-payload":   func() any { return new(big.Int).Lsh(big.NewInt(1), 70) },
		"int64-max":           func() any { return int64(math.MaxInt64) },
		"uint64-max":          func() any { return uint64(math.MaxUint64) },
		"nan":                 func() any { return math.NaN() },
		"infinity":            func() any { return math.Inf(-1) },
		"negative-zero":       func() any { return math.Copysign(0, -1) },
		"integral-float":      func() any { return float64(3) },
		"bytes":               func() any { return []byte("ab") },
		"invalid-utf8":        func() any { return "\xff" },
		"json-hook":           func() any { return hooked{} },
		"cycle":               func() any { m := map[string]any{}; m["self"] = m; return m },
		"bool-id":             func() any { return true },
		"integral-float-id":   func() any { return float64(42) },
		"fractional-float-id": func() any { return 42.5 },
		"big-integer-id":      func() any { return new(big.Int).Lsh(big.NewInt(1), 70) },
		"int64-id":            func() any { return int64(math.MaxInt64) },
		"datetime-id":         func() any { return time.Date(2024, 3, 14, 9, 26, 53, 0, time.UTC) },
	}
}

func TestNativeValueTable(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "tests", "native-values", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Secret string
		Cases  []struct {
			ID, Carrier, Preset string
			Langs               []string
			Expect              struct{ Canonical, Hash, Error, Path *string }
		}
	}
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	builders, ran := goValues(), 0
	for _, c := range doc.Cases {
		if !slices.Contains(c.Langs, "go") {
			continue
		}
		ran++
		build, ok := builders[c.ID]
		if !ok {
			t.Errorf("%s: the table names go but this test has no Go value for it", c.ID)
			continue
		}
		s, err := userhash.NewSigner(doc.Secret, c.Preset)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		v := build()
		inputs := []userhash.Input{{UserID: v}, {Fields: map[string]any{"user_id": v}}}
		if c.Carrier == "visitor" {
			visitor := map[string]any{"name": "Ann", "data": map[string]any{"v": v}}
			inputs = []userhash.Input{{Visitor: visitor}, {Fields: map[string]any{"visitor": visitor}}}
		}
		for _, in := range inputs {
			hash, err := s.Sign(in)
			canonical, cerr := s.Canonical(in)
			if c.Expect.Error != nil {
				var e *userhash.Error
				if !errors.As(err, &e) || e.Code != *c.Expect.Error || e.Path != *c.Expect.Path || e.Item != -1 {
					t.Errorf("%s %+v: got %#v, want %s at %s", c.ID, in, err, *c.Expect.Error, *c.Expect.Path)
				}
				if !errors.Is(cerr, &userhash.Error{Code: *c.Expect.Error}) {
					t.Errorf("%s %+v: Canonical: %v", c.ID, in, cerr)
				}
				continue
			}
			if err != nil || cerr != nil {
				t.Errorf("%s %+v: %v / %v", c.ID, in, err, cerr)
				continue
			}
			if canonical != *c.Expect.Canonical || hash != *c.Expect.Hash || hash != stdlibHMAC(doc.Secret, canonical) {
				t.Errorf("%s %+v: canonical %q hash %s; want %q %s (crypto/hmac %s)", c.ID, in, canonical, hash,
					*c.Expect.Canonical, *c.Expect.Hash, stdlibHMAC(doc.Secret, canonical))
			}
		}
	}
	if ran < 20 {
		t.Errorf("only %d rows name go", ran)
	}
}
