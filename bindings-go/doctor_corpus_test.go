package userhash_test

// The shared doctor corpus (tests/doctor/cases.json, issue 16): each case is a
// hash made by some language's real wrong code; Diagnose must name its variant.

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"testing"

	"userhash.dev/userhash"
)

func TestDoctorCorpus(t *testing.T) {
	text, err := os.ReadFile("../tests/doctor/cases.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("tests/doctor/cases.json does not exist yet (the doctor corpus, issue 16)")
	} else if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Version int
		Cases   []struct {
			ID, Variant, Preset, Secret, Hash string
			MadeBy                            string `json:"made_by"`
			Previous                          []string
			SignerOptions                     map[string]json.RawMessage `json:"signer_options"`
			Input                             map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(text, &corpus); err != nil || corpus.Version != 1 || len(corpus.Cases) == 0 {
		t.Fatalf("cases.json: version %d, %d cases, %v", corpus.Version, len(corpus.Cases), err)
	}
	for _, c := range corpus.Cases {
		var options map[string]any
		if c.SignerOptions != nil {
			options = map[string]any{}
			for k, v := range c.SignerOptions {
				options[k] = v
			}
		}
		s, err := userhash.NewSigner(c.Secret, c.Preset, userhash.WithPrevious(c.Previous...), userhash.WithOptions(options))
		if err != nil {
			t.Errorf("%s: NewSigner: %v", c.ID, err)
			continue
		}
		// JSON text as the case wrote it (a visitor keeps its key order).
		in := userhash.Input{Fields: map[string]any{}}
		for k, v := range c.Input {
			in.Fields[k] = v
		}
		d, err := s.Diagnose(c.Hash, in)
		if err != nil || !d.Matched || d.Variant != c.Variant {
			t.Errorf("%s (%s): Diagnose = matched %v, variant %q, %v; want %q", c.ID, c.MadeBy, d.Matched, d.Variant, err, c.Variant)
		}
		s.Close()
	}
}
