package userhash

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Interop with golang-jwt: it validates userhash's tokens, and userhash verifies its tokens.
func TestTokenGolangJWT(t *testing.T) {
	const secret = "s3cr3t"
	s, err := NewSigner(secret, "drift")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().Unix()
	key := func(*jwt.Token) (any, error) { return []byte(secret), nil }
	token, err := s.Token(Input{UserID: 12345}, map[string]any{"now": now, "ttl": 300})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.Parse(token, key, jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil || !parsed.Valid {
		t.Fatalf("jwt/v5 refused %s: %v", token, err)
	}
	if sub, _ := parsed.Claims.GetSubject(); sub != "12345" {
		t.Errorf("sub %q", sub)
	}
	if _, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return []byte("other"), nil }, jwt.WithValidMethods([]string{"HS256"})); err == nil {
		t.Error("jwt/v5 accepted another secret")
	}
	theirs, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "iat": now, "exp": now + 60}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	claims, err := s.VerifyToken(theirs, map[string]any{"now": now})
	if err != nil || claims["sub"] != "x" {
		t.Errorf("VerifyToken(%s): %v %v", theirs, claims, err)
	}
	if _, err := s.VerifyToken(theirs, map[string]any{"now": now + 3600}); err == nil {
		t.Error("expired jwt/v5 token accepted")
	}
}
