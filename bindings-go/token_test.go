package userhash

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

// Every vector of tests/tokens/vectors.json (made by Node's jsonwebtoken).
func TestTokenVectors(t *testing.T) {
	text, err := os.ReadFile("../tests/tokens/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Tokens []struct {
			ID, Preset, Secret, Token, Verify, Error string
			Input                                    map[string]json.RawMessage
			Options                                  map[string]json.RawMessage
			VerifyOptions                            map[string]json.RawMessage `json:"verify_options"`
			Claims                                   json.RawMessage
		}
	}
	if err := json.Unmarshal(text, &file); err != nil {
		t.Fatal(err)
	}
	for _, v := range file.Tokens {
		s, err := NewSigner(v.Secret, v.Preset)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		defer s.Close()
		opts := func(m map[string]json.RawMessage) map[string]any {
			out := map[string]any{}
			for k, x := range m {
				out[k] = x
			}
			return out
		}
		var want map[string]any
		if v.Claims != nil {
			json.Unmarshal(v.Claims, &want)
		}
		token, verify := v.Token, v.VerifyOptions
		if v.Verify == "" {
			in := Input{Fields: map[string]any{}}
			for k, x := range v.Input {
				in.Fields[k] = x
			}
			got, err := s.Token(in, opts(v.Options))
			if v.Error != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != v.Error {
					t.Errorf("%s: want %s, got %q %v", v.ID, v.Error, got, err)
				}
				continue
			}
			if err != nil || got != v.Token {
				t.Errorf("%s: %v\n got %s\nwant %s", v.ID, err, got, v.Token)
				continue
			}
			verify = map[string]json.RawMessage{"now": v.Options["now"]}
		} else {
			token = v.Verify
		}
		claims, err := s.VerifyToken(token, opts(verify))
		if v.Error != "" {
			var e *Error
			if !errors.As(err, &e) || e.Code != v.Error {
				t.Errorf("%s: want %s, got %v %v", v.ID, v.Error, claims, err)
			}
		} else if err != nil || !reflect.DeepEqual(claims, want) {
			t.Errorf("%s: %v\n got %v\nwant %v", v.ID, err, claims, want)
		}
	}
}
