# frozen_string_literal: true

# The docs/design.md "Golden vectors" conformance runner for the Ruby binding, shared by
# test/test_conformance.rb (minitest) and test/conformance_cli.rb (make conformance).
#
# Vectors come from USERHASH_VECTORS (a file or a directory of *.json files;
# default <repo>/tests/vectors), parsed with JSON.parse so key order is kept.
# Each vector goes through the public Userhash::Signer API (its signer_options
# as Signer.new's keywords) with native Ruby values (Symbol top-level keyword arguments; nested visitor keys as Strings,
# and a second time with Symbol keys everywhere). Expected values come only
# from the vectors (the Node oracle) and from OpenSSL::HMAC — never from the
# core checking itself.
require "json"
require "openssl"
require "userhash"

module Conformance
  REPO = File.expand_path("../..", __dir__)

  module_function

  def vector_files
    path = ENV.fetch("USERHASH_VECTORS", "").then { |p| p.empty? ? File.join(REPO, "tests/vectors") : p }
    files = File.directory?(path) ? Dir[File.join(path, "*.json")].sort : [path]
    raise "no vector files at #{path}" if files.empty?

    files
  end

  # [[file, vector], ...]
  def vectors
    vector_files.flat_map do |file|
      doc = JSON.parse(File.read(file, encoding: "UTF-8"), max_nesting: false)
      raise "#{file}: unsupported version #{doc["version"].inspect}" unless doc["version"] == 1

      doc.fetch("vectors").map { |v| [file, v] }
    end
  end

  # One character changed, still 64 lowercase hex digits.
  def tamper(hash)
    hash[0] == "0" ? "1#{hash[1..]}" : "0#{hash[1..]}"
  end

  def deep_symbolize(value)
    case value
    when Hash then value.to_h { |k, v| [k.to_sym, deep_symbolize(v)] }
    when Array then value.map { |v| deep_symbolize(v) }
    else value
    end
  end

  # Returns nil when the vector passes, else a failure description (never a secret).
  def check(vector)
    input = vector.fetch("input").transform_keys(&:to_sym)
    [input, deep_symbolize(input)].uniq.each do |args|
      problem = check_once(vector, args)
      return problem if problem
    end
    nil
  end

  def check_once(vector, input)
    expected_error = vector["error"]
    begin
      options = (vector["signer_options"] || {}).transform_keys(&:to_sym)
      signer = Userhash::Signer.new(vector.fetch("secret"), vector.fetch("preset"), **options)
      canonical = signer.canonical(**input)
      hash = signer.sign(**input)
      verified = signer.verify(vector["hash"] || hash, **input)
      tampered = signer.verify(tamper(vector["hash"] || hash), **input)
    rescue Userhash::Error => e
      return nil if expected_error && e.code == expected_error &&
                    e.instance_of?(Userhash::Error::BY_CODE.fetch(expected_error))

      return "raised #{e.class} (#{e.code}): #{e.message}" + (expected_error ? ", expected #{expected_error}" : "")
    end
    return "expected error #{expected_error}, got hash #{hash}" if expected_error
    return "canonical #{canonical.inspect}, expected #{vector["canonical"].inspect}" if canonical != vector["canonical"]
    return "hash #{hash}, expected #{vector["hash"]}" if hash != vector["hash"]

    # The key bytes: the secret's UTF-8, or key_hex where the secret is hex or base64 text.
    key = vector["key_hex"] ? [vector["key_hex"]].pack("H*") : vector["secret"].b
    stdlib = OpenSSL::HMAC.hexdigest("SHA256", key, vector["canonical"].b)
    return "OpenSSL::HMAC over the canonical bytes gives #{stdlib}" if stdlib != vector["hash"]
    return "verify(hash) is false" unless verified == true
    return "verify(tampered hash) is not false" unless tampered == false

    nil
  end
end
