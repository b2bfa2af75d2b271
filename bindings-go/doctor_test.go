package userhash

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

// Hashes made by real wrong Go code, explained by the core's doctor.
func TestDiagnoseGoMistakes(t *testing.T) {
	const secret = "s3cr3t"
	mac := func(msg []byte) string {
		h := hmac.New(sha256.New, []byte(secret))
		h.Write(msg)
		return hex.EncodeToString(h.Sum(nil))
	}
	email, _ := NewSigner(secret, "layerup")
	defer email.Close()
	bot, _ := NewSigner(secret, "fluentbot")
	defer bot.Close()
	// U+0085: Go's TrimSpace strips it, JS trim does not; U+001C: Python's strip would.
	addr := "\u0085Alice@Example.COM\u001c"
	visitor := map[string]any{"name": "<b>Ann</b>", "email": "ann@example.com", "data": map[string]any{"zeta": 1, "alpha": "x"}}
	goJSON, _ := json.Marshal(visitor)
	good, err := email.Sign(Input{Email: addr})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		s       *Signer
		hash    string
		in      Input
		variant string
	}{
		{email, mac([]byte(strings.ToLower(strings.TrimSpace(addr)))), Input{Email: addr}, "go_trim_space_to_lower"},
		{bot, mac(goJSON), Input{Visitor: visitor}, "go_encoding_json"},
		{email, strings.ToUpper(good), Input{Email: addr}, "uppercase_hex"},
		{email, strings.Repeat("ab", 32), Input{Email: addr}, "none"},
	}
	for _, c := range cases {
		d, err := c.s.Diagnose(c.hash, c.in)
		raw, _ := json.Marshal(d)
		if err != nil || d.Matched != (c.variant != "none") || d.Variant != c.variant || d.Explanation == "" {
			t.Errorf("%s: %v %s", c.variant, err, raw)
		}
		if strings.Contains(string(raw), secret) {
			t.Errorf("%s: the diagnosis holds the secret: %s", c.variant, raw)
		}
	}
}
