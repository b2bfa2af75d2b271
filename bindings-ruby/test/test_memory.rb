# frozen_string_literal: true

require_relative "test_helper"

# 1 000 000 sign calls with flat memory: RSS (from /proc) before and after,
# after a warm-up, with the numbers printed. A leak of the 64-byte hex or of a
# converted string would add 64 MB or more; the slack allows for heap noise.
class TestMemory < Minitest::Test
  include TestHelper

  SLACK_KB = 16 * 1024

  def rss_kb
    File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i
  end

  def settle
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
  end

  def measure(label)
    settle
    before = rss_kb
    yield
    settle
    after = rss_kb
    puts format("\nruby rss %<label>s: before=%<b>dKB after=%<a>dKB delta=%<d>+dKB",
                label: label, b: before, a: after, d: after - before)
    assert_operator after - before, :<, SLACK_KB, "#{label}: RSS grew #{after - before} KB"
  end

  def setup
    skip "no /proc/self/status" unless File.exist?("/proc/self/status")
  end

  def test_million_signs_flat_rss
    signer = Userhash::Signer.new("s3cr3t", :ensoras, previous: ["old"])
    emails = Array.new(1024) { |i| "User.#{i}@Example.COM" }
    100_000.times { |i| signer.sign(email: emails[i & 1023]) }
    last = nil
    measure("1000000 x sign(email:)") do
      1_000_000.times { |i| last = signer.sign(email: emails[i & 1023]) }
    end
    assert_equal hmac("s3cr3t", "user.#{999_999 & 1023}@example.com"), last
  end

  def test_other_paths_flat_rss
    signer = Userhash::Signer.new("s3cr3t", :fluentbot)
    ensoras = Userhash::Signer.new("s3cr3t", :ensoras)
    inviaro = Userhash::Signer.new("s3cr3t", :inviaro)
    visitor = { name: "Ann", email: "ann@example.com", data: { plan: "pro", seats: 3, tags: %w[a b], "k\u00e9" => 1.5 } }
    ids = (1..10_000).to_a
    run = lambda do |n|
      n.times do |i|
        signer.sign(visitor: visitor)
        ensoras.verify("ab" * 32, email: "A@B.C")
        signer.canonical(visitor: visitor)
        begin
          inviaro.sign(user_id: i.even? ? "" : Time.at(0))
        rescue Userhash::Error
          nil
        end
        begin
          signer.sign(visitor: { data: { "k" => "\xff".b, 1 => 2 } })
        rescue Userhash::Error
          nil
        end
        ensoras.embed({ email: "a@b.c" }, widget: "w", nonce: "n") if (i % 10).zero?
        inviaro.sign_many(ids) if (i % 1000).zero?
      end
    end
    run.call(20_000)
    measure("100000 x (sign visitor, verify, canonical, 2 errors, embed/10, sign_many 10k/1000)") { run.call(100_000) }
  end
end
