# frozen_string_literal: true

require "minitest/autorun"
require "json"
require "openssl"
require "userhash"

# The shared bad-input matrix (tests/bad-inputs/cases.json, see its README):
# each case built from native Ruby values, through the public Signer API.
class TestBadInputs < Minitest::Test
  CASES = File.expand_path("../../tests/bad-inputs/cases.json", __dir__)

  # Builds the native value for a case value. bytes_as: :binary (ASCII-8BIT) or
  # :broken_utf8 (the same bytes tagged UTF-8) — both count as Ruby byte strings.
  def self.native(value, bytes_as)
    case value
    when Hash
      return marker(value, bytes_as) if value.size == 1 && value.keys.first.start_with?("$")

      value.to_h { |k, v| [k, native(v, bytes_as)] }
    when Array then value.map { |v| native(v, bytes_as) }
    else value
    end
  end

  def self.marker(value, bytes_as)
    key, arg = value.first
    case key
    when "$bytes"
      bytes = [arg].pack("H*")
      bytes_as == :binary ? bytes.b : bytes.force_encoding(Encoding::UTF_8)
    when "$float" then { "nan" => Float::NAN, "inf" => Float::INFINITY, "-inf" => -Float::INFINITY }.fetch(arg)
    when "$repeat" then arg.fetch("text") * arg.fetch("count")
    when "$array" then Array.new(arg.fetch("count"), native(arg.fetch("item"), bytes_as))
    when "$nest"
      nested = 1
      arg.fetch("depth").times { nested = [nested] }
      nested
    else raise "unknown marker #{key}"
    end
  end

  ROWS = JSON.parse(File.read(CASES), max_nesting: false).fetch("cases")
  # Rows this runner skips: only the ones whose `only` leaves Ruby out.
  RUBY_ROWS = ROWS.reject { |c| c["only"] && !c["only"].include?("ruby") }

  RUBY_ROWS.each do |c|
    %i[binary broken_utf8].each do |bytes_as|
      next if bytes_as == :broken_utf8 && !c.to_json.include?("$bytes")

      define_method("test_#{c["id"]}_#{bytes_as}") { run_case(c, bytes_as) }
    end
  end

  # Every row of the matrix that applies to Ruby has a test, and every skipped
  # row is one that excludes Ruby; an unknown `expect` or marker fails loudly.
  def test_matrix_coverage
    refute_empty RUBY_ROWS
    ids = ROWS.map { |c| c.fetch("id") }
    assert_equal ids.uniq, ids, "duplicate case ids"
    RUBY_ROWS.each do |c|
      assert respond_to?("test_#{c["id"]}_binary"), "no test for #{c["id"]}"
      assert_equal 1, c.fetch("expect").size, "#{c["id"]}: one expectation"
      assert_includes %w[error canonical ok verify], c["expect"].keys.first, c["id"]
    end
    (ROWS - RUBY_ROWS).each { |c| refute_includes c.fetch("only"), "ruby" }
    markers = ROWS.to_json.scan(/"(\$[a-z_]+)"/).flatten.uniq
    assert_empty markers - %w[$bytes $lone_surrogate $float $repeat $array $nest], "markers this runner does not know"
    puts "\nruby bad-inputs: #{RUBY_ROWS.size} of #{ROWS.size} rows apply to Ruby " \
         "(skipped: #{(ROWS - RUBY_ROWS).map { |c| c["id"] }.join(", ")})"
  end

  def run_case(c, bytes_as)
    secret = self.class.native(c.fetch("secret"), bytes_as)
    previous = self.class.native(c.fetch("previous", []), bytes_as)
    input = self.class.native(c.fetch("input"), bytes_as).transform_keys(&:to_sym)
    expect = c.fetch("expect")

    if expect.key?("error")
      err = assert_raises(Userhash::Error) do
        Userhash::Signer.new(secret, c.fetch("preset"), previous: previous).sign(**input)
      end
      assert_equal expect["error"], err.code, err.message
      assert_instance_of Userhash::Error::BY_CODE.fetch(expect["error"]), err
      return
    end

    signer = Userhash::Signer.new(secret, c.fetch("preset"), previous: previous)
    if expect.key?("verify")
      assert_equal expect["verify"], signer.verify(c.fetch("hash"), **input)
      return
    end

    canonical = signer.canonical(**input)
    if expect.key?("canonical")
      assert_equal self.class.native(expect["canonical"], bytes_as), canonical
    else
      assert_equal true, expect["ok"]
    end
    assert_equal OpenSSL::HMAC.hexdigest("SHA256", secret.b, canonical.b), signer.sign(**input)
  end
end
