// Package userhash computes identity-verification hashes for chat and support
// widgets (HMAC-SHA256 over each vendor's canonical identity), byte-identical
// with the vendors' Node.js snippets and with every other userhash binding.
//
// It is a thin cgo layer over the userhash Rust core (the C ABI in
// bindings-c), linked statically from the library the module carries beside
// its Go files (libuserhash_linux_amd64.a, see link.go; the build tag
// userhash_dynamic links a library you provide instead). Every rule, table and message comes from the core: the preset,
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
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
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
	mark       = C.GoString(C.userhash_refusal_mark())
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

// WithOptions passes signer options to the core, which validates them:
// "secret_encoding" ("raw", "hex" or "base64": how the secret strings become
// key bytes); an option the core does not know is ErrInvalidInput.
//
//	userhash.NewSigner(hexSecret, "crisp", userhash.WithOptions(map[string]any{"secret_encoding": "hex"}))
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
	options := new(walker).encode(1, c.options, true)
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
	name, v := in.single()
	switch x := v.(type) {
	case string:
		return s.sign(name, x, false, false)
	case json.RawMessage:
		return s.sign(name, text(x), true, false)
	}
	// Else one field's value as JSON text (JSON.stringify form, which the
	// core signs without parsing), or the whole input (boxed: in stays on the
	// stack); in a function of their own, so that this one has no defer.
	if name == "" {
		return s.signValue("", 0, in)
	}
	return s.signValue(name, 1, v)
}

// signValue signs the JSON text of v: one field's value, or (name "") an Input.
func (s *Signer) signValue(name string, level int, v any) (string, error) {
	w := walkers.Get().(*walker)
	defer w.release()
	return s.sign(name, text(w.encode(level, v, false)), true, name == "")
}

