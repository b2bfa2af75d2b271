# frozen_string_literal: true

# make demo-ruby: the demo-cli identities, signed through the Ruby API.
require "userhash"

ENV["USERHASH_SECRET"] ||= "s3cr3t"
samples = {
  layerup: { email: "Alice@Example.COM" },
  inviaro: { user_id: "usr_42" },
  ensoras: { email: "Alice@Example.COM" },
  supportwire: { email: " Alice@Example.COM " },
  fluentbot: { visitor: { name: "Alice", email: "Alice@Example.COM", data: { plan: "pro" } } }
}
samples.each do |preset, input|
  signer = Userhash::Signer.from_env("USERHASH_SECRET", preset)
  puts format("%-12s %s", preset, signer.sign(**input))
end
