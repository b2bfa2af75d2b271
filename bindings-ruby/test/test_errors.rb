# frozen_string_literal: true

require_relative "test_helper"
require "bigdecimal"
require "date"
require "set"

class TestErrors < Minitest::Test
  include TestHelper

  CODES = {
    Userhash::EmptySecretError => "empty_secret",
    Userhash::EmptyIdentityError => "empty_identity",
    Userhash::InvalidInputError => "invalid_input",
    Userhash::InvalidJsonError => "invalid_json",
    Userhash::InvalidUtf8Error => "invalid_utf8",
    Userhash::TooDeepError => "too_deep",
    Userhash::UnknownPresetError => "unknown_preset"
  }.freeze

  SECRET = "SUPER-SECRET-s3cr3t"

  def fluentbot
    @fluentbot ||= Userhash::Signer.new(SECRET, :fluentbot)
  end

  def raises(klass, &block)
    err = assert_raises(klass, &block)
    assert_equal CODES.fetch(klass), err.code
    refute_includes err.message, SECRET
    refute_includes err.full_message, SECRET
    err
  end

  def test_hierarchy_and_codes
    assert_operator Userhash::Error, :<, StandardError
    CODES.each do |klass, code|
      assert_operator klass, :<, Userhash::Error
      assert_equal code, klass.new("x").code
      assert_same klass, Userhash::Error::BY_CODE.fetch(code)
    end
    # Today's classes; a code the core adds gets its class with no binding edit.
    assert_empty CODES.values - Userhash::Error::BY_CODE.keys
    assert_nil Userhash::Error.new("x").code
    assert_nil Userhash::Error.new("x").path
    assert_nil Userhash::Error.new("x").item
  end

  # The classes are made at load from the core's codes: one per code, by name.
  def test_classes_come_from_the_core_codes
    assert_equal Userhash::ERROR_CODES, Userhash::Error::BY_CODE.keys
    assert Userhash::ERROR_CODES.frozen?
    Userhash::ERROR_CODES.each do |code|
      name = "#{code.split("_").map(&:capitalize).join}Error"
      assert_same Userhash::Error::BY_CODE.fetch(code), Userhash.const_get(name)
    end
  end

  # #message is the core's text, `item N: path: message`; #path and #item its parts.
  def test_path_and_item
    err = raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: { list: [1, Object.new] } }) }
    assert_equal "visitor.data.list[1]", err.path
    assert_nil err.item
    assert err.message.start_with?("visitor.data.list[1]: Object is not a JSON value"), err.message
    err = raises(Userhash::EmptyIdentityError) { Userhash::Signer.new(SECRET, :inviaro).sign_many(["a", "b", ""]) }
    assert_equal 2, err.item
    assert_nil err.path
    assert_equal "item 2: user_id is empty: userhash never signs an empty identity", err.message
    err = raises(Userhash::InvalidUtf8Error) { Userhash::Signer.new(SECRET, :ensoras).sign_many(["a", "\xFF".b]) }
    assert_equal [1, "email"], [err.item, err.path]
    assert_equal "item 1: email: string is not valid UTF-8", err.message
  end

  def test_empty_secret
    raises(Userhash::EmptySecretError) { Userhash::Signer.new("", :ensoras) }
    raises(Userhash::EmptySecretError) { Userhash::Signer.new(SECRET, :ensoras, previous: [""]) }
    ENV.delete("USERHASH_UNSET_VAR")
    err = raises(Userhash::EmptySecretError) { Userhash::Signer.from_env("USERHASH_UNSET_VAR", :ensoras) }
    assert_includes err.message, "USERHASH_UNSET_VAR"
    ENV["USERHASH_EMPTY_VAR"] = ""
    raises(Userhash::EmptySecretError) { Userhash::Signer.from_env("USERHASH_EMPTY_VAR", :ensoras) }
    ENV["USERHASH_SET_VAR"] = SECRET
    err = raises(Userhash::EmptySecretError) do
      Userhash::Signer.from_env("USERHASH_SET_VAR", :ensoras, previous_vars: ["USERHASH_UNSET_VAR"])
    end
    assert_includes err.message, "USERHASH_UNSET_VAR"
  ensure
    ENV.delete("USERHASH_EMPTY_VAR")
    ENV.delete("USERHASH_SET_VAR")
  end

  def test_unknown_preset
    [:nosuchvendor, "Ensoras", "", "ensoras ", "email:shout"].each do |scheme|
      raises(Userhash::UnknownPresetError) { Userhash::Signer.new(SECRET, scheme) }
    end
  end

  def test_wrong_ruby_types
    assert_raises(TypeError) { Userhash::Signer.new(42, :ensoras) }
    assert_raises(TypeError) { Userhash::Signer.new(nil, :ensoras) }
    assert_raises(TypeError) { Userhash::Signer.new(SECRET, :ensoras, previous: [42]) }
    # A scheme is a name: anything else is read with #to_s, and the core refuses it.
    raises(Userhash::UnknownPresetError) { Userhash::Signer.new(SECRET, 42) }
    assert_raises(TypeError) { fluentbot.sign("a@b.c") }
    assert_raises(ArgumentError) { fluentbot.sign({}, {}, {}) }
  end

  def test_empty_identity
    raises(Userhash::EmptyIdentityError) { Userhash::Signer.new(SECRET, :ensoras).sign(email: "") }
    raises(Userhash::EmptyIdentityError) { Userhash::Signer.new(SECRET, :supportwire).sign(email: " \u3000\n") }
    raises(Userhash::EmptyIdentityError) { fluentbot.sign(visitor: {}) }
  end

  def test_invalid_fields
    ensoras = Userhash::Signer.new(SECRET, :ensoras)
    raises(Userhash::InvalidInputError) { ensoras.sign }
    raises(Userhash::InvalidInputError) { ensoras.sign(mail: "a@b.c") }
    raises(Userhash::InvalidInputError) { ensoras.sign(email: 42) }
    assert_equal ensoras.sign(email: "a@b.c"), ensoras.sign(email: :"a@b.c") # a Symbol is its name
    raises(Userhash::InvalidInputError) { ensoras.sign(email: "a@b.c", user_id: "u1") }
    raises(Userhash::InvalidInputError) { ensoras.sign({ :email => "a@b.c", "email" => "a@b.c" }) }
    raises(Userhash::InvalidInputError) { ensoras.sign({ 1 => "a@b.c" }) }
    inviaro = Userhash::Signer.new(SECRET, :inviaro)
    [1.0, true, nil, [1], {}].each do |bad|
      raises(Userhash::InvalidInputError) { inviaro.sign(user_id: bad) }
    end
  end

  def test_time_names_type_and_path
    err = raises(Userhash::InvalidInputError) do
      fluentbot.sign(visitor: { email: "a@b", data: { created_at: Time.now } })
    end
    assert_equal "visitor.data.created_at", err.path
    assert err.message.start_with?("visitor.data.created_at: Time is not a JSON value: "), err.message
  end

  def test_other_unsupported_values
    { Object.new => "Object", Set[1] => "Set", 1r => "Rational", Date.new(2024, 1, 2) => "Date",
      BigDecimal("1.5") => "BigDecimal", (1..2) => "Range", Struct.new(:a).new(1) => "a JSON value" }.each do |value, word|
      err = raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: { list: [1, value] } }) }
      assert_equal "visitor.data.list[1]", err.path
      assert_includes err.message, word
    end
  end

  # Even an object without Ruby's basic methods is refused, not crashed on.
  def test_basic_object
    err = raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: [BasicObject.new] }) }
    assert_equal "visitor.data[0]", err.path
    assert_includes err.message, "BasicObject"
  end

  def test_non_string_keys
    err = raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: { 1 => "x" } }) }
    assert_includes err.message, "Integer"
    raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: { nil => "x" } }) }
    raises(Userhash::InvalidInputError) { fluentbot.sign(visitor: { data: { [1] => "x" } }) }
  end

  def test_invalid_utf8
    ensoras = Userhash::Signer.new(SECRET, :ensoras)
    err = raises(Userhash::InvalidUtf8Error) { ensoras.sign(email: "a\xFF@b.c".b) }
    assert_equal "email: string is not valid UTF-8", err.message
    raises(Userhash::InvalidUtf8Error) { ensoras.sign(email: (+"a\xFF@b.c").force_encoding("UTF-8")) }
    raises(Userhash::InvalidUtf8Error) { ensoras.sign(email: "\xED\xA0\x80".b.force_encoding("UTF-8")) } # CESU surrogate
    # A binary String is text when its bytes are valid UTF-8.
    assert_equal ensoras.sign(email: "josé@x"), ensoras.sign(email: "josé@x".b)
    raises(Userhash::InvalidUtf8Error) { ensoras.verify("0" * 64, email: "\xFF".b) }
    raises(Userhash::InvalidUtf8Error) { ensoras.sign(email: (+"\xFF").force_encoding("US-ASCII")) }
    raises(Userhash::InvalidUtf8Error) { ensoras.sign(email: (+"\xFF\xFF").force_encoding("Shift_JIS")) }
    err = raises(Userhash::InvalidUtf8Error) { fluentbot.sign(visitor: { data: { "k" => ["\xC3\x28".b] } }) }
    assert_includes err.message, "visitor.data.k[0]"
    raises(Userhash::InvalidUtf8Error) { fluentbot.sign(visitor: { data: { "\xFF".b => 1 } }) }
  end

  def test_too_deep_100000_arrays
    deep = 1
    100_000.times { deep = [deep] }
    err = raises(Userhash::TooDeepError) { fluentbot.sign(visitor: { email: "a@b", data: deep }) }
    assert_includes err.message, "128"
  end

  def test_too_deep_100000_hashes
    deep = {}
    100_000.times { deep = { "a" => deep } }
    raises(Userhash::TooDeepError) { fluentbot.sign(visitor: { email: "a@b", data: deep }) }
    raises(Userhash::TooDeepError) { fluentbot.verify("0" * 64, visitor: { email: "a@b", data: deep }) }
    raises(Userhash::TooDeepError) { fluentbot.canonical(visitor: { email: "a@b", data: deep }) }
  end

  def test_too_deep_in_a_thread_with_a_small_stack
    deep = []
    100_000.times { deep = [deep] }
    err = Thread.new do
      fluentbot.sign(visitor: { data: deep })
    rescue Userhash::Error => e
      e
    end.value
    assert_instance_of Userhash::TooDeepError, err
  end

  def test_self_referencing_structures
    h = { "a" => 1 }
    h["self"] = h
    raises(Userhash::TooDeepError) { fluentbot.sign(visitor: { data: h }) }
    a = [1]
    a << a
    raises(Userhash::TooDeepError) { fluentbot.sign(visitor: { data: a }) }
  end

  def test_depth_limit_is_exact
    nest = ->(n) { (1..n).reduce(1) { |v, _| [v] } }
    assert_match(/\A[0-9a-f]{64}\z/, fluentbot.sign(visitor: { data: nest.call(127) }))
    raises(Userhash::TooDeepError) { fluentbot.sign(visitor: { data: nest.call(128) }) }
  end
end
