// Command widget is a net/http server that renders the Ensoras chat widget
// snippet for the logged-in user, signed and escaped by userhash
// (signer.EmbedHTML, used from html/template as the userhashEmbed helper).
//
//	make c-lib && WIDGET_SECRET=s3cr3t go run . -addr 127.0.0.1:8080
//	curl -H 'X-Demo-User: Alice@Example.COM' http://127.0.0.1:8080/
//
// Go's own strings.ToLower + crypto/hmac would disagree with the vendor's
// Node snippet (email.toLowerCase()) on e.g. "ΟΔΟΣ@X.GR" (final sigma) or
// "İ"; userhash signs exactly what Ensoras recomputes. And an email like
// "</script><script>…" dropped into the page's JS by hand would run; the
// snippet from userhash cannot be broken out of.
//
// With USERHASH_EMBED_TEST_ROUTE=1 it also serves POST /userhash/embed for
// the browser test (tests/browser, docs/embed.md); never enable it in production.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"

	"userhash.dev/userhash"
)

// Funcs are the template helpers bound to a signer: {{userhashEmbed .Identity .Options}}
// renders the vendor's snippet (template.HTML, escaped inside by userhash).
func Funcs(signer *userhash.Signer) template.FuncMap {
	return template.FuncMap{"userhashEmbed": signer.EmbedHTML}
}

// The page: the signed widget for a logged-in user, the plain loader otherwise.
// Every script tag carries the request's CSP nonce.
const pageText = `<!doctype html>
<html><head><meta charset="utf-8"><title>Support</title></head>
<body>
<h1>Hello{{with .Identity}}, {{.Email}}{{end}}</h1>
{{if .Identity -}}
{{userhashEmbed .Identity .Options}}
{{- else -}}
<script nonce="{{.Options.nonce}}" src="https://app.ensoras.com/cdn/v1/widget/{{.Options.widget}}.js" async defer></script>
{{- end}}
</body></html>
`

// The test route's page: just the helper's output.
const snippetText = `<!doctype html>
<html><head><meta charset="utf-8"></head>
<body>
{{userhashEmbed .Identity .Options}}
</body></html>
`

func parse(name, text string, signer *userhash.Signer) *template.Template {
	return template.Must(template.New(name).Funcs(Funcs(signer)).Parse(text))
}

type pageData struct {
	Identity *userhash.Input
	Options  map[string]any
}

// currentUser stands in for the application's session lookup.
func currentUser(r *http.Request) (email string, ok bool) {
	email = r.Header.Get("X-Demo-User")
	return email, email != ""
}

func newNonce() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewHandler renders the widget page; signer is built once at startup.
func NewHandler(signer *userhash.Signer, slug string) http.Handler {
	page := parse("page", pageText, signer)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := newNonce()
		data := pageData{Options: map[string]any{"widget": slug, "nonce": nonce}}
		if email, ok := currentUser(r); ok {
			data.Identity = &userhash.Input{Email: email}
		}
		var out bytes.Buffer
		if err := page.Execute(&out, data); err != nil {
			// A bad identity (e.g. an empty email) is a server-side bug: log the
			// error code and render the page for an anonymous visitor.
			log.Printf("render: %v", err)
			out.Reset()
			data.Identity = nil
			if err := page.Execute(&out, data); err != nil {
				http.Error(w, "render failed", http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("script-src 'nonce-%s'", nonce))
		w.Write(out.Bytes())
	})
}

// EmbedTestHandler is the browser test's route: POST {"preset", "input",
// "options"} → the snippet rendered through the userhashEmbed helper in a
// page when it is HTML; any other rendering (a URL, a statement) as is. The secret comes from
// USERHASH_SECRET. Values stay JSON text (json.RawMessage) so key order and
// numbers reach userhash exactly as sent.
func EmbedTestHandler(secret string) http.Handler {
	var mu sync.Mutex
	signers := map[string]*userhash.Signer{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			fmt.Fprintln(w, "userhash embed test route")
			return
		}
		var req struct {
			Preset  string                     `json:"preset"`
			Input   map[string]json.RawMessage `json:"input"`
			Options map[string]json.RawMessage `json:"options"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		signer, ok := signers[req.Preset]
		if !ok {
			var err error
			if signer, err = userhash.NewSigner(secret, req.Preset); err != nil {
				mu.Unlock()
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			}
			signers[req.Preset] = signer
		}
		mu.Unlock()
		// The fields go to the core by name, which checks them (aliases too).
		in := &userhash.Input{Fields: map[string]any{}}
		for k, v := range req.Input {
			in.Fields[k] = v
		}
		options := map[string]any{}
		for k, v := range req.Options {
			options[k] = v
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// What the core rendered decides the wrapper: HTML goes in a page,
		// a bare URL or statement is answered as is.
		text, err := signer.Embed(*in, options)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		if !strings.HasPrefix(text, "<") {
			fmt.Fprint(w, text)
			return
		}
		var out bytes.Buffer
		if err := parse("snippet", snippetText, signer).Execute(&out, pageData{Identity: in, Options: options}); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Write(out.Bytes())
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	slug := flag.String("slug", "YOUR_SLUG", "Ensoras widget slug")
	flag.Parse()
	signer, err := userhash.NewSigner(os.Getenv("WIDGET_SECRET"), "ensoras")
	if os.Getenv("USERHASH_EMBED_TEST_ROUTE") == "1" && err != nil {
		signer, err = userhash.NewSigner(os.Getenv("USERHASH_SECRET"), "ensoras")
	}
	if err != nil {
		log.Fatalf("WIDGET_SECRET: %v", err)
	}
	defer signer.Close()
	mux := http.NewServeMux()
	mux.Handle("/", NewHandler(signer, *slug))
	if os.Getenv("USERHASH_EMBED_TEST_ROUTE") == "1" {
		mux.Handle("/userhash/embed", EmbedTestHandler(os.Getenv("USERHASH_SECRET")))
		log.Printf("test route /userhash/embed enabled (USERHASH_EMBED_TEST_ROUTE=1)")
	}
	log.Printf("listening on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
