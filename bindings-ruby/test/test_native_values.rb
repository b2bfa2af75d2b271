# frozen_string_literal: true

require_relative "test_helper"
require "bigdecimal"
require "json"
require "set"

# The native-value table (tests/native-values): every row naming Ruby, built as
# the Ruby value it names, signed through the public API. Expected outcomes
# come from cases.json (the vendors' own snippets on the JavaScript
# equivalent) and the hash from OpenSSL::HMAC over the expected canonical text.
class TestNativeValues < Minitest::Test
  include TestHelper

  CASES = JSON.parse(File.read(File.expand_path("../../tests/native-values/cases.json", __dir__)))
  ROWS = CASES.fetch("cases").select { |row| row.fetch("langs").include?("ruby") }

  # The Ruby value of each row (table.json's "ruby" column).
  BUILDERS = {
    "plain-record" => -> { { plan: "pro", seats: 3, ok: true, none: nil, tags: %w[a b] } },
    "set" => -> { Set[1, 2] },
    "map-non-string-key" => -> { { 1 => "a" } },
    "datetime" => -> { Time.utc(2024, 3, 14, 9, 26, 53) },
    "decimal" => -> { BigDecimal("1.10") },
    "int-2-pow-70" => -> { 2**70 },
    "int64-max" => -> { 9_223_372_036_854_775_807 },
    "uint64-max" => -> { 18_446_744_073_709_551_615 },
    "nan" => -> { Float::NAN },
    "infinity" => -> { -Float::INFINITY },
    "negative-zero" => -> { -0.0 },
    "integral-float" => -> { 3.0 },
    "invalid-utf8" => -> { "\xFF".b },
    "json-hook" => lambda {
      Class.new do
        def as_json(*) = { "a" => 1 }
        def to_json(*) = '{"a":1}'
      end.new
    },
    "class-instance" => -> { Object.new },
    "cycle" => -> { {}.tap { |h| h["self"] = h } },
    "symbol" => -> { :pro },
    "bool-id" => -> { true },
    "integral-float-id" => -> { 42.0 },
    "fractional-float-id" => -> { 42.5 },
    "big-integer-id" => -> { 2**70 },
    "int64-id" => -> { 9_223_372_036_854_775_807 },
    "datetime-id" => -> { Time.now }
  }.freeze

  def test_every_ruby_row_has_a_builder
    refute_empty ROWS
    missing = ROWS.map { |row| row["id"] } - BUILDERS.keys
    assert_empty missing, "rows naming ruby without a builder"
  end

  ROWS.each do |row|
    define_method("test_#{row["id"].tr("-", "_")}") do
      builder = BUILDERS.fetch(row["id"]) { flunk "no builder for #{row["id"]}" }
      value = builder.call
      identity = row.fetch("carrier") == "visitor" ? { visitor: { name: "Ann", data: { v: value } } } : { user_id: value }
      signer = Userhash::Signer.new(CASES.fetch("secret"), row.fetch("preset"))
      expect = row.fetch("expect")
      if expect.key?("error")
        err = assert_raises(Userhash::Error) { signer.sign(**identity) }
        assert_equal [expect["error"], expect["path"]], [err.code, err.path], err.message
      else
        assert_equal expect.fetch("canonical"), signer.canonical(**identity)
        hash = signer.sign(**identity)
        assert_equal hmac(CASES.fetch("secret"), expect["canonical"]), hash
        assert_equal expect.fetch("hash"), hash
      end
    end
  end
end
