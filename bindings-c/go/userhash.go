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
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo LDFLAGS: ${SRCDIR}/../../build/c/lib/libuserhash.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
#include <stdlib.h>
#include <string.h>
#include "userhash.h"
*/
import "C"

import (
	"errors"
	"fmt"
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
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	var hex [C.USERHASH_HEX_BUFFER_LEN]C.char
	var msg C.userhash_bytes_t
	var st C.enum_userhash_status_t
	if field, value, ok := in.single(); ok {
		st = C.userhash_sign_field(s.ptr, field, strPtr(value), C.size_t(len(value)), &hex[0], &msg)
	} else {
		text, err := in.appendJSON(nil)
		if err != nil {
			return "", err
		}
		st = C.userhash_sign(s.ptr, bytesPtr(text), C.size_t(len(text)), &hex[0], &msg)
	}
	runtime.KeepAlive(s)
	if st != C.USERHASH_OK {
		return "", newError(st, &msg)
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(&hex[0])), 64)), nil
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
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	var hex [C.USERHASH_HEX_BUFFER_LEN]C.char
	var msg C.userhash_bytes_t
	st := C.userhash_sign(s.ptr, bytesPtr(input), C.size_t(len(input)), &hex[0], &msg)
	runtime.KeepAlive(s)
	if st != C.USERHASH_OK {
		return "", newError(st, &msg)
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(&hex[0])), 64)), nil
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
