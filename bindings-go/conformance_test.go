package userhash_test

// The cross-language conformance runner (docs/design.md, "Golden vectors"): every golden vector in
// USERHASH_VECTORS (a file or a directory of *.json; default
// <repo>/tests/vectors) through the public Signer API, checking canonical,
// hash, verify (true, and false for a one-character change), the error code,
// and the hash again with crypto/hmac over the canonical bytes.
//
// Each vector runs twice when it can: with native Go values (Input) and with
// its JSON text (SignJSON & co, i.e. the C ABI as-is). Vectors whose input
// has no one-to-one Input form (a non-string email; no field at all, which
// Input{} cannot tell from Input{Email: ""}; an empty email beside another
// field, which Input does not send) run through JSON only.
// It prints one line: "go: N passed, M failed".

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"userhash.dev/userhash"
)

type vector struct {
	ID        string          `json:"id"`
	Preset    string          `json:"preset"`
	Secret    string          `json:"secret"`
	Options   map[string]any  `json:"signer_options"` // passed unchanged (WithOptions)
	Input     json.RawMessage `json:"input"`          // raw: key order kept
	Canonical *string         `json:"canonical"`
	Hash      *string         `json:"hash"`
	Error     *string         `json:"error"`
}

func vectorFiles(t *testing.T) []string {
	path := os.Getenv("USERHASH_VECTORS")
	if path == "" {
		path = filepath.Join("..", "tests", "vectors")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("USERHASH_VECTORS: %v", err)
	}
	if !info.IsDir() {
		return []string{path}
	}
	files, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.json vectors in %s", path)
	}
	sort.Strings(files)
	return files
}

func loadVectors(t *testing.T) []vector {
	var all []vector
	for _, f := range vectorFiles(t) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Vectors []vector `json:"vectors"`
		}
		if err := json.Unmarshal(text, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, doc.Vectors...)
	}
	return all
}

// nativeInput maps a vector's input onto Input, or reports that it has no
// one-to-one native form.
func nativeInput(raw json.RawMessage) (userhash.Input, bool, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return userhash.Input{}, false, err
	}
	var in userhash.Input
	if e, ok := fields["email"]; ok {
		if len(e) == 0 || e[0] != '"' || json.Unmarshal(e, &in.Email) != nil {
			return in, false, nil // not a string
		}
	}
	for name, v := range fields {
		switch name {
		case "email":
		case "user_id", "userId":
			in.UserID = nativeID(v)
		case "external_id", "externalId":
			in.ExternalID = nativeID(v)
		case "visitor":
			in.Visitor = v // json.RawMessage keeps the key order
		default:
			return in, false, nil
		}
	}
	// Input{} is Input{Email: ""}, and an empty Email beside another field is
	// not sent: those two shapes exist only as JSON.
	_, hasEmail := fields["email"]
	if len(fields) == 0 || (hasEmail && in.Email == "" && len(fields) > 1) || len(fields) != countSet(in, fields) {
		return in, false, nil
	}
	return in, true, nil
}

func countSet(in userhash.Input, fields map[string]json.RawMessage) int {
	n := 0
	if _, ok := fields["email"]; ok {
		n++
	}
	for _, v := range []any{in.UserID, in.ExternalID, in.Visitor} {
		if v != nil {
			n++
		}
	}
	return n
}

// nativeID: strings → string, integers → int64 or *big.Int, other numbers →
// float64, booleans → bool, arrays/objects → []any / map[string]any, null →
// json.RawMessage("null") (present, unlike a nil field).
func nativeID(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw
	}
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null")
	case json.Number:
		if i, err := x.Int64(); err == nil && !strings.ContainsAny(string(x), ".eE") {
			return i
		}
		if b, ok := new(big.Int).SetString(string(x), 10); ok {
			return b
		}
		f, _ := x.Float64()
		return f
	default:
		return x
	}
}

type api struct {
	canonical func() (string, error)
	sign      func() (string, error)
	verify    func(hash string) (bool, error)
}

