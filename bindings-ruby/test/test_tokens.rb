# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "jwt" # Debian's ruby-jwt: the independent oracle for the token bytes and checks

# Signer#token and #verify_token (docs/tokens.md): every row of
# tests/tokens/vectors.json (made by Node's jsonwebtoken), and interop both
# ways with ruby-jwt.
class TestTokens < Minitest::Test
  VECTORS = JSON.parse(File.read(File.expand_path("../../tests/tokens/vectors.json", __dir__)))
  NOW = VECTORS.fetch("now")
  SECRET = "s3cr3t"

  def options(row, key) = row.fetch(key, {}).transform_keys(&:to_sym)

  def assert_code(code, label = nil, &block)
    err = assert_raises(Userhash::Error, label, &block)
    assert_equal code, err.code, "#{label}: #{err.message}"
    assert_kind_of Userhash::Error::BY_CODE.fetch(code), err
    refute_includes err.message, SECRET
    err
  end

  def test_vectors_make_the_same_bytes
    rows = VECTORS["tokens"].select { |r| r.key?("token") }
    assert_operator rows.size, :>=, 10
    rows.each do |row|
      signer = Userhash::Signer.new(row["secret"], row["preset"])
      opts = options(row, "options")
      token = signer.token(row["input"], **opts)
      assert_equal row["token"], token, row["id"]
      # The same call with the identity as keywords.
      assert_equal token, signer.token(**row["input"].transform_keys(&:to_sym), **opts), row["id"]
      assert_equal row["claims"], signer.verify_token(token, now: opts[:now]), row["id"]
      # ruby-jwt accepts it: our HMAC, header and claims.
      payload, header = JWT.decode(token, row["secret"], true, algorithm: "HS256", verify_expiration: false)
      assert_equal row["claims"], payload, row["id"]
      assert_equal({ "alg" => "HS256", "typ" => "JWT", "kid" => opts[:kid] }.compact, header, row["id"])
    end
  end

  def test_vectors_refused_when_made
    rows = VECTORS["tokens"].select { |r| r.key?("error") && r.key?("input") }
    assert_operator rows.size, :>=, 10
    rows.each do |row|
      signer = Userhash::Signer.new(row["secret"], row["preset"])
      assert_code(row["error"], row["id"]) { signer.token(row["input"], **options(row, "options")) }
    end
  end

  def test_vectors_verified
    rows = VECTORS["tokens"].select { |r| r.key?("verify") }
    assert_operator rows.size, :>=, 15
    rows.each do |row|
      signer = Userhash::Signer.new(row["secret"], row["preset"])
      opts = options(row, "verify_options")
      if row.key?("error")
        assert_code(row["error"], row["id"]) { signer.verify_token(row["verify"], **opts) }
      else
        assert_equal row.fetch("claims"), signer.verify_token(row["verify"], **opts), row["id"]
      end
    end
  end

  def test_ruby_jwt_reads_our_tokens_at_the_clock
    drift = Userhash::Signer.new(SECRET, :drift)
    payload, = JWT.decode(drift.token(user_id: 7, ttl: 600), SECRET, true, algorithm: "HS256")
    assert_equal "7", payload["sub"]
    assert_in_delta Time.now.to_i, payload["iat"], 5
    assert_equal payload["iat"] + 600, payload["exp"]
    # exp is a real claim: ruby-jwt refuses the token once it is past.
    old = drift.token(user_id: 7, ttl: 600, now: NOW)
    assert_raises(JWT::ExpiredSignature) { JWT.decode(old, SECRET, true, algorithm: "HS256") }
    # and the MAC is keyed by the secret.
    assert_raises(JWT::VerificationError) { JWT.decode(old, "other", true, algorithm: "HS256") }
  end

  def test_we_verify_what_ruby_jwt_makes
    now = Time.now.to_i
    drift = Userhash::Signer.new(SECRET, :drift)
    claims = { "sub" => "u-1", "iat" => now, "exp" => now + 600, "extra" => [1, 2.5, nil, true, { "k" => "v" }] }
    assert_equal claims, drift.verify_token(JWT.encode(claims, SECRET, "HS256"))
    zendesk = Userhash::Signer.new(SECRET, :zendesk)
    z = { "scope" => "user", "external_id" => "e-9", "name" => "Zoë", "iat" => NOW }
    assert_equal z, zendesk.verify_token(JWT.encode(z, SECRET, "HS256", { kid: "app_1" }), now: NOW + 1, kids: ["app_1"])
  end

  def test_ruby_jwt_tokens_refused_with_our_codes
    drift = Userhash::Signer.new(SECRET, :drift)
    at = { now: NOW + 10 }
    claims = { "sub" => "x", "iat" => NOW }
    {
      "token_expired" => JWT.encode(claims.merge("exp" => NOW - 3600), SECRET, "HS256"),
      "bad_signature" => JWT.encode(claims, "not the secret", "HS256"),
      "invalid_token" => JWT.encode(claims, nil, "none"),
      "token_not_yet_valid" => JWT.encode(claims.merge("nbf" => NOW + 3600), SECRET, "HS256")
    }.each { |code, token| assert_code(code, code) { drift.verify_token(token, **at) } }
    assert_code("invalid_token", "HS512") { drift.verify_token(JWT.encode(claims, SECRET, "HS512"), **at) }
    assert_code("invalid_token", "HS384") { drift.verify_token(JWT.encode(claims, SECRET, "HS384"), **at) }
    assert_code("invalid_token", "no sub") { drift.verify_token(JWT.encode({ "iat" => NOW }, SECRET, "HS256"), **at) }
    # leeway: seconds of clock skew either way.
    late = JWT.encode(claims.merge("exp" => NOW), SECRET, "HS256")
    assert_equal "x", drift.verify_token(late, now: NOW + 30)["sub"]
    assert_code("token_expired") { drift.verify_token(late, now: NOW + 30, leeway: 10) }
  end

  def test_kids_pick_the_secret
    rotated = Userhash::Signer.new("new secret", :zendesk, previous: ["old secret"])
    claims = { "scope" => "user", "external_id" => "e", "iat" => NOW }
    old = JWT.encode(claims, "old secret", "HS256", { kid: "k_old" })
    assert_equal claims, rotated.verify_token(old, now: NOW)
    assert_equal claims, rotated.verify_token(old, now: NOW, kids: %w[k_new k_old])
    # The kid names the current secret: the old secret's MAC does not match it.
    assert_code("bad_signature") { rotated.verify_token(old, now: NOW, kids: %w[k_old k_new]) }
    assert_code("unknown_kid") { rotated.verify_token(old, now: NOW, kids: %w[k_new]) }
    mine = rotated.token({ external_id: "e" }, kid: "k_new", now: NOW)
    assert_equal "k_new", JWT.decode(mine, "new secret", true, algorithm: "HS256", verify_expiration: false)[1]["kid"]
  end

  def test_argument_errors
    drift = Userhash::Signer.new(SECRET, :drift)
    assert_code("invalid_input") { drift.verify_token(42) }
    assert_code("invalid_input") { drift.verify_token(nil) }
    assert_code("invalid_input") { drift.token(user_id: "u", ttl: "soon") }
    assert_code("invalid_input") { drift.token(user_id: "u", claims: [1]) }
    assert_code("invalid_token") { drift.verify_token("") }
    # Not text: the conversion's own code, naming the claim.
    err = assert_raises(Userhash::InvalidUtf8Error) { drift.token(user_id: "\xFF".b) }
    assert_equal "sub", err.path
    assert_raises(TypeError) { drift.token("u") }
    assert_raises(ArgumentError) { drift.verify_token }
    assert_raises(ArgumentError) { drift.verify_token("t", ttl: 1) }
  end
end
