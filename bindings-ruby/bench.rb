# frozen_string_literal: true

# make bench-ruby: userhash against the vendors' Ruby snippets, side by side in
# one process on the same inputs. One line per comparison:
#
#   ruby <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>
#
# (ns per signature, median of the rounds; ratio < 1 means userhash is faster).
# Cases: inviaro (id), ensoras (email), fluentbot (a ~300-byte visitor),
# sign_many (1 000 000 ids in one call against a loop of the snippet).
#
# USERHASH_BENCH_SMOKE=1 runs every case once with tiny counts (make test).
# USERHASH_BENCH_ROUNDS / USERHASH_BENCH_ITERS / USERHASH_BENCH_BATCH override the counts.
require "json"
require "openssl"
require "userhash"

SMOKE = ENV["USERHASH_BENCH_SMOKE"] == "1"
ROUNDS = Integer(ENV.fetch("USERHASH_BENCH_ROUNDS", SMOKE ? 1 : 9))
ITERS = Integer(ENV.fetch("USERHASH_BENCH_ITERS", SMOKE ? 200 : 50_000))
BATCH = Integer(ENV.fetch("USERHASH_BENCH_BATCH", SMOKE ? 2_000 : 1_000_000))
BATCH_ROUNDS = SMOKE ? 1 : 3

# The secret as the snippets read it (ENV.fetch in the vendors' code; read once
# here, so the snippet is not charged for the environment lookup).
SECRET = "s3cr3t-widget-secret-0123456789"

# Inviaro's page: OpenSSL::HMAC.hexdigest('sha256', ENV.fetch(...), user_id.to_s)
def inviaro_snippet(user_id)
  OpenSSL::HMAC.hexdigest("sha256", SECRET, user_id.to_s)
end

# Ensoras's page: OpenSSL::HMAC.hexdigest('sha256', widget_secret, email.downcase)
def ensoras_snippet(email)
  OpenSSL::HMAC.hexdigest("sha256", SECRET, email.downcase)
end

# FluentBot's page has Node, PHP and Python snippets; this is the same
# JSON.stringify({name, email, data: data ?? null}) + HMAC with Ruby's stdlib.
def fluentbot_snippet(visitor)
  payload = JSON.generate({ name: visitor[:name], email: visitor[:email], data: visitor[:data] })
  OpenSSL::HMAC.hexdigest("sha256", SECRET, payload)
end

def now_ns
  Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
end

# Median ns per op of sdk and stdlib over ROUNDS rounds, each round running
# `iters` ops of one, then the other.
def measure(iters, rounds: ROUNDS, sdk:, stdlib:)
  times = { sdk => [], stdlib => [] }
  rounds.times do
    [sdk, stdlib].each do |f|
      GC.start
      t = now_ns
      i = 0
      while i < iters
        f.call(i)
        i += 1
      end
      times[f] << (now_ns - t).fdiv(iters)
    end
  end
  [median(times[sdk]), median(times[stdlib])]
end

def median(xs)
  xs.sort[xs.size / 2]
end

def report(name, sdk, stdlib)
  puts format("ruby %s sdk=%.0fns stdlib=%.0fns ratio=%.3f", name, sdk, stdlib, sdk / stdlib)
  $stdout.flush
end

def check(what, got, want)
  return if got == want

  warn "bench.rb: #{what}: sdk #{got} != snippet #{want}"
  exit 1
end

inviaro = Userhash::Signer.new(SECRET, :inviaro)
ensoras = Userhash::Signer.new(SECRET, :ensoras)
fluentbot = Userhash::Signer.new(SECRET, :fluentbot)

ids = Array.new(1024) { |i| "usr_#{100_000 + (i * 7919)}" }
emails = Array.new(1024) { |i| "Customer.#{i}@Example.COM" }
check("inviaro", inviaro.sign(user_id: ids[1]), inviaro_snippet(ids[1]))
check("ensoras", ensoras.sign(email: emails[1]), ensoras_snippet(emails[1]))

sdk, std = measure(ITERS,
                   sdk: ->(i) { inviaro.sign(user_id: ids[i & 1023]) },
                   stdlib: ->(i) { inviaro_snippet(ids[i & 1023]) })
report("inviaro", sdk, std)

sdk, std = measure(ITERS,
                   sdk: ->(i) { ensoras.sign(email: emails[i & 1023]) },
                   stdlib: ->(i) { ensoras_snippet(emails[i & 1023]) })
report("ensoras", sdk, std)

# A realistic visitor: name, email and ten data fields, about 300 bytes of JSON.
visitor = {
  name: "Alice Liddell",
  email: "alice.liddell@example.com",
  data: {
    plan: "enterprise", account_id: "ACME-1007", seats: 42, mrr: 1299.5,
    trial: false, signup: "2024-03-14T09:26:53Z", country: "GB", locale: "en-GB",
    team: "Support Ops", tags: %w[vip beta]
  }
}
check("fluentbot", fluentbot.sign(visitor: visitor), fluentbot_snippet(visitor))
size = fluentbot.canonical(visitor: visitor).bytesize
warn "bench.rb: the visitor is #{size} bytes" unless (250..350).cover?(size)
sdk, std = measure([ITERS / 4, 1].max,
                   sdk: ->(_) { fluentbot.sign(visitor: visitor) },
                   stdlib: ->(_) { fluentbot_snippet(visitor) })
report("fluentbot", sdk, std)

# Batch: BATCH ids through sign_many against a loop of the snippet.
many = Array.new(BATCH) { |i| (1_000_000 + i).to_s }
hashes = inviaro.sign_many(many)
check("sign_many", hashes[-1], inviaro_snippet(many[-1]))
hashes = nil
loop_hashes = nil
sdk, std = measure(1, rounds: BATCH_ROUNDS,
                      sdk: ->(_) { hashes = inviaro.sign_many(many) },
                      stdlib: ->(_) { loop_hashes = many.map { |id| inviaro_snippet(id) } })
check("sign_many", hashes[BATCH / 2], loop_hashes[BATCH / 2])
report("sign_many", sdk / BATCH, std / BATCH)
