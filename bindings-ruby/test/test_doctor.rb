# frozen_string_literal: true

require_relative "test_helper"
require "base64"
require "digest"
require "json"
require "securerandom"
require "tempfile"

# Signer#diagnose (docs/doctor.md): hashes made wrong by real Ruby stdlib code
# (OpenSSL::HMAC, Digest, Base64, String#downcase/#strip, Hash#to_json, Float),
# each named by its variant id; and every case of the shared corpus
# tests/doctor/cases.json (wrong hashes made by Python, Ruby, PHP, Go, Java, Node).
class TestDoctor < Minitest::Test
  ROOT = File.expand_path("../..", __dir__)
  CORPUS = File.join(ROOT, "tests/doctor/cases.json")
  SECRET = "sk_ruby_doctor_5be1d9"
  # The variant ids the doctor's tables document.
  DOCUMENTED = File.read(File.join(ROOT, "docs/doctor.md")).scan(/^\| ((?:`[a-z0-9_]+`(?:, )?)+) \|/)
                   .flat_map { |(ids)| ids.scan(/`([a-z0-9_]+)`/).flatten }

  def mac(msg, key = SECRET) = OpenSSL::HMAC.hexdigest("SHA256", key, msg)

  def assert_variant(variant, signer, hash, input)
    variant.split("+").each { |id| assert_includes DOCUMENTED, id, "#{id} is not in docs/doctor.md" }
    d = signer.diagnose(hash, input)
    assert d.matched?, "#{variant}: not matched (#{d.explanation})"
    assert_equal variant, d.variant
    assert_equal variant.split("+"), d.mistakes.map { |m| m["id"] }
    d
  end

  def signer(preset, secret = SECRET, **options) = Userhash::Signer.new(secret, preset, **options)

  def test_documented_ids_parsed
    assert_operator DOCUMENTED.size, :>=, 40
    assert_includes DOCUMENTED, "ruby_strip_downcase"
    assert_includes DOCUMENTED, "secret_base64_decoded"
  end

  def test_ruby_string_normalizations
    # downcase has no final-sigma rule (JS toLowerCase writes ς at a word's end).
    email = "ΚΩΣΤΑΣ@Example.gr"
    d = assert_variant("ruby_downcase", signer(:ensoras), mac(email.downcase), { email: email })
    assert_equal "κωστας@example.gr", d.expected_canonical
    assert_equal email.downcase, d.signed_canonical
    assert_equal "κωστας".bytesize - 2, d.first_difference
    # strip removes ASCII whitespace only (JS trim also removes U+3000); PHP's trim keeps \f.
    padded = "\f\tBob@X.com\u3000"
    assert_variant("ruby_strip", signer(:layerup), mac(padded.strip), { email: padded })
    loud = "\f\tBOB@X.com\u3000"
    assert_variant("ruby_strip_downcase", signer(:supportwire), mac(loud.strip.downcase), { email: loud })
  end

  def test_ruby_to_json_of_the_visitor
    visitor = { name: "Zoë", email: "zoe@example.com", data: { plan: "pro", ratio: 2.5e-8, seats: 3.0 } }
    # The vendor signs JSON.stringify({name, email, data}): 2.5e-8, 3; Ruby writes 2.5e-08, 3.0.
    assert_variant("ruby_to_json", signer(:fluentbot), mac(visitor.to_json), { visitor: visitor })
  end

  def test_float_id
    assert_variant("id_float", signer(:inviaro), mac(Float("4711").to_s), { user_id: "4711" })
    assert_variant("id_float", signer(:inviaro), mac(4711.to_f.to_s), { user_id: 4711 })
  end

  def test_secret_read_from_a_file_with_its_newline
    Tempfile.create("widget-secret") do |f|
      f.write("#{SECRET}\n") # as `echo "$SECRET" > file` writes it
      f.flush
      read = File.read(f.path)
      assert_variant("secret_trailing_newline", signer(:layerup), mac("ann@x.io", read), { email: "ann@x.io" })
      assert_variant("secret_trailing_newline+uppercase_hex", signer(:layerup), mac("ann@x.io", read).upcase,
                     { email: "ann@x.io" })
    end
  end

  def test_output_mistakes
    email = "ann@x.io"
    layerup = signer(:layerup)
    digest = OpenSSL::HMAC.digest("SHA256", SECRET, email)
    assert_variant("uppercase_hex", layerup, OpenSSL::HMAC.hexdigest("SHA256", SECRET, email).upcase, { email: })
    assert_variant("base64", layerup, Base64.strict_encode64(digest), { email: })
    assert_variant("base64", layerup, Base64.encode64(digest), { email: }) # with its "\n"
    assert_variant("base64", layerup, [digest].pack("m0"), { email: })
    assert_variant("sha256_concat", layerup, Digest::SHA256.hexdigest(SECRET + email), { email: })
    assert_variant("sha256_concat_reversed", layerup, Digest::SHA256.hexdigest(email + SECRET), { email: })
    assert_variant("key_message_swapped", layerup, OpenSSL::HMAC.hexdigest("SHA256", email, SECRET), { email: })
  end

  def test_secret_decoded_before_use
    hex_secret = "9f86d081884c7d659a2feaa0c55ad015"
    assert_variant("secret_hex_decoded", signer(:layerup, hex_secret), mac("ann@x.io", [hex_secret].pack("H*")),
                   { email: "ann@x.io" })
    b64_secret = Base64.strict_encode64("widget-key-2024!")
    assert_variant("secret_base64_decoded", signer(:layerup, b64_secret), mac("ann@x.io", Base64.decode64(b64_secret)),
                   { email: "ann@x.io" })
  end

  def test_which_field_and_previous_secret
    # Intercom signs user_id when one is given; this code signed the email.
    intercom = signer(:intercom)
    assert_variant("signed_email", intercom, mac("ann@x.io"), { user_id: "u_1", email: "ann@x.io" })
    rotated = signer(:layerup, "new-secret-1", previous: ["old-secret-0"])
    assert_variant("previous_secret", rotated, mac("ann@x.io", "old-secret-0"), { email: "ann@x.io" })
  end

  def test_no_mistake_matches
    d = signer(:ensoras).diagnose(SecureRandom.hex(32), email: "ann@x.io")
    refute d.matched?
    assert_equal false, d.matched
    assert_equal "none", d.variant
    assert_empty d.mistakes
    assert_operator d.tried, :>, 1
    assert_equal "ann@x.io", d.expected_canonical
    assert_nil d.signed_canonical
  end

  def test_correct_hash
    d = signer(:ensoras).diagnose(mac("ann@x.io"), email: "Ann@X.io")
    assert d.matched?
    assert_equal "correct", d.variant
  end

  def test_diagnosis_is_frozen_and_never_shows_the_secret
    s = signer(:ensoras, "the-secret-value-never-shown")
    d = s.diagnose(SecureRandom.hex(32), { email: "a@b.c" })
    assert_kind_of Userhash::Diagnosis, d
    assert d.frozen?
    assert d.mistakes.frozen?
    assert_raises(FrozenError) { d.variant << "x" }
    assert_raises(FrozenError) { d[:matched] = true }
    found = s.diagnose(OpenSSL::HMAC.hexdigest("SHA256", "the-secret-value-never-shown\n", "a@b.c"), email: "a@b.c")
    assert_equal "secret_trailing_newline", found.variant
    [d, found].each do |x|
      refute_includes x.inspect, "the-secret-value-never-shown"
      refute_includes x.to_h.to_s, "the-secret-value-never-shown"
    end
  end

  def test_diagnose_errors
    s = signer(:ensoras)
    # An identity the preset cannot sign: no match, the core's reason.
    d = s.diagnose(SecureRandom.hex(32), email: "")
    refute d.matched?
    assert_match(/empty/, d.expected_error)
    assert_raises(Userhash::InvalidInputError) { s.diagnose(42, email: "a@b.c") }
    assert_raises(TypeError) { s.diagnose("00", "a@b.c") }
    assert_raises(ArgumentError) { s.diagnose }
  end

  # The shared corpus: each case's wrong hash, made by that language's real code.
  def test_shared_corpus
    skip "tests/doctor/cases.json is not there yet (the doctor corpus)" unless File.exist?(CORPUS)
    cases = JSON.parse(File.read(CORPUS)).fetch("cases")
    assert_operator cases.size, :>=, 100
    failed = cases.filter_map do |c|
      options = c.fetch("signer_options", {}).transform_keys(&:to_sym)
      s = Userhash::Signer.new(c["secret"], c["preset"], previous: c.fetch("previous", []), **options)
      d = s.diagnose(c["hash"], c["input"])
      "#{c["id"]}: #{d.variant} (want #{c["variant"]})" unless d.matched? && d.variant == c["variant"]
    end
    assert_empty failed
    documented = cases.flat_map { |c| c["variant"].split("+") }.uniq - DOCUMENTED
    assert_empty documented, "variants in the corpus but not in docs/doctor.md"
  end
end
