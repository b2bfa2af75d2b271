// Package userhash computes identity-verification hashes for chat and support
// widgets (HMAC-SHA256 over each vendor's canonical identity), byte-identical
// with the vendors' Node.js snippets and with every other userhash binding.
//
// It is a thin cgo layer over the userhash Rust core (the C ABI in
// bindings-c), linked statically: run `make c-lib` at the repository root
// before `go build`. Every rule, table and message comes from the core: the
// preset, field and error-code lists and the depth limit are read from the
// library when the package loads, and every error is the core's.
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
#cgo CFLAGS: -I${SRCDIR}/../bindings-c/include
#cgo LDFLAGS: ${SRCDIR}/../build/c/lib/libuserhash.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
#include "userhash.h"
*/
import "C"

import (
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
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
	options, err := new(walker).encode(c.options, "options", 1)
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
	var ptr *C.userhash_signer_t
	e, n, st := new(C.userhash_error_t), C.size_t(len(c.previous)), C.userhash_status_t(0)
	if env {
		st = C.userhash_signer_from_env(k, kn, p, pn, &prev[0], n, o, on, &ptr, e)
	} else {
		st = C.userhash_signer_new(k, kn, p, pn, &prev[0], n, o, on, &ptr, e)
	}
	if err := fromC(st, e); err != nil {
		return nil, err
	}
	s := &Signer{ptr: ptr, previous: int(C.userhash_signer_previous_count(ptr)), batch: C.GoString(C.userhash_signer_batch_field(ptr))}
	var b C.userhash_bytes_t
	C.userhash_signer_scheme(ptr, &b)
	s.scheme = goBytes(b)
	C.userhash_bytes_free(b)
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

// call runs f under the read lock. A call that fails runs again with an
// error_out for the core's error (calls are pure), so one that succeeds
// allocates nothing for errors.
func (s *Signer) call(f func(*C.userhash_signer_t, *C.userhash_error_t) C.userhash_status_t) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f(s.ptr, nil) == C.USERHASH_OK {
		return nil
	}
	e := new(C.userhash_error_t)
	return fromC(f(s.ptr, e), e)
}

// hex runs a signing call into a fresh buffer that becomes the returned string.
func (s *Signer) hex(f func(*C.userhash_signer_t, *C.char, *C.userhash_error_t) C.userhash_status_t) (string, error) {
	buf := make([]byte, C.USERHASH_HEX_BUFFER_LEN)
	out := (*C.char)(unsafe.Pointer(&buf[0]))
	err := s.call(func(p *C.userhash_signer_t, e *C.userhash_error_t) C.userhash_status_t { return f(p, out, e) })
	if err != nil {
		return "", err
	}
	return unsafe.String(&buf[0], 64), nil
}

// Sign returns the lowercase hex HMAC-SHA256 of the canonical form of the
// identity in (its values convert as the documentation of Input says).
//
// Errors (all *Error): ErrEmptyIdentity, ErrInvalidInput, ErrInvalidUTF8,
// ErrInvalidJSON, ErrTooDeep, ErrClosed.
func (s *Signer) Sign(in Input) (string, error) {
	name, v := in.single()
	raw, isJSON := v.(json.RawMessage)
	text, ok := v.(string)
	if isJSON {
		text = unsafe.String(unsafe.SliceData(raw), len(raw))
	} else if !ok {
		return viaJSON(s, in, s.SignJSON)
	}
	// The fast path: one field's text (or JSON text) goes to the core as is,
	// named unless it is the scheme's batch field (the core's default).
	f, fn := cstr(name)
	if name == s.batch {
		fn = 0
	}
	t, tn := cstr(text)
	return s.hex(func(p *C.userhash_signer_t, out *C.char, e *C.userhash_error_t) C.userhash_status_t {
		return C.userhash_sign_field(p, f, fn, t, tn, C.bool(isJSON), out, e)
	})
}

