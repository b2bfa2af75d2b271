// Command widget is a net/http server that renders the Ensoras chat widget
// snippet for the logged-in user, with the identity hash computed by userhash.
//
//	make c-lib && WIDGET_SECRET=s3cr3t go run . -addr 127.0.0.1:8080
//	curl -H 'X-Demo-User: Alice@Example.COM' http://127.0.0.1:8080/
//
// Go's own strings.ToLower + crypto/hmac would disagree with the vendor's
// Node snippet (email.toLowerCase()) on e.g. "ΟΔΟΣ@X.GR" (final sigma) or
// "İ"; userhash signs exactly what Ensoras recomputes.
package main

import (
	"flag"
	"html/template"
	"log"
	"net/http"
	"os"

	"userhash.dev/userhash"
)

// The vendor's snippet (shared/seeds, Ensoras "Step 2"), identify call only
// for a logged-in user. html/template escapes the values for the JS context.
var page = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><title>Support</title></head>
<body>
<h1>Hello{{if .Email}}, {{.Email}}{{end}}</h1>
<script>
  window.EnsorasQueue = window.EnsorasQueue || [];
  function Ensoras() { EnsorasQueue.push(arguments); }
{{- if .Email}}
  Ensoras('identify', {
    email: {{.Email}},
    hash: {{.Hash}}
  });
{{- end}}
</script>
<script src="https://app.ensoras.com/cdn/v1/widget/{{.Slug}}.js" async defer></script>
</body></html>
`))

// currentUser stands in for the application's session lookup.
func currentUser(r *http.Request) (email string, ok bool) {
	email = r.Header.Get("X-Demo-User")
	return email, email != ""
}

// NewHandler renders the widget page; signer is built once at startup.
func NewHandler(signer *userhash.Signer, slug string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data := struct{ Email, Hash, Slug string }{Slug: slug}
		if email, ok := currentUser(r); ok {
			hash, err := signer.Sign(userhash.Input{Email: email})
			if err != nil {
				// A bad identity is a server-side bug: render anonymous, log the code.
				log.Printf("userhash: %v", err)
			} else {
				data.Email, data.Hash = email, hash
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, data); err != nil {
			log.Printf("render: %v", err)
		}
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	slug := flag.String("slug", "YOUR_SLUG", "Ensoras widget slug")
	flag.Parse()
	signer, err := userhash.NewSigner(os.Getenv("WIDGET_SECRET"), "ensoras")
	if err != nil {
		log.Fatalf("WIDGET_SECRET: %v", err)
	}
	defer signer.Close()
	log.Printf("listening on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, NewHandler(signer, *slug)))
}
