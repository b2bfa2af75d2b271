# frozen_string_literal: true

require_relative "test_helper"
require "pp"
require "stringio"
require "yaml"

# Secret hygiene: with marker secrets, nothing the gem shows — inspect, to_s,
# pp, YAML/Marshal attempts, error messages, full exception traces — ever
# contains a secret, for every public object and every error path.
class TestSecrets < Minitest::Test
  MARKER = "MARKER-s3cr3t-7f3a9c"
  OLD = "MARKER-old-secret-51d0"
  ENV_MARKER = "MARKER-env-secret-c41e"

  def assert_clean(text, what)
    refute_nil text, what
    [MARKER, OLD, ENV_MARKER, "MARKER-"].each do |m|
      refute_includes text.to_s, m, "#{what} shows a secret"
    end
  end

  # Every textual view of an exception: message, inspect, full_message with the
  # backtrace, and the same for its causes.
  def assert_clean_error(err, what)
    assert_clean err.message, "#{what}: message"
    assert_clean err.inspect, "#{what}: inspect"
    assert_clean err.full_message(highlight: false), "#{what}: full_message"
    assert_clean Array(err.backtrace).join("\n"), "#{what}: backtrace"
    assert_clean_error(err.cause, "#{what}: cause") if err.cause
  end

  def views(obj)
    pp_out = +""
    PP.pp(obj, pp_out)
    views = { "inspect" => obj.inspect, "to_s" => obj.to_s, "pp" => pp_out,
              "instance_variables" => obj.instance_variables.inspect }
    begin
      views["to_yaml"] = obj.to_yaml
    rescue StandardError => e
      views["to_yaml error"] = e.full_message(highlight: false)
    end
    begin
      views["Marshal.dump"] = Marshal.dump(obj).inspect
    rescue StandardError => e
      views["Marshal.dump error"] = e.full_message(highlight: false)
    end
    %i[dup clone].each do |m|
      views["#{m}.inspect"] = obj.public_send(m).inspect
    rescue StandardError => e
      views["#{m} error"] = e.full_message(highlight: false)
    end
    views
  end

  def signers
    {
      "new" => Userhash::Signer.new(MARKER, :ensoras, previous: [OLD]),
      "spec" => Userhash::Signer.new(MARKER, "email:trim_lowercase"),
      "from_env" => with_env("USERHASH_TEST_MARKER_SECRET" => ENV_MARKER) do
        Userhash::Signer.from_env("USERHASH_TEST_MARKER_SECRET", :fluentbot)
      end
    }
  end

  def with_env(vars)
    saved = vars.to_h { |k, _| [k, ENV.fetch(k, nil)] }
    vars.each { |k, v| ENV[k] = v }
    yield
  ensure
    saved.each { |k, v| ENV[k] = v }
  end

  def test_signer_views
    signers.each do |name, signer|
      views(signer).each { |view, text| assert_clean text, "Signer(#{name}) #{view}" }
      assert_equal [], signer.instance_variables
    end
  end

  def test_registry_views
    creds = { ensoras: MARKER, fluentbot: { secret: MARKER, previous: [OLD] } }
    registry = Userhash::Registry.new(credentials: creds)
    registry.signer(:ensoras)
    registry.signer(:fluentbot)
    %w[inspect to_s].each { |m| assert_clean registry.public_send(m), "Registry##{m}" }
    out = +""
    PP.pp(registry, out)
    assert_clean out, "pp(Registry)"
    # The process-wide registry, built from the environment.
    with_env("USERHASH_ENSORAS_SECRET" => ENV_MARKER) do
      reg = Userhash::Registry.new
      reg.signer(:ensoras)
      assert_clean reg.inspect, "Registry(ENV)#inspect"
    end
  end

  def test_error_paths
    signer = Userhash::Signer.new(MARKER, :ensoras, previous: [OLD])
    fluentbot = Userhash::Signer.new(MARKER, :fluentbot)
    supportwire = Userhash::Signer.new(MARKER, :supportwire)
    deep = 1
    200.times { deep = [deep] }
    cases = {
      "empty identity" => -> { supportwire.sign(email: " ") },
      "invalid input" => -> { signer.sign(email: 1) },
      "unknown field" => -> { signer.sign(mail: "a") },
      "non-string key" => -> { fluentbot.sign(visitor: { data: { Object.new => 1 } }) },
      "unsupported value" => -> { fluentbot.sign(visitor: { data: { t: Time.now } }) },
      "invalid utf8" => -> { signer.sign(email: "\xff".b) },
      "too deep" => -> { fluentbot.sign(visitor: { data: deep }) },
      "positional junk" => -> { signer.sign("a", "b") },
      "canonical" => -> { signer.canonical(email: nil) },
      "verify input" => -> { signer.verify("00" * 32, email: []) },
      "sign_many item" => -> { signer.sign_many(["a@b", ""]) },
      "sign_many field" => -> { supportwire.sign_many(["a@b"]) },
      "sign_many type" => -> { signer.sign_many(MARKER) },
      "embed option" => -> { signer.embed({ email: "a@b" }, color: MARKER) },
      "embed widget" => -> { signer.embed({ email: "a@b" }, {}) },
      "embed custom scheme" => -> { Userhash::Signer.new(MARKER, "email:trim_lowercase").embed({ email: "a" }, widget: "w") },
      "unknown preset" => -> { Userhash::Signer.new(MARKER, :nosuchvendor) },
      "unknown preset (String)" => -> { Userhash::Signer.new(MARKER, "Ensoras", previous: [OLD]) },
      "empty secret" => -> { Userhash::Signer.new("", :ensoras, previous: [OLD]) },
      "empty previous" => -> { Userhash::Signer.new(MARKER, :ensoras, previous: [OLD, ""]) },
      "previous not a String" => -> { Userhash::Signer.new(MARKER, :ensoras, previous: [OLD, 1]) },
      "secret not a String" => -> { Userhash::Signer.new(MARKER.to_sym, :ensoras) },
      "scheme type" => -> { Userhash::Signer.new(MARKER, 1) },
      "from_env unknown preset" => lambda {
        with_env("USERHASH_TEST_MARKER_SECRET" => ENV_MARKER) do
          Userhash::Signer.from_env("USERHASH_TEST_MARKER_SECRET", :nope)
        end
      },
      "from_env unset previous" => lambda {
        with_env("USERHASH_TEST_MARKER_SECRET" => ENV_MARKER) do
          Userhash::Signer.from_env("USERHASH_TEST_MARKER_SECRET", :ensoras, previous_vars: ["USERHASH_TEST_UNSET_VAR"])
        end
      },
      "registry unknown preset" => -> { Userhash::Registry.new(credentials: { nope: MARKER }).signer(:nope) },
      "registry empty previous" => lambda {
        Userhash::Registry.new(credentials: { ensoras: { secret: MARKER, previous: [""] } }).signer(:ensoras)
      },
      "view helper" => lambda {
        Userhash.registry = Userhash::Registry.new(credentials: { ensoras: MARKER })
        Object.new.extend(Userhash::ViewHelpers).userhash_sign(:ensoras, email: 5)
      }
    }
    cases.each do |name, call|
      err = assert_raises(StandardError, name) { call.call }
      assert_clean_error(err, name)
    end
  ensure
    Userhash.registry = nil
  end

  # The secrets never leave the extension: results are hashes, never the key.
  def test_results_do_not_contain_the_secret
    signer = Userhash::Signer.new(MARKER, :ensoras)
    assert_clean signer.sign(email: "a@b"), "sign"
    assert_clean signer.embed({ email: "a@b" }, widget: "w"), "embed"
    assert_clean signer.sign_many(%w[a b]).join, "sign_many"
    assert_clean signer.canonical(email: "a@b"), "canonical"
  end
end