func checkPath(v vector, a api) error {
	code := func(err error) string {
		var e *userhash.Error
		if errors.As(err, &e) {
			return e.Code
		}
		return fmt.Sprintf("non-userhash error %v", err)
	}
	canonical, cerr := a.canonical()
	hash, serr := a.sign()
	if v.Error != nil {
		for what, err := range map[string]error{"canonical": cerr, "sign": serr} {
			if err == nil {
				return fmt.Errorf("%s: expected error %s, got success", what, *v.Error)
			}
			if code(err) != *v.Error {
				return fmt.Errorf("%s: expected error %s, got %s (%v)", what, *v.Error, code(err), err)
			}
			if !errors.Is(err, &userhash.Error{Code: *v.Error}) {
				return fmt.Errorf("%s: errors.Is does not match code %s", what, *v.Error)
			}
		}
		if _, err := a.verify(strings.Repeat("0", 64)); code(err) != *v.Error {
			return fmt.Errorf("verify: expected error %s, got %v", *v.Error, err)
		}
		return nil
	}
	if cerr != nil || serr != nil {
		return fmt.Errorf("unexpected error: %v / %v", cerr, serr)
	}
	if v.Canonical == nil || v.Hash == nil {
		return fmt.Errorf("vector has neither error nor canonical+hash")
	}
	if canonical != *v.Canonical {
		return fmt.Errorf("canonical: expected %q, got %q", *v.Canonical, canonical)
	}
	if hash != *v.Hash {
		return fmt.Errorf("hash: expected %s, got %s", *v.Hash, hash)
	}
	if ok, err := a.verify(*v.Hash); err != nil || !ok {
		return fmt.Errorf("verify(hash) = %v, %v", ok, err)
	}
	bad := []byte(*v.Hash)
	if bad[10] == '0' {
		bad[10] = '1'
	} else {
		bad[10] = '0'
	}
	if ok, err := a.verify(string(bad)); err != nil || ok {
		return fmt.Errorf("verify(one character changed) = %v, %v", ok, err)
	}
	return nil
}

func checkVector(v vector, native *int) error {
	s, err := userhash.NewSigner(v.Secret, v.Preset, userhash.WithOptions(v.Options))
	if err != nil {
		var e *userhash.Error
		if v.Error != nil && errors.As(err, &e) && e.Code == *v.Error {
			return nil
		}
		return fmt.Errorf("NewSigner: %v (expected %v)", err, deref(v.Error))
	}
	defer s.Close()
	if v.Error == nil && v.Canonical != nil && v.Hash != nil {
		mac := hmac.New(sha256.New, hmacKey(v))
		mac.Write([]byte(*v.Canonical))
		if got := hex.EncodeToString(mac.Sum(nil)); got != *v.Hash {
			return fmt.Errorf("crypto/hmac over canonical: %s, vector says %s", got, *v.Hash)
		}
	}
	jsonAPI := api{
		canonical: func() (string, error) { return s.CanonicalJSON(v.Input) },
		sign:      func() (string, error) { return s.SignJSON(v.Input) },
		verify:    func(h string) (bool, error) { return s.VerifyJSON(h, v.Input) },
	}
	if err := checkPath(v, jsonAPI); err != nil {
		return fmt.Errorf("JSON input: %w", err)
	}
	in, ok, err := nativeInput(v.Input)
	if err != nil {
		return err
	}
	if ok {
		*native++
		nativeAPI := api{
			canonical: func() (string, error) { return s.Canonical(in) },
			sign:      func() (string, error) { return s.Sign(in) },
			verify:    func(h string) (bool, error) { return s.Verify(h, in) },
		}
		if err := checkPath(v, nativeAPI); err != nil {
			return fmt.Errorf("native Input: %w", err)
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return "success"
	}
	return *s
}

func TestConformance(t *testing.T) {
	vectors := loadVectors(t)
	passed, failed, native := 0, 0, 0
	for _, v := range vectors {
		if err := checkVector(v, &native); err != nil {
			failed++
			t.Errorf("%s: %v", v.ID, err)
		} else {
			passed++
		}
	}
	t.Logf("%d of %d vectors also ran with native Go values (Input); all ran as JSON text", native, len(vectors))
	fmt.Printf("go: %d passed, %d failed\n", passed, failed)
}

// hmacKey is the HMAC key of a vector for the stdlib oracle: its secret
// decoded by its secret_encoding, the option's or else the preset's default
// (docs/design.md, "Golden vectors": pylon's secrets are hex text).
func hmacKey(v vector) []byte {
	encoding, _ := v.Options["secret_encoding"].(string)
	if encoding == "" && v.Preset == "pylon" {
		encoding = "hex"
	}
	switch strings.ToLower(encoding) {
	case "hex":
		key, _ := hex.DecodeString(v.Secret)
		return key
	case "base64":
		key, err := base64.StdEncoding.DecodeString(v.Secret)
		if err != nil {
			key, _ = base64.RawStdEncoding.DecodeString(v.Secret)
		}
		return key
	}
	return []byte(v.Secret)
}
