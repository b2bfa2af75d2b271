//go:build !userhash_dynamic

package userhash

// The module carries its library beside this file: libuserhash_linux_amd64.a
// (the core built for glibc 2.17) and userhash.h, so `go get` needs nothing
// else on linux/amd64, and `go mod vendor` copies them with the package. On
// other platforms build with -tags userhash_dynamic and your own libuserhash
// (see link_dynamic.go).

// #cgo linux,amd64 LDFLAGS: ${SRCDIR}/libuserhash_linux_amd64.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
import "C"
