# frozen_string_literal: true

# userhash: identity-verification hashes for chat and support widgets.
#
#   signer = Userhash::Signer.new(ENV.fetch("ENSORAS_SECRET"), :ensoras)
#   signer.sign(email: current_user.email)   # => "ab95b46c..." (64 lowercase hex digits)
#
# Every rule (JS toLowerCase, JS trim, JSON.stringify), table and message lives
# in the Rust core; this gem converts Ruby values and raises the core's errors.
#
# The native extension (ext/userhash/src/lib.rs) defines, from the core:
# Userhash::VERSION, PRESETS (the preset names), ERROR_CODES, DIAGNOSIS_KEYS, MAX_DEPTH, and the
# native methods of Userhash::Signer.
require "json"
require "userhash/userhash"

module Userhash
  [PRESETS, ERROR_CODES, DIAGNOSIS_KEYS].each { |names| names.each(&:freeze).freeze }

  # Base class of every error userhash raises; one subclass per code in
  # ERROR_CODES, made here (empty_identity -> Userhash::EmptyIdentityError).
  # #message is the core's ("item 3: visitor.data.at: ..."), never a secret.
  class Error < StandardError
    CODE = nil

    # #item: the batch item index (sign_many), or nil. #path: where in the
    # identity the error is ("visitor.data.tags[2]"), or nil.
    attr_reader :item, :path

    # The stable code ("invalid_input", ... see ERROR_CODES); nil for the base class.
    def code = self.class::CODE

    def initialize(message = nil, path = nil, item = nil)
      super(message)
      @path, @item = path, item
    end

    # Each code's class: {"too_deep" => Userhash::TooDeepError, ...}.
    BY_CODE = ERROR_CODES.to_h do |code|
      name = "#{code.split("_").map(&:capitalize).join}Error"
      [code, Userhash.const_set(name, Class.new(self) { const_set(:CODE, code) })]
    end.freeze
  end

  # Signs identities for one widget: a secret, a preset (or scheme spec) and
  # optional previous secrets that #verify also accepts (rotation).
  #
  # Thread-safe and immutable; build one per widget and reuse it. #inspect and
  # #to_s show the scheme, never a secret.
  #
  # The identity is a Hash of field name => value (Symbol or String keys), or
  # keyword arguments: sign(email: ...), sign(user_id: 42), sign(visitor: {...}).
  # The core checks the names (and aliases such as userId:).
  class Signer
    class << self
      # Userhash::Signer.new(secret, :ensoras, previous: [old_secret])
      #
      # secret: a String (its bytes are the HMAC key); scheme: a name from
      # Userhash::PRESETS (a Symbol or a String) or a spec such as
      # "email:trim_lowercase". Other keywords are signer options, passed to the
      # core. Raises EmptySecretError, UnknownPresetError, InvalidInputError.
      def new(secret, scheme, previous: [], **options) = _new(secret, Array(previous), scheme.to_s, options)

      # Userhash::Signer.from_env("ENSORAS_SECRET", :ensoras, previous_vars: ["ENSORAS_OLD_SECRET"])
      #
      # Reads the secrets from the process environment. An unset or empty
      # variable raises EmptySecretError naming the variable (never a value).
      def from_env(var, scheme, previous_vars: []) = _from_env(var.to_s, scheme.to_s, Array(previous_vars).map(&:to_s))

      private :_new, :_from_env
    end

    # Native methods:
    #   sign(input = nil, **fields) -> String, 64 lowercase hex digits
    #   scheme                      -> String, the preset name or scheme spec
    #   fields                      -> Array of the field names the scheme reads
    #   previous_count              -> Integer

    # true when +hash+ is this identity's hash under the secret or a previous
    # one; false for any other value (a wrong or malformed hash, not a String).
    # (A hash that is not ASCII text goes to the core as "", malformed like any
    # other: every hash form is ASCII.)
    def verify(hash, input = nil, **fields)
      _call("verify", { hash: hash.is_a?(String) && hash.ascii_only? ? hash : "" }, [input, fields])
    end

    # The exact text that gets signed for this identity.
    def canonical(input = nil, **fields) = _call("canonical", nil, [input, fields])

    # Signs a batch: each value is put in +field+ (nil: the scheme's batch
    # field) and signed; returns the 64 hex digits of each, in order. Large
    # batches are signed on every core, block by block through the core's
    # pipeline; other threads run between blocks. The first invalid value
    # raises, its #item the index.
    def sign_many(values, field: nil) = _sign_many(values, field&.to_s)

    # The vendor's widget snippet for this signer's preset, with the identity
    # signed and every value escaped for where it lands (docs/embed.md):
    #
    #   signer.embed({ email: current_user.email }, widget: "acme", nonce: csp_nonce)
    #
    # options: widget: (required), form:, nonce: and the preset's own (the core
    # checks them). Returns HTML, a URL or a JavaScript statement (by form:).
    def embed(identity, options = {}) = _call("embed", options, [identity, nil])

    # An HS256 JWT for this signer's token preset (docs/tokens.md):
    #
    #   signer.token(external_id: user.id, name: user.name, kid: "app_1", ttl: 600)
    #
    # The identity as for #sign; kid: the header's key id; ttl: seconds until
    # +exp+; now: the unix time of +iat+ (default the clock); claims: the
    # preset's extra claims (a Hash). The core's errors as for #sign.
    def token(input = nil, kid: nil, ttl: nil, now: nil, claims: nil, **fields)
      _call("token", { kid:, ttl:, now:, claims: }, [input, fields])
    end

    # The claims of +token+ (a Hash, String keys) when it is valid for this
    # signer's token preset at +now+ (default the clock), give or take +leeway+
    # seconds (default 60); +kids+ names the key id of the secret and of each
    # previous one. Raises InvalidTokenError, BadSignatureError,
    # UnknownKidError, TokenExpiredError or TokenNotYetValidError.
    def verify_token(token, now: nil, leeway: nil, kids: nil) = _call("verify_token", { token:, now:, leeway:, kids: }, [])

    # Why +hash+ does not match this identity (docs/doctor.md): a frozen
    # Userhash::Diagnosis naming the mistake that reproduces it, if any.
    def diagnose(hash, input = nil, **fields)
      found = _call("diagnose", { hash: }, [input, fields]).transform_keys(&:to_sym)
      Ractor.make_shareable(Diagnosis.new(**found))
    end

    def inspect = "#<Userhash::Signer scheme=#{scheme} previous_secrets=#{previous_count}>"
    alias to_s inspect
  end

  # What Signer#diagnose found (docs/doctor.md), frozen. matched?: a mistake
  # reproduces the hash (or it is correct); variant: its id
  # ("ruby_strip_downcase", "secret_trailing_newline+uppercase_hex"; "correct",
  # "none"); explanation: in words; expected_canonical: what the preset signs (nil, and expected_error
  # the core's message, when the identity is invalid for it); signed_canonical:
  # what was signed instead; first_difference: the byte where they part;
  # mistakes: [{"id" => ..., "explanation" => ...}]; tried: candidates hashed.
  # Holds no secret.
  # Its members are the core's diagnosis keys (Userhash::DIAGNOSIS_KEYS), in the core's order.
  Diagnosis = Struct.new(*DIAGNOSIS_KEYS.map(&:to_sym), keyword_init: true)
  Diagnosis.alias_method(:matched?, :matched)

  # The error the extension raises for a core error.
  private_class_method def self.error(code, message, path, item) = Error::BY_CODE.fetch(code).new(message, path, item)

  # A core result given as JSON text (claims, a diagnosis) as Ruby data.
  private_class_method def self.parse_json(text) = JSON.parse(text)

  # The core's name for the kind of a value that is not plain data (see the
  # README, "Ruby values"); the extension asks for it and refuses the value.
  private_class_method def self.refusal(value)
    return "datetime" if value.is_a?(Time) || (defined?(::Date) && value.is_a?(::Date))
    return "decimal" if defined?(::BigDecimal) && value.is_a?(::BigDecimal)
    return "set" if defined?(::Set) && value.is_a?(::Set)

    own = ->(m) { value.respond_to?(m) && !value.method(m).owner.name.to_s.start_with?("JSON::") }
    own.call(:as_json) || own.call(:to_json) ? "json_hook" : "object"
  end
end

require_relative "userhash/view_helpers"
require_relative "userhash/railtie" if defined?(Rails::Railtie)
