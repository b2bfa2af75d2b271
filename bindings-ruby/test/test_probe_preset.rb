# frozen_string_literal: true

require_relative "test_helper"

# A preset defined in the core only (its test build, feature probe-preset):
# it appears in the preset list, its scheme's fields and signing work with no
# edit of this binding. The hash comes from OpenSSL::HMAC.
class TestProbePreset < Minitest::Test
  include TestHelper

  PROBE = "zz_probe"

  def test_a_core_only_preset_needs_no_binding_edit
    assert_includes Userhash::PRESETS, PROBE, "the extension was built without userhash/probe-preset"
    signer = Userhash::Signer.new("s3cr3t", PROBE)
    assert_equal PROBE, signer.scheme
    assert_equal ["user_id"], signer.fields
    assert_equal hmac("s3cr3t", "abc"), signer.sign(user_id: "  AbC ")
    assert_equal [hmac("s3cr3t", "abc")], signer.sign_many(["  AbC "])
  end
end
