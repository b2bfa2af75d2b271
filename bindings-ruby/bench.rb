# frozen_string_literal: true

# make bench-ruby: ns per call, userhash vs the vendor's Ruby snippet (OpenSSL::HMAC).
require "openssl"
require "userhash"

def bench(label, n = 200_000)
  2_000.times { yield }
  t = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
  n.times { yield }
  ns = (Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - t) / n
  puts format("ruby  %-42s %6d ns/call", label, ns)
end

secret = "s3cr3t"
email = "Alice@Example.COM"
signer = Userhash::Signer.new(secret, :ensoras)
fluentbot = Userhash::Signer.new(secret, :fluentbot)
visitor = { name: "Alice", email: email, data: { plan: "pro", seats: 5 } }

bench("OpenSSL::HMAC.hexdigest(email.downcase)") { OpenSSL::HMAC.hexdigest("sha256", secret, email.downcase) }
bench("Signer#sign(email:) ensoras") { signer.sign(email: email) }
bench("Signer#verify(hash, email:) ensoras") { signer.verify("ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995", email: email) }
bench("Signer#sign(visitor:) fluentbot", 100_000) { fluentbot.sign(visitor: visitor) }
