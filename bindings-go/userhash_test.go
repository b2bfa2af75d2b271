package userhash_test

// API tests. Every expected hash is a literal computed with Node's crypto
// module (the vendors' snippets), never with userhash itself, e.g.
//   node -e "console.log(require('crypto').createHmac('sha256','s3cr3t')
//            .update('Alice@Example.COM'.toLowerCase()).digest('hex'))"

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"runtime"
	"strings"
	"sync"
	"testing"

	"userhash.dev/userhash"
)

const (
	// createHmac('sha256','s3cr3t').update('Alice@Example.COM'.toLowerCase())
	ensorasAlice = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"
	// createHmac('sha256','s3cr3t').update('Alice@Example.COM')
	layerupAlice = "4d6c781e70af26e6da96cea2d7ae4928dbe6d9d7ab87ace6d0aabf32179367e7"
	// createHmac('sha256','s3cr3t').update('a\u0000b@x.com')
	layerupNUL = "0b3d76603a2917432c095742709b8970107aae943d1f053f8500cb5449c55922"
	// createHmac('sha256','s3cr3t').update(String(42))
	inviaro42 = "7b25340b646377b8707a55deb0f09149bfd93b074f7fadbf7316f978f236fb53"
	// createHmac('sha256','s3cr3t').update('usr_42')
	inviaroUsr42 = "c451a3012303337343394e83c045807aa4a46c78c1b348526584253a91accbb0"
	// createHmac('sha256','s3cr3t').update('9007199254740993')
	inviaroBeyondSafe = "c7aca8d4558a3ea73986e1ab451103c26766569f2bea001addb1eebe80d515f1"
	// createHmac('sha256','s3cr3t').update('-7')
	idMinus7 = "8c97f66a919eb0e922d2de5828b646a1623f62def1f4fb6d2be3fa4a7f65fa2c"
	// createHmac('sha256','s3cr3t').update('ΟΔΟΣ@X.GR'.toLowerCase())  → 'οδος@x.gr' (final sigma)
	ensorasGreek = "e3b4de7eeb88aa5b8f8bd71f4a85fbe47f8a6eb8d2b1c9ea66dd060ce476e851"
	// createHmac('sha256','old').update('a@b.c')
	layerupOldABC = "f574acb1ab8be03a4ed9b8625de39bd3f2220d2eb8a668c55a10cc206502736f"
)