// text is b as a string, without a copy: for C to read during a call.
func text(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

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
	for e := (*C.userhash_error_t)(nil); ; e = new(C.userhash_error_t) {
		st := C.userhash_status_t(0)
		s.mu.RLock()
		if whole {
			st = C.userhash_sign(s.ptr, v, vn, o, e)
		} else {
			st = C.userhash_sign_field(s.ptr, f, fn, v, vn, C.bool(isJSON), o, e)
		}
		if s.mu.RUnlock(); st == C.USERHASH_OK {
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
	return s.sign("", text(input), false, true)
}

// Verify reports whether hash is the signature of in (as for Sign) under
// the current or a previous secret (constant-time comparison). A mismatch or
// a malformed hash is (false, nil); input errors are reported as for Sign.
func (s *Signer) Verify(hash string, in Input) (bool, error) {
	return call[bool](s, "verify", in, hashArg(hash))
}

// VerifyJSON is Verify for input given as JSON text (see SignJSON).
func (s *Signer) VerifyJSON(hash string, input []byte) (bool, error) {
	return call[bool](s, "verify", json.RawMessage(input), hashArg(hash))
}

// hashArg is the args of an operation on a hash; bytes that are not UTF-8
// are no hex either, and cross as "?" (still malformed).
func hashArg(hash string) map[string]any {
	return map[string]any{"hash": strings.ToValidUTF8(hash, "?")}
}

// Canonical returns the exact string that gets signed for in (the "explain"
// view): useful to debug a mismatch with a vendor.
func (s *Signer) Canonical(in Input) (string, error) {
	return call[string](s, "canonical", in, nil)
}

// CanonicalJSON is Canonical for input given as JSON text (see SignJSON).
func (s *Signer) CanonicalJSON(input []byte) (string, error) {
	return call[string](s, "canonical", json.RawMessage(input), nil)
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
	return call[string](s, "embed", in, options)
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
	return call[json.RawMessage](s, op, in, args)
}

// call runs the core's operation op on in (an Input, or JSON text as a
// json.RawMessage) with args, and decodes its JSON result as a T.
func call[T any](s *Signer, op string, in, args any) (result T, err error) {
	w := walkers.Get().(*walker)
	defer w.release()
	input, a := w.encode(0, in, false), w.encode(1, args, true)
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
	return call[string](s, "token", in, opts)
}

// VerifyToken checks token (signature, algorithm, times) and returns its claims.
func (s *Signer) VerifyToken(token string, opts map[string]any) (map[string]any, error) {
	args := map[string]any{"token": token}
	maps.Copy(args, opts)
	return call[map[string]any](s, "verify_token", Input{}, args)
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
	return call[Diagnosis](s, "diagnose", in, hashArg(hash))
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

// inputNames are Input's json names, in field order.
var inputNames = [...]string{"email", "user_id", "external_id", "visitor"}

// single reports an Input's one field when it has exactly one (the fast path).
func (in *Input) single() (name string, value any) {
	n := len(in.Fields)
	if n == 1 {
		for name, value = range in.Fields {
		}
	}
	for i, v := range [...]any{in.Email, in.UserID, in.ExternalID, in.Visitor} {
		if v != nil {
			n, name, value = n+1, inputNames[i], v
		}
	}
	if n != 1 {
		return "", nil
	}
	return name, value
}

// walker writes a native value as the JSON text the core reads, in
// JSON.stringify form where it can (which the core signs without parsing;
// it re-canonicalizes anything else). At the first value the policy refuses
// it writes the marker the core reads as that refusal (so the error, with
// its path, is the core's), closes the containers around it and stops.
type walker struct {
	buf     []byte
	options bool        // the value is options, whose numbers keep a float's ".0" and refuse *big.Int
	open    []container // the containers being written, outermost first
}

// container is one being written: its address (0 when it has none) and its
// offset in the buffer (its '{' or '[').
type container struct {
	addr uintptr
	at   int
}

// entry is a map's entry, sorted before it is written.
type entry struct {
	key   string
	value any
}

// walkers are reused, so that converting allocates nothing once warm.
var walkers = sync.Pool{New: func() any { return new(walker) }}

func (w *walker) release() {
	w.buf = w.buf[:0]
	walkers.Put(w)
}

// stop ends a walk at a refusal (a panic that encode recovers).
type stop struct{}

// encode appends the JSON text of v (at level: an Input is level 0, a
// field's value or options level 1) to the walker's buffer and returns it;
// marked text ("!" first) when it holds a refusal.
func (w *walker) encode(level int, v any, options bool) (text []byte) {
	start := len(w.buf)
	w.options, w.open = options, w.open[:0]
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
			w.buf = slices.Insert(w.buf, start, '!')
			text = w.buf[start:]
		}
	}()
	w.any(v, level)
	return w.buf[start:]
}

// refuse writes the marker of a refused value (kind, of type ty) at offset
// at of the buffer, in place of what follows, closes the containers that
// started before it and stops the walk.
func (w *walker) refuse(at int, kind, ty string) {
	w.buf = w.buf[:at]
	w.str(mark+kind+":"+ty, false)
	for _, c := range slices.Backward(w.open) {
		if c.at < at {
			w.buf = append(w.buf, w.buf[c.at]+2) // '{'+2 is '}', '['+2 is ']'
		}
	}
	panic(stop{})
}

// begin starts a container (c, at level and addr); past the depth limit it
// refuses the cycle that got it there (at the outermost container met
// twice), or the depth. end closes it.
func (w *walker) begin(c byte, level int, addr uintptr) {
	for i := 0; level > maxDepth && i < len(w.open); i++ {
		if a := w.open[i].addr; a != 0 && slices.ContainsFunc(w.open[i+1:], func(o container) bool { return o.addr == a }) {
			w.refuse(w.open[i].at, "cycle", "")
		}
	}
	if level > maxDepth {
		w.refuse(len(w.buf), "too_deep", "")
	}
	w.open = append(w.open, container{addr, len(w.buf)})
	w.buf = append(w.buf, c)
}

func (w *walker) end(c byte) {
	w.open = w.open[:len(w.open)-1]
	w.buf = append(w.buf, c)
}

// next separates a member from the one before it in its container; key
// starts an object member.
func (w *walker) next() {
	if c := w.buf[len(w.buf)-1]; c != '{' && c != '[' {
		w.buf = append(w.buf, ',')
	}
}

func (w *walker) key(k string) {
	w.next()
	w.str(k, true)
	w.buf = append(w.buf, ':')
}

// str writes s as JSON.stringify does: the escapes \" \\ \b \f \n \r \t and
// \u00xx for other control characters, everything else as is; only a
// string with non-ASCII bytes needs the UTF-8 check. Not UTF-8, it is
// refused, or for a key (key) its object.
func (w *walker) str(s string, key bool) {
	at := len(w.buf)
	w.buf = append(w.buf, '"')
	start, high := 0, byte(0)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c != '"' && c != '\\' {
			high |= c
			continue
		}
		w.buf = append(w.buf, s[start:i]...)
		if e := strings.IndexByte("\"\\\b\f\n\r\t", s[i]); e >= 0 {
			w.buf = append(w.buf, '\\', "\"\\bfnrt"[e])
		} else {
			w.buf = append(w.buf, '\\', 'u', '0', '0', "0123456789abcdef"[s[i]>>4], "0123456789abcdef"[s[i]&15])
		}
		start = i + 1
	}
	if high >= utf8.RuneSelf && !utf8.ValidString(s) {
		if key {
			at = w.open[len(w.open)-1].at
		}
		w.refuse(at, "invalid_utf8", "")
	}
	w.buf = append(append(w.buf, s[start:]...), '"')
}

