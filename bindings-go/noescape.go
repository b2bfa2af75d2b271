//go:build go1.24

package userhash

// The hot calls take pointers to the caller's stack (the hash buffer, the
// error_out) and Go strings: C keeps none of them and calls no Go, so cgo
// need not move them to the heap nor prepare for a callback (Go 1.24+).

// #cgo noescape userhash_sign
// #cgo nocallback userhash_sign
// #cgo noescape userhash_sign_field
// #cgo nocallback userhash_sign_field
// #cgo noescape userhash_sign_many_packed
// #cgo nocallback userhash_sign_many_packed
// #cgo noescape userhash_error_free
// #cgo nocallback userhash_error_free
import "C"
