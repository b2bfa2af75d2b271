package userhash

// #include "userhash.h"
import "C"

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Input holds the fields of one sign call; each preset reads its own:
// layerup/ensoras Email, inviaro UserID, supportwire ExternalID (optional)
// then Email, fluentbot Visitor.
//
//   - Email is sent when it is non-empty, or when no other field is set (so
//     Input{Email: ""} is ErrEmptyIdentity, never "missing field").
//   - UserID and ExternalID are ids: a string (as given), any Go integer type
//     or *big.Int (signed as its decimal text), json.Number or
//     json.RawMessage (read as JSON.parse would); nil (or a nil pointer) means
//     absent. Floats and booleans are ErrInvalidInput, as in every binding.
//   - Visitor is the fluentbot visitor {name, email, data}: a struct (json
//     tags respected), a map[string]any, or json.RawMessage JSON text. Key
//     order inside data matters to the vendor (JS property order):
//     json.RawMessage and structs keep their order; a Go map has none, so
//     its keys are sent sorted. Nothing is HTML-escaped (<, >, & stay raw).
type Input struct {
	Email      string
	UserID     any
	ExternalID any
	Visitor    any
}

// single reports the one-string-field fast path (no JSON involved).
func (in *Input) single() (C.userhash_field_t, string, bool) {
	if in.Visitor != nil {
		return 0, "", false
	}
	switch {
	case in.UserID == nil && in.ExternalID == nil:
		return C.USERHASH_FIELD_EMAIL, in.Email, true
	case in.Email != "":
		return 0, "", false
	case in.ExternalID == nil:
		if s, ok := in.UserID.(string); ok {
			return C.USERHASH_FIELD_USER_ID, s, true
		}
	case in.UserID == nil:
		if s, ok := in.ExternalID.(string); ok {
			return C.USERHASH_FIELD_EXTERNAL_ID, s, true
		}
	}
	return 0, "", false
}

// appendJSON writes the input as the JSON object of fields the C ABI reads.
func (in *Input) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	sep := func() {
		if len(b) > 1 {
			b = append(b, ',')
		}
	}
	var err error
	_, hasUser := deref(in.UserID)
	_, hasExternal := deref(in.ExternalID)
	_, hasVisitor := deref(in.Visitor)
	if in.Email != "" || !(hasUser || hasExternal || hasVisitor) {
		if !utf8.ValidString(in.Email) {
			return nil, &Error{Code: "invalid_utf8", Message: "email: string is not valid UTF-8"}
		}
		b = appendString(append(b, `"email":`...), in.Email)
	}
	for _, f := range [...]struct {
		name string
		v    any
	}{{"user_id", in.UserID}, {"external_id", in.ExternalID}} {
		v, present := deref(f.v)
		if !present {
			continue
		}
		sep()
		b = append(append(append(b, '"'), f.name...), `":`...)
		if b, err = appendID(b, f.name, v); err != nil {
			return nil, err
		}
	}
	if v, present := deref(in.Visitor); present {
		sep()
		b = append(b, `"visitor":`...)
		e := encoder{buf: b, root: "visitor"}
		if err := e.value(v, 1); err != nil {
			return nil, err
		}
		b = e.buf
	}
	return append(b, '}'), nil
}

// deref follows pointers; nil (or a nil pointer) is "absent".
func deref(v any) (any, bool) {
	for v != nil {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			return v, true
		}
		if rv.IsNil() {
			return nil, false
		}
		if _, isBig := v.(*big.Int); isBig {
			return v, true
		}
		v = rv.Elem().Interface()
	}
	return nil, false
}

func appendID(b []byte, name string, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return nil, &Error{Code: "invalid_utf8", Message: name + ": string is not valid UTF-8"}
		}
		return appendString(b, x), nil
	case json.Number:
		return appendRaw(b, name, []byte(x))
	case json.RawMessage:
		return appendRaw(b, name, x)
	case *big.Int:
		return append(x.Append(append(b, '"'), 10), '"'), nil
	case bool:
		return strconv.AppendBool(b, x), nil // the core reports it with its message
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return appendID(b, name, rv.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		// Sent as its decimal text: ids sign exactly that, with no double rounding.
		return append(strconv.AppendInt(append(b, '"'), rv.Int(), 10), '"'), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return append(strconv.AppendUint(append(b, '"'), rv.Uint(), 10), '"'), nil
	case reflect.Bool:
		return strconv.AppendBool(b, rv.Bool()), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &Error{Code: "invalid_input",
				Message: fmt.Sprintf("%s must be a string or an integer, got a float (%v)", name, f)}
		}
		// A float literal, so the core reports a float even for 42.0.
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return append(b, s...), nil
	}
	return nil, &Error{Code: "invalid_input",
		Message: fmt.Sprintf("%s must be a string or an integer, got %T", name, v)}
}

