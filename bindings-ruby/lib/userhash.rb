# frozen_string_literal: true

# userhash: identity-verification hashes for chat and support widgets.
#
#   signer = Userhash::Signer.new(ENV.fetch("ENSORAS_SECRET"), :ensoras)
#   signer.sign(email: current_user.email)   # => "ab95b46c..." (64 lowercase hex digits)
#
# Every canonicalization rule (JS toLowerCase, JS trim, JSON.stringify) lives
# in the Rust core; this gem converts Ruby values and maps errors.
require_relative "userhash/version"
require_relative "userhash/error"
# The native extension (Rust, magnus). It looks the error classes above up when it loads.
require "userhash/userhash"

module Userhash
  # Signs identities for one widget: a secret, a preset (or scheme spec) and
  # optional previous secrets that #verify also accepts (rotation).
  #
  # Thread-safe and immutable; build one per widget and reuse it. #inspect and
  # #to_s show the scheme, never a secret.
  #
  # Input fields are keyword arguments: email:, user_id: (alias userId:),
  # external_id: (alias externalId:), visitor: (a Hash).
  class Signer
    class << self
      # Userhash::Signer.new(secret, :ensoras, previous: [old_secret])
      #
      # secret: a String (its bytes are the HMAC key); scheme: a preset Symbol or
      # String (:layerup, :inviaro, :ensoras, :supportwire, :fluentbot) or a spec
      # such as "email:trim_lowercase". Raises EmptySecretError, UnknownPresetError.
      def new(secret, scheme, previous: [])
        _new(secret, scheme, Array(previous))
      end

      # Userhash::Signer.from_env("ENSORAS_SECRET", :ensoras, previous_vars: ["ENSORAS_OLD_SECRET"])
      #
      # Reads the secrets from the process environment. An unset or empty
      # variable raises EmptySecretError naming the variable (never a value).
      def from_env(var, scheme, previous_vars: [])
        _from_env(var.to_s, scheme, Array(previous_vars).map(&:to_s))
      end

      private :_new, :_from_env
    end

    # Native methods (ext/userhash/src/lib.rs):
    #   sign(**input)          -> String, 64 lowercase hex digits
    #   verify(hash, **input)  -> true/false (never raises on a wrong or malformed hash)
    #   canonical(**input)     -> String, the exact text that gets signed
    #   scheme                 -> String, the preset name or scheme spec
    #   previous_count         -> Integer
    #   inspect / to_s         -> "#<Userhash::Signer scheme=ensoras previous_secrets=0>"

    # Signs a batch: each value is put in +field+ and signed; returns the 64 hex
    # digits of each, in order.
    #
    #   Userhash::Signer.new(secret, :inviaro).sign_many(User.pluck(:id))
    #
    # field: nil (the scheme's batch field: email for layerup/ensoras, user_id for
    # inviaro, visitor for fluentbot; supportwire needs :email or :external_id),
    # or a field name (:email, :user_id, :external_id, :visitor). values: an
    # Array. Large batches are signed on every core with the GVL released (other
    # threads keep running). The first invalid value raises, naming its index:
    # "item 3: user_id is empty: ...".
    def sign_many(values, field: nil)
      _sign_many(values, field)
    end

    # The vendor's widget snippet for this signer's preset, with the identity
    # signed and every value escaped for where it lands (see docs/embed.md):
    #
    #   signer.embed({ email: current_user.email }, widget: "acme", nonce: csp_nonce)
    #
    # input: a Hash of the sign fields (email:, user_id:, external_id:, visitor:).
    # options: widget: (required), form: "script" (default) / "url" / "identify",
    # nonce:, and per preset origin:, name:, email: (inviaro), data: (supportwire).
    # Option values may be Symbols (form: :url). Returns a String: HTML for form
    # "script", a URL for "url", a JavaScript statement for "identify". Raises
    # InvalidInputError for bad options, and the errors of #sign for bad input.
    def embed(input, options = {})
      # Symbols are not JSON values, but `form: :url` is idiomatic for an option.
      options = options.transform_values { |v| v.is_a?(Symbol) ? v.to_s : v } if options.is_a?(Hash)
      _embed(input, options)
    end
  end
end

require_relative "userhash/view_helpers"
require_relative "userhash/railtie" if defined?(Rails::Railtie)
