// Command userhash-demo signs the sample identities of `make demo` with every
// preset through the Go package (run by `make demo-go`).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"userhash.dev/userhash"
)

func main() {
	rows := []struct {
		preset string
		in     userhash.Input
	}{
		{"layerup", userhash.Input{Email: "Alice@Example.COM"}},
		{"inviaro", userhash.Input{UserID: "usr_42"}},
		{"ensoras", userhash.Input{Email: "Alice@Example.COM"}},
		{"supportwire", userhash.Input{Email: " Alice@Example.COM "}},
		{"fluentbot", userhash.Input{Visitor: json.RawMessage(`{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}`)}},
	}
	for _, r := range rows {
		s, err := userhash.NewSigner("s3cr3t", r.preset)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		hash, err := s.Sign(r.in)
		s.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%-12s %s\n", r.preset, hash)
	}
}
