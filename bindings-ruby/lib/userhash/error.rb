# frozen_string_literal: true

module Userhash
  # Base class of every error userhash raises. Rescue this to catch them all.
  #
  # #code is the stable, language-independent code (DESIGN §3), the same string
  # the golden vectors and the other bindings use, e.g. "too_deep". Messages name
  # the bad value or its path ("visitor.data.created_at: Time is not a JSON
  # value") and never contain a secret.
  class Error < StandardError
    CODE = nil

    # The stable code as a String ("empty_secret", "invalid_input", ...).
    def code
      self.class::CODE
    end
  end

  # The secret (or a previous secret) is empty, or its environment variable is unset or empty.
  class EmptySecretError < Error
    CODE = "empty_secret"
  end

  # The identity is empty after the preset's normalization (the SDK never signs it).
  class EmptyIdentityError < Error
    CODE = "empty_identity"
  end

  # A field is missing, unknown, given twice, or of a type the preset does not sign;
  # or a value has no JSON form (Time, Set, custom objects, non-String/Symbol keys).
  class InvalidInputError < Error
    CODE = "invalid_input"
  end

  # JSON text could not be parsed.
  class InvalidJsonError < Error
    CODE = "invalid_json"
  end

  # A String is not valid UTF-8 text (a binary string with non-ASCII bytes, a broken string).
  class InvalidUtf8Error < Error
    CODE = "invalid_utf8"
  end

  # A visitor payload nests deeper than Userhash::MAX_DEPTH levels.
  class TooDeepError < Error
    CODE = "too_deep"
  end

  # The preset or scheme name is not known.
  class UnknownPresetError < Error
    CODE = "unknown_preset"
  end

  class Error
    # Every error class by its code: {"too_deep" => Userhash::TooDeepError, ...}.
    BY_CODE = [
      EmptySecretError, EmptyIdentityError, InvalidInputError, InvalidJsonError,
      InvalidUtf8Error, TooDeepError, UnknownPresetError
    ].to_h { |klass| [klass::CODE, klass] }.freeze
  end
end
