// Package userhash computes identity-verification hashes for chat and support
// widgets (HMAC-SHA256 over each vendor's canonical identity), byte-identical
// with the vendors' Node.js snippets and with every other userhash binding.
//
// It is a thin cgo layer over the userhash Rust core (the C ABI in
// bindings-c), linked statically: run `make c-lib` at the repository root
// before `go build`.
//
//	s, err := userhash.NewSigner(os.Getenv("WIDGET_SECRET"), "ensoras")
//	if err != nil { ... }
//	defer s.Close()
//	hash, err := s.Sign(userhash.Input{Email: user.Email})
//
// A Signer is safe for concurrent use by many goroutines.
package userhash

/*
#cgo CFLAGS: -I${SRCDIR}/../bindings-c/include
#cgo LDFLAGS: ${SRCDIR}/../build/c/lib/libuserhash.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
#include <stdlib.h>
#include <string.h>
#include "userhash.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"html/template"
	"runtime"
	"sync"
	"unsafe"
)

// Error is a userhash error: a stable Code (the same string in every userhash
// binding and in the golden vectors) and a Message naming the bad value or
// its path (`visitor.data.created_at: ...`). Messages never contain secrets.
//
// Compare with errors.Is against the sentinels (ErrEmptyIdentity, ...), or
// use errors.As to read the Code.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "userhash: " + e.Code
	}
	return "userhash: " + e.Code + ": " + e.Message
}

// Is reports whether target is an *Error with the same Code (and, when the
// target has a Message, the same Message), so errors.Is(err, ErrEmptyIdentity) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// The sentinel errors, one per stable code (DESIGN §3). Use with errors.Is.
var (
	ErrEmptySecret   = &Error{Code: "empty_secret"}   // the secret or a previous secret is empty
	ErrEmptyIdentity = &Error{Code: "empty_identity"} // the identity is empty after normalization
	ErrInvalidInput  = &Error{Code: "invalid_input"}  // a field is missing, unexpected or of the wrong type
	ErrInvalidJSON   = &Error{Code: "invalid_json"}   // JSON text (json.RawMessage) is malformed
	ErrInvalidUTF8   = &Error{Code: "invalid_utf8"}   // a string is not valid UTF-8
	ErrTooDeep       = &Error{Code: "too_deep"}       // the visitor payload nests deeper than 128 levels
	ErrUnknownPreset = &Error{Code: "unknown_preset"} // the preset or scheme is not known
	// ErrInternal is a bug caught at the C boundary (code "panic" or "null_argument").
	ErrInternal = &Error{Code: "panic"}
)

// ErrClosed is returned by a Signer used after Close.
var ErrClosed = errors.New("userhash: signer is closed")

// MaxDepth is the deepest nesting the visitor payload may have (the visitor
// object itself is level 1).
const MaxDepth = 128

func newError(status C.enum_userhash_status_t, msg *C.userhash_bytes_t) error {
	code := C.GoString(C.userhash_status_code(C.userhash_status_t(status)))
	e := &Error{Code: code}
	if msg.ptr != nil {
		e.Message = C.GoStringN((*C.char)(unsafe.Pointer(msg.ptr)), C.int(msg.len))
		C.userhash_bytes_free(*msg)
		*msg = C.userhash_bytes_t{}
	}
	return e
}

// Signer signs identities for one widget: a secret, a preset (or scheme
// spec) and optional previous secrets accepted by Verify during rotation.
//
// It holds native memory: call Close when done (a finalizer frees it
// otherwise). Safe for concurrent use; Close must not race with other calls
// (calls after Close return ErrClosed).
type Signer struct {
	mu       sync.RWMutex
	ptr      *C.userhash_signer_t
	preset   string
	previous int
}

// Option configures NewSigner.
type Option func(*options)

type options struct {
	previous []string
}

// WithPrevious adds previous secrets: Verify also accepts hashes made with
// them (Sign always uses the current secret). Order does not matter.
func WithPrevious(secrets ...string) Option {
	return func(o *options) { o.previous = append(o.previous, secrets...) }
}

// NewSigner builds a signer from a widget secret (its UTF-8 bytes are the
// HMAC key) and a preset name (layerup, inviaro, ensoras, supportwire,
// fluentbot) or scheme spec such as "email:trim_lowercase".
//
// Errors: ErrEmptySecret, ErrUnknownPreset, ErrInvalidUTF8 (preset).
func NewSigner(secret, preset string, opts ...Option) (*Signer, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	// Previous secrets go through C memory (a C array may not hold Go
	// pointers); it is zeroed before it is freed.
	var prev *C.userhash_slice_t
	if n := len(o.previous); n > 0 {
		total := 0
		for _, p := range o.previous {
			total += len(p)
		}
		arr := (*C.userhash_slice_t)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.userhash_slice_t{}))))
		buf := (*C.uint8_t)(C.malloc(C.size_t(total + 1)))
		slices := unsafe.Slice(arr, n)
		bytes := unsafe.Slice((*byte)(unsafe.Pointer(buf)), total+1)
		at := 0
		for i, p := range o.previous {
			copy(bytes[at:], p)
			slices[i] = C.userhash_slice_t{ptr: (*C.uint8_t)(unsafe.Pointer(&bytes[at])), len: C.size_t(len(p))}
			at += len(p)
		}
		defer func() {
			for i := range bytes {
				bytes[i] = 0
			}
			C.free(unsafe.Pointer(buf))
			C.free(unsafe.Pointer(arr))
		}()
		prev = arr
	}
	var ptr *C.userhash_signer_t
	var msg C.userhash_bytes_t
	st := C.userhash_signer_new(strPtr(secret), C.size_t(len(secret)),
		strPtr(preset), C.size_t(len(preset)),
		prev, C.size_t(len(o.previous)), &ptr, &msg)
	if st != C.USERHASH_OK {
		return nil, newError(st, &msg)
	}
	s := &Signer{ptr: ptr, preset: preset, previous: len(o.previous)}
	runtime.SetFinalizer(s, (*Signer).Close)
	return s, nil
}

// Close frees the native signer (its key material is zeroized). Idempotent.
func (s *Signer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr != nil {
		C.userhash_signer_free(s.ptr)
		s.ptr = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// String describes the signer without its secrets.
func (s *Signer) String() string {
	return fmt.Sprintf("userhash.Signer{preset: %q, previous secrets: %d}", s.preset, s.previous)
}

// GoString is String, so %#v never shows internals.
func (s *Signer) GoString() string { return s.String() }

// Sign returns the lowercase hex HMAC-SHA256 of the canonical form of in.
//
// Errors: ErrEmptyIdentity, ErrInvalidInput, ErrInvalidUTF8, ErrInvalidJSON,
// ErrTooDeep (all *Error), ErrClosed.
func (s *Signer) Sign(in Input) (string, error) {
	if field, value, ok := in.single(); ok {
		return s.sign(func(p *C.userhash_signer_t, out *C.char, msg *C.userhash_bytes_t) C.enum_userhash_status_t {
			return C.userhash_sign_field(p, field, strPtr(value), C.size_t(len(value)), out, msg)
		})
	}
	text, err := in.appendJSON(make([]byte, 0, 512))
	if err != nil {
		return "", err
	}
	return s.SignJSON(text)
}

// sign runs one signing call into a fresh 65-byte buffer that becomes the
// returned string (one allocation). The fast path passes no error_out; a
// failed call is run again with one to get the message (calls are pure).
func (s *Signer) sign(call func(*C.userhash_signer_t, *C.char, *C.userhash_bytes_t) C.enum_userhash_status_t) (string, error) {
	buf := make([]byte, C.USERHASH_HEX_BUFFER_LEN)
	out := (*C.char)(unsafe.Pointer(&buf[0]))
	s.mu.RLock()
	if s.ptr == nil {
		s.mu.RUnlock()
		return "", ErrClosed
	}
	st := call(s.ptr, out, nil)
	if st != C.USERHASH_OK {
		var msg C.userhash_bytes_t
		st = call(s.ptr, out, &msg)
		s.mu.RUnlock()
		return "", newError(st, &msg)
	}
	s.mu.RUnlock()
	return unsafe.String(&buf[0], 64), nil
}

// Verify reports whether hash is the signature of in under the current or a
// previous secret (constant-time comparison). A mismatch or a malformed hash
// (anything but 64 lowercase hex digits) is (false, nil); input errors are
// reported as for Sign.
func (s *Signer) Verify(hash string, in Input) (bool, error) {
	text, err := in.appendJSON(nil)
	if err != nil {
		return false, err
	}
	return s.VerifyJSON(hash, text)
}

// Canonical returns the exact string that gets signed for in (the "explain"
// view): useful to debug a mismatch with a vendor.
func (s *Signer) Canonical(in Input) (string, error) {
	text, err := in.appendJSON(nil)
	if err != nil {
		return "", err
	}
	return s.CanonicalJSON(text)
}

// SignJSON signs input given as JSON text of an object of sign-call fields
// ({"email":...}, {"user_id":42}, {"visitor":{...}}), parsed as JavaScript's
// JSON.parse would (visitor key order kept). For callers that already hold
// JSON, e.g. a request body; Sign(Input) is the usual entry point.
func (s *Signer) SignJSON(input []byte) (string, error) {
	return s.sign(func(p *C.userhash_signer_t, out *C.char, msg *C.userhash_bytes_t) C.enum_userhash_status_t {
		return C.userhash_sign(p, bytesPtr(input), C.size_t(len(input)), out, msg)
	})
}

// VerifyJSON is Verify for input given as JSON text (see SignJSON).
func (s *Signer) VerifyJSON(hash string, input []byte) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return false, ErrClosed
	}
	var match C.bool
	var msg C.userhash_bytes_t
	st := C.userhash_verify(s.ptr, strPtr(hash), C.size_t(len(hash)),
		bytesPtr(input), C.size_t(len(input)), &match, &msg)
	runtime.KeepAlive(s)
	if st != C.USERHASH_OK {
		return false, newError(st, &msg)
	}
	return bool(match), nil
}

// CanonicalJSON is Canonical for input given as JSON text (see SignJSON).
func (s *Signer) CanonicalJSON(input []byte) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	var out, msg C.userhash_bytes_t
	st := C.userhash_canonical(s.ptr, bytesPtr(input), C.size_t(len(input)), &out, &msg)
	runtime.KeepAlive(s)
	if st != C.USERHASH_OK {
		return "", newError(st, &msg)
	}
	defer C.userhash_bytes_free(out)
	return C.GoStringN((*C.char)(unsafe.Pointer(out.ptr)), C.int(out.len)), nil
}

// strPtr passes a Go string's bytes to C without copying (C only reads them
// during the call; NUL bytes are data, the length is explicit).
func strPtr(s string) *C.uint8_t {
	return (*C.uint8_t)(unsafe.Pointer(unsafe.StringData(s)))
}

func bytesPtr(b []byte) *C.uint8_t {
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

// fieldByName maps a field name (snake_case or camelCase) to the C enum.
func fieldByName(field []string) (C.userhash_field_t, error) {
	switch len(field) {
	case 0:
		return C.USERHASH_FIELD_DEFAULT, nil
	case 1:
	default:
		return 0, &Error{Code: "invalid_input", Message: fmt.Sprintf("one field name expected, got %d", len(field))}
	}
	switch field[0] {
	case "email":
		return C.USERHASH_FIELD_EMAIL, nil
	case "user_id", "userId":
		return C.USERHASH_FIELD_USER_ID, nil
	case "external_id", "externalId":
		return C.USERHASH_FIELD_EXTERNAL_ID, nil
	case "visitor":
		return C.USERHASH_FIELD_VISITOR, nil
	}
	return 0, &Error{Code: "invalid_input", Message: fmt.Sprintf("unknown field %q (email, user_id, external_id, visitor)", field[0])}
}

// SignMany signs a batch: each value is signed as field (default: the field
// the preset signs — email for layerup and ensoras, user_id for inviaro,
// visitor for fluentbot; supportwire needs "external_id" or "email") and the
// hashes come back in order, hashes[i] for values[i]. Ids are their decimal
// text (strconv.FormatInt(id, 10)); a fluentbot visitor is its JSON text.
// Large batches are signed on every core, in one call into the library.
//
// The first invalid item fails the whole call and is named by its index
// ("item 12: user_id is empty: ..."); no hashes are returned then. The
// returned strings share one backing array: keep a few of them long after
// dropping the rest and strings.Clone them.
//
// Errors: as for Sign, plus ErrInvalidInput for an unknown field name or a
// preset that does not sign field.
func (s *Signer) SignMany(values []string, field ...string) ([]string, error) {
	f, err := fieldByName(field)
	if err != nil {
		return nil, err
	}
	n := len(values)
	// Packed into one pointer-free buffer plus lengths: cgo may not pass C an
	// array of Go pointers, and one copy is cheaper than pinning n strings.
	total := 0
	for _, v := range values {
		total += len(v)
	}
	data := make([]byte, total)
	lens := make([]C.size_t, n+1) // +1: a valid pointer even when n == 0
	at := 0
	for i, v := range values {
		copy(data[at:], v)
		lens[i] = C.size_t(len(v))
		at += len(v)
	}
	out := make([]byte, n*64+1)
	var msg C.userhash_bytes_t
	s.mu.RLock()
	if s.ptr == nil {
		s.mu.RUnlock()
		return nil, ErrClosed
	}
	st := C.userhash_sign_many_packed(s.ptr, f, bytesPtr(data), C.size_t(total),
		&lens[0], C.size_t(n), (*C.char)(unsafe.Pointer(&out[0])), &msg)
	s.mu.RUnlock()
	runtime.KeepAlive(s)
	if st != C.USERHASH_OK {
		return nil, newError(st, &msg)
	}
	all := unsafe.String(&out[0], n*64)
	hashes := make([]string, n)
	for i := range hashes {
		hashes[i] = all[i*64 : i*64+64]
	}
	return hashes, nil
}

// Embed renders the widget snippet of the signer's vendor preset for in,
// with the identity signed and every value escaped for where it lands (HTML
// attribute, JSON inside <script>, URL), identical in every userhash
// language (docs/embed.md). options are the embed options, passed through
// unchanged: "widget" (required: the Layerup widget key, Inviaro key, Ensoras
// slug, SupportWire widgetSlug or FluentBot bot id), "form" ("script", the
// default; "url" for Layerup's webview URL; "identify" for the Inviaro and
// Ensoras single-page-app call), "nonce" (CSP nonce on every <script> tag),
// "origin", "name", "email" (Inviaro), "data" (SupportWire userData; a
// json.RawMessage keeps its key order, a map's keys are sorted).
//
//	html, err := signer.Embed(userhash.Input{Email: user.Email},
//		map[string]any{"widget": "acme", "nonce": cspNonce})
//
// Errors: ErrInvalidInput (unknown option, wrong type, missing widget, a form
// the vendor does not have, a custom scheme), and the input errors of Sign.
func (s *Signer) Embed(in Input, options map[string]any) (string, error) {
	input, err := in.appendJSON(make([]byte, 0, 512))
	if err != nil {
		return "", err
	}
	opts, err := appendOptions(make([]byte, 0, 128), options)
	if err != nil {
		return "", err
	}
	var out, msg C.userhash_bytes_t
	s.mu.RLock()
	if s.ptr == nil {
		s.mu.RUnlock()
		return "", ErrClosed
	}
	st := C.userhash_embed(s.ptr, bytesPtr(input), C.size_t(len(input)),
		bytesPtr(opts), C.size_t(len(opts)), &out, &msg)
	s.mu.RUnlock()
	if st != C.USERHASH_OK {
		return "", newError(st, &msg)
	}
	defer C.userhash_bytes_free(out)
	return C.GoStringN((*C.char)(unsafe.Pointer(out.ptr)), C.int(out.len)), nil
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
