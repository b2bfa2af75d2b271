//go:build userhash_dynamic

package userhash

// With -tags userhash_dynamic the package links the libuserhash you bring
// (built from bindings-c for your platform): point the linker at it with
// CGO_LDFLAGS="-L/path/to/lib" (and, for a shared library, the loader with
// LD_LIBRARY_PATH or an rpath). The module's userhash.h is used
// unless CGO_CFLAGS names another.

// #cgo LDFLAGS: -luserhash
import "C"