// float writes f as Number::toString does where strconv's shortest fixed
// form is the same (1e-6 <= |f| < 1e21; the core rewrites the others);
// NaN and ±Inf are null. An integral value keeps a ".0" where the core must
// see a float (an id, at level 1, refuses one; options), not in a payload,
// where every number is a double.
func (w *walker) float(f float64, bits, level int) {
	if n := len(w.buf); f-f != 0 {
		w.buf = append(w.buf, "null"...)
	} else if w.buf = strconv.AppendFloat(w.buf, f, 'f', -1, bits); (level == 1 || w.options) && !slices.Contains(w.buf[n:], '.') {
		w.buf = append(w.buf, ".0"...)
	}
}

var (
	bigIntType = reflect.TypeFor[*big.Int]()
	rawTypes   = []reflect.Type{reflect.TypeFor[json.RawMessage](), reflect.TypeFor[json.Number]()}
	hooks      = []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()}
	// The kinds of native value the core refuses, by Go type (pointers to them too).
	refused = map[reflect.Type]string{reflect.TypeFor[time.Time](): "datetime", reflect.TypeFor[big.Float](): "decimal",
		bigIntType.Elem(): "big_number"}
)

// any writes x at level; the common types skip reflection.
func (w *walker) any(x any, level int) {
	switch x := x.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case string:
		w.str(x, false)
	case float64:
		w.float(x, 64, level)
	case int:
		w.buf = strconv.AppendInt(w.buf, int64(x), 10)
	case bool:
		w.buf = strconv.AppendBool(w.buf, x)
	default:
		w.value(reflect.ValueOf(x), level)
	}
}

