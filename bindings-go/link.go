//go:build !userhash_dynamic

package userhash

// The module carries its library: lib/linux_amd64/libuserhash.a (the core
// built for glibc 2.17) and include/userhash.h, so `go get` needs nothing
// else on linux/amd64. On other platforms build with -tags userhash_dynamic
// and your own libuserhash (see link_dynamic.go).

// #cgo linux,amd64 LDFLAGS: ${SRCDIR}/lib/linux_amd64/libuserhash.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
import "C"
