module userhash.dev/examples/go

go 1.23

require userhash.dev/userhash v0.0.0

replace userhash.dev/userhash => ../../bindings-go
