# frozen_string_literal: true

require_relative "test_helper"

# One Signer shared by many threads: every result must equal the stdlib HMAC.
class TestThreads < Minitest::Test
  include TestHelper

  def test_shared_signer_across_threads
    signer = Userhash::Signer.new("s3cr3t", :ensoras, previous: ["old"])
    fluentbot = Userhash::Signer.new("s3cr3t", :fluentbot)
    threads = Array.new(8) do |t|
      Thread.new do
        500.times do |i|
          email = "User#{t}-#{i}@Example.COM"
          h = signer.sign(email: email)
          raise "thread #{t}: wrong hash for #{email}" unless h == hmac("s3cr3t", email.downcase)
          raise "thread #{t}: verify failed" unless signer.verify(hmac("old", email.downcase), email: email)

          v = fluentbot.sign(visitor: { name: "T#{t}", data: { "i" => i, "list" => [t, i] } })
          expected = hmac("s3cr3t", %({"name":"T#{t}","data":{"i":#{i},"list":[#{t},#{i}]}}))
          raise "thread #{t}: wrong payload hash" unless v == expected
        end
        :ok
      end
    end
    assert_equal [:ok] * 8, threads.map(&:value)
  end

  def test_signers_built_concurrently
    hashes = Array.new(8) do |t|
      Thread.new { Userhash::Signer.new("k#{t}", :layerup).sign(email: "a@b.c") }
    end.map(&:value)
    assert_equal Array.new(8) { |t| hmac("k#{t}", "a@b.c") }, hashes
  end

  def test_errors_in_threads_do_not_leak_between_them
    results = Array.new(4) do |t|
      Thread.new do
        200.times.map do |i|
          Userhash::Signer.new("s", :inviaro).sign(user_id: t.even? ? i.to_s : 1.5)
        rescue Userhash::InvalidInputError
          :invalid
        end
      end
    end.map(&:value)
    results.each_with_index do |r, t|
      if t.even?
        assert_equal Array.new(200) { |i| hmac("s", i.to_s) }, r
      else
        assert_equal [:invalid] * 200, r
      end
    end
  end
end