// viaJSON converts the identity into JSON text and hands it to f.
func viaJSON[T any](s *Signer, in Input, f func([]byte) (T, error)) (T, error) {
	w := walkers.Get().(*walker)
	defer walkers.Put(w)
	text, err := w.encode(in, "", 0)
	if err != nil {
		return *new(T), err
	}
	return f(text)
}

// Verify reports whether hash is the signature of in (as for Sign) under
// the current or a previous secret (constant-time comparison). A mismatch or
// a malformed hash is (false, nil); input errors are reported as for Sign.
func (s *Signer) Verify(hash string, in Input) (bool, error) {
	return viaJSON(s, in, func(text []byte) (bool, error) { return s.VerifyJSON(hash, text) })
}

// Canonical returns the exact string that gets signed for in (the "explain"
// view): useful to debug a mismatch with a vendor.
func (s *Signer) Canonical(in Input) (string, error) { return viaJSON(s, in, s.CanonicalJSON) }

// SignJSON signs input given as JSON text of an object of sign-call fields
// ({"email":...}, {"user_id":42}, {"visitor":{...}}), parsed as JavaScript's
// JSON.parse would (key order kept). For callers that already hold JSON.
func (s *Signer) SignJSON(input []byte) (string, error) {
	in, n := cbytes(input)
	return s.hex(func(p *C.userhash_signer_t, out *C.char, e *C.userhash_error_t) C.userhash_status_t {
		return C.userhash_sign(p, in, n, out, e)
	})
}

// VerifyJSON is Verify for input given as JSON text (see SignJSON).
func (s *Signer) VerifyJSON(hash string, input []byte) (bool, error) {
	// A hash that is not UTF-8 crosses with U+FFFD in place (malformed, so false).
	args, _ := json.Marshal(map[string]string{"hash": hash})
	return decodeJSON[bool](s, "verify", input, args)
}

// CanonicalJSON is Canonical for input given as JSON text (see SignJSON).
func (s *Signer) CanonicalJSON(input []byte) (string, error) {
	return decodeJSON[string](s, "canonical", input, nil)
}

// callJSON runs the core's operation op on JSON text input with JSON text
// args (nil for none) and returns the result's JSON text.
func (s *Signer) callJSON(op string, input, args []byte) (json.RawMessage, error) {
	o, on := cstr(op)
	i, n := cbytes(input)
	g, gn := cbytes(args)
	out, err := s.text(func(p *C.userhash_signer_t, b *C.userhash_bytes_t, e *C.userhash_error_t) C.userhash_status_t {
		return C.userhash_call(p, o, on, i, n, g, gn, b, e)
	})
	return json.RawMessage(out), err
}

// decodeJSON is callJSON with the result decoded into a T.
func decodeJSON[T any](s *Signer, op string, input, args []byte) (out T, err error) {
	raw, err := s.callJSON(op, input, args)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	return out, err
}