func signer(t testing.TB, preset string, opts ...userhash.Option) *userhash.Signer {
	t.Helper()
	s, err := userhash.NewSigner("s3cr3t", preset, opts...)
	if err != nil {
		t.Fatalf("NewSigner(%q): %v", preset, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustSign(t *testing.T, s *userhash.Signer, in userhash.Input) string {
	t.Helper()
	h, err := s.Sign(in)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", in, err)
	}
	return h
}

func TestPresets(t *testing.T) {
	type UserID string
	n := int32(42)
	cases := []struct {
		preset string
		in     userhash.Input
		want   string
	}{
		{"ensoras", userhash.Input{Email: "Alice@Example.COM"}, ensorasAlice},
		{"ensoras", userhash.Input{Email: "ΟΔΟΣ@X.GR"}, ensorasGreek},
		{"layerup", userhash.Input{Email: "Alice@Example.COM"}, layerupAlice},
		{"layerup", userhash.Input{Email: "a\x00b@x.com"}, layerupNUL},
		{"inviaro", userhash.Input{UserID: 42}, inviaro42},
		{"inviaro", userhash.Input{UserID: uint8(42)}, inviaro42},
		{"inviaro", userhash.Input{UserID: &n}, inviaro42},
		{"inviaro", userhash.Input{UserID: "42"}, inviaro42},
		{"inviaro", userhash.Input{UserID: json.Number("42")}, inviaro42},
		{"inviaro", userhash.Input{UserID: UserID("usr_42")}, inviaroUsr42},
		{"inviaro", userhash.Input{UserID: "usr_42"}, inviaroUsr42},
		// Beyond 2^53 an integer id keeps every digit (it is signed as text).
		{"inviaro", userhash.Input{UserID: int64(9007199254740993)}, inviaroBeyondSafe},
		{"inviaro", userhash.Input{UserID: big.NewInt(9007199254740993)}, inviaroBeyondSafe},
		{"inviaro", userhash.Input{UserID: -7}, idMinus7},
		{"supportwire", userhash.Input{Email: " Alice@Example.COM\u00a0\ufeff"}, ensorasAlice},
		{"supportwire", userhash.Input{ExternalID: "\tALICE@example.com ", Email: "ignored@x.com"}, ensorasAlice},
		{"supportwire", userhash.Input{ExternalID: -7}, idMinus7},
		{"supportwire", userhash.Input{ExternalID: (*string)(nil), Email: "alice@example.com"}, ensorasAlice},
	}
	for _, c := range cases {
		s := signer(t, c.preset)
		if got := mustSign(t, s, c.in); got != c.want {
			t.Errorf("%s %+v: got %s, want %s", c.preset, c.in, got, c.want)
		}
		if ok, err := s.Verify(c.want, c.in); err != nil || !ok {
			t.Errorf("%s %+v: Verify = %v, %v", c.preset, c.in, ok, err)
		}
	}
}

type visitor struct {
	Name  string          `json:"name,omitempty"`
	Email string          `json:"email"`
	Data  json.RawMessage `json:"data"`
}

func TestVisitorShapes(t *testing.T) {
	s := signer(t, "fluentbot")
	cases := []struct {
		name      string
		visitor   any
		canonical string
		hash      string
	}{
		{
			// Struct with a json.RawMessage data: order kept, array-index keys
			// first (JS property order), <>& not escaped.
			"struct",
			visitor{Name: "Ann <&>", Email: "ann@x.com", Data: json.RawMessage(`{"plan":"pro","seats":3,"10":true,"ratio":0.1}`)},
			`{"name":"Ann <&>","email":"ann@x.com","data":{"10":true,"plan":"pro","seats":3,"ratio":0.1}}`,
			// JSON.stringify({name:'Ann <&>',email:'ann@x.com',data:{plan:'pro',seats:3,'10':true,ratio:0.1}})
			"9811b43efa660f39a6910a7e705676a29927c9a2a5f3a87232f6571ea05a78da",
		},
		{
			"raw",
			json.RawMessage(`{"email":"ann@x.com","name":"Ann <&>","data":{"plan":"pro","seats":3.0,"10":true,"ratio":1e-1}}`),
			`{"name":"Ann <&>","email":"ann@x.com","data":{"10":true,"plan":"pro","seats":3,"ratio":0.1}}`,
			"9811b43efa660f39a6910a7e705676a29927c9a2a5f3a87232f6571ea05a78da",
		},
		{
			// A map has no order: its keys are sent sorted (a, b, z here).
			"map",
			map[string]any{"data": map[string]any{"z": 2, "a": 1, "b": []any{1.5, nil, "x"}}, "email": "ann@x.com", "name": "Ann"},
			`{"name":"Ann","email":"ann@x.com","data":{"a":1,"b":[1.5,null,"x"],"z":2}}`,
			// JSON.stringify({name:'Ann',email:'ann@x.com',data:{a:1,b:[1.5,null,'x'],z:2}})
			"55e786b17af7dc9ad85cd8c15ab12a261e2b441d556d2d4917cf58f0b651dc94",
		},
		{
			// Numbers as JS formats them: 1e21 → 1e+21, -0 → 0.
			"numbers",
			struct {
				Email string `json:"email"`
				Data  struct {
					Big float64 `json:"big"`
					Neg float64 `json:"neg"`
					N   any     `json:"n"`
				} `json:"data"`
			}{Email: "ann@x.com", Data: struct {
				Big float64 `json:"big"`
				Neg float64 `json:"neg"`
				N   any     `json:"n"`
			}{Big: 1e21, Neg: math.Copysign(0, -1)}},
			`{"email":"ann@x.com","data":{"big":1e+21,"neg":0,"n":null}}`,
			// JSON.stringify({email:'ann@x.com',data:{big:1e21,neg:-0,n:null}})
			"2023ca653ee66dede15924b3ba886ad956aa7f776b3a0aa4d4adcf06b61994dd",
		},
	}
	for _, c := range cases {
		in := userhash.Input{Visitor: c.visitor}
		got, err := s.Canonical(in)
		if err != nil || got != c.canonical {
			t.Errorf("%s: Canonical = %q, %v; want %q", c.name, got, err, c.canonical)
		}
		if h := mustSign(t, s, in); h != c.hash {
			t.Errorf("%s: hash %s, want %s", c.name, h, c.hash)
		}
	}
	// NaN and ±Infinity serialize as null, as JSON.stringify does.
	got, err := s.Canonical(userhash.Input{Visitor: map[string]any{"email": "x", "data": []any{math.NaN(), math.Inf(1), math.Inf(-1)}}})
	if err != nil || got != `{"email":"x","data":[null,null,null]}` {
		t.Errorf("non-finite floats: %q, %v", got, err)
	}
}

func TestErrors(t *testing.T) {
	deepMap := map[string]any{"email": "x"}
	cur := deepMap
	for i := 0; i < 100000; i++ {
		next := map[string]any{}
		cur["data"] = next
		cur = next
	}
	var deepSlice any = 1
	for i := 0; i < 100000; i++ {
		deepSlice = []any{deepSlice}
	}
	ensoras := signer(t, "ensoras")
	inviaro := signer(t, "inviaro")
	fluentbot := signer(t, "fluentbot")
	cases := []struct {
		name    string
		s       *userhash.Signer
		in      userhash.Input
		want    error
		message string
	}{
		{"empty email", ensoras, userhash.Input{Email: ""}, userhash.ErrEmptyIdentity, "email is empty"},
		{"no email", ensoras, userhash.Input{UserID: "u1"}, userhash.ErrInvalidInput, "unexpected field user_id"},
		{"empty id", inviaro, userhash.Input{UserID: ""}, userhash.ErrEmptyIdentity, "user_id is empty"},
		{"float id", inviaro, userhash.Input{UserID: 42.0}, userhash.ErrInvalidInput, "float"},
		// NaN is null (JSON.stringify), which is no id either.
		{"NaN id", inviaro, userhash.Input{UserID: math.NaN()}, userhash.ErrInvalidInput, "got null"},
		{"bool id", inviaro, userhash.Input{UserID: true}, userhash.ErrInvalidInput, "boolean"},
		{"struct id", inviaro, userhash.Input{UserID: struct{}{}}, userhash.ErrInvalidInput, "user_id: must be a string or an integer, got an object"},
		{"bad raw id", inviaro, userhash.Input{UserID: json.RawMessage(`1,"x"`)}, userhash.ErrInvalidJSON, "user_id"},
		{"invalid UTF-8 email", ensoras, userhash.Input{Email: "a\xffb"}, userhash.ErrInvalidUTF8, "email"},
		{"invalid UTF-8 in visitor", fluentbot, userhash.Input{Visitor: map[string]any{"email": "x", "data": []any{"ok", "\xc3"}}},
			userhash.ErrInvalidUTF8, "visitor.data[1]: string is not valid UTF-8"},
		{"bad raw visitor", fluentbot, userhash.Input{Visitor: json.RawMessage(`{"email":`)}, userhash.ErrInvalidJSON, ""},
		{"empty visitor", fluentbot, userhash.Input{Visitor: map[string]any{}}, userhash.ErrEmptyIdentity, ""},
		{"visitor not an object", fluentbot, userhash.Input{Visitor: "a@b.c"}, userhash.ErrInvalidInput, "visitor"},
		{"unsupported type", fluentbot, userhash.Input{Visitor: map[string]any{"email": "x", "data": map[string]any{"f": func() {}}}},
			userhash.ErrInvalidInput, "visitor.data.f"},
		{"deep map", fluentbot, userhash.Input{Visitor: deepMap}, userhash.ErrTooDeep, "nesting deeper than 128"},
		{"deep slice", fluentbot, userhash.Input{Visitor: map[string]any{"email": "x", "data": deepSlice}}, userhash.ErrTooDeep, ""},
		{"deep raw", fluentbot, userhash.Input{Visitor: json.RawMessage(`{"data":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`)},
			userhash.ErrTooDeep, ""},
	}
	for _, c := range cases {
		_, err := c.s.Sign(c.in)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Sign error %v, want %v", c.name, err, c.want)
			continue
		}
		var e *userhash.Error
		if !errors.As(err, &e) || e.Code != c.want.(*userhash.Error).Code || !strings.Contains(e.Message, c.message) {
			t.Errorf("%s: error %#v, want message containing %q", c.name, err, c.message)
		}
		if _, err := c.s.Canonical(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: Canonical error %v", c.name, err)
		}
		if ok, err := c.s.Verify(ensorasAlice, c.in); ok || !errors.Is(err, c.want) {
			t.Errorf("%s: Verify = %v, %v", c.name, ok, err)
		}
	}
	// Sentinels are distinct.
	if errors.Is(userhash.ErrEmptyIdentity, userhash.ErrInvalidInput) {
		t.Error("sentinels compare equal")
	}
}

func TestNewSignerErrors(t *testing.T) {
	for _, c := range []struct {
		secret, preset string
		opts           []userhash.Option
		want           error
	}{
		{"", "ensoras", nil, userhash.ErrEmptySecret},
		{"s3cr3t", "nope", nil, userhash.ErrUnknownPreset},
		{"s3cr3t", "Ensoras", nil, userhash.ErrUnknownPreset},
		{"s3cr3t", "ens\xffras", nil, userhash.ErrInvalidUTF8},
		{"s3cr3t", "ensoras", []userhash.Option{userhash.WithPrevious("old", "")}, userhash.ErrEmptySecret},
	} {
		s, err := userhash.NewSigner(c.secret, c.preset, c.opts...)
		if s != nil || !errors.Is(err, c.want) {
			t.Errorf("NewSigner(%q): %v, %v; want %v", c.preset, s, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error shows the secret: %v", err)
		}
	}
	// A scheme spec instead of a preset name.
	s := signer(t, "email:trim_lowercase")
	if h := mustSign(t, s, userhash.Input{Email: " Alice@Example.COM "}); h != ensorasAlice {
		t.Errorf("scheme spec: %s", h)
	}
}

func TestRotation(t *testing.T) {
	s := signer(t, "layerup", userhash.WithPrevious("older"), userhash.WithPrevious("old"))
	in := userhash.Input{Email: "a@b.c"}
	if ok, err := s.Verify(layerupOldABC, in); err != nil || !ok {
		t.Fatalf("old hash not accepted: %v, %v", ok, err)
	}
	h := mustSign(t, s, in)
	if h == layerupOldABC {
		t.Fatal("Sign used a previous secret")
	}
	for _, bad := range []string{"", "xyz", strings.ToUpper(h), h[:63], h + "0"} {
		if ok, err := s.Verify(bad, in); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v", bad, ok, err)
		}
	}
	plain := signer(t, "layerup")
	if ok, _ := plain.Verify(layerupOldABC, in); ok {
		t.Error("old hash accepted without WithPrevious")
	}
}

func TestCloseAndString(t *testing.T) {
	s, err := userhash.NewSigner("s3cr3t", "ensoras", userhash.WithPrevious("t0p-s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, s); strings.Contains(out, "s3cr3t") || strings.Contains(out, "t0p") {
			t.Errorf("%s shows a secret: %s", f, out)
		}
	}
	if got := s.String(); got != `userhash.Signer{scheme: "ensoras", previous secrets: 1}` {
		t.Errorf("String() = %s", got)
	}
	s.Close()
	s.Close() // idempotent
	if _, err := s.Sign(userhash.Input{Email: "a@b.c"}); !errors.Is(err, userhash.ErrClosed) {
		t.Errorf("Sign after Close: %v", err)
	}
	if _, err := s.Verify(ensorasAlice, userhash.Input{Email: "a@b.c"}); !errors.Is(err, userhash.ErrClosed) {
		t.Errorf("Verify after Close: %v", err)
	}
	// Signers left to the garbage collector are freed by the finalizer.
	for i := 0; i < 1000; i++ {
		if _, err := userhash.NewSigner("s3cr3t", "ensoras"); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
}

func TestJSONEntryPoints(t *testing.T) {
	s := signer(t, "inviaro")
	if h, err := s.SignJSON([]byte(`{"userId":42}`)); err != nil || h != inviaro42 {
		t.Errorf("SignJSON: %s, %v", h, err)
	}
	if c, err := s.CanonicalJSON([]byte(`{"user_id":"usr_42"}`)); err != nil || c != "usr_42" {
		t.Errorf("CanonicalJSON: %q, %v", c, err)
	}
	if ok, err := s.VerifyJSON(inviaroUsr42, []byte(`{"user_id":"usr_42"}`)); err != nil || !ok {
		t.Errorf("VerifyJSON: %v, %v", ok, err)
	}
	if _, err := s.SignJSON([]byte(`{"user_id":`)); !errors.Is(err, userhash.ErrInvalidJSON) {
		t.Errorf("SignJSON bad JSON: %v", err)
	}
	if _, err := s.SignJSON([]byte("{\"user_id\":\"\xff\"}")); !errors.Is(err, userhash.ErrInvalidUTF8) {
		t.Errorf("SignJSON bad UTF-8: %v", err)
	}
}

// One signer shared by many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	s := signer(t, "ensoras")
	fb := signer(t, "fluentbot")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				h, err := s.Sign(userhash.Input{Email: "Alice@Example.COM"})
				if err != nil || h != ensorasAlice {
					errs <- fmt.Errorf("Sign: %s, %v", h, err)
					return
				}
				if ok, err := s.Verify(ensorasAlice, userhash.Input{Email: "alice@example.com"}); err != nil || !ok {
					errs <- fmt.Errorf("Verify: %v, %v", ok, err)
					return
				}
				if _, err := fb.Canonical(userhash.Input{Visitor: map[string]any{"email": "x", "data": []any{i}}}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSignMany(t *testing.T) {
	inviaro := signer(t, "inviaro")
	for _, field := range [][]string{nil, {"user_id"}, {"userId"}} {
		got, err := inviaro.SignMany([]string{"42", "usr_42", "42"}, field...)
		if err != nil || len(got) != 3 || got[0] != inviaro42 || got[1] != inviaroUsr42 || got[2] != inviaro42 {
			t.Errorf("SignMany(%v): %v, %v", field, got, err)
		}
	}
	if got, err := inviaro.SignMany(nil); err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty batch: %#v, %v", got, err)
	}
	// The first bad item fails the call, named by its index.
	_, err := inviaro.SignMany([]string{"1", "2", ""})
	var e *userhash.Error
	if !errors.Is(err, userhash.ErrEmptyIdentity) || !errors.As(err, &e) || !strings.HasPrefix(e.Message, "item 2: ") {
		t.Errorf("empty item: %v", err)
	}
	_, err = inviaro.SignMany([]string{"1", "\xc3(", "3"})
	if !errors.Is(err, userhash.ErrInvalidUTF8) || !errors.As(err, &e) || !strings.HasPrefix(e.Message, "item 1: ") {
		t.Errorf("invalid UTF-8 item: %v", err)
	}
	for _, field := range [][]string{{"email"}, {"name"}, {"user_id", "email"}} {
		if _, err := inviaro.SignMany([]string{"1"}, field...); !errors.Is(err, userhash.ErrInvalidInput) {
			t.Errorf("field %v: %v", field, err)
		}
	}
	ensoras := signer(t, "ensoras")
	if got, err := ensoras.SignMany([]string{"Alice@Example.COM"}); err != nil || got[0] != ensorasAlice {
		t.Errorf("ensoras: %v, %v", got, err)
	}
	sw := signer(t, "supportwire")
	if _, err := sw.SignMany([]string{"a@b.c"}); !errors.Is(err, userhash.ErrInvalidInput) {
		t.Errorf("supportwire without a field: %v", err)
	}
	if got, err := sw.SignMany([]string{"\tALICE@example.com "}, "external_id"); err != nil || got[0] != ensorasAlice {
		t.Errorf("supportwire external_id: %v, %v", got, err)
	}
	fb := signer(t, "fluentbot")
	got, err := fb.SignManyJSON([]string{`{"name":"Ann <&>","email":"ann@x.com","data":{"plan":"pro","seats":3,"10":true,"ratio":0.1}}`})
	if err != nil || got[0] != "9811b43efa660f39a6910a7e705676a29927c9a2a5f3a87232f6571ea05a78da" {
		t.Errorf("fluentbot: %v, %v", got, err)
	}
	if _, err := fb.SignMany([]string{`{"email":"x"}`}); !errors.Is(err, userhash.ErrInvalidInput) {
		t.Errorf("fluentbot visitor as text: %v", err)
	}
	if _, err := fb.SignManyJSON([]string{`{"email":"x"}`, `{"email":`}); !errors.Is(err, userhash.ErrInvalidJSON) || !errors.As(err, &e) || e.Item != 1 {
		t.Errorf("fluentbot bad JSON: %v", err)
	}

	// A batch that runs on every core and spans several chunks equals one-by-one signing.
	ids := make([]string, 70000)
	for i := range ids {
		ids[i] = fmt.Sprintf("usr_%d", i)
	}
	hashes, err := inviaro.SignMany(ids)
	if err != nil || len(hashes) != len(ids) {
		t.Fatalf("large batch: %d, %v", len(hashes), err)
	}
	for i := 0; i < len(ids); i += 991 {
		if h := mustSign(t, inviaro, userhash.Input{UserID: ids[i]}); h != hashes[i] {
			t.Fatalf("item %d: %s != %s", i, hashes[i], h)
		}
	}
	ids[66000] = ""
	if _, err := inviaro.SignMany(ids); !errors.As(err, &e) || !strings.HasPrefix(e.Message, "item 66000: ") {
		t.Errorf("bad item in a later chunk: %v", err)
	}

	closed := signer(t, "inviaro")
	closed.Close()
	if _, err := closed.SignMany([]string{"1"}); !errors.Is(err, userhash.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestEmbed(t *testing.T) {
	ensoras := signer(t, "ensoras")
	html, err := ensoras.Embed(userhash.Input{Email: "</script>@x.com"}, map[string]any{"widget": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	hash := mustSign(t, ensoras, userhash.Input{Email: "</script>@x.com"})
	if !strings.Contains(html, `Ensoras('identify', {"email":"\u003c/script\u003e@x.com","hash":"`+hash+`"});`) ||
		!strings.HasSuffix(html, `<script src="https://app.ensoras.com/cdn/v1/widget/acme.js" async defer></script>`) {
		t.Errorf("ensoras snippet:\n%s", html)
	}
	// A CSP nonce on every script tag; the identify form is a bare statement.
	html, err = ensoras.Embed(userhash.Input{Email: "Alice@Example.COM"}, map[string]any{"widget": "acme", "nonce": "n0nce"})
	if err != nil || strings.Count(html, `nonce="n0nce"`) != strings.Count(html, "<script") {
		t.Errorf("nonce: %v\n%s", err, html)
	}
	js, err := ensoras.Embed(userhash.Input{Email: "Alice@Example.COM"}, map[string]any{"widget": "acme", "form": "identify", "nonce": nil})
	if err != nil || js != `Ensoras('identify', {"email":"Alice@Example.COM","hash":"`+ensorasAlice+`"});` {
		t.Errorf("identify: %q, %v", js, err)
	}
	tmpl, err := ensoras.EmbedHTML(userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "acme"})
	if err != nil || !strings.Contains(string(tmpl), "Ensoras('identify'") {
		t.Errorf("EmbedHTML: %v", err)
	}

	layerup := signer(t, "layerup")
	url, err := layerup.Embed(userhash.Input{Email: "Alice@Example.COM"}, map[string]any{"widget": "w 1", "form": "url"})
	if err != nil || url != "https://us.uselayerup.com/widget/w%201?ue=Alice%40Example.COM&uh="+layerupAlice {
		t.Errorf("layerup url: %q, %v", url, err)
	}

	inviaro := signer(t, "inviaro")
	html, err = inviaro.Embed(userhash.Input{UserID: 42}, map[string]any{"widget": "wt_1", "name": "Ann", "email": "ann@x.com"})
	if err != nil || !strings.Contains(html, `"userId":"42","userHash":"`+inviaro42+`"`) || !strings.Contains(html, `"userName":"Ann"`) {
		t.Errorf("inviaro: %v\n%s", err, html)
	}

	// SupportWire userData: a json.RawMessage keeps its key order.
	sw := signer(t, "supportwire")
	html, err = sw.Embed(userhash.Input{Email: "Alice@Example.COM"},
		map[string]any{"widget": "sw", "data": json.RawMessage(`{"z":1,"a":"<b>"}`)})
	if err != nil || !strings.Contains(html, `"userData":{"z":1,"a":"\u003cb\u003e"}`) {
		t.Errorf("supportwire: %v\n%s", err, html)
	}

	fb := signer(t, "fluentbot")
	v := json.RawMessage(`{"name":"Ann","email":"ann@x.com","data":{"plan":"pro","10":1}}`)
	html, err = fb.Embed(userhash.Input{Visitor: v}, map[string]any{"widget": "bot"})
	h := mustSign(t, fb, userhash.Input{Visitor: v})
	if err != nil || !strings.Contains(html, `FluentBotChatWidget.injectWidget("bot", {"visitor":{"name":"Ann","email":"ann@x.com","data":{"10":1,"plan":"pro"},"signature":"`+h+`"}});`) {
		t.Errorf("fluentbot: %v\n%s", err, html)
	}

	// Errors.
	var e *userhash.Error
	for _, c := range []struct {
		s       *userhash.Signer
		in      userhash.Input
		opts    map[string]any
		want    error
		message string
	}{
		{ensoras, userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "acme", "color": "red"}, userhash.ErrInvalidInput, "color"},
		{ensoras, userhash.Input{Email: "a@b.c"}, map[string]any{}, userhash.ErrInvalidInput, "widget is required"},
		{ensoras, userhash.Input{Email: "a@b.c"}, nil, userhash.ErrInvalidInput, "options must be an object"},
		{ensoras, userhash.Input{Email: "a@b.c"}, map[string]any{"widget": 7}, userhash.ErrInvalidInput, "widget"},
		{ensoras, userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "a\xffb"}, userhash.ErrInvalidUTF8, "options.widget"},
		{ensoras, userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "acme", "form": "url"}, userhash.ErrInvalidInput, "form"},
		{ensoras, userhash.Input{Email: ""}, map[string]any{"widget": "acme"}, userhash.ErrEmptyIdentity, "email"},
		{signer(t, "email:trim_lowercase"), userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "acme"}, userhash.ErrInvalidInput, "vendor preset"},
	} {
		out, err := c.s.Embed(c.in, c.opts)
		if out != "" || !errors.Is(err, c.want) || !errors.As(err, &e) || !strings.Contains(e.Message, c.message) {
			t.Errorf("Embed(%+v, %v) = %q, %v; want %v with %q", c.in, c.opts, out, err, c.want, c.message)
		}
	}
	closed := signer(t, "ensoras")
	closed.Close()
	if _, err := closed.Embed(userhash.Input{Email: "a@b.c"}, map[string]any{"widget": "w"}); !errors.Is(err, userhash.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func BenchmarkSignEmail(b *testing.B) {
	s := signer(b, "ensoras")
	in := userhash.Input{Email: "Alice@Example.COM"}
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignVisitor(b *testing.B) {
	s := signer(b, "fluentbot")
	in := userhash.Input{Visitor: json.RawMessage(`{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}`)}
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignUserID(b *testing.B) {
	s := signer(b, "inviaro")
	ids := []string{"usr_100000", "usr_107919"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(userhash.Input{UserID: ids[i&1]}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignVisitorMap(b *testing.B) {
	s := signer(b, "fluentbot")
	data := map[string]any{
		"plan": "enterprise", "account_id": "ACME-1007", "seats": 42, "mrr": 1299.5,
		"trial": false, "signup": "2024-03-14T09:26:53Z", "country": "GB", "locale": "en-GB",
		"team": "Support Ops", "tags": []any{"vip", "beta"},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Sign(userhash.Input{Visitor: map[string]any{"name": "Alice Liddell", "email": "alice.liddell@example.com", "data": data}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignMany(b *testing.B) {
	s := signer(b, "inviaro")
	ids := make([]string, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Sprint(1_000_000 + i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.SignMany(ids); err != nil {
			b.Fatal(err)
		}
	}
}
