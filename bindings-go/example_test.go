package userhash_test

// The README's examples, run (their hashes checked against crypto/hmac).

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"

	"userhash.dev/userhash"
)

func hmacHex(secret string, msg []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

func Example() {
	os.Setenv("WIDGET_SECRET", "s3cr3t")
	signer, err := userhash.NewSigner(os.Getenv("WIDGET_SECRET"), "ensoras")
	if err != nil {
		log.Fatal(err)
	}
	defer signer.Close()

	hash, err := signer.Sign(userhash.Input{Email: "Alice@Example.COM"})
	fmt.Println(err, hash == hmacHex("s3cr3t", []byte("alice@example.com")))

	_, err = signer.Sign(userhash.Input{Email: ""})
	fmt.Println(errors.Is(err, userhash.ErrEmptyIdentity))
	// Output:
	// <nil> true
	// true
}

func Example_visitor() {
	type Visitor struct {
		Name  string         `json:"name"`
		Email string         `json:"email"`
		Data  map[string]any `json:"data"`
	}
	secret := "s3cr3t"
	bot, _ := userhash.NewSigner(secret, "fluentbot")
	defer bot.Close()
	v := Visitor{"Ann", "ann@example.com", map[string]any{"plan": "pro"}}
	hash, err := bot.Sign(userhash.Input{Visitor: v})
	payload, _ := json.Marshal(v) // JSON.stringify({name, email, data}) for these values
	fmt.Println(err, hash == hmacHex(secret, payload))
	// Output: <nil> true
}