func appendRaw(b []byte, path string, raw []byte) ([]byte, error) {
	if !json.Valid(raw) {
		return nil, &Error{Code: "invalid_json", Message: path + ": invalid JSON text " + strconv.Quote(string(raw))}
	}
	return append(b, raw...), nil
}

// appendString writes s as a JSON string: escapes only ", \ and control
// characters (the core re-serializes it anyway).
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	return append(append(b, s[start:]...), '"')
}

// encoder writes a visitor value as JSON text. The dynamic types
// (map[string]any, []any, strings, numbers, bools, nil) are converted here,
// checking UTF-8 and bounding the depth; any other type (structs, typed maps
// and slices, json.Marshaler) is encoded by encoding/json without HTML escaping.
type encoder struct {
	buf  []byte
	root string     // the name of the value being encoded ("visitor", "options")
	path []pathElem // where the encoder is below root (built into text only for an error)
}

// pathElem is one step of a path: an object key, or an array index when key is unset.
type pathElem struct {
	key   string
	index int
	isKey bool
}

func (e *encoder) fail(code, what string) error {
	var b strings.Builder
	b.WriteString(e.root)
	for _, p := range e.path {
		if p.isKey {
			b.WriteString("." + p.key)
		} else {
			b.WriteString("[" + strconv.Itoa(p.index) + "]")
		}
	}
	return &Error{Code: code, Message: b.String() + ": " + what}
}

func (e *encoder) value(v any, depth int) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		if !utf8.ValidString(x) {
			return e.fail("invalid_utf8", "string is not valid UTF-8")
		}
		e.buf = appendString(e.buf, x)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case float64:
		e.float(x)
	case float32:
		e.float(float64(x))
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, x, 10)
	case json.Number:
		return e.raw([]byte(x))
	case json.RawMessage:
		return e.raw(x)
	case map[string]any:
		if depth > MaxDepth+1 {
			return e.fail("too_deep", fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.path = append(e.path, pathElem{key: k, isKey: true})
			if !utf8.ValidString(k) {
				return e.fail("invalid_utf8", "object key is not valid UTF-8")
			}
			e.buf = append(appendString(e.buf, k), ':')
			if err := e.value(x[k], depth+1); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
		e.buf = append(e.buf, '}')
	case []any:
		if depth > MaxDepth+1 {
			return e.fail("too_deep", fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
		}
		e.buf = append(e.buf, '[')
		for i, item := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.path = append(e.path, pathElem{index: i})
			if err := e.value(item, depth+1); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
		e.buf = append(e.buf, ']')
	default:
		return e.stdlib(v)
	}
	return nil
}

// float writes a double as JSON text; ±Infinity as an overflowing literal and
// NaN as null, which is what JSON.stringify makes of them.
func (e *encoder) float(f float64) {
	switch {
	case math.IsNaN(f):
		e.buf = append(e.buf, "null"...)
	case math.IsInf(f, 1):
		e.buf = append(e.buf, "1e999"...)
	case math.IsInf(f, -1):
		e.buf = append(e.buf, "-1e999"...)
	default:
		e.buf = strconv.AppendFloat(e.buf, f, 'g', -1, 64)
	}
}

func (e *encoder) raw(text []byte) error {
	if !json.Valid(text) {
		return e.fail("invalid_json", "invalid JSON text "+strconv.Quote(string(text)))
	}
	e.buf = append(e.buf, text...)
	return nil
}

func (e *encoder) stdlib(v any) error {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return e.fail("invalid_input", fmt.Sprintf("%T is not a JSON value (%v)", v, err))
	}
	e.buf = append(e.buf, bytes.TrimRight(out.Bytes(), "\n")...)
	return nil
}

// appendOptions writes embed options as a JSON object: keys sorted (options
// are named, their order does not matter), values encoded like the visitor's
// (a json.RawMessage keeps its key order, e.g. SupportWire's data).
func appendOptions(b []byte, options map[string]any) ([]byte, error) {
	e := encoder{buf: b, root: "options"}
	m := make(map[string]any, len(options))
	for k, v := range options {
		m[k] = v
	}
	if err := e.value(m, 1); err != nil {
		return nil, err
	}
	return e.buf, nil
}
