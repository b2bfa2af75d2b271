# frozen_string_literal: true

ENV["RAILS_ENV"] = "test"
ENV.delete("RAILS_MASTER_KEY")
require "tmpdir"
require "open3"
require "json"
require "fileutils"
require "active_support"
require "active_support/encrypted_configuration"

# Throwaway encrypted credentials (what `bin/rails credentials:edit` writes),
# holding the widget secrets under `userhash:`.
module ExampleCredentials
  DIR = Dir.mktmpdir("userhash-rails-example")
  ENSORAS_SECRET = "ensoras-secret-from-credentials"
  FLUENTBOT_SECRET = "fluentbot-secret-from-credentials"
  FLUENTBOT_OLD_SECRET = "fluentbot-old-secret"

  def self.write!
    key_path = File.join(DIR, "master.key")
    content_path = File.join(DIR, "credentials.yml.enc")
    File.write(key_path, ActiveSupport::EncryptedConfiguration.generate_key)
    ActiveSupport::EncryptedConfiguration.new(
      config_path: content_path, key_path: key_path, env_key: "RAILS_MASTER_KEY", raise_if_missing_key: true
    ).write(<<~YAML)
      userhash:
        ensoras: #{ENSORAS_SECRET}
        fluentbot:
          secret: #{FLUENTBOT_SECRET}
          previous: [#{FLUENTBOT_OLD_SECRET}]
    YAML
    ENV["EXAMPLE_CREDENTIALS_PATH"] = content_path
    ENV["EXAMPLE_MASTER_KEY_PATH"] = key_path
  end
end
ExampleCredentials.write!
Minitest.after_run { FileUtils.rm_rf(ExampleCredentials::DIR) } if defined?(Minitest)

require_relative "../config/environment"
require "rails/test_help"

# Expected hashes come from the vendors' own Node.js snippets (seeds/), run with
# `node -e` — never from userhash.
module NodeOracle
  ENSORAS = <<~JS
    const crypto = require('crypto');
    const [widgetSecret, email] = process.argv.slice(1);
    const hash = crypto.createHmac('sha256', widgetSecret)
      .update(email.toLowerCase())
      .digest('hex');
    process.stdout.write(hash);
  JS

  FLUENTBOT = <<~JS
    const crypto = require("crypto");
    function signVisitor(visitor, secret) { const payload = JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data ?? null, });
    return crypto.createHmac("sha256", secret).update(payload).digest("hex");}
    process.stdout.write(signVisitor(JSON.parse(process.argv[2]), process.argv[1]));
  JS

  def self.run(script, *args)
    out, status = Open3.capture2("node", "-e", script, *args)
    raise "node oracle failed (#{status})" unless status.success? && out.match?(/\A[0-9a-f]{64}\z/)

    out
  end

  def self.ensoras(secret, email)
    run(ENSORAS, secret, email)
  end

  def self.fluentbot(secret, visitor)
    run(FLUENTBOT, secret, JSON.generate(visitor))
  end
end