// text runs a call that writes library-owned bytes and returns them as a string.
func (s *Signer) text(f func(*C.userhash_signer_t, *C.userhash_bytes_t, *C.userhash_error_t) C.userhash_status_t) (string, error) {
	var out C.userhash_bytes_t
	err := s.call(func(p *C.userhash_signer_t, e *C.userhash_error_t) C.userhash_status_t { return f(p, &out, e) })
	defer C.userhash_bytes_free(out)
	return goBytes(out), err
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
	out := make([]byte, len(values)*64)
	hashes := make([]string, len(values))
	// Values are packed into one pointer-free buffer per chunk of 64K (one
	// copy is cheaper than pinning every string); the core numbers items from
	// each chunk's offset.
	data, lens := []byte(nil), make([]C.size_t, min(len(values), 1<<16))
	for start := 0; start < len(values); start += len(lens) {
		chunk := values[start:min(start+len(lens), len(values))]
		data = data[:0]
		for i, v := range chunk {
			data, lens[i] = append(data, v...), C.size_t(len(v))
		}
		d, dn := cbytes(data)
		err := s.call(func(p *C.userhash_signer_t, e *C.userhash_error_t) C.userhash_status_t {
			return C.userhash_sign_many_packed(p, f, fn, d, dn, &lens[0], C.size_t(len(chunk)),
				C.bool(isJSON), C.size_t(start), (*C.char)(unsafe.Pointer(&out[start*64])), e)
		})
		if err != nil {
			return nil, err
		}
		for i := range chunk {
			hashes[start+i] = unsafe.String(&out[(start+i)*64], 64)
		}
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
	input, err := new(walker).encode(in, "", 0)
	opts, err2 := new(walker).encode(options, "options", 1)
	if err != nil || err2 != nil {
		return "", cmp.Or(err, err2)
	}
	return decodeJSON[string](s, "embed", input, opts)
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

// Input holds the fields of one sign call; each scheme reads its own (see
// Signer.Fields). It converts like any struct: a nil field is absent, and
// the core validates every name and value (Input{Email: ""} is
// ErrEmptyIdentity; a field the scheme does not read is ErrInvalidInput).
//
// Every value the package converts (Input fields, map values, struct
// fields, options) follows one policy, the table in
// docs/canonicalization.md shared by every userhash language:
//
//   - strings (valid UTF-8), booleans, nil, Go integers (exact as an id; a
//     payload number is rounded to a double as JSON.parse would) and floats
//     (NaN and ±Inf become null, as JSON.stringify writes them; an id must
//     not be a float);
//   - maps with string keys (sent with their keys sorted: a Go map has no
//     order), slices and arrays, structs by encoding/json's field rules
//     (json tags, "-", omitempty, omitzero, unexported fields skipped, embedded
//     structs inlined; of members with one name the least nested, then
//     the first, is kept; a map field tagged ",inline" adds its entries),
//     pointers and interfaces to any of these;
//   - json.RawMessage and json.Number: JSON text, sent as written (a
//     RawMessage visitor keeps its key order; text that is not JSON, or
//     not UTF-8, is reported by the core's parser, without a path);
//   - *big.Int as an id (user_id, external_id): its decimal digits.
//
// Refused with ErrInvalidInput naming the path: time.Time, big.Float,
// big.Int inside a payload, []byte, types with their own MarshalJSON or
// MarshalText, maps with non-string keys, functions and channels. Strings
// that are not UTF-8 are ErrInvalidUTF8; nesting deeper than MaxDepth (a
// value that contains itself included) is ErrTooDeep.
type Input struct {
	Email      any `json:"email,omitempty"`
	UserID     any `json:"user_id,omitempty"`
	ExternalID any `json:"external_id,omitempty"`
	Visitor    any `json:"visitor,omitempty"`
	// Fields are more fields by name (any the core knows, aliases such as
	// "userId" too), after the named ones: a map of fields as an Input.
	Fields map[string]any `json:",inline"`
}

// inputNames are Input's json names, in field order (read from its tags).
var inputNames = func() (names [4]string) {
	for i := range names {
		names[i] = fieldsOf(reflect.TypeOf(Input{}))[i].name
	}
	return names
}()

// single reports an Input's one field when it has exactly one (the fast path).
func (in *Input) single() (name string, value any) {
	n := 0
	for i, v := range [...]any{in.Email, in.UserID, in.ExternalID, in.Visitor} {
		if v != nil {
			n, name, value = n+1, inputNames[i], v
		}
	}
	for k, v := range in.Fields {
		n, name, value = n+1, k, v
	}
	if n != 1 {
		return "", nil
	}
	return name, value
}

// walker writes a native value as the JSON text the core reads.
type walker struct {
	buf   []byte
	root  string // the name of the value ("options"), "" for an input of fields
	path  []seg  // where the walker is below root, rendered only for an error
	stack []seg  // the open containers: their address and len(path) at the time
	keys  []string
}

// walkers are reused, so that converting allocates nothing once warm.
var walkers = sync.Pool{New: func() any { return new(walker) }}

type seg struct {
	key   string
	index int // -1 for an object key; in stack, len(path)
	addr  uintptr
}

// encode converts v into JSON text; level is the nesting level of v itself
// (0 for an input object of fields, whose visitor is level 1). A value that
// cannot be converted is the core's error (userhash_conversion_error).
func (w *walker) encode(v any, root string, level int) (text []byte, err error) {
	clear(w.path[:cap(w.path)])
	clear(w.keys[:cap(w.keys)])
	w.buf, w.root, w.path, w.stack, w.keys = w.buf[:0], root, w.path[:0], w.stack[:0], w.keys[:0]
	defer func() {
		if r := recover(); r != nil {
			if err, _ = r.(*Error); err == nil {
				panic(r)
			}
		}
	}()
	w.any(v, level)
	return w.buf, nil
}

// fail reports kind (a conversion failure the core names) for a value of type
// t at path[:n].
func (w *walker) fail(kind string, t reflect.Type, n int) {
	p := w.root
	for _, s := range w.path[:n] {
		if s.index < 0 {
			p += "." + s.key
		} else {
			p += "[" + strconv.Itoa(s.index) + "]"
		}
	}
	k, kn := cstr(kind)
	ty, tn := cstr(fmt.Sprint(t))
	at, an := cstr(strings.TrimPrefix(p, "."))
	e := new(C.userhash_error_t)
	panic(fromC(C.userhash_conversion_error(k, kn, ty, tn, at, an, -1, e), e))
}

// open starts a container at level; past the depth limit it reports the
// cycle that got it there (at the container seen twice), or too_deep.
func (w *walker) open(c byte, level int, v reflect.Value) {
	if level > maxDepth {
		for i, f := range w.stack {
			if f.addr != 0 && slices.ContainsFunc(w.stack[i+1:], func(g seg) bool { return g.addr == f.addr }) {
				w.fail("cycle", nil, f.index)
			}
		}
		w.fail("too_deep", nil, len(w.path))
	}
	f := seg{index: len(w.path)}
	if k := v.Kind(); k == reflect.Map || k == reflect.Slice {
		f.addr = v.Pointer()
	} else if v.CanAddr() {
		f.addr = v.UnsafeAddr()
	}
	w.stack, w.buf = append(w.stack, f), append(w.buf, c)
}

func (w *walker) close(c byte) { w.stack, w.buf = w.stack[:len(w.stack)-1], append(w.buf, c) }

// member starts an array item (index >= 0) or an object entry; pop ends it.
func (w *walker) member(key string, index int) {
	if c := w.buf[len(w.buf)-1]; c != '{' && c != '[' {
		w.buf = append(w.buf, ',')
	}
	if index < 0 {
		w.str(key, len(w.path))
		w.buf = append(w.buf, ':')
	}
	w.path = append(w.path, seg{key: key, index: index})
}

func (w *walker) pop() { w.path = w.path[:len(w.path)-1] }

// str writes s as a JSON string, escaping only ", \ and control characters
// (the core re-serializes it anyway); not UTF-8, it fails at path[:n].
func (w *walker) str(s string, n int) {
	if !utf8.ValidString(s) {
		w.fail("invalid_utf8", nil, n)
	}
	w.buf = append(w.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			w.buf = append(append(w.buf, s[start:i]...), '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			start = i + 1
		}
	}
	w.buf = append(append(w.buf, s[start:]...), '"')
}

var (
	bigIntType = reflect.TypeOf((*big.Int)(nil))
	rawTypes   = []reflect.Type{reflect.TypeOf(json.RawMessage{}), reflect.TypeOf(json.Number(""))}
	hooks      = []reflect.Type{reflect.TypeOf((*json.Marshaler)(nil)).Elem(), reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()}
	// The kinds of native value the core refuses, by Go type (pointers to them too).
	refused = map[reflect.Type]string{reflect.TypeOf(time.Time{}): "datetime", reflect.TypeOf(big.Float{}): "decimal",
		bigIntType.Elem(): "big_number"}
)

// any writes v; the dynamic types of decoded JSON skip reflection.
func (w *walker) any(v any, level int) {
	switch x := v.(type) {
	case string:
		w.str(x, len(w.path))
	case map[string]any:
		if x == nil {
			w.buf = append(w.buf, "null"...)
			return
		}
		w.open('{', level, reflect.ValueOf(x))
		start := len(w.keys)
		for k := range x {
			w.keys = append(w.keys, k)
		}
		slices.Sort(w.keys[start:])
		for i := start; i < len(w.keys); i++ {
			w.member(w.keys[i], -1)
			w.any(x[w.keys[i]], level+1)
			w.pop()
		}
		w.keys = w.keys[:start]
		w.close('}')
	default:
		w.value(reflect.ValueOf(v), level)
	}
}

// value writes v by the policy described at Input.
func (w *walker) value(v reflect.Value, level int) {
	for hops := 0; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; hops++ {
		switch t := v.Type(); {
		case v.IsNil():
			w.buf = append(w.buf, "null"...)
			return
		case t == bigIntType && level == 1 && w.root == "":
			w.buf = v.Interface().(*big.Int).Append(w.buf, 10)
			return
		case v.Kind() == reflect.Pointer && slices.ContainsFunc(hooks, t.Implements):
			w.fail("json_hook", t, len(w.path))
		case v.Kind() == reflect.Interface && v.Elem().Kind() != reflect.Pointer:
			w.any(v.Elem().Interface(), level)
			return
		case hops > maxDepth:
			w.fail("too_deep", nil, len(w.path))
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		w.buf = append(w.buf, "null"...)
		return
	}
	t, k := v.Type(), v.Kind()
	named := t.PkgPath() != "" || k == reflect.Struct // else no methods, and nothing refused by type
	switch {
	case slices.Contains(rawTypes, t):
		// Checked, so that it cannot end the value early; text that is not JSON
		// is followed by a NUL, so that the core's parser reports it.
		raw := v.Convert(rawTypes[0]).Bytes()
		if w.buf = append(w.buf, raw...); !json.Valid(raw) {
			w.buf = append(w.buf, 0)
		}
	case named && refused[t] != "":
		w.fail(refused[t], t, len(w.path))
	case named && slices.ContainsFunc(hooks, reflect.PointerTo(t).Implements):
		w.fail("json_hook", t, len(w.path))
	case k == reflect.Bool:
		w.buf = strconv.AppendBool(w.buf, v.Bool())
	case v.CanInt():
		w.buf = strconv.AppendInt(w.buf, v.Int(), 10)
	case v.CanUint():
		w.buf = strconv.AppendUint(w.buf, v.Uint(), 10)
	case v.CanFloat() && (math.IsNaN(v.Float()) || math.IsInf(v.Float(), 0)):
		w.buf = append(w.buf, "null"...)
	case v.CanFloat():
		n := len(w.buf)
		w.buf = strconv.AppendFloat(w.buf, v.Float(), 'g', -1, t.Bits())
		// A float literal, so the core sees a float even for 3.0 (an id refuses it).
		if !strings.ContainsAny(string(w.buf[n:]), ".e") {
			w.buf = append(w.buf, ".0"...)
		}
	case k == reflect.String:
		w.str(v.String(), len(w.path))
	case k == reflect.Map && t.Key().Kind() != reflect.String:
		w.fail("non_string_key", t.Key(), len(w.path))
	case k == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		w.fail("bytes", t, len(w.path))
	case (k == reflect.Map || k == reflect.Slice) && v.IsNil():
		w.buf = append(w.buf, "null"...)
	case k == reflect.Map:
		w.open('{', level, v)
		w.entries(v, level)
		w.close('}')
	case k == reflect.Slice || k == reflect.Array:
		w.open('[', level, v)
		for i := range v.Len() {
			w.member("", i)
			w.value(v.Index(i), level+1)
			w.pop()
		}
		w.close(']')
	case k == reflect.Struct:
		w.open('{', level, v)
		for _, f := range fieldsOf(t) {
			if fv, err := v.FieldByIndexErr(f.index); err != nil || f.omitEmpty && empty(fv) || f.omitZero && fv.IsZero() {
				continue
			} else if f.inline && fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String {
				w.entries(fv, level)
			} else {
				w.member(f.name, -1)
				w.value(fv, level+1)
				w.pop()
			}
		}
		w.close('}')
	default:
		w.fail("object", t, len(w.path))
	}
}

// entries writes a map's entries, keys sorted (a Go map has no order).
func (w *walker) entries(v reflect.Value, level int) {
	for _, key := range slices.SortedFunc(slices.Values(v.MapKeys()), func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) }) {
		w.member(key.String(), -1)
		w.value(v.MapIndex(key), level+1)
		w.pop()
	}
}

// empty is encoding/json's omitempty test.
func empty(v reflect.Value) bool {
	k := v.Kind()
	lengthy := k == reflect.Array || k == reflect.Map || k == reflect.Slice || k == reflect.String
	return lengthy && v.Len() == 0 || !lengthy && k != reflect.Struct && (v.IsZero() || v.CanFloat() && v.Float() == 0)
}

type field struct {
	index                       []int
	name                        string
	omitEmpty, omitZero, inline bool
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists a struct's JSON members by encoding/json's rules (see Input).
func fieldsOf(t reflect.Type, seen ...reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	add := func(f field) {
		if i := slices.IndexFunc(out, func(g field) bool { return g.name == f.name }); i < 0 {
			out = append(out, f)
		} else if len(out[i].index) > len(f.index) {
			out = append(slices.Delete(out, i, i+1), f)
		}
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct && !slices.Contains(seen, ft) {
			for _, f := range fieldsOf(ft, append(seen, t)...) {
				add(field{append([]int{i}, f.index...), f.name, f.omitEmpty, f.omitZero, f.inline})
			}
		} else if sf.IsExported() && sf.Tag.Get("json") != "-" {
			add(field{[]int{i}, cmp.Or(name, sf.Name), strings.Contains(opts, "omitempty"), strings.Contains(opts, "omitzero"), strings.Contains(opts, "inline")})
		}
	}
	fieldCache.Store(t, out)
	return out
}

// Call runs the core's operation op (see the C ABI's userhash_operation_name)
// on in with args, and returns its JSON result as the core wrote it.
func (s *Signer) Call(op string, in Input, args map[string]any) (json.RawMessage, error) {
	a, err := json.Marshal(args)
	if err != nil {
		return nil, &Error{Code: "invalid_input", Item: -1, Message: err.Error()}
	} else if args == nil {
		a = nil
	}
	return viaJSON(s, in, func(text []byte) (json.RawMessage, error) { return s.callJSON(op, text, a) })
}

func decodeCall[T any](s *Signer, op string, in Input, args map[string]any) (out T, err error) {
	raw, err := s.Call(op, in, args)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	return out, err
}

// Token signs a JWT for in (for the signer's token preset) with the core's token options.
func (s *Signer) Token(in Input, opts map[string]any) (string, error) {
	return decodeCall[string](s, "token", in, opts)
}

// VerifyToken checks token (signature, algorithm, times) and returns its claims.
func (s *Signer) VerifyToken(token string, opts map[string]any) (map[string]any, error) {
	args := map[string]any{"token": token}
	for k, v := range opts {
		args[k] = v
	}
	return decodeCall[map[string]any](s, "verify_token", Input{Fields: map[string]any{}}, args)
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
	return decodeCall[Diagnosis](s, "diagnose", in, map[string]any{"hash": hash})
}
