# frozen_string_literal: true

module Userhash
  # Builds one Signer per scheme, on first use, from a credentials Hash or the
  # environment, and caches it (thread-safe). The Railtie installs one wired to
  # Rails.application.credentials; outside Rails it reads ENV only.
  #
  # Where a scheme's secret comes from, first match wins:
  # 1. credentials[:userhash][:ensoras] — a String secret, or
  #    { secret: "...", previous: ["old", ...] }
  # 2. ENV["USERHASH_ENSORAS_SECRET"] (+ ENV["USERHASH_ENSORAS_PREVIOUS_SECRET"] if set)
  # 3. ENV["USERHASH_SECRET"] (+ ENV["USERHASH_PREVIOUS_SECRET"] if set)
  # Nothing set → EmptySecretError naming USERHASH_ENSORAS_SECRET.
  class Registry
    # credentials: a Hash (or a callable returning one) shaped like the
    # `userhash:` section of config/credentials.yml.enc; nil for ENV only.
    def initialize(credentials: nil)
      @credentials = credentials
      @signers = {}
      @mutex = Mutex.new
    end

    # The Signer for a preset Symbol/String or scheme spec.
    def signer(scheme)
      key = scheme.to_s
      @signers[key] || @mutex.synchronize { @signers[key] ||= build(key) }
    end

    # Forgets the cached signers (e.g. after rotating a secret).
    def reset! = @mutex.synchronize { @signers.clear }

    def inspect = "#<Userhash::Registry schemes=#{@signers.keys.inspect}>"
    alias to_s inspect

    # The environment variable for a scheme: :ensoras → "USERHASH_ENSORAS_SECRET",
    # "email:trim_lowercase" → "USERHASH_EMAIL_TRIM_LOWERCASE_SECRET".
    def self.env_var(scheme) = "USERHASH_#{scheme.to_s.upcase.gsub(/[^A-Z0-9]+/, "_")}_SECRET"

    private

    def build(scheme)
      entry = credentials_entry(scheme)
      unless entry.nil?
        entry = entry.is_a?(Hash) ? entry.transform_keys(&:to_sym) : { secret: entry }
        return Signer.new(entry[:secret].to_s, scheme, previous: Array(entry[:previous]).map(&:to_s))
      end

      var = self.class.env_var(scheme)
      var = "USERHASH_SECRET" if env_blank?(var) && !env_blank?("USERHASH_SECRET")
      previous = var.sub(/_SECRET\z/, "_PREVIOUS_SECRET")
      Signer.from_env(var, scheme, previous_vars: env_blank?(previous) ? [] : [previous])
    end

    def credentials_entry(scheme)
      creds = @credentials.respond_to?(:call) ? @credentials.call : @credentials
      creds.respond_to?(:[]) ? creds[scheme.to_sym] || creds[scheme] : nil
    end

    def env_blank?(var) = ENV.fetch(var, "").empty?
  end

  # The process-wide Registry the view helper uses.
  def self.registry = @registry ||= Registry.new
  singleton_class.attr_writer :registry

  # View helpers (the Railtie includes them into ActionView):
  #
  #   <%= userhash_sign(:ensoras, email: current_user.email) %>
  #   <%= userhash_embed(:ensoras, { email: current_user.email }, widget: "acme", nonce: true) %>
  module ViewHelpers
    # The widget's identity hash for this preset (64 lowercase hex digits).
    def userhash_sign(scheme, **input) = userhash_signer(scheme).sign(**input)

    # The vendor's embed snippet with the identity signed and every value escaped
    # for where it lands (Signer#embed, docs/embed.md). scheme: a preset
    # (Symbol/String, signer from Userhash.registry) or a Userhash::Signer.
    # input: the sign fields as a Hash. options: widget: (required), form:,
    # nonce:, and the preset's extras. `nonce: true` uses Rails'
    # content_security_policy_nonce (as javascript_tag does).
    #
    # Returns an html_safe String for the "script" and "identify" forms (the
    # snippet is already escaped for HTML and <script>), and a plain String
    # for the "url" form, so ERB escapes it like any URL in an attribute.
    def userhash_embed(scheme, input, **options)
      options = options.transform_keys(&:to_sym)
      nonce = (content_security_policy_nonce if respond_to?(:content_security_policy_nonce))
      options[:nonce] = nonce if options[:nonce] == true
      out = userhash_signer(scheme).embed(input, options)
      options[:form].to_s == "url" || !out.respond_to?(:html_safe) ? out : out.html_safe
    end

    private

    def userhash_signer(scheme) = scheme.is_a?(Signer) ? scheme : Userhash.registry.signer(scheme)
  end
end
