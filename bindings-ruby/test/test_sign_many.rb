# frozen_string_literal: true

require_relative "test_helper"

# Signer#sign_many: a list in, a list of hex out; expected hashes from OpenSSL.
class TestSignMany < Minitest::Test
  include TestHelper

  def test_default_field_per_preset
    ids = [1, "usr_2", 3**40, " padded "]
    assert_equal ids.map { |id| hmac("k", id.to_s) }, Userhash::Signer.new("k", :inviaro).sign_many(ids)

    emails = ["Alice@Example.COM", "bob@x.org"]
    assert_equal emails.map { |e| hmac("k", e) }, Userhash::Signer.new("k", :layerup).sign_many(emails)
    assert_equal emails.map { |e| hmac("k", e.downcase) }, Userhash::Signer.new("k", :ensoras).sign_many(emails)

    visitors = [{ name: "A", email: "a@x" }, { "email" => "b@x", "data" => { "n" => 1.0 } }]
    assert_equal [hmac("k", '{"name":"A","email":"a@x","data":null}'), hmac("k", '{"email":"b@x","data":{"n":1}}')],
                 Userhash::Signer.new("k", :fluentbot).sign_many(visitors)
  end

  def test_explicit_field
    sw = Userhash::Signer.new("k", :supportwire)
    assert_equal [hmac("k", "a@b.c")], sw.sign_many([" A@B.c "], field: :email)
    assert_equal [hmac("k", "ext-1")], sw.sign_many([" EXT-1 "], field: "external_id")
    assert_equal [hmac("k", "ext-1")], sw.sign_many([" EXT-1 "], field: :externalId)
    err = assert_raises(Userhash::InvalidInputError) { sw.sign_many(["a@b.c"]) }
    assert_match(/name the field/, err.message)
    err = assert_raises(Userhash::InvalidInputError) { sw.sign_many([], field: :nope) }
    assert_match(/unknown field "nope"/, err.message)
    assert_raises(Userhash::InvalidInputError) { sw.sign_many([], field: 1) }
  end

  def test_results_are_us_ascii_strings_in_order
    signer = Userhash::Signer.new("k", :inviaro)
    out = signer.sign_many((1..1000).to_a)
    assert_equal 1000, out.size
    assert(out.all? { |h| h.encoding == Encoding::US_ASCII && h.match?(/\A[0-9a-f]{64}\z/) })
    assert_equal hmac("k", "1000"), out.last
    assert_equal signer.sign(user_id: 7), out[6]
  end

  def test_empty_and_non_array
    assert_equal [], Userhash::Signer.new("k", :inviaro).sign_many([])
    assert_raises(TypeError) { Userhash::Signer.new("k", :inviaro).sign_many("1") }
    assert_raises(TypeError) { Userhash::Signer.new("k", :inviaro).sign_many(nil) }
  end

  # The first bad item (in index order) fails the call and is named, also past
  # the first internal chunk of 131 072 items.
  def test_first_bad_item_is_named
    signer = Userhash::Signer.new("k", :inviaro)
    ids = (1..200_000).to_a
    ids[150_001] = ""
    ids[190_000] = 1.5
    err = assert_raises(Userhash::EmptyIdentityError) { signer.sign_many(ids) }
    assert_match(/\Aitem 150001: /, err.message)
    assert_equal 150_001, err.item
    err = assert_raises(Userhash::InvalidInputError) { signer.sign_many([1, 2, Time.now]) }
    assert_match(/\Aitem 2: /, err.message)
    assert_match(/Time/, err.message)
    err = assert_raises(Userhash::InvalidUtf8Error) { signer.sign_many(["ok", "\xff".b]) }
    assert_match(/\Aitem 1: /, err.message)
  end

  def test_item_conversions_match_sign
    signer = Userhash::Signer.new("k", :fluentbot)
    visitors = [
      { name: "É".encode("ISO-8859-1"), data: { t: [1, 2.5, nil, true], "k\0" => "v" } },
      { email: "a@b", data: { big: 2**70, sym_key: "x", 1 => 2 } }
    ]
    assert_equal signer.sign(visitor: visitors[0]), signer.sign_many([visitors[0]]).first
    assert_raises(Userhash::InvalidInputError) { signer.sign_many(visitors) }
  end

  # Another thread changing the Array while the batch runs (it gets the GVL
  # between blocks) cannot affect it: it signs a copy taken at the call.
  def test_array_mutated_by_another_thread
    signer = Userhash::Signer.new("k", :inviaro)
    original = (1..300_000).map(&:to_s)
    ids = original.dup
    stop = false
    mutator = Thread.new do
      ids[rand(ids.size)] = "x" until stop
    end
    out = signer.sign_many(ids)
    stop = true
    mutator.join
    assert_equal 300_000, out.size
    x = hmac("k", "x")
    Array.new(300) { rand(300_000) }.push(0, 299_999).each do |i|
      assert_includes [hmac("k", original[i]), x], out[i], "item #{i}"
    end
  end

  # Other Ruby threads run (and allocate, and collect garbage) during a large
  # batch: they get the GVL between blocks.
  def test_other_threads_run_during_a_large_batch
    signer = Userhash::Signer.new("k", :inviaro)
    ids = (1..400_000).to_a
    ticks = 0
    stop = false
    busy = Thread.new do
      until stop
        ticks += 1
        Array.new(100) { "garbage" * 3 }
        GC.start if (ticks % 500).zero?
      end
    end
    sleep 0.01 until ticks.positive?
    during = Array.new(3) do
      before = ticks
      out = signer.sign_many(ids)
      assert_equal hmac("k", "400000"), out.last
      assert_equal hmac("k", "123457"), out[123_456]
      ticks - before
    end
    stop = true
    busy.join
    assert during.any?(&:positive?), "the other thread never ran during sign_many: #{during}"
  end

  def test_threads_share_one_signer
    signer = Userhash::Signer.new("k", :ensoras)
    results = Array.new(4) do |t|
      Thread.new { signer.sign_many(Array.new(20_000) { |i| "U#{t}-#{i}@X.COM" }) }
    end.map(&:value)
    results.each_with_index do |out, t|
      assert_equal hmac("k", "u#{t}-19999@x.com"), out.last
      assert_equal hmac("k", "u#{t}-0@x.com"), out.first
    end
  end
end
