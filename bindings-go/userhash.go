// Package userhash computes identity-verification hashes for chat and support
// widgets (HMAC-SHA256 over each vendor's canonical identity), byte-identical
// with the vendors' Node.js snippets and with every other userhash binding.
//
// It is a thin cgo layer over the userhash Rust core (the C ABI in
// bindings-c), linked statically from the module's own lib/ directory (see
// link.go; the build tag userhash_dynamic links a library you provide
// instead). Every rule, table and message comes from the core: the preset,
// field and error-code lists and the depth limit are read from the library
// when the package loads, and every error is the core's.
//
//	s, err := userhash.NewSigner(os.Getenv("WIDGET_SECRET"), "ensoras")
//	if err != nil { ... }
//	defer s.Close()
//	hash, err := s.Sign(userhash.Input{Email: user.Email})
//
// A Signer is safe for concurrent use by many goroutines.
package userhash

//go:generate go run ./cmd/userhash-errors

/*
#cgo CFLAGS: -I${SRCDIR}
#include "userhash.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Error is a userhash error as the core reports it: a stable Code (the same
// string in every userhash binding and in the golden vectors), the Path into
// the input where it happened ("visitor.data.created_at"; "" when none), the
// batch Item index (-1 when none) and the core's Message ("item N: path:
// message", each part only when present). Messages never contain secrets.
//
// Match with errors.Is against the sentinels (ErrEmptyIdentity, ...; one per
// status of the C ABI, generated from its header), or errors.As to read the fields.
type Error struct {
	Code    string
	Path    string
	Item    int
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is reports whether target is a sentinel (an *Error without a Message) with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// ErrClosed matches the error of a Signer used after Close: the library is
// then handed no signer and reports `null_argument`.
var ErrClosed = ErrNullArgument

// Read from the library when the package loads.
var (
	version    = C.GoString(C.userhash_version())
	maxDepth   = int(C.userhash_max_depth())
	presets    = names(func(i C.size_t) *C.char { return C.userhash_preset_name(i) })
	fields     = names(func(i C.size_t) *C.char { return C.userhash_field_name(i) })
	errorCodes = names(func(i C.size_t) *C.char { return C.userhash_error_code(i) })
)

// names lists the static strings nth(0), nth(1), … up to the first NULL.
func names(nth func(C.size_t) *C.char) (out []string) {
	for i := C.size_t(0); nth(i) != nil; i++ {
		out = append(out, C.GoString(nth(i)))
	}
	return out
}

// Version is the library's (the core's) version, e.g. "0.1.0".
func Version() string { return version }

// MaxDepth is the deepest nesting a payload may have (the visitor object itself is level 1).
func MaxDepth() int { return maxDepth }

// Presets lists the preset names NewSigner accepts, in the core's order.
func Presets() []string { return slices.Clone(presets) }

// Fields lists the canonical names of the sign-call fields (Input's json names).
func Fields() []string { return slices.Clone(fields) }

// ErrorCodes lists the stable error codes of the core (Error.Code values).
func ErrorCodes() []string { return slices.Clone(errorCodes) }

// fromC is the Go error for a status and the error_out the library filled (nil for OK).
func fromC(st C.userhash_status_t, e *C.userhash_error_t) error {
	if st == C.USERHASH_OK {
		return nil
	}
	defer C.userhash_error_free(e)
	return &Error{C.GoString(C.userhash_status_code(st)), goBytes(e.path), int(e.item), goBytes(e.message)}
}

func goBytes(b C.userhash_bytes_t) string {
	return C.GoStringN((*C.char)(unsafe.Pointer(b.ptr)), C.int(b.len))
}

// cstr and cbytes pass Go memory to C without copying: C only reads it during
// the call, and the length is explicit (NUL bytes are data).
func cstr(s string) (*C.uint8_t, C.size_t) {
	return (*C.uint8_t)(unsafe.StringData(s)), C.size_t(len(s))
}

func cbytes(b []byte) (*C.uint8_t, C.size_t) {
	return (*C.uint8_t)(unsafe.SliceData(b)), C.size_t(len(b))
}

// Signer signs identities for one widget: a secret, a preset (or scheme
// spec) and optional previous secrets accepted by Verify during rotation.
//
// It holds native memory: call Close when done (a finalizer frees it
// otherwise). Safe for concurrent use; calls after Close return ErrClosed.
type Signer struct {
	mu       sync.RWMutex
	ptr      *C.userhash_signer_t
	scheme   string
	batch    string
	previous int
}

// Option configures NewSigner and FromEnv.
type Option func(*config)

type config struct {
	previous []string
	options  map[string]any
}

// WithPrevious adds previous secrets (NewSigner) or the names of the
// environment variables holding them (FromEnv): Verify also accepts hashes
// made with them; Sign always uses the current secret.
func WithPrevious(secrets ...string) Option {
	return func(c *config) { c.previous = append(c.previous, secrets...) }
}

// WithOptions passes signer options to the core, which validates them
// (today it knows none, so any option is ErrInvalidInput).
func WithOptions(options map[string]any) Option { return func(c *config) { c.options = options } }

// NewSigner builds a signer from a widget secret (its bytes are the HMAC
// key) and a preset name (see Presets) or scheme spec such as
// "email:trim_lowercase".
//
// Errors: ErrEmptySecret, ErrUnknownPreset, ErrInvalidUTF8 (preset), ErrInvalidInput (options).
func NewSigner(secret, preset string, opts ...Option) (*Signer, error) {
	return create(secret, preset, opts, false)
}

// FromEnv builds a signer whose secret the core reads from the environment
// variable named variable (and previous secrets from the variables named by
// WithPrevious). An unset or empty variable is ErrEmptySecret naming the
// variable, never its value.
func FromEnv(variable, preset string, opts ...Option) (*Signer, error) {
	return create(variable, preset, opts, true)
}

func create(key, preset string, opts []Option, env bool) (*Signer, error) {
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	w := new(walker)
	options, err := w.encode("options", func() { w.any(c.options, 1) })
	if err != nil {
		return nil, err
	}
	// The previous secrets are passed in place: pinned, so the array of
	// slices (Go memory) may point at them.
	var pin runtime.Pinner
	defer pin.Unpin()
	prev := make([]C.userhash_slice_t, len(c.previous)+1)
	for i, p := range c.previous {
		if prev[i].ptr, prev[i].len = cstr(p); p != "" {
			pin.Pin(prev[i].ptr)
		}
	}
	k, kn := cstr(key)
	p, pn := cstr(preset)
	o, on := cbytes(options)
	s, n, e := new(Signer), C.size_t(len(c.previous)), new(C.userhash_error_t)
	st := C.userhash_status_t(0)
	if env {
		st = C.userhash_signer_from_env(k, kn, p, pn, &prev[0], n, o, on, &s.ptr, e)
	} else {
		st = C.userhash_signer_new(k, kn, p, pn, &prev[0], n, o, on, &s.ptr, e)
	}
	if err := fromC(st, e); err != nil {
		return nil, err
	}
	var b C.userhash_bytes_t
	C.userhash_signer_scheme(s.ptr, &b)
	defer C.userhash_bytes_free(b)
	s.scheme, s.batch, s.previous = goBytes(b), C.GoString(C.userhash_signer_batch_field(s.ptr)), int(C.userhash_signer_previous_count(s.ptr))
	runtime.SetFinalizer(s, (*Signer).Close)
	return s, nil
}

// Close frees the native signer (its key material is zeroized). Idempotent.
func (s *Signer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	C.userhash_signer_free(s.ptr)
	s.ptr = nil
	runtime.SetFinalizer(s, nil)
	return nil
}

// Scheme is the signer's scheme as the core names it: the preset name, or
// "source:transform" for a custom spec.
func (s *Signer) Scheme() string { return s.scheme }

// PreviousCount is the number of previous secrets Verify also tries.
func (s *Signer) PreviousCount() int { return s.previous }

// Fields lists the input fields the signer's scheme reads.
func (s *Signer) Fields() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return names(func(i C.size_t) *C.char { return C.userhash_signer_field(s.ptr, i) })
}

// BatchField is the field SignMany fills when given no field name, or ""
// when the scheme signs one of several fields and the caller must name it.
func (s *Signer) BatchField() string { return s.batch }

// String describes the signer without its secrets; GoString is String, so %#v shows no internals.
func (s *Signer) String() string {
	return fmt.Sprintf("userhash.Signer{scheme: %q, previous secrets: %d}", s.scheme, s.previous)
}

func (s *Signer) GoString() string { return s.String() }

// Sign returns the lowercase hex HMAC-SHA256 of the canonical form of the
// identity in (its values convert as the documentation of Input says).
//
// Errors (all *Error): ErrEmptyIdentity, ErrInvalidInput, ErrInvalidUTF8,
// ErrInvalidJSON, ErrTooDeep, ErrClosed.
func (s *Signer) Sign(in Input) (string, error) {
	// The fast path: one field's text (or JSON text) goes to the core as is.
	if name, v := in.single(); name != "" {
		switch x := v.(type) {
		case string:
			return s.sign(name, x, false, false)
		case json.RawMessage:
			return s.sign(name, unsafe.String(unsafe.SliceData(x), len(x)), true, false)
		}
	}
	w := walkers.Get().(*walker)
	defer walkers.Put(w)
	input, err := w.encode("", func() { w.input(&in) })
	if err != nil {
		return "", err
	}
	return s.SignJSON(input)
}

// sign makes one cgo call: userhash_sign_field for one field's value, or
// userhash_sign (whole) for an input's JSON text. The hash buffer is on the
// stack, so the result string is the only allocation; only a call that
// failed runs again with an error_out for the core's error (calls are pure),
// so that cgo checks no Go pointer but the signer's.
func (s *Signer) sign(field, value string, isJSON, whole bool) (string, error) {
	var out [C.USERHASH_HEX_BUFFER_LEN]byte
	f, fn := cstr(field)
	v, vn := cstr(value)
	o := (*C.char)(unsafe.Pointer(&out[0]))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for e := (*C.userhash_error_t)(nil); ; e = new(C.userhash_error_t) {
		st := C.userhash_status_t(0)
		if whole {
			st = C.userhash_sign(s.ptr, v, vn, o, e)
		} else {
			st = C.userhash_sign_field(s.ptr, f, fn, v, vn, C.bool(isJSON), o, e)
		}
		if st == C.USERHASH_OK {
			return string(out[:64]), nil
		} else if e != nil {
			return "", fromC(st, e)
		}
	}
}

// SignJSON signs input given as JSON text of an object of sign-call fields
// ({"email":...}, {"user_id":42}, {"visitor":{...}}), parsed as JavaScript's
// JSON.parse would (key order kept). For callers that already hold JSON.
func (s *Signer) SignJSON(input []byte) (string, error) {
	return s.sign("", unsafe.String(unsafe.SliceData(input), len(input)), false, true)
}

// Verify reports whether hash is the signature of in (as for Sign) under
// the current or a previous secret (constant-time comparison). A mismatch or
// a malformed hash is (false, nil); input errors are reported as for Sign.
func (s *Signer) Verify(hash string, in Input) (bool, error) {
	return call[bool](s, "verify", &in, nil, hashArg(hash))
}

// VerifyJSON is Verify for input given as JSON text (see SignJSON).
func (s *Signer) VerifyJSON(hash string, input []byte) (bool, error) {
	return call[bool](s, "verify", nil, input, hashArg(hash))
}

// hashArg is the args of an operation on a hash; bytes that are not UTF-8
// are no hex either, and cross as "?" (still malformed).
func hashArg(hash string) map[string]any {
	return map[string]any{"hash": strings.ToValidUTF8(hash, "?")}
}

// Canonical returns the exact string that gets signed for in (the "explain"
// view): useful to debug a mismatch with a vendor.
func (s *Signer) Canonical(in Input) (string, error) {
	return call[string](s, "canonical", &in, nil, nil)
}

// CanonicalJSON is Canonical for input given as JSON text (see SignJSON).
func (s *Signer) CanonicalJSON(input []byte) (string, error) {
	return call[string](s, "canonical", nil, input, nil)
}

// SignMany signs a batch: each value is the text of field (default: the
// signer's BatchField) and the hashes come back in order, hashes[i] for
// values[i]. Large batches are signed on every core.
//
// The first invalid item fails the whole call, named by its index
// ("item 12: user_id: ..."; Error.Item 12); no hashes are returned then.
// The returned strings share one backing array: to keep a few of them long
// after dropping the rest, strings.Clone them.
func (s *Signer) SignMany(values []string, field ...string) ([]string, error) {
	return s.signMany(values, field, false)
}

// SignManyJSON is SignMany for values given as JSON text (a visitor object,
// a number id such as 42).
func (s *Signer) SignManyJSON(values []string, field ...string) ([]string, error) {
	return s.signMany(values, field, true)
}

func (s *Signer) signMany(values, field []string, isJSON bool) ([]string, error) {
	// More than one field name reaches the core joined, which refuses it.
	f, fn := cstr(strings.Join(field, " "))
	out, hashes := make([]byte, len(values)*64), make([]string, len(values))
	// Values are packed into one pointer-free buffer per chunk of 64K (one
	// copy is cheaper than pinning every string; the buffer stays in cache);
	// the core numbers items from each chunk's offset.
	data, lens := []byte(nil), make([]C.size_t, min(len(values), 1<<16))
	for start := 0; start < len(values); start += len(lens) {
		chunk := values[start:min(start+len(lens), len(values))]
		data = data[:0]
		for i, v := range chunk {
			data, lens[i] = append(data, v...), C.size_t(len(v))
		}
		var e C.userhash_error_t
		d, dn := cbytes(data)
		s.mu.RLock()
		st := C.userhash_sign_many_packed(s.ptr, f, fn, d, dn, &lens[0], C.size_t(len(chunk)), C.bool(isJSON),
			C.size_t(start), (*C.char)(unsafe.Pointer(&out[start*64])), &e)
		s.mu.RUnlock()
		if err := fromC(st, &e); err != nil {
			return nil, err
		}
	}
	for i := range hashes {
		hashes[i] = unsafe.String(&out[i*64], 64)
	}
	return hashes, nil
}

// Embed renders the widget snippet of the signer's vendor preset for in,
// with the identity signed and every value escaped for where it lands (HTML
// attribute, JSON inside <script>, URL), identical in every userhash
// language (docs/embed.md). options go to the core, which validates them:
// "widget" (required), "form", "nonce" and the vendor's own (docs/embed.md);
// they convert as Input's values do (a json.RawMessage keeps its key order).
//
//	html, err := signer.Embed(userhash.Input{Email: user.Email},
//		map[string]any{"widget": "acme", "nonce": cspNonce})
func (s *Signer) Embed(in Input, options map[string]any) (string, error) {
	return call[string](s, "embed", &in, nil, options)
}

// EmbedHTML is Embed for html/template: the snippet, already escaped for
// each context inside it, as template.HTML so the template inserts it as is
// ({{.Widget}} in HTML body context). For form "url" use Embed and put the
// URL in an href attribute, where the template escapes it like any URL.
func (s *Signer) EmbedHTML(in Input, options map[string]any) (template.HTML, error) {
	html, err := s.Embed(in, options)
	// #nosec: the core escapes every value for the context it lands in (docs/embed.md).
	return template.HTML(html), err
}

// Call runs the core's operation op (see the C ABI's userhash_operation_name)
// on in with args (converted as Input's values are, under the name
// "options"), and returns its JSON result as the core wrote it.
func (s *Signer) Call(op string, in Input, args map[string]any) (json.RawMessage, error) {
	return call[json.RawMessage](s, op, &in, nil, args)
}

// call runs the core's operation op on in (or, with in nil, on the JSON text
// input) with args, and decodes its JSON result as a T.
func call[T any](s *Signer, op string, in *Input, input []byte, args any) (result T, err error) {
	w := walkers.Get().(*walker)
	defer walkers.Put(w)
	if in != nil {
		if input, err = w.encode("", func() { w.input(in) }); err != nil {
			return result, err
		}
		input = slices.Clone(input)
	}
	a, err := w.encode("options", func() { w.any(args, 1) })
	if err != nil {
		return result, err
	}
	o, on := cstr(op)
	i, n := cbytes(input)
	g, gn := cbytes(a)
	var out C.userhash_bytes_t
	e := new(C.userhash_error_t)
	s.mu.RLock()
	st := C.userhash_call(s.ptr, o, on, i, n, g, gn, &out, e)
	s.mu.RUnlock()
	defer C.userhash_bytes_free(out)
	if err = fromC(st, e); err == nil {
		err = json.Unmarshal(unsafe.Slice((*byte)(out.ptr), out.len), &result)
	}
	return result, err
}

// Token signs a JWT for in (for the signer's token preset) with the core's token options.
func (s *Signer) Token(in Input, opts map[string]any) (string, error) {
	return call[string](s, "token", &in, nil, opts)
}

// VerifyToken checks token (signature, algorithm, times) and returns its claims.
func (s *Signer) VerifyToken(token string, opts map[string]any) (map[string]any, error) {
	args := map[string]any{"token": token}
	maps.Copy(args, opts)
	return call[map[string]any](s, "verify_token", nil, nil, args)
}

// Diagnosis is the core's explanation of why hash does (not) match an identity.
type Diagnosis struct {
	Matched           bool    `json:"matched"`
	Variant           string  `json:"variant"`
	Explanation       string  `json:"explanation"`
	ExpectedCanonical *string `json:"expected_canonical"`
	SignedCanonical   *string `json:"signed_canonical"`
	FirstDifference   *int    `json:"first_difference"`
	Mistakes          []struct {
		ID          string `json:"id"`
		Explanation string `json:"explanation"`
	} `json:"mistakes"`
	Tried int `json:"tried"`
}

// Diagnose reports which known mistake (if any) produced hash for in.
func (s *Signer) Diagnose(hash string, in Input) (Diagnosis, error) {
	return call[Diagnosis](s, "diagnose", &in, nil, hashArg(hash))
}
