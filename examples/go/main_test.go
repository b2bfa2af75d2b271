package main

import (
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

var hashRe = regexp.MustCompile(`hash: "([0-9a-f]{64})"`)

func fetch(t *testing.T, srv *httptest.Server, user string) string {
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
	return string(body)
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
	body := fetch(t, srv, "")
	if strings.Contains(body, "identify") || !strings.Contains(body, "widget/acme.js") {
		t.Errorf("anonymous page:\n%s", body)
	}
}
