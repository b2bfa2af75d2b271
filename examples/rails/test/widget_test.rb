# frozen_string_literal: true

require_relative "test_helper"

# Renders the page through the Rails stack (routing → controller → ActionView
# → the Railtie's `userhash_sign` helper) and checks the hashes in the HTML
# against the vendors' Node.js snippets.
class WidgetTest < ActionDispatch::IntegrationTest
  def ensoras_hash
    css_select("script#ensoras-settings").first["data-user-hash"]
  end

  def fluentbot_signature
    css_select("script#fluentbot-visitor").first["data-signature"]
  end

  def test_ensoras_hash_from_credentials_matches_the_node_snippet
    get "/", params: { as: "Alice@Example.COM" }
    assert_response :success
    expected = NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, "Alice@Example.COM")
    assert_equal expected, ensoras_hash
    assert_includes response.body, %(user_hash: "#{expected}")
  end

  def test_where_rubys_downcase_disagrees_with_javascript
    email = "ΟΔΟΣ@Example.GR" # JS lowercases the final sigma to ς, Ruby's downcase to σ
    get "/", params: { as: email }
    expected = NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, email)
    assert_equal expected, ensoras_hash
    naive = OpenSSL::HMAC.hexdigest("sha256", ExampleCredentials::ENSORAS_SECRET, email.downcase)
    refute_equal naive, expected, "the vendor's own Ruby snippet would sign a different string"
  end

  def test_fluentbot_signature_matches_the_node_snippet
    get "/", params: { as: "alice@example.com", name: "Alice Liddell" }
    assert_response :success
    visitor = { name: "Alice Liddell", email: "alice@example.com", data: { plan: "pro" } }
    assert_equal NodeOracle.fluentbot(ExampleCredentials::FLUENTBOT_SECRET, visitor), fluentbot_signature
  end

  def test_previous_secret_from_credentials_still_verifies
    signer = Userhash.registry.signer(:fluentbot)
    assert_equal 1, signer.previous_count
    visitor = { name: "A", email: "a@b.c", data: nil }
    assert signer.verify(NodeOracle.fluentbot(ExampleCredentials::FLUENTBOT_OLD_SECRET, visitor), visitor: visitor)
    other = { name: "B", email: "a@b.c", data: nil }
    refute signer.verify(NodeOracle.fluentbot(ExampleCredentials::FLUENTBOT_OLD_SECRET, other), visitor: visitor)
  end

  def test_anonymous_visitor_gets_no_hash
    get "/"
    assert_response :success
    assert_empty css_select("script#ensoras-settings")
  end

  def test_secret_from_env_when_credentials_have_none
    saved = Userhash.registry
    Userhash.registry = Userhash::Registry.new # ENV only
    ENV["USERHASH_ENSORAS_SECRET"] = "ensoras-secret-from-env"
    ENV["USERHASH_SECRET"] = "shared-secret-from-env" # the fallback, used here by fluentbot
    get "/", params: { as: "Bob@Example.COM" }
    assert_response :success
    assert_equal NodeOracle.ensoras("ensoras-secret-from-env", "Bob@Example.COM"), ensoras_hash
    visitor = { name: "Alice", email: "Bob@Example.COM", data: { plan: "pro" } }
    assert_equal NodeOracle.fluentbot("shared-secret-from-env", visitor), fluentbot_signature
  ensure
    ENV.delete("USERHASH_ENSORAS_SECRET")
    ENV.delete("USERHASH_SECRET")
    Userhash.registry = saved
  end

  def test_missing_secret_names_the_variable
    registry = Userhash::Registry.new
    err = assert_raises(Userhash::EmptySecretError) { registry.signer(:layerup) }
    assert_includes err.message, "USERHASH_LAYERUP_SECRET"
  end

  def test_helper_in_a_plain_actionview_render
    html = ApplicationController.render(inline: %(<%= userhash_sign(:ensoras, email: "Carol@Example.COM") %>))
    assert_equal NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, "Carol@Example.COM"), html.strip
  end

  def test_registry_inspect_hides_secrets
    Userhash.registry.signer(:ensoras)
    refute_includes Userhash.registry.inspect, ExampleCredentials::ENSORAS_SECRET
    refute_includes Userhash.registry.signer(:ensoras).inspect, ExampleCredentials::ENSORAS_SECRET
  end
end
