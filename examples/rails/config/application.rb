# frozen_string_literal: true

# A minimal Rails app: one page that embeds the Ensoras and FluentBot widgets
# with the userhash Railtie's `userhash_embed` helper (the vendor's snippet, the
# identity signed and escaped) and `userhash_sign` (just the hash).
require_relative "boot"

require "rails"
require "action_controller/railtie"
require "action_view/railtie"

Bundler.require(*Rails.groups)

module UserhashExample
  class Application < Rails::Application
    config.load_defaults 6.1
    config.root = File.expand_path("..", __dir__)
    config.eager_load = false
    config.secret_key_base = ENV.fetch("SECRET_KEY_BASE", "example-only-#{"0" * 64}")
    config.logger = Logger.new(ENV["RAILS_LOG_TO_STDOUT"] ? $stdout : File::NULL)
    config.hosts.clear
    config.action_dispatch.show_exceptions = !Rails.env.test?

    # The vendors' widget ids (not secrets: they are in every page).
    config.x.ensoras_widget = ENV.fetch("ENSORAS_WIDGET", "your-ensoras-slug")
    config.x.fluentbot_bot = ENV.fetch("FLUENTBOT_BOT_ID", "YOUR_BOT_ID")

    # A strict CSP: only scripts carrying this request's nonce run. The embed
    # snippets get it with `userhash_embed(..., nonce: true)`.
    config.content_security_policy do |policy|
      policy.default_src :self
      policy.script_src :self
    end
    config.content_security_policy_nonce_generator = ->(_request) { SecureRandom.base64(16) }
    config.content_security_policy_nonce_directives = %w[script-src]

    # Secrets for the widgets: `userhash:` in the encrypted credentials (the test
    # points these paths at a throwaway file and key), else USERHASH_<PRESET>_SECRET.
    config.credentials.content_path = ENV["EXAMPLE_CREDENTIALS_PATH"] if ENV["EXAMPLE_CREDENTIALS_PATH"]
    config.credentials.key_path = ENV["EXAMPLE_MASTER_KEY_PATH"] if ENV["EXAMPLE_MASTER_KEY_PATH"]
  end
end