// value writes v by the policy described at Input.
func (w *walker) value(v reflect.Value, level int) {
	for hops := 0; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; hops++ {
		switch t := v.Type(); {
		case v.IsNil():
			w.buf = append(w.buf, "null"...)
			return
		case t == bigIntType && level == 1 && !w.options:
			w.buf = v.Interface().(*big.Int).Append(w.buf, 10)
			return
		case hops > maxDepth:
			w.refuse(len(w.buf), "too_deep", "")
		}
		v = v.Elem()
	}
	t, k, addr := v.Type(), v.Kind(), uintptr(0)
	named := t.PkgPath() != "" || k == reflect.Struct // else no methods, and nothing refused by type
	if k == reflect.Map || k == reflect.Slice {
		addr = v.Pointer()
	} else if v.CanAddr() {
		addr = v.UnsafeAddr()
	}
	switch {
	case slices.Contains(rawTypes, t):
		// Checked, so that it cannot end the value early; text that is not JSON
		// is followed by a NUL, so that the core's parser reports it.
		raw := v.Convert(rawTypes[0]).Bytes()
		if w.buf = append(w.buf, raw...); !json.Valid(raw) {
			w.buf = append(w.buf, 0)
		}
	case named && refused[t] != "":
		w.refuse(len(w.buf), refused[t], t.String())
	case named && slices.ContainsFunc(hooks, reflect.PointerTo(t).Implements):
		w.refuse(len(w.buf), "json_hook", t.String())
	case k == reflect.Bool:
		w.buf = strconv.AppendBool(w.buf, v.Bool())
	case v.CanInt():
		w.buf = strconv.AppendInt(w.buf, v.Int(), 10)
	case v.CanUint():
		w.buf = strconv.AppendUint(w.buf, v.Uint(), 10)
	case v.CanFloat():
		w.float(v.Float(), t.Bits(), level)
	case k == reflect.String:
		w.str(v.String(), false)
	case k == reflect.Map && t.Key().Kind() != reflect.String:
		w.refuse(len(w.buf), "non_string_key", t.Key().String())
	case k == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		w.refuse(len(w.buf), "bytes", t.String())
	case (k == reflect.Map || k == reflect.Slice) && v.IsNil():
		w.buf = append(w.buf, "null"...)
	case k == reflect.Map:
		w.begin('{', level, addr)
		w.members(v, level)
		w.end('}')
	case k == reflect.Slice || k == reflect.Array:
		w.begin('[', level, addr)
		for i := range v.Len() {
			w.next()
			w.value(v.Index(i), level+1)
		}
		w.end(']')
	case k == reflect.Struct:
		w.begin('{', level, addr)
		for _, f := range fieldsOf(t) {
			if fv, err := v.FieldByIndexErr(f.index); err != nil || f.omitEmpty && empty(fv) || f.omitZero && fv.IsZero() {
				continue
			} else if f.inline && fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String {
				w.members(fv, level)
			} else {
				w.key(f.name)
				w.value(fv, level+1)
			}
		}
		w.end('}')
	default:
		w.refuse(len(w.buf), "object", t.String())
	}
}

// members writes the entries of v, a map with string keys, keys sorted (a
// Go map has no order); a map[string]any is read without reflection. The
// caller writes the braces.
func (w *walker) members(v reflect.Value, level int) {
	var small [16]entry // on the stack: only a larger map allocates
	entries := small[:0]
	if m, ok := v.Interface().(map[string]any); ok {
		for k, x := range m {
			entries = append(entries, entry{k, x})
		}
	} else {
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, entry{it.Key().String(), it.Value().Interface()})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for _, e := range entries {
		w.key(e.key)
		w.any(e.value, level+1)
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

// fieldsOf lists a struct's JSON members by encoding/json's rules (see
// Input): Go's visible fields, embedded structs without a tag name inlined, of
// members with one JSON name the least nested kept.
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	var named [][]int // embedded structs with a tag name: members themselves, not inlined
	for _, sf := range reflect.VisibleFields(t) {
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		inlined := sf.Anonymous && name == "" && (sf.Type.Kind() == reflect.Struct || sf.Type.Kind() == reflect.Pointer && sf.Type.Elem().Kind() == reflect.Struct)
		f := field{sf.Index, cmp.Or(name, sf.Name), strings.Contains(opts, "omitempty"), strings.Contains(opts, "omitzero"), strings.Contains(opts, "inline")}
		if slices.ContainsFunc(named, func(p []int) bool { return len(p) < len(sf.Index) && slices.Equal(p, sf.Index[:len(p)]) }) {
			continue
		} else if sf.Anonymous && !inlined {
			named = append(named, sf.Index)
		}
		if inlined || !sf.IsExported() || sf.Tag.Get("json") == "-" {
			continue
		} else if i := slices.IndexFunc(out, func(g field) bool { return g.name == f.name }); i < 0 {
			out = append(out, f)
		} else if len(out[i].index) > len(f.index) {
			out = append(slices.Delete(out, i, i+1), f)
		}
	}
	fieldCache.Store(t, out)
	return out
}
