module userhash.dev/userhash

go 1.23
