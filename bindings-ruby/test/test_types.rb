# frozen_string_literal: true

require_relative "test_helper"
require "pathname"
require "stringio"
require "rbs"
require "rbs/cli"

# sig/userhash.rbs: valid RBS, and it declares every public method the gem defines.
class TestTypes < Minitest::Test
  SIG = Pathname(File.expand_path("../sig", __dir__))

  def env
    @env ||= begin
      loader = RBS::EnvironmentLoader.new
      loader.add(path: SIG)
      RBS::Environment.from_loader(loader).resolve_type_names
    end
  end

  def type_name(name)
    RBS::TypeName.new(name: name.to_sym, namespace: RBS::Namespace.parse("::Userhash"))
  end

  def test_signatures_validate
    out = StringIO.new
    err = StringIO.new
    RBS::CLI.new(stdout: out, stderr: err).run(["-I", SIG.to_s, "validate", "--silent"])
    assert_empty err.string
  end

  def test_every_public_method_is_declared
    builder = RBS::DefinitionBuilder.new(env: env)
    {
      "Signer" => [Userhash::Signer, %i[new from_env]],
      "Registry" => [Userhash::Registry, %i[env_var]]
    }.each do |name, (klass, singleton)|
      declared = builder.build_instance(type_name(name)).methods.keys
      missing = klass.public_instance_methods(false) - declared
      assert_empty missing, "#{name}: instance methods without a signature"
      declared_s = builder.build_singleton(type_name(name)).methods.keys
      assert_empty singleton - declared_s, "#{name}: singleton methods without a signature"
    end
    helpers = builder.build_instance(type_name("ViewHelpers")).methods.keys
    assert_empty Userhash::ViewHelpers.public_instance_methods(false) - helpers
    assert_empty %i[registry registry=] - builder.build_singleton(RBS::TypeName.new(name: :Userhash, namespace: RBS::Namespace.root)).methods.keys
  end
end
