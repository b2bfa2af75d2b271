package userhash_test

// Hardening: the shared bad-input matrix (tests/bad-inputs/cases.json) with
// native Go values, 1 000 000 signs with flat memory, concurrent use of one
// signer (run with -race), and a marker secret that never shows.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"userhash.dev/userhash"
)

type badCase struct {
	ID       string            `json:"id"`
	Preset   string            `json:"preset"`
	Secret   json.RawMessage   `json:"secret"`
	Previous []json.RawMessage `json:"previous"`
	Input    json.RawMessage   `json:"input"`
	Hash     string            `json:"hash"`
	Only     []string          `json:"only"`
	Expect   struct {
		Error     *string         `json:"error"`
		Canonical json.RawMessage `json:"canonical"`
		OK        bool            `json:"ok"`
		Verify    *bool           `json:"verify"`
	} `json:"expect"`
}

// errNoGoValue marks a value Go cannot hold natively (a lone UTF-16 surrogate).
var errNoGoValue = errors.New("no Go value")

// native builds the Go value for a decoded JSON value, expanding the markers:
// $bytes → a string with those bytes (invalid UTF-8 included), $float → a
// float64, $repeat/$array/$nest → the string/slice spelled out. Numbers are
// int64 when integral, float64 otherwise.
func native(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, nil
		}
		return x.Float64()
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			var err error
			if out[i], err = native(item); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if strings.HasPrefix(k, "$") {
					return marker(k, arg)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, item := range x {
			var err error
			if out[k], err = native(item); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil // string, bool, nil
}

func marker(name string, arg any) (any, error) {
	switch name {
	case "$bytes":
		b, err := hex.DecodeString(arg.(string))
		return string(b), err
	case "$float":
		switch arg.(string) {
		case "nan":
			return math.NaN(), nil
		case "inf":
			return math.Inf(1), nil
		case "-inf":
			return math.Inf(-1), nil
		}
	case "$repeat":
		m := arg.(map[string]any)
		n, _ := m["count"].(json.Number).Int64()
		return strings.Repeat(m["text"].(string), int(n)), nil
	case "$array":
		m := arg.(map[string]any)
		n, _ := m["count"].(json.Number).Int64()
		item, err := native(m["item"])
		if err != nil {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			out[i] = item
		}
		return out, nil
	case "$nest":
		n, _ := arg.(map[string]any)["depth"].(json.Number).Int64()
		var v any = int64(1)
		for i := int64(0); i < n; i++ {
			v = []any{v}
		}
		return v, nil
	case "$lone_surrogate":
		return nil, errNoGoValue
	}
	return nil, fmt.Errorf("unknown marker %s", name)
}

// toJSON writes a native value as JSON text for SignJSON (strings byte for
// byte, so invalid UTF-8 stays invalid); false when JSON has no form for it (NaN).
func toJSON(v any, b *bytes.Buffer) bool {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		switch {
		case math.IsNaN(x):
			return false
		case math.IsInf(x, 1):
			b.WriteString("1e999")
		case math.IsInf(x, -1):
			b.WriteString("-1e999")
		default:
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case string:
		b.WriteByte('"')
		for i := 0; i < len(x); i++ {
			switch c := x[i]; {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20:
				fmt.Fprintf(b, `\u%04x`, c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
	case []any:
		b.WriteByte('[')
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if !toJSON(item, b) {
				return false
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		first := true
		for k, item := range x {
			if !first {
				b.WriteByte(',')
			}
			first = false
			toJSON(k, b)
			b.WriteByte(':')
			if !toJSON(item, b) {
				return false
			}
		}
		b.WriteByte('}')
	}
	return true
}

// goInput builds the Input for the case's fields; ok is false when a field's
// value has no native Input form (a non-string email, a null, no field at
// all): those rows go through SignJSON, the JSON-text entry point.
func goInput(fields map[string]any) (userhash.Input, bool) {
	var in userhash.Input
	if len(fields) == 0 {
		return in, false
	}
	for k, v := range fields {
		if v == nil {
			return in, false // nil means "absent" in Input
		}
		switch k {
		case "email":
			s, ok := v.(string)
			if !ok || (s == "" && len(fields) > 1) {
				return in, false
			}
			in.Email = s
		case "user_id":
			in.UserID = v
		case "external_id":
			in.ExternalID = v
		case "visitor":
			in.Visitor = v
		default:
			return in, false
		}
	}
	return in, true
}

func decode(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func stdlibHMAC(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func TestBadInputMatrix(t *testing.T) {
	path := os.Getenv("USERHASH_BAD_INPUTS")
	if path == "" {
		path = filepath.Join("..", "tests", "bad-inputs", "cases.json")
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Cases []badCase }
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	var ran, viaJSON, skipped int
	for _, c := range doc.Cases {
		if len(c.Only) > 0 && !contains(c.Only, "go") {
			continue
		}
		ran++
		t.Run(c.ID, func(t *testing.T) {
			secretV, _ := native(decode(t, c.Secret))
			secret := secretV.(string)
			var opts []userhash.Option
			for _, p := range c.Previous {
				pv, _ := native(decode(t, p))
				opts = append(opts, userhash.WithPrevious(pv.(string)))
			}
			fieldsV, err := native(decode(t, c.Input))
			if err != nil {
				t.Fatalf("input: %v", err)
			}
			fields := fieldsV.(map[string]any)
			in, isNative := goInput(fields)
			var body bytes.Buffer
			hasJSON := toJSON(fields, &body)
			if !isNative {
				if !hasJSON {
					skipped++
					t.Skip("neither a native Input nor JSON text")
				}
				viaJSON++
			}
			// The calls of this row, natively or through the JSON text.
			sign := func(s *userhash.Signer) (string, error) {
				if isNative {
					return s.Sign(in)
				}
				return s.SignJSON(body.Bytes())
			}
			canonical := func(s *userhash.Signer) (string, error) {
				if isNative {
					return s.Canonical(in)
				}
				return s.CanonicalJSON(body.Bytes())
			}
			verify := func(s *userhash.Signer, h string) (bool, error) {
				if isNative {
					return s.Verify(h, in)
				}
				return s.VerifyJSON(h, body.Bytes())
			}
			noSecret := func(err error) {
				if err != nil && len(secret) >= 4 && strings.Contains(err.Error(), secret) {
					t.Errorf("error shows the secret: %v", err)
				}
			}
			wantCode := func(what string, err error) {
				t.Helper()
				var e *userhash.Error
				if !errors.As(err, &e) || e.Code != *c.Expect.Error || e.Message == "" {
					t.Errorf("%s: got %v, want %s", what, err, *c.Expect.Error)
				}
				noSecret(err)
			}

			s, err := userhash.NewSigner(secret, c.Preset, opts...)
			if code := c.Expect.Error; code != nil && (*code == "empty_secret" || *code == "unknown_preset") {
				if s != nil {
					t.Error("a signer despite the error")
				}
				wantCode("NewSigner", err)
				return
			}
			if err != nil {
				t.Fatalf("NewSigner: %v", err)
			}
			defer s.Close()

			// A single string id/email also goes through SignMany.
			var manyValue string
			var manyField string
			single := false
			if len(fields) == 1 {
				for k, v := range fields {
					if str, ok := v.(string); ok && k != "visitor" {
						manyValue, manyField, single = str, k, true
					}
				}
			}

			if c.Expect.Error != nil {
				h, err := sign(s)
				if h != "" {
					t.Errorf("a hash despite the error: %s", h)
				}
				wantCode("Sign", err)
				_, err = canonical(s)
				wantCode("Canonical", err)
				ok, err := verify(s, strings.Repeat("0", 64))
				if ok {
					t.Error("Verify true despite the error")
				}
				wantCode("Verify", err)
				if single {
					hs, err := s.SignMany([]string{manyValue}, manyField)
					if hs != nil {
						t.Error("SignMany returned hashes despite the error")
					}
					wantCode("SignMany", err)
				}
				return
			}
			h, err := sign(s)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			canon, err := canonical(s)
			if err != nil {
				t.Fatalf("Canonical: %v", err)
			}
			if c.Expect.Canonical != nil {
				want, _ := native(decode(t, c.Expect.Canonical))
				if canon != want.(string) {
					t.Errorf("canonical %.200q, want %.200q", canon, want)
				}
			}
			if want := stdlibHMAC(secret, canon); h != want {
				t.Errorf("hash %s, crypto/hmac says %s", h, want)
			}
			if c.Expect.Verify != nil {
				ok, err := verify(s, c.Hash)
				if err != nil || ok != *c.Expect.Verify {
					t.Errorf("Verify(%q) = %v, %v; want %v", c.Hash, ok, err, *c.Expect.Verify)
				}
			} else if ok, err := verify(s, h); err != nil || !ok {
				t.Errorf("Verify(own hash) = %v, %v", ok, err)
			}
			if single {
				hs, err := s.SignMany([]string{manyValue}, manyField)
				if err != nil || len(hs) != 1 || hs[0] != h {
					t.Errorf("SignMany: %v, %v; want %s", hs, err, h)
				}
			}
		})
	}
	if ran < 50 {
		t.Errorf("only %d rows ran", ran)
	}
	t.Logf("bad-input matrix: %d rows for go (%d through SignJSON: no native Input form; %d skipped)", ran, viaJSON, skipped)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rss returns the resident set size in bytes (Linux /proc/self/statm).
func rss(t *testing.T) int64 {
	text, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm")
	}
	fields := strings.Fields(string(text))
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// 1 000 000 signs (ids, emails and visitors, plus errors) leave Go heap and RSS flat.
func TestMillionSignsFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	inviaro := signer(t, "inviaro")
	ensoras := signer(t, "ensoras")
	fluentbot := signer(t, "fluentbot")
	visitor := map[string]any{"name": "Ann", "email": "ann@x.com", "data": map[string]any{"plan": "pro", "seats": 3}}
	round := func(n int) {
		for i := 0; i < n; i++ {
			var err error
			switch i % 8 {
			case 0, 1, 2:
				_, err = inviaro.Sign(userhash.Input{UserID: i})
			case 3, 4, 5:
				_, err = ensoras.Sign(userhash.Input{Email: "User." + strconv.Itoa(i) + "@Example.COM"})
			case 6:
				_, err = fluentbot.Sign(userhash.Input{Visitor: visitor})
			case 7:
				if _, e := ensoras.Sign(userhash.Input{Email: ""}); !errors.Is(e, userhash.ErrEmptyIdentity) {
					err = fmt.Errorf("empty email: %v", e)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	measure := func() (heap uint64, res int64) {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc, rss(t)
	}
	round(100_000) // warm up: allocator arenas, thread caches
	heap0, rss0 := measure()
	round(1_000_000)
	heap1, rss1 := measure()
	t.Logf("1 000 000 signs: Go heap %d → %d bytes, RSS %.1f → %.1f MiB", heap0, heap1, float64(rss0)/(1<<20), float64(rss1)/(1<<20))
	if heap1 > heap0+1<<20 {
		t.Errorf("Go heap grew by %d bytes", heap1-heap0)
	}
	if rss1 > rss0+8<<20 {
		t.Errorf("RSS grew by %.1f MiB", float64(rss1-rss0)/(1<<20))
	}
}

// Every entry point from many goroutines on shared signers (go test -race).
func TestConcurrentEveryEntryPoint(t *testing.T) {
	inviaro := signer(t, "inviaro")
	fluentbot := signer(t, "fluentbot")
	ids := make([]string, 10_000)
	for i := range ids {
		ids[i] = "usr_" + strconv.Itoa(i)
	}
	want, err := inviaro.SignMany(ids)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := (g*50 + i) % len(ids)
				if h, err := inviaro.Sign(userhash.Input{UserID: ids[k]}); err != nil || h != want[k] {
					errs <- fmt.Errorf("Sign: %s, %v", h, err)
					return
				}
				if ok, err := inviaro.VerifyJSON(want[k], []byte(`{"user_id":"`+ids[k]+`"}`)); err != nil || !ok {
					errs <- fmt.Errorf("VerifyJSON: %v, %v", ok, err)
					return
				}
				if _, err := fluentbot.Sign(userhash.Input{Visitor: map[string]any{"email": "x", "data": []any{g, i}}}); err != nil {
					errs <- err
					return
				}
			}
			got, err := inviaro.SignMany(ids) // large enough to fan out inside the library
			if err != nil || got[g] != want[g] || got[len(got)-1] != want[len(want)-1] {
				errs <- fmt.Errorf("SignMany: %v", err)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A marker secret never shows in String/GoString/%v, in any error message, or in the signer's fields.
func TestSecretNeverShows(t *testing.T) {
	const marker = "MARKER-5e1f-s3cr3t"
	for _, preset := range []string{"layerup", "inviaro", "ensoras", "supportwire", "fluentbot", "nope"} {
		s, err := userhash.NewSigner(marker, preset, userhash.WithPrevious(marker+"-old"))
		var outputs []string
		if err != nil {
			outputs = append(outputs, err.Error(), fmt.Sprintf("%#v", err))
		} else {
			outputs = append(outputs, s.String(), fmt.Sprintf("%v %+v %#v %s", s, s, s, s))
			bad := []userhash.Input{
				{Email: ""}, {Email: "\xff"}, {UserID: 1.5}, {UserID: true}, {Visitor: "x"},
				{Visitor: map[string]any{"data": map[string]any{"f": func() {}}}},
				{Visitor: json.RawMessage(`{`)}, {ExternalID: []int{1}},
			}
			for _, in := range bad {
				_, e1 := s.Sign(in)
				_, e2 := s.Verify("00", in)
				_, e3 := s.Canonical(in)
				_, e4 := s.SignMany([]string{"", "\xff"})
				for _, e := range []error{e1, e2, e3, e4} {
					if e != nil {
						outputs = append(outputs, e.Error(), fmt.Sprintf("%#v", e))
					}
				}
			}
			s.Close()
			outputs = append(outputs, fmt.Sprintf("%#v", s))
		}
		for _, out := range outputs {
			if strings.Contains(out, "MARKER") {
				t.Errorf("%s: the secret shows: %s", preset, out)
			}
		}
	}
	if _, err := userhash.NewSigner("", "ensoras", userhash.WithPrevious(marker)); err == nil || strings.Contains(err.Error(), "MARKER") {
		t.Errorf("empty secret: %v", err)
	}
}
