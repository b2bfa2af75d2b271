# frozen_string_literal: true

require "minitest/autorun"
require "openssl"
require "userhash"

module TestHelper
  ENSORAS_ALICE = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"

  # The stdlib HMAC of a canonical string: the only source of expected hashes
  # besides the vectors (never the core checking itself).
  def hmac(secret, canonical)
    OpenSSL::HMAC.hexdigest("SHA256", secret.b, canonical.b)
  end
end
