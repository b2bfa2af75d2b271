# frozen_string_literal: true

require_relative "test_helper"

class TestApi < Minitest::Test
  include TestHelper

  def ensoras
    @ensoras ||= Userhash::Signer.new("s3cr3t", :ensoras)
  end

  def fluentbot
    @fluentbot ||= Userhash::Signer.new("s3cr3t", :fluentbot)
  end

  def payload(data)
    fluentbot.canonical(visitor: { data: data })
  end

  def test_done_when
    assert_equal ENSORAS_ALICE, ensoras.sign(email: "Alice@Example.COM")
  end

  def test_presets_as_symbol_or_string
    %w[layerup inviaro ensoras supportwire fluentbot].each do |name|
      assert_equal name, Userhash::Signer.new("k", name).scheme
      assert_equal name, Userhash::Signer.new("k", name.to_sym).scheme
    end
    assert_equal ENSORAS_ALICE, Userhash::Signer.new("s3cr3t", "ensoras").sign(email: "Alice@Example.COM")
  end

  def test_scheme_spec
    signer = Userhash::Signer.new("s3cr3t", "email:trim_lowercase")
    assert_equal "email:trim_lowercase", signer.scheme
    assert_equal "alice@example.com", signer.canonical(email: "\u00A0Alice@Example.COM\u{FEFF}")
  end

  def test_canonical_per_preset
    assert_equal "Alice@Example.COM", Userhash::Signer.new("k", :layerup).canonical(email: "Alice@Example.COM")
    assert_equal "42", Userhash::Signer.new("k", :inviaro).canonical(user_id: 42)
    assert_equal "usr_42", Userhash::Signer.new("k", :inviaro).canonical(userId: "usr_42")
    assert_equal "alice@example.com", ensoras.canonical(email: "Alice@Example.COM")
    sw = Userhash::Signer.new("k", :supportwire)
    assert_equal "alice@example.com", sw.canonical(email: " Alice@Example.COM ")
    assert_equal "ext-1", sw.canonical(externalId: " EXT-1 ", email: "a@b.c")
    assert_equal '{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}',
                 fluentbot.canonical(visitor: { name: "Alice", email: "Alice@Example.COM", data: { plan: "pro" } })
  end

  def test_js_semantics_come_from_the_core
    # Ruby's own downcase/strip/to_json differ from the vendor's JS on these.
    assert_equal "i̇@x", ensoras.canonical(email: "İ@X")
    assert_equal "οδος@x.gr", ensoras.canonical(email: "ΟΔΟΣ@x.gr")
    assert_equal "a", Userhash::Signer.new("k", :supportwire).canonical(email: " a\u{FEFF}")
  end

  def test_sign_matches_openssl_hmac
    secret = "s3cr3t"
    signer = Userhash::Signer.new(secret, :layerup)
    assert_equal hmac(secret, "Alice@Example.COM"), signer.sign(email: "Alice@Example.COM")
    long = "k" * 200 # longer than the 64-byte block: hashed first
    assert_equal hmac(long, "a@b.c"), Userhash::Signer.new(long, :layerup).sign(email: "a@b.c")
    bytes = "\xFF\x00\xFE".b # a secret is bytes, not text
    assert_equal hmac(bytes, "a@b.c"), Userhash::Signer.new(bytes, :layerup).sign(email: "a@b.c")
  end

  def test_keyword_forms
    h = ensoras.sign(email: "Alice@Example.COM")
    assert_equal h, ensoras.sign({ email: "Alice@Example.COM" })
    assert_equal h, ensoras.sign({ "email" => "Alice@Example.COM" })
    assert_equal h, ensoras.sign(**{ "email" => "Alice@Example.COM" })
  end

  def test_verify
    h = ensoras.sign(email: "alice@example.com")
    assert_equal true, ensoras.verify(h, email: "ALICE@example.com")
    assert_equal false, ensoras.verify(h, email: "bob@example.com")
    ["", h.upcase, "#{h}\n", h[0..-2], nil, 42, :sym, "\xFF".b * 64].each do |bad|
      assert_equal false, ensoras.verify(bad, email: "alice@example.com"), bad.inspect
    end
    assert_raises(Userhash::InvalidInputError) { ensoras.verify(h, email: 42) }
    assert_raises(ArgumentError) { ensoras.verify }
  end

  def test_previous_secrets_rotation
    old = Userhash::Signer.new("old", :ensoras)
    rotated = Userhash::Signer.new("new", :ensoras, previous: ["older", "old"])
    assert_equal 2, rotated.previous_count
    old_hash = old.sign(email: "a@b.c")
    assert rotated.verify(old_hash, email: "a@b.c")
    assert_equal hmac("new", "a@b.c"), rotated.sign(email: "a@b.c") # signing uses the current secret
    refute old.verify(rotated.sign(email: "a@b.c"), email: "a@b.c")
    assert_equal 1, Userhash::Signer.new("new", :ensoras, previous: "old").previous_count
  end

  def test_from_env
    ENV["USERHASH_TEST_SECRET"] = "s3cr3t"
    ENV["USERHASH_TEST_OLD"] = "old"
    signer = Userhash::Signer.from_env("USERHASH_TEST_SECRET", :ensoras, previous_vars: ["USERHASH_TEST_OLD"])
    assert_equal ENSORAS_ALICE, signer.sign(email: "Alice@Example.COM")
    assert signer.verify(hmac("old", "x@y"), email: "x@y")
    assert_equal ENSORAS_ALICE, Userhash::Signer.from_env(:USERHASH_TEST_SECRET, "ensoras").sign(email: "Alice@Example.COM")
  ensure
    ENV.delete("USERHASH_TEST_SECRET")
    ENV.delete("USERHASH_TEST_OLD")
  end

  def test_integers
    inviaro = Userhash::Signer.new("k", :inviaro)
    assert_equal "-7", inviaro.canonical(user_id: -7)
    assert_equal (2**64).to_s, inviaro.canonical(user_id: 2**64)
    assert_equal (2**200).to_s, inviaro.canonical(user_id: 2**200) # beyond i128: exact decimal text
    assert_equal (-2**200).to_s, inviaro.canonical(user_id: -2**200)
    # In a JSON payload an integer is a JS number: beyond 2^53 it rounds like JSON.parse.
    assert_equal '{"data":9007199254740992}', payload(9_007_199_254_740_993)
    assert_equal '{"data":1.1805916207174113e+21}', payload(2**70)
    assert_equal '{"data":1.2676506002282294e+30}', payload(2**100)
    assert_equal '{"data":null}', payload(2**2000) # Infinity as JSON.stringify writes it
  end

  def test_floats
    assert_equal '{"data":[1,1e+21,1e-7,0.000001,0,5e-324,null,null,1.5]}',
                 payload([1.0, 1e21, 1e-7, 0.000001, -0.0, 5e-324, Float::NAN, -Float::INFINITY, 1.5])
  end

  def test_hashes_keys_and_order
    assert_equal '{"data":{"1":2,"10":3,"b":1,"a":4,"01":5}}',
                 payload({ "b" => 1, "10" => 3, "1" => 2, a: 4, "01" => 5 })
    klass = Class.new(Hash)
    h = klass.new
    h[:plan] = "pro"
    assert_equal '{"data":{"plan":"pro"}}', payload(h)
    assert_equal '{"data":["x",true,false,null,[]]}', payload(["x", true, false, nil, []])
    # Symbol keys: static, dynamic, with a NUL byte, in another encoding.
    assert_equal '{"data":{"k\\u0000":1,"dyn":2,"é":3}}',
                 payload({ "k\0": 1, "dyn".to_sym => 2, "é".encode("ISO-8859-1").to_sym => 3 })
  end

  def test_strings_and_encodings
    assert_equal ENSORAS_ALICE, ensoras.sign(email: "Alice@Example.COM".b) # ASCII-only binary: fine
    assert_equal ENSORAS_ALICE, ensoras.sign(email: "Alice@Example.COM".encode("US-ASCII"))
    assert_equal ENSORAS_ALICE, ensoras.sign(email: "Alice@Example.COM".encode("UTF-16LE")) # transcoded
    latin1 = "José@Example.COM".encode("ISO-8859-1")
    assert_equal "josé@example.com", ensoras.canonical(email: latin1)
    assert_equal ensoras.sign(email: "José@Example.COM"), ensoras.sign(email: latin1)
    sub = Class.new(String)
    assert_equal ENSORAS_ALICE, ensoras.sign(email: sub.new("Alice@Example.COM"))
    assert_equal "a\u0000b", Userhash::Signer.new("k", :layerup).canonical(email: "a\u0000b")
    assert_equal "nfd: e\u0301", Userhash::Signer.new("k", :layerup).canonical(email: "nfd: e\u0301") # never normalized
  end

  def test_inspect_never_shows_secret
    secret = "TOP-SECRET-VALUE"
    signer = Userhash::Signer.new(secret, :ensoras, previous: ["OLD-SECRET-VALUE"])
    assert_equal "#<Userhash::Signer scheme=ensoras previous_secrets=1>", signer.inspect
    [signer.inspect, signer.to_s, signer.instance_variables.inspect, [signer].inspect, { s: signer }.to_s].each do |text|
      refute_includes text, "SECRET-VALUE"
    end
    assert_raises(TypeError) { Marshal.dump(signer) }
  end

  def test_signer_cannot_be_allocated_empty
    assert_raises(TypeError, NoMethodError) { Userhash::Signer.allocate.sign(email: "a") }
  end

  def test_version_and_depth_constant
    assert_match(/\A\d+\.\d+\.\d+/, Userhash::VERSION)
    assert_equal 128, Userhash::MAX_DEPTH
  end

  def test_gc_stress_while_converting
    GC.stress = true
    visitor = { name: "Ann", email: "a@b", data: { "list" => Array.new(20) { |i| { "k#{i}" => "v#{i}" * 3 } } } }
    expected = nil
    3.times do
      h = fluentbot.sign(visitor: visitor)
      expected ||= h
      assert_equal expected, h
    end
  ensure
    GC.stress = false
  end
end
