package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"userhash.dev/userhash"
)

var hashRe = regexp.MustCompile(`"hash":"([0-9a-f]{64})"`)

func fetch(t *testing.T, srv *httptest.Server, user string) string {
	body, _ := fetchWithHeader(t, srv, user)
	return body
}

func fetchWithHeader(t *testing.T, srv *httptest.Server, user string) (string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	if user != "" {
		req.Header.Set("X-Demo-User", user)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return string(body), resp.Header
}

func TestWidgetPage(t *testing.T) {
	signer, err := userhash.NewSigner("s3cr3t", "ensoras")
	if err != nil {
		t.Fatal(err)
	}
	defer signer.Close()
	srv := httptest.NewServer(NewHandler(signer, "acme"))
	defer srv.Close()

	cases := []struct{ user, want string }{
		// node -e "console.log(require('crypto').createHmac('sha256','s3cr3t').update('Alice@Example.COM'.toLowerCase()).digest('hex'))"
		{"Alice@Example.COM", "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"},
		// node -e "console.log(require('crypto').createHmac('sha256','s3cr3t').update('ΟΔΟΣ@X.GR'.toLowerCase()).digest('hex'))"
		{"ΟΔΟΣ@X.GR", "e3b4de7eeb88aa5b8f8bd71f4a85fbe47f8a6eb8d2b1c9ea66dd060ce476e851"},
	}
	for _, c := range cases {
		body := fetch(t, srv, c.user)
		m := hashRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no hash in page:\n%s", c.user, body)
		}
		if m[1] != c.want {
			t.Errorf("%s: page hash %s, oracle %s", c.user, m[1], c.want)
		}
		if !strings.Contains(body, "widget/acme.js") {
			t.Errorf("%s: widget script missing", c.user)
		}
	}

	// What a plain Go port of the snippet would send: the final sigma differs,
	// so the vendor would silently treat the user as anonymous.
	mac := hmac.New(sha256.New, []byte("s3cr3t"))
	mac.Write([]byte(strings.ToLower("ΟΔΟΣ@X.GR")))
	if naive := hex.EncodeToString(mac.Sum(nil)); naive == cases[1].want {
		t.Errorf("expected Go's strings.ToLower to disagree with JS here")
	}

	// Anonymous visitors get the widget without an identify call.
	body, header := fetchWithHeader(t, srv, "")
	if strings.Contains(body, "identify") || !strings.Contains(body, "widget/acme.js") {
		t.Errorf("anonymous page:\n%s", body)
	}
	// Every script tag carries the CSP nonce of the response.
	csp := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(header.Get("Content-Security-Policy"))
	if csp == nil || strings.Count(body, `nonce="`+csp[1]+`"`) != strings.Count(body, "<script") {
		t.Errorf("CSP nonce %v:\n%s", csp, body)
	}
	body, header = fetchWithHeader(t, srv, "Alice@Example.COM")
	csp = regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(header.Get("Content-Security-Policy"))
	if csp == nil || strings.Count(body, `nonce="`+csp[1]+`"`) != strings.Count(body, "<script") {
		t.Errorf("CSP nonce %v:\n%s", csp, body)
	}

	// A hostile email cannot close the script: it reaches the widget as signed.
	body = fetch(t, srv, "</script><script>window.pwned=1</script>@x.com")
	if strings.Count(body, "</script>") != strings.Count(body, "<script") || strings.Contains(body, "window.pwned=1</script>") {
		t.Errorf("hostile email broke out:\n%s", body)
	}
}

func TestEmbedTestRoute(t *testing.T) {
	srv := httptest.NewServer(EmbedTestHandler("s3cr3t"))
	defer srv.Close()
	post := func(body string) (int, string) {
		resp, err := srv.Client().Post(srv.URL, "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	// node -e "c=require('crypto');console.log(c.createHmac('sha256','s3cr3t').update(JSON.stringify({name:'Alice',email:'Alice@Example.COM',data:{plan:'pro'}})).digest('hex'))"
	code, body := post(`{"preset":"fluentbot","input":{"visitor":{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}},"options":{"widget":"bot","nonce":"n1"}}`)
	if code != 200 || !strings.Contains(body, `"signature":"7ad2c3cf57e91d292e4103e52a15f91f5fe63ef96ebd75c41782c0106ae57120"`) || !strings.Contains(body, `nonce="n1"`) {
		t.Errorf("fluentbot: %d\n%s", code, body)
	}
	// node -e "console.log(require('crypto').createHmac('sha256','s3cr3t').update('Alice@Example.COM').digest('hex'))"
	code, body = post(`{"preset":"layerup","input":{"email":"Alice@Example.COM"},"options":{"widget":"w","form":"url"}}`)
	if code != 200 || body != "https://us.uselayerup.com/widget/w?ue=Alice%40Example.COM&uh=4d6c781e70af26e6da96cea2d7ae4928dbe6d9d7ab87ace6d0aabf32179367e7" {
		t.Errorf("layerup url: %d %s", code, body)
	}
	// node -e "console.log(require('crypto').createHmac('sha256','s3cr3t').update(String(42)).digest('hex'))"
	code, body = post(`{"preset":"inviaro","input":{"user_id":42},"options":{"widget":"wt_1","form":"identify"}}`)
	if code != 200 || !strings.Contains(body, `"userHash":"7b25340b646377b8707a55deb0f09149bfd93b074f7fadbf7316f978f236fb53"`) {
		t.Errorf("inviaro identify: %d %s", code, body)
	}
	// Every preset the library lists is served (an empty identity is the core's 422, not a 404);
	// a hex secret, which every preset accepts.
	hexSrv := httptest.NewServer(EmbedTestHandler("5ec12e7a5ec12e7a"))
	defer hexSrv.Close()
	for _, p := range userhash.Presets() {
		resp, err := hexSrv.Client().Post(hexSrv.URL, "application/json", strings.NewReader(`{"preset":"`+p+`","input":{},"options":{"widget":"w"}}`))
		if err != nil || resp.StatusCode != 422 {
			t.Errorf("%s: %v %v", p, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if code, _ := post(`{"preset":"nope","input":{"email":"a@b.c"},"options":{"widget":"w"}}`); code != 404 {
		t.Errorf("unknown preset: %d", code)
	}
	if code, _ := post(`{"preset":"ensoras","input":{"email":"a@b.c"},"options":{"widget":"w","color":1}}`); code == 200 {
		t.Errorf("bad option accepted")
	}
}
