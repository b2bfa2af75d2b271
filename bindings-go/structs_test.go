package userhash_test

// Struct members follow encoding/json's rules: for structs of plain values,
// the payload the core signs holds exactly what json.Marshal writes (the oracle).

import (
	"encoding/json"
	"testing"

	"userhash.dev/userhash"
)

type Inner struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

type inner2 struct{ C, D int }

type Tagged struct {
	Inner `json:"inner"` // a tag name: a member, not inlined
	E     int
}

type Shapes struct {
	Inner          // inlined
	*inner2        // unexported, embedded by pointer: its exported fields inlined
	D       string `json:"D"` // shadows inner2.D (less nested)
	T       Tagged `json:"t"`
	Renamed int    `json:"a"` // a JSON-name collision with Inner.A: the less nested wins
	Z       struct {
		X int
	} `json:"z,omitzero"`
	Skip   int   `json:"-"`
	Dash   int   `json:"-,"`
	Empty  []int `json:"empty,omitempty"`
	hidden int
}

func TestStructsAsEncodingJSON(t *testing.T) {
	fb := signer(t, "fluentbot")
	for _, v := range []any{
		Shapes{Inner: Inner{1, "x"}, inner2: &inner2{2, 3}, D: "d", T: Tagged{Inner{4, ""}, 5}, Renamed: 6, Dash: 7, hidden: 8},
		Shapes{},
		&Tagged{Inner{1, "y"}, 2},
	} {
		want, err := json.Marshal(map[string]any{"data": v})
		if err != nil {
			t.Fatal(err)
		}
		got, err := fb.Canonical(userhash.Input{Visitor: map[string]any{"data": v}})
		if err != nil || got != string(want) {
			t.Errorf("%#v:\n got %s, %v\nwant %s (encoding/json)", v, got, err, want)
		}
	}
}
