# frozen_string_literal: true

# The version is the Rust crates' (Userhash::VERSION comes from the core at
# load time): the ext crate's manifest in a built gem, the workspace's here.
version = [File.join(__dir__, "ext/userhash/Cargo.toml"), File.join(__dir__, "../Cargo.toml")]
          .filter_map { |f| File.file?(f) && File.read(f)[/^version = "([^"]+)"/, 1] }.first

Gem::Specification.new do |spec|
  spec.name = "userhash"
  spec.version = version
  spec.authors = ["userhash maintainers"]
  spec.summary = "Identity-verification hashes for chat widgets (Intercom-style user hashes), byte-identical across languages"
  spec.description = <<~DESC
    Computes HMAC-SHA256(widget_secret, canonical_identity) for chat and support widgets,
    with each vendor's exact canonicalization (JS toLowerCase, JS trim, JSON.stringify)
    implemented once in Rust. Includes a Rails view helper.
  DESC
  spec.licenses = ["MIT", "Apache-2.0"] # either, at your option
  spec.homepage = "https://example.invalid/userhash"
  spec.required_ruby_version = ">= 3.1"

  # A gem built with `rake gem` carries the Rust core in ext/userhash/vendor/
  # and a standalone Cargo.toml + Cargo.lock; see ext/userhash/extconf.rb. The
  # license texts are the repository root's, copied into the gem's stage by the Rakefile.
  spec.files = Dir.chdir(__dir__) do
    Dir.glob(["lib/**/*.rb", "sig/**/*.rbs", "README.md", "LICENSE-MIT", "LICENSE-APACHE",
              "ext/userhash/{Cargo.toml,Cargo.lock,extconf.rb}", "ext/userhash/src/**/*.rs",
              "ext/userhash/.cargo/config.toml", "ext/userhash/vendor/**/*"], File::FNM_DOTMATCH)
       .reject { |f| File.directory?(f) || File.basename(f).start_with?(".cargo-ok") }
  end
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/userhash/extconf.rb"]
  spec.metadata["rubygems_mfa_required"] = "true"
end
