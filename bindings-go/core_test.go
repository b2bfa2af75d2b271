package userhash_test

// What the package reads from the core (lists, a preset only the core
// defines, errors with code/path/item) and the conversion policy's details.
// Expected hashes come from crypto/hmac (stdlibHMAC) or Node literals.

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"userhash.dev/userhash"
)

func TestLibraryLists(t *testing.T) {
	cargo, err := os.ReadFile("../Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^version = "(.*)"`).FindSubmatch(cargo); m == nil || string(m[1]) != userhash.Version() {
		t.Errorf("Version() = %q, Cargo.toml says %s", userhash.Version(), m)
	}
	if userhash.MaxDepth() != 128 {
		t.Errorf("MaxDepth() = %d", userhash.MaxDepth())
	}
	for _, want := range []string{"layerup", "inviaro", "ensoras", "supportwire", "fluentbot"} {
		if !slices.Contains(userhash.Presets(), want) {
			t.Errorf("Presets() = %v lacks %s", userhash.Presets(), want)
		}
		if _, err := userhash.NewSigner("k", want); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{"email", "user_id", "external_id", "visitor"} {
		if !slices.Contains(userhash.Fields(), want) {
			t.Errorf("Fields() = %v lacks %s", userhash.Fields(), want)
		}
	}
	if codes := userhash.ErrorCodes(); len(codes) < 7 || codes[0] != "empty_secret" {
		t.Errorf("ErrorCodes() = %v", codes)
	}
	userhash.Presets()[0] = "changed" // a copy
	if userhash.Presets()[0] == "changed" {
		t.Error("Presets() shares its slice")
	}
}

// A preset only the core defines (feature probe-preset, in the dev/test
// library make c-lib builds) works with no binding edit.
func TestCoreOnlyPreset(t *testing.T) {
	if !slices.Contains(userhash.Presets(), "zz_probe") {
		t.Fatalf("zz_probe not in Presets() %v: build the library with make c-lib (C_FEATURES=userhash/probe-preset)", userhash.Presets())
	}
	s := signer(t, "zz_probe")
	if f := s.Fields(); !slices.Equal(f, []string{"user_id"}) || s.Scheme() != "zz_probe" {
		t.Errorf("Fields() = %v, Scheme() = %q", f, s.Scheme())
	}
	want := stdlibHMAC("s3cr3t", "abc")
	for _, in := range []userhash.Input{{Fields: map[string]any{"user_id": "  AbC "}}, {UserID: "  AbC "}, {Fields: map[string]any{"userId": json.RawMessage(`"  AbC "`)}}} {
		if h, err := s.Sign(in); err != nil || h != want {
			t.Errorf("%#v: %s, %v; crypto/hmac says %s", in, h, err, want)
		}
	}
	if hs, err := s.SignMany([]string{"  AbC "}); err != nil || hs[0] != want {
		t.Errorf("SignMany: %v, %v", hs, err)
	}
}

func TestSignerAccessors(t *testing.T) {
	sw := signer(t, "supportwire", userhash.WithPrevious("a", "b"))
	if sw.Scheme() != "supportwire" || sw.PreviousCount() != 2 || sw.BatchField() != "" ||
		!slices.Equal(sw.Fields(), []string{"external_id", "email"}) {
		t.Errorf("supportwire: %q %d %q %v", sw.Scheme(), sw.PreviousCount(), sw.BatchField(), sw.Fields())
	}
	spec := signer(t, "email:trim_lowercase")
	if spec.Scheme() != "email:trim_lowercase" || spec.BatchField() != "email" {
		t.Errorf("spec: %q %q", spec.Scheme(), spec.BatchField())
	}
	spec.Close()
	if spec.Fields() != nil || spec.BatchField() != "email" {
		t.Error("a closed signer lists fields, or forgot its batch field")
	}
}

func TestFromEnvAndOptions(t *testing.T) {
	t.Setenv("UH_GO_SECRET", "s3cr3t")
	t.Setenv("UH_GO_OLD", "old")
	t.Setenv("UH_GO_EMPTY", "")
	s, err := userhash.FromEnv("UH_GO_SECRET", "layerup", userhash.WithPrevious("UH_GO_OLD"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if h, err := s.Sign(userhash.Input{Email: "Alice@Example.COM"}); err != nil || h != layerupAlice {
		t.Errorf("FromEnv sign: %s, %v", h, err)
	}
	if ok, err := s.Verify(layerupOldABC, userhash.Input{Email: "a@b.c"}); err != nil || !ok || s.PreviousCount() != 1 {
		t.Errorf("previous secret from the environment: %v, %v", ok, err)
	}
	var e *userhash.Error
	for _, c := range []struct{ secret, previous, message string }{
		{"UH_GO_UNSET", "UH_GO_OLD", "environment variable UH_GO_UNSET is not set"},
		{"UH_GO_SECRET", "UH_GO_EMPTY", "environment variable UH_GO_EMPTY is empty"},
	} {
		_, err := userhash.FromEnv(c.secret, "layerup", userhash.WithPrevious(c.previous))
		if !errors.Is(err, userhash.ErrEmptySecret) || !errors.As(err, &e) || e.Message != c.message {
			t.Errorf("FromEnv(%s, %s): %v", c.secret, c.previous, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Error("the secret shows")
		}
	}
	// Options go to the core, which knows none yet.
	_, err = userhash.NewSigner("k", "layerup", userhash.WithOptions(map[string]any{"colour": "red"}))
	if !errors.Is(err, userhash.ErrInvalidInput) || !errors.As(err, &e) || !strings.HasPrefix(e.Message, `unknown signer option "colour"`) {
		t.Errorf("unknown option: %v", err)
	}
	_, err = userhash.FromEnv("UH_GO_SECRET", "layerup", userhash.WithOptions(map[string]any{"x": json.RawMessage(`{`)}))
	if !errors.Is(err, userhash.ErrInvalidJSON) || !errors.As(err, &e) || e.Path != "options" {
		t.Errorf("options with bad JSON text: %#v", err)
	}
	if s, err := userhash.NewSigner("k", "layerup", userhash.WithOptions(map[string]any{})); err != nil {
		t.Errorf("empty options: %v", err)
	} else {
		s.Close()
	}
}

// Identities with fields by name (aliases included); the core checks every name.
func TestInputShapes(t *testing.T) {
	inviaro := signer(t, "inviaro")
	for _, in := range []userhash.Input{
		{Fields: map[string]any{"user_id": "usr_42"}}, {Fields: map[string]any{"userId": "usr_42"}}, {UserID: "usr_42"},
		{Fields: map[string]any{"user_id": json.RawMessage(`"usr_42"`)}}, {UserID: json.RawMessage(` "usr_42" `)},
		{Fields: map[string]any{"user_id": "usr_42"}, UserID: "ignored"}, // JSON.parse: the last of a key wins
		{Fields: map[string]any{"user_id": "usr_42"}, Email: nil},
	} {
		if h, err := inviaro.Sign(in); err != nil || h != inviaroUsr42 {
			t.Errorf("%#v: %s, %v", in, h, err)
		}
	}
	var e *userhash.Error
	f := func(fields map[string]any) userhash.Input { return userhash.Input{Fields: fields} }
	for _, c := range []struct {
		in      userhash.Input
		want    error
		message string
	}{
		{f(map[string]any{"mail": "a@b.c"}), userhash.ErrInvalidInput, `unknown field "mail"`},
		{f(map[string]any{"user_id": "1", "userId": "2"}), userhash.ErrInvalidInput, "given twice"},
		{userhash.Input{}, userhash.ErrInvalidInput, "missing field user_id"},
		{userhash.Input{UserID: "u", Email: "a@b.c"}, userhash.ErrInvalidInput, "unexpected field email"},
		{f(map[string]any{"user_id": "\xff"}), userhash.ErrInvalidUTF8, "user_id: string is not valid UTF-8"},
		{f(map[string]any{"user_id": json.RawMessage(`1,"email":"x"`), "email": nil}), userhash.ErrInvalidJSON, "invalid JSON"},
		{userhash.Input{UserID: json.RawMessage(`1,"email":"x"`)}, userhash.ErrInvalidJSON, "user_id: invalid JSON"},
		{userhash.Input{UserID: json.RawMessage(`1,"email":"x"`), ExternalID: nil, Email: "x"}, userhash.ErrInvalidJSON, "invalid JSON"},
	} {
		_, err := inviaro.Sign(c.in)
		if !errors.Is(err, c.want) || !errors.As(err, &e) || !strings.Contains(e.Message, c.message) {
			t.Errorf("%#v: %v; want %v with %q", c.in, err, c.want, c.message)
		}
	}
}

type base struct {
	Plan  string `json:"plan"`
	Seats int
}

type account struct {
	base
	Seats   string          `json:"Seats"` // shadows base.Seats (less nested)
	Trial   bool            `json:"trial,omitempty"`
	Zero    struct{ A int } `json:"zero,omitzero"`
	Tags    []string        `json:"tags,omitempty"`
	Extra   map[string]int  `json:"extra"`
	Ratio   float32         `json:"ratio"`
	Skipped int             `json:"-"`
	Dash    int             `json:"-,"`
	private string
	*base2
}

type base2 struct{ Deep int }

type node struct {
	Name string `json:"name"`
	Next *node  `json:"next"`
}

func TestStructsAndPolicy(t *testing.T) {
	fb := signer(t, "fluentbot")
	canonical := func(data any) (string, error) {
		return fb.Canonical(userhash.Input{Visitor: map[string]any{"data": data}})
	}
	got, err := canonical(account{base: base{"pro", 3}, Seats: "three", Extra: map[string]int{"b": 2, "a": 1}, Ratio: 0.1, Skipped: 1, Dash: 2, private: "p"})
	// JSON.stringify({name:undefined... data:{plan:'pro',Seats:'three',extra:{a:1,b:2},ratio:0.1,'-':2}}), key order as Go's encoding/json.
	if want := `{"data":{"plan":"pro","Seats":"three","extra":{"a":1,"b":2},"ratio":0.1,"-":2}}`; err != nil || got != want {
		t.Errorf("struct: %s, %v\nwant %s", got, err, want)
	}
	got, err = canonical(account{base2: &base2{7}, Tags: []string{"x"}, Trial: true})
	if want := `{"data":{"plan":"","Seats":"","trial":true,"tags":["x"],"extra":null,"ratio":0,"-":0,"Deep":7}}`; err != nil || got != want {
		t.Errorf("struct with embedded pointer: %s, %v\nwant %s", got, err, want)
	}
	// Cycles through pointers, slices and interfaces end in too_deep where they start.
	n := &node{Name: "a"}
	n.Next = n
	s := []any{1, nil}
	s[1] = s
	var p any
	p = &p
	var e *userhash.Error
	for _, c := range []struct {
		data any
		path string
	}{{n, "visitor.data"}, {map[string]any{"s": s}, "visitor.data.s"}, {[]any{&p}, "visitor.data[0]"}} {
		_, err := canonical(c.data)
		if !errors.Is(err, userhash.ErrTooDeep) || !errors.As(err, &e) || e.Path != c.path {
			t.Errorf("cycle %T: %#v, want too_deep at %s", c.data, err, c.path)
		}
	}
	// Deep but finite: the path of the level past the limit.
	deep := map[string]any{}
	cur := deep
	for i := 0; i < 200; i++ {
		next := map[string]any{}
		cur["d"] = next
		cur = next
	}
	if _, err := canonical(deep); !errors.As(err, &e) || e.Code != "too_deep" || e.Path != "visitor.data"+strings.Repeat(".d", 127) {
		t.Errorf("deep: %#v", err)
	}
	// The deepest data allowed (visitor level 1, data 2, ... MaxDepth) signs
	// natively exactly when its JSON text does.
	for _, levels := range []int{userhash.MaxDepth() - 2, userhash.MaxDepth() - 1} {
		var v any = map[string]any{}
		for i := 0; i < levels; i++ {
			v = map[string]any{"d": v}
		}
		text := `{"visitor":{"data":` + strings.Repeat(`{"d":`, levels) + "{}" + strings.Repeat("}", levels) + "}}"
		_, nerr := canonical(v)
		_, jerr := fb.CanonicalJSON([]byte(text))
		if (nerr == nil) != (levels == userhash.MaxDepth()-2) || (jerr == nil) != (nerr == nil) {
			t.Errorf("%d levels below data: native %v, JSON text %v", levels, nerr, jerr)
		}
	}
	for _, c := range []struct {
		data any
		code string
		path string
	}{
		{map[string]any{"f": func() {}}, "invalid_input", "visitor.data.f"},
		{map[string]any{"c": make(chan int)}, "invalid_input", "visitor.data.c"},
		{[]any{1, complex(1, 2)}, "invalid_input", "visitor.data[1]"},
		{map[string]any{"\xff": 1}, "invalid_utf8", "visitor.data"},
		{struct{ B [2]byte }{}, "", ""},                                                // a byte array is an array, as in encoding/json
		{map[string]any{"r": json.RawMessage("{\"a\":\"\xff\"}")}, "invalid_utf8", ""}, // the core's: JSON text not UTF-8
		{map[string]any{"r": json.RawMessage(`{"a":1`)}, "invalid_json", ""},
		{map[string]any{"n": json.Number("1e2")}, "", ""},
	} {
		_, err := canonical(c.data)
		if c.code == "" {
			if err != nil {
				t.Errorf("%#v: %v", c.data, err)
			}
		} else if !errors.As(err, &e) || e.Code != c.code || e.Path != c.path {
			t.Errorf("%#v: %#v, want %s at %s", c.data, err, c.code, c.path)
		}
	}
	// Embed options convert by the same policy, under "options".
	html, err := signer(t, "ensoras").Embed(userhash.Input{Email: "a@b.c"}, map[string]any{"widget": []byte("x")})
	if html != "" || !errors.As(err, &e) || e.Path != "options.widget" || e.Code != "invalid_input" {
		t.Errorf("bytes option: %#v", err)
	}
}

// Batches go to the core in chunks with their offset: item indexes are global.
func TestSignManyItems(t *testing.T) {
	inviaro := signer(t, "inviaro")
	ids := make([]string, 140_000)
	for i := range ids {
		ids[i] = "id"
	}
	ids[139_999] = "\xff"
	var e *userhash.Error
	_, err := inviaro.SignMany(ids)
	if !errors.Is(err, userhash.ErrInvalidUTF8) || !errors.As(err, &e) || e.Item != 139_999 || e.Path != "user_id" ||
		e.Message != "item 139999: user_id: string is not valid UTF-8" {
		t.Errorf("last item of the third chunk: %#v", err)
	}
	ids[70_000] = " "
	ids[139_999] = "id"
	hs, err := signer(t, "zz_probe").SignMany(ids)
	if hs != nil || !errors.Is(err, userhash.ErrEmptyIdentity) || !errors.As(err, &e) || e.Item != 70_000 {
		t.Errorf("empty item in the second chunk: %#v", err)
	}
	if hs, err := inviaro.SignManyJSON([]string{"42", `"usr_42"`}); err != nil || hs[0] != inviaro42 || hs[1] != inviaroUsr42 {
		t.Errorf("SignManyJSON: %v, %v", hs, err)
	}
	if _, err := inviaro.SignManyJSON([]string{"42", "4.5"}); !errors.As(err, &e) || e.Item != 1 || e.Code != "invalid_input" {
		t.Errorf("SignManyJSON float: %#v", err)
	}
	if _, err := inviaro.SignMany([]string{"1"}, "user_id", "email"); !errors.Is(err, userhash.ErrInvalidInput) {
		t.Errorf("two field names: %v", err)
	}
}

func TestClosedSigner(t *testing.T) {
	s := signer(t, "fluentbot")
	s.Close()
	in := userhash.Input{Visitor: map[string]any{"name": "Ann"}}
	_, e1 := s.Sign(in)
	_, e2 := s.Verify(strings.Repeat("0", 64), in)
	_, e3 := s.Canonical(in)
	_, e4 := s.SignManyJSON([]string{`{"name":"Ann"}`})
	_, e5 := s.Embed(in, map[string]any{"widget": "w"})
	_, e6 := s.SignJSON([]byte(`{}`))
	for i, err := range []error{e1, e2, e3, e4, e5, e6} {
		if !errors.Is(err, userhash.ErrClosed) {
			t.Errorf("call %d after Close: %v", i+1, err)
		}
	}
}
