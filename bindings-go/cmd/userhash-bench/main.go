// Command userhash-bench compares the Go package with the vendors' Go snippets
// (crypto/hmac + encoding/hex, encoding/json for FluentBot), side by side in
// one process on the same inputs, and prints one line per comparison:
//
//	go <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>
//
// Times are per signature: the median over several rounds, each round running
// the SDK and then the snippet on the same inputs. ratio < 1 means userhash is
// faster. Per-call cases count the process's CPU time (every thread's, the
// garbage collector's too), which other load on the machine does not inflate
// as it does wall time; the batch counts wall time (it runs on every core). A line on stderr gives the SHA-256 block cost (the floor).
// USERHASH_BENCH_SMOKE=1 runs every case once with tiny counts (for make test).
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"userhash.dev/userhash"
)

// The secret as the snippets read it (os.Getenv in the vendor's code; read
// once here, so the snippet is not charged for the environment lookup).
var secret = []byte("s3cr3t-widget-secret-0123456789")

// inviaroSnippet is the Inviaro page's Go snippet (InviaroUserHash).
func inviaroSnippet(userID string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(userID))
	return hex.EncodeToString(h.Sum(nil))
}

// ensorasSnippet: the Ensoras rule (email.toLowerCase()) with the same stdlib calls.
func ensorasSnippet(email string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(strings.ToLower(email)))
	return hex.EncodeToString(h.Sum(nil))
}

// Visitor is how an application holds a FluentBot visitor.
type Visitor struct {
	Name  string         `json:"name"`
	Email string         `json:"email"`
	Data  map[string]any `json:"data"`
}

// fluentbotSnippet: JSON.stringify({name, email, data}) then HMAC, with encoding/json.
func fluentbotSnippet(v *Visitor) string {
	payload, err := json.Marshal(struct {
		Name  string         `json:"name"`
		Email string         `json:"email"`
		Data  map[string]any `json:"data"`
	}{v.Name, v.Email, v.Data})
	if err != nil {
		panic(err)
	}
	h := hmac.New(sha256.New, secret)
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

var sink string

// cpuTime is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID).
func cpuTime() time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 2, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(errno)
	}
	return time.Duration(ts.Nano())
}

// wallTime is the time since the program started.
var start0 = time.Now()

func wallTime() time.Duration { return time.Since(start0) }

// clock is what measure counts: cpuTime, or wallTime for the batch.
var clock = cpuTime

// measure returns the median ns per op of sdk and stdlib over rounds, each
// round running iters ops of one then the other.
func measure(rounds, iters int, sdk, stdlib func(i int)) (float64, float64) {
	var a, b []float64
	for r := 0; r < rounds; r++ {
		for k, f := range []func(int){sdk, stdlib} {
			start := clock()
			for i := 0; i < iters; i++ {
				f(i)
			}
			ns := float64((clock() - start).Nanoseconds()) / float64(iters)
			if k == 0 {
				a = append(a, ns)
			} else {
				b = append(b, ns)
			}
		}
	}
	return median(a), median(b)
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

func report(name string, sdk, stdlib float64) {
	fmt.Printf("go %s sdk=%.0fns stdlib=%.0fns ratio=%.3f\n", name, sdk, stdlib, sdk/stdlib)
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "userhash-bench:", err)
		os.Exit(1)
	}
	return v
}

func check(what, got, want string) {
	if got != want {
		fmt.Fprintf(os.Stderr, "userhash-bench: %s: sdk %s != snippet %s\n", what, got, want)
		os.Exit(1)
	}
}

