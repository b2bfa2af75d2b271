#!/usr/bin/env bash
# The install test of dist/ruby (make test-dist-ruby), in a scratch directory outside
# the repository, with cargo and rustc off PATH (an install that compiled the extension
# would fail):
#  1. gem install --local the platform gem into an empty GEM_HOME; the gem is used as a
#     user would: sign and verify (checked against OpenSSL::HMAC), a token (its MAC
#     checked with OpenSSL), and it must be the gem's precompiled extension that loaded;
#     it (and the source gem) must carry LICENSE-MIT and LICENSE-APACHE.
#  2. a scratch Rails app (Debian's railties): a Gemfile with gem "userhash" and
#     gem "railties", vendor/cache holding both userhash gems; bundle install --local
#     must pick the platform gem; the app boots, the Railtie puts userhash_sign in the
#     views, and a rendered template signs with the secret from ENV.
#
#   bindings-ruby/test-dist.sh DIST_DIR
set -euo pipefail

dist=$(realpath "$1")
if command -v cargo > /dev/null || command -v rustc > /dev/null; then
    echo "test-dist-ruby: cargo/rustc must not be on PATH" >&2
    exit 1
fi
platform_gem=$(ls "$dist"/userhash-*-x86_64-linux*.gem)
source_gem=$(ls "$dist"/userhash-*.gem | grep -v -- '-x86_64-linux')
version=$(basename "$source_gem" .gem)
version=${version#userhash-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

# Both gems carry the two license texts (a gem is a tar holding data.tar.gz).
for gem in "$platform_gem" "$source_gem"; do
    files=$(tar -xOf "$gem" data.tar.gz | tar -tzf -)
    for f in LICENSE-MIT LICENSE-APACHE; do
        grep -qx "$f" <<< "$files" || { echo "test-dist-ruby: $(basename "$gem") has no $f" >&2; exit 1; }
    done
done

# 1. An empty GEM_HOME (and nothing else on the gem path).
export GEM_HOME="$scratch/gems" GEM_PATH="$scratch/gems"
gem install --local --no-document --quiet "$platform_gem"
ruby -ropenssl -rbase64 -rjson - <<'EOF'
require "userhash"
home = ENV.fetch("GEM_HOME")
spec = Gem.loaded_specs.fetch("userhash")
abort "loaded #{spec.full_name} from #{spec.full_gem_path}, not #{home}" unless spec.full_gem_path.start_with?(home)
abort "not the platform gem: #{spec.platform}" unless spec.platform.to_s == "x86_64-linux" && spec.extensions.empty?
loaded = $LOADED_FEATURES.grep(/userhash\.so\z/)
abort "extension loaded from #{loaded}" unless loaded.size == 1 && loaded[0].start_with?(spec.full_gem_path)
abort "an extension was compiled: #{Dir[File.join(home, "extensions/**/*")]}" unless Dir[File.join(home, "extensions/**/*.so")].empty?
abort "a test-only preset in the release gem" if Userhash::PRESETS.any? { _1.include?("probe") }
%w[LICENSE-MIT LICENSE-APACHE].each do |f|
  abort "the installed gem has no #{f}" unless File.size?(File.join(spec.full_gem_path, f))
end

signer = Userhash::Signer.new("s3cr3t", :ensoras)
want = OpenSSL::HMAC.hexdigest("SHA256", "s3cr3t", "Alice@Example.COM".downcase)
abort "sign: #{signer.sign(email: "Alice@Example.COM")} != #{want}" unless signer.sign(email: "Alice@Example.COM") == want
abort "verify" unless signer.verify(want, email: "alice@example.com") && !signer.verify(want.upcase, email: "a@b.c")

token = Userhash::Signer.new("s3cr3t", :drift).token(user_id: 42, now: 1_700_000_000, ttl: 60)
head, body, mac = token.split(".")
abort "token header" unless JSON.parse(Base64.urlsafe_decode64(head)) == { "alg" => "HS256", "typ" => "JWT" }
abort "token claims" unless JSON.parse(Base64.urlsafe_decode64(body)) == { "sub" => "42", "iat" => 1_700_000_000, "exp" => 1_700_000_060 }
abort "token MAC" unless Base64.urlsafe_decode64(mac) == OpenSSL::HMAC.digest("SHA256", "s3cr3t", "#{head}.#{body}")
puts "test-dist-ruby: #{spec.full_name} signs (#{want[0, 12]}…), verifies, makes tokens; Ruby #{RUBY_VERSION}"
EOF

# 2. The Rails app: its own GEM_HOME; Debian's Rails gems come from the system gem path.
unset GEM_PATH
export GEM_HOME="$scratch/rails-gems" BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_GEMFILE="$scratch/app/Gemfile"
mkdir -p app/vendor/cache app/config app/app/views/widget
cp "$platform_gem" "$source_gem" app/vendor/cache/
cd app
cat > Gemfile <<'EOF'
source "https://rubygems.org"

gem "railties"
gem "userhash"
EOF
# --no-cache: the system's Rails gems have no .gem files to copy into vendor/cache.
bundle install --local --no-cache --quiet
grep -qx "    userhash ($version-x86_64-linux)" Gemfile.lock \
    || { echo "test-dist-ruby: bundler did not pick the platform gem:"; cat Gemfile.lock; exit 1; }
cat > config.ru <<'EOF'
# The scratch app's root marker (Rails.root).
EOF
cat > app/views/widget/show.html.erb <<'EOF'
<script>window.ensorasSettings = { user_hash: "<%= userhash_sign(:ensoras, email: @email) %>" };</script>
EOF
USERHASH_ENSORAS_SECRET=s3cr3t bundle exec ruby -ropenssl - <<'EOF'
require "rails"
require "action_controller/railtie"
require "userhash"

class ScratchApp < Rails::Application
  config.root = Dir.pwd
  config.eager_load = false
  config.logger = Logger.new(nil)
  config.secret_key_base = "0" * 64
end
ScratchApp.initialize!

spec = Gem.loaded_specs.fetch("userhash")
abort "bundler loaded #{spec.full_name}" unless spec.platform.to_s == "x86_64-linux"
abort "the Railtie did not load" unless defined?(Userhash::Railtie) && Rails.application.railties.any?(Userhash::Railtie)
html = ActionController::Base.render(template: "widget/show", assigns: { email: "Alice@Example.COM" })
want = OpenSSL::HMAC.hexdigest("SHA256", "s3cr3t", "alice@example.com")
abort "rendered #{html.inspect}, not the hash #{want}" unless html.include?(%(user_hash: "#{want}"))
embed = ActionController::Base.render(inline: '<%= userhash_embed(:ensoras, { email: "a@b.c" }, widget: "slug") %>')
abort "userhash_embed: #{embed}" unless embed.include?(OpenSSL::HMAC.hexdigest("SHA256", "s3cr3t", "a@b.c"))
puts "test-dist-ruby: Rails #{Rails.version} app bundled #{spec.full_name}; the view helper signs"
EOF
