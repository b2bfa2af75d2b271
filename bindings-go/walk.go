package userhash

// #include "userhash.h"
import "C"

import (
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

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
	for k, v := range in.Fields {
		name, value = k, v
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

// walker writes a native value as the JSON text the core reads. A value it
// cannot convert panics with the core's error, which encode returns.
type walker struct {
	buf  []byte
	root string  // the name of the value ("options"), "" for an input of fields
	path []seg   // where the walker is below root, rendered only for an error
	keys []entry // the sorted entries of the open maps
}

type entry struct {
	key   string
	value any
}

// seg is a member (an object key, or an array index >= 0) of the container at addr.
type seg struct {
	key   string
	index int
	addr  uintptr
}

// walkers are reused, so that converting allocates nothing once warm.
var walkers = sync.Pool{New: func() any { return new(walker) }}

// encode runs write (which fills w.buf) and returns the text or the core's error.
func (w *walker) encode(root string, write func()) (text []byte, err error) {
	clear(w.path[:cap(w.path)])
	clear(w.keys[:cap(w.keys)])
	w.buf, w.root, w.path, w.keys = w.buf[:0], root, w.path[:0], w.keys[:0]
	defer func() {
		if r := recover(); r != nil {
			if err, _ = r.(*Error); err == nil {
				panic(r)
			}
		}
	}()
	write()
	return w.buf, nil
}

// input writes an Input as an object of fields (level 1 are its values).
func (w *walker) input(in *Input) {
	w.buf = append(w.buf, '{')
	for i, v := range [...]any{in.Email, in.UserID, in.ExternalID, in.Visitor} {
		if v != nil {
			w.member(inputNames[i], -1, 0)
			w.any(v, 1)
			w.pop()
		}
	}
	w.object(in.Fields, 0, 0)
	w.buf = append(w.buf, '}')
}

// fail reports kind (a conversion failure the core names) for a value of
// type t at w.path.
func (w *walker) fail(kind string, t reflect.Type) {
	p := w.root
	for _, s := range w.path {
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
// cycle that got it there (at the outermost container seen twice), or too_deep.
func (w *walker) open(c byte, level int) {
	for i := 0; level > maxDepth && i < len(w.path); i++ {
		if a := w.path[i].addr; a != 0 && slices.ContainsFunc(w.path[i+1:], func(s seg) bool { return s.addr == a }) {
			w.path = w.path[:i]
			w.fail("cycle", nil)
		}
	}
	if level > maxDepth {
		w.fail("too_deep", nil)
	}
	w.buf = append(w.buf, c)
}

// member starts an array item (index >= 0) or an object entry of the
// container at addr; pop ends it.
func (w *walker) member(key string, index int, addr uintptr) {
	if c := w.buf[len(w.buf)-1]; c != '{' && c != '[' {
		w.buf = append(w.buf, ',')
	}
	if index < 0 {
		w.str(key)
		w.buf = append(w.buf, ':')
	}
	w.path = append(w.path, seg{key, index, addr})
}

func (w *walker) pop() { w.path = w.path[:len(w.path)-1] }

// str writes s as a JSON string, escaping only ", \ and control characters
// (the core re-serializes it anyway); a run of plain ASCII is copied as is.
func (w *walker) str(s string) {
	i := 0
	for i < len(s) && plain[s[i]] {
		i++
	}
	if i < len(s) && !utf8.ValidString(s[i:]) {
		w.fail("invalid_utf8", nil)
	}
	w.buf = append(append(w.buf, '"'), s[:i]...)
	for start := i; ; i++ {
		if i == len(s) {
			w.buf = append(append(w.buf, s[start:]...), '"')
			return
		} else if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			w.buf = append(append(w.buf, s[start:i]...), '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			start = i + 1
		}
	}
}

// plain marks the bytes a JSON string holds as they are: printable ASCII but " and \.
var plain = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// float writes f as JSON.stringify would have it parsed: NaN and ±Inf are
// null, and an integral value keeps a ".0" so that the core sees a float
// (an id refuses one).
func (w *walker) float(f float64, bits int) {
	if n := len(w.buf); math.IsNaN(f) || math.IsInf(f, 0) {
		w.buf = append(w.buf, "null"...)
	} else if w.buf = strconv.AppendFloat(w.buf, f, 'g', -1, bits); !strings.ContainsAny(string(w.buf[n:]), ".e") {
		w.buf = append(w.buf, ".0"...)
	}
}

// object writes the entries of m (the container at addr), keys sorted (a Go
// map has no order); the caller writes the braces.
func (w *walker) object(m map[string]any, level int, addr uintptr) {
	start := len(w.keys)
	for k, v := range m {
		w.keys = append(w.keys, entry{k, v})
	}
	slices.SortFunc(w.keys[start:], func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for _, e := range w.keys[start:] {
		w.member(e.key, -1, addr)
		w.any(e.value, level+1)
		w.pop()
	}
	w.keys = w.keys[:start]
}

var (
	bigIntType = reflect.TypeFor[*big.Int]()
	mapOfAny   = reflect.TypeFor[map[string]any]()
	rawTypes   = []reflect.Type{reflect.TypeFor[json.RawMessage](), reflect.TypeFor[json.Number]()}
	hooks      = []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()}
	// The kinds of native value the core refuses, by Go type (pointers to them too).
	refused = map[reflect.Type]string{reflect.TypeFor[time.Time](): "datetime", reflect.TypeFor[big.Float](): "decimal",
		bigIntType.Elem(): "big_number"}
)

// any writes v at level; strings, floats and maps of decoded JSON skip reflection.
func (w *walker) any(v any, level int) {
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case string:
		w.str(x)
	case float64:
		w.float(x, 64)
	case map[string]any:
		if x == nil {
			w.buf = append(w.buf, "null"...)
			return
		}
		w.open('{', level)
		w.object(x, level, uintptr(reflect.ValueOf(x).UnsafePointer()))
		w.buf = append(w.buf, '}')
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
			w.fail("json_hook", t)
		case v.Kind() == reflect.Interface && v.Elem().Kind() != reflect.Pointer:
			w.any(v.Interface(), level)
			return
		case hops > maxDepth:
			w.fail("too_deep", nil)
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
		w.fail(refused[t], t)
	case named && slices.ContainsFunc(hooks, reflect.PointerTo(t).Implements):
		w.fail("json_hook", t)
	case k == reflect.Bool:
		w.buf = strconv.AppendBool(w.buf, v.Bool())
	case v.CanInt():
		w.buf = strconv.AppendInt(w.buf, v.Int(), 10)
	case v.CanUint():
		w.buf = strconv.AppendUint(w.buf, v.Uint(), 10)
	case v.CanFloat():
		w.float(v.Float(), t.Bits())
	case k == reflect.String:
		w.str(v.String())
	case k == reflect.Map && t.Key().Kind() != reflect.String:
		w.fail("non_string_key", t.Key())
	case k == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		w.fail("bytes", t)
	case (k == reflect.Map || k == reflect.Slice) && v.IsNil():
		w.buf = append(w.buf, "null"...)
	case k == reflect.Map:
		w.open('{', level)
		w.entries(v, level, addr)
		w.buf = append(w.buf, '}')
	case k == reflect.Slice || k == reflect.Array:
		w.open('[', level)
		for i := range v.Len() {
			w.member("", i, addr)
			w.value(v.Index(i), level+1)
			w.pop()
		}
		w.buf = append(w.buf, ']')
	case k == reflect.Struct:
		w.open('{', level)
		for _, f := range fieldsOf(t) {
			if fv, err := v.FieldByIndexErr(f.index); err != nil || f.omitEmpty && empty(fv) || f.omitZero && fv.IsZero() {
				continue
			} else if f.inline && fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String {
				w.entries(fv, level, addr)
			} else {
				w.member(f.name, -1, addr)
				w.value(fv, level+1)
				w.pop()
			}
		}
		w.buf = append(w.buf, '}')
	default:
		w.fail("object", t)
	}
}

// entries writes a map's entries, keys sorted (a Go map has no order); a
// map[string]any goes to object, without reflection.
func (w *walker) entries(v reflect.Value, level int, addr uintptr) {
	if v.Type() == mapOfAny {
		w.object(v.Interface().(map[string]any), level, addr)
		return
	}
	for _, key := range slices.SortedFunc(slices.Values(v.MapKeys()), func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) }) {
		w.member(key.String(), -1, addr)
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