func main() {
	smoke := os.Getenv("USERHASH_BENCH_SMOKE") == "1"
	rounds, iters, batch, batchRounds := 9, 200_000, 1_000_000, 5
	if smoke {
		rounds, iters, batch, batchRounds = 1, 200, 2_000, 1
	}
	key := string(secret)

	inviaro := must(userhash.NewSigner(key, "inviaro"))
	ensoras := must(userhash.NewSigner(key, "ensoras"))
	fluentbot := must(userhash.NewSigner(key, "fluentbot"))
	defer inviaro.Close()
	defer ensoras.Close()
	defer fluentbot.Close()

	ids := make([]string, 1024)
	emails := make([]string, 1024)
	for i := range ids {
		ids[i] = "usr_" + strconv.Itoa(100000+i*7919)
		emails[i] = fmt.Sprintf("Customer.%d@Example.COM", i)
	}
	check("inviaro", must(inviaro.Sign(userhash.Input{UserID: ids[1]})), inviaroSnippet(ids[1]))
	check("ensoras", must(ensoras.Sign(userhash.Input{Email: emails[1]})), ensorasSnippet(emails[1]))

	sdk, std := measure(rounds, iters,
		func(i int) { sink, _ = inviaro.Sign(userhash.Input{UserID: ids[i&1023]}) },
		func(i int) { sink = inviaroSnippet(ids[i&1023]) })
	report("inviaro", sdk, std)

	sdk, std = measure(rounds, iters,
		func(i int) { sink, _ = ensoras.Sign(userhash.Input{Email: emails[i&1023]}) },
		func(i int) { sink = ensorasSnippet(emails[i&1023]) })
	report("ensoras", sdk, std)

	// A realistic visitor: name, email and ten data fields, about 300 bytes of JSON.
	v := &Visitor{
		Name:  "Alice Liddell",
		Email: "alice.liddell@example.com",
		Data: map[string]any{
			"plan": "enterprise", "account_id": "ACME-1007", "seats": 42, "mrr": 1299.5,
			"trial": false, "signup": "2024-03-14T09:26:53Z", "country": "GB", "locale": "en-GB",
			"team": "Support Ops", "tags": []any{"vip", "beta"},
		},
	}
	visitor := func(v *Visitor) userhash.Input {
		return userhash.Input{Visitor: map[string]any{"name": v.Name, "email": v.Email, "data": v.Data}}
	}
	check("fluentbot", must(fluentbot.Sign(visitor(v))), fluentbotSnippet(v))
	if c := must(fluentbot.Canonical(visitor(v))); len(c) < 250 || len(c) > 350 {
		fmt.Fprintf(os.Stderr, "userhash-bench: visitor is %d bytes\n", len(c))
	}
	sdk, std = measure(rounds, iters/4,
		func(int) { sink, _ = fluentbot.Sign(visitor(v)) },
		func(int) { sink = fluentbotSnippet(v) })
	report("fluentbot", sdk, std)

	// The same visitor as the application's struct (json tags, as encoding/json reads them).
	check("fluentbot_struct", must(fluentbot.Sign(userhash.Input{Visitor: v})), fluentbotSnippet(v))
	sdk, std = measure(rounds, iters/4,
		func(int) { sink, _ = fluentbot.Sign(userhash.Input{Visitor: v}) },
		func(int) { sink = fluentbotSnippet(v) })
	report("fluentbot_struct", sdk, std)

	// The floor: one SHA-256 block. The snippet's hmac.New derives the key pads
	// on every call, so a short message costs it 4 blocks; userhash keeps the
	// keyed state and needs 2. Printed on stderr (not a comparison line).
	block := make([]byte, 32)
	_, one := measure(rounds, iters, func(int) {}, func(i int) { block[0] = byte(i); s := sha256.Sum256(block); block[1] = s[0] })
	fmt.Fprintf(os.Stderr, "go floor: sha256.Sum256(32 bytes) = %.0fns (one block); the snippet needs 4 blocks per short message, userhash 2\n", one)

	// Batch: 1 000 000 ids through SignMany against a loop of the snippet.
	many := make([]string, batch)
	for i := range many {
		many[i] = strconv.Itoa(1_000_000 + i)
	}
	hashes := must(inviaro.SignMany(many))
	check("sign_many", hashes[batch-1], inviaroSnippet(many[batch-1]))
	hashes = nil
	runtime.GC()
	var loop []string
	clock = wallTime
	sdk, std = measure(batchRounds, 1,
		func(int) { hashes = must(inviaro.SignMany(many)) },
		func(int) {
			loop = make([]string, len(many))
			for i, id := range many {
				loop[i] = inviaroSnippet(id)
			}
		})
	check("sign_many", hashes[batch/2], loop[batch/2])
	report("sign_many", sdk/float64(batch), std/float64(batch))
}
