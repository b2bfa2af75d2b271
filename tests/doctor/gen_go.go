// Wrong hashes made by real Go code (crypto/hmac): strings.ToLower,
// strings.TrimSpace, encoding/json of a map, %X. Prints a JSON array of doctor
// cases; tests/doctor/generate.py merges them into cases.json.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

const secret = "sk_doctor_3f9a1c7e"

type doctorCase struct {
	ID      string          `json:"id"`
	Variant string          `json:"variant"`
	MadeBy  string          `json:"made_by"`
	Preset  string          `json:"preset"`
	Secret  string          `json:"secret"`
	Input   json.RawMessage `json:"input"`
	Hash    string          `json:"hash"`
}

var cases []doctorCase

func mac(msg string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// input writes the fields in the order given (a Go map would sort them).
func input(kv ...string) json.RawMessage {
	parts := make([]string, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		v, _ := json.Marshal(kv[i+1])
		parts = append(parts, fmt.Sprintf("%q:%s", kv[i], v))
	}
	return json.RawMessage("{" + strings.Join(parts, ",") + "}")
}

func add(id, variant, madeBy, preset string, in json.RawMessage, hash string) {
	cases = append(cases, doctorCase{"go/" + id, variant, madeBy, preset, secret, in, hash})
}

func main() {
	// strings.ToLower maps İ to i (JS and Ruby write i + U+0307).
	dotted := "İpek@Example.COM"
	for _, preset := range []string{"layerup", "ensoras", "front"} {
		add("to_lower/"+preset, "go_to_lower", "Go hmac.New(sha256.New, secret) over strings.ToLower(email)", preset,
			input("email", dotted), hex.EncodeToString(mac(strings.ToLower(dotted))))
	}
	// strings.TrimSpace removes U+0085 but stops at U+001C (Python's strip does not).
	spaced := "\u0085Alice@Example.COM\u0085\u001c"
	for _, preset := range []string{"layerup", "supportwire", "helpscout"} {
		add("trim_space/"+preset, "go_trim_space", "Go strings.TrimSpace(email)", preset,
			input("email", spaced), hex.EncodeToString(mac(strings.TrimSpace(spaced))))
	}
	upper := "\u0085ALICE@Example.COM\u0085\u001c"
	for _, preset := range []string{"supportwire", "ensoras"} {
		add("trim_space_to_lower/"+preset, "go_trim_space_to_lower", "Go strings.ToLower(strings.TrimSpace(email))", preset,
			input("email", upper), hex.EncodeToString(mac(strings.ToLower(strings.TrimSpace(upper)))))
	}
	ext := "\u0085EXT-42\u0085\u001c"
	add("trim_space/supportwire-external_id", "go_trim_space", "Go strings.TrimSpace(externalID)", "supportwire",
		input("external_id", ext, "email", "alice@example.com"), hex.EncodeToString(mac(strings.TrimSpace(ext))))

	// fluentbot signs JSON.stringify({name, email, data}); json.Marshal of a map
	// sorts the keys and escapes < > &.
	for _, v := range []string{
		`{"name":"Zoë Martin","email":"zoe@example.com","data":{"plan":"pro","seats":3,"home":"https://example.com/zoe","ratio":1.5e-7}}`,
		`{"name":"Zoë Martin","email":"zoe@example.com","data":{"company":"Smith & Sons <UK>"}}`,
	} {
		var visitor map[string]any
		if err := json.Unmarshal([]byte(v), &visitor); err != nil {
			panic(err)
		}
		payload := map[string]any{"name": visitor["name"], "email": visitor["email"], "data": visitor["data"]}
		text, err := json.Marshal(payload)
		if err != nil {
			panic(err)
		}
		id := "encoding_json/fluentbot"
		if strings.Contains(v, "&") {
			id += "-html"
		}
		add(id, "go_encoding_json", "Go json.Marshal(map[string]any{\"name\": …, \"email\": …, \"data\": …})", "fluentbot",
			json.RawMessage(`{"visitor":`+v+`}`), hex.EncodeToString(mac(string(text))))
	}

	add("uppercase_hex/layerup", "uppercase_hex", "Go fmt.Sprintf(\"%X\", mac.Sum(nil))", "layerup",
		input("email", "alice@example.com"), fmt.Sprintf("%X", mac("alice@example.com")))

	out, err := json.Marshal(cases)
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(out)
}
