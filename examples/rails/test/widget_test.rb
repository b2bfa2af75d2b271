# frozen_string_literal: true

require_relative "test_helper"

# Renders the page through the Rails stack (routing → controller → ActionView
# → the Railtie's `userhash_sign` helper) and checks the hashes in the HTML
# against the vendors' Node.js snippets.
class WidgetTest < ActionDispatch::IntegrationTest
  def ensoras_hash
    css_select("#ensoras-hash").first["data-user-hash"]
  end

  def fluentbot_signature
    css_select("#fluentbot-visitor").first["data-signature"]
  end

  # The object the Ensoras snippet passes to Ensoras('identify', {...}).
  def ensoras_identify
    JSON.parse(response.body[/Ensoras\('identify', (\{.*?\})\);/, 1])
  end

  # The options FluentBotChatWidget.injectWidget(BOT, {...}) receives.
  def fluentbot_injected
    JSON.parse(response.body[/FluentBotChatWidget\.injectWidget\("YOUR_BOT_ID", (\{.*\})\);/, 1])
  end

  # The CSP nonce of this response (the header Rails sent).
  def csp_nonce
    response.headers["Content-Security-Policy"][/'nonce-([^']+)'/, 1]
  end

  def test_ensoras_hash_from_credentials_matches_the_node_snippet
    get "/", params: { as: "Alice@Example.COM" }
    assert_response :success
    expected = NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, "Alice@Example.COM")
    assert_equal expected, ensoras_hash
    assert_equal({ "email" => "Alice@Example.COM", "hash" => expected }, ensoras_identify)
    assert_includes response.body, %(<script src="https://app.ensoras.com/cdn/v1/widget/your-ensoras-slug.js" async defer nonce="#{csp_nonce}">) unless csp_nonce.nil?
  end

  def test_embed_snippets_carry_the_csp_nonce
    get "/", params: { as: "alice@example.com" }
    nonce = csp_nonce
    refute_nil nonce, "no CSP nonce in #{response.headers["Content-Security-Policy"].inspect}"
    tags = response.body.scan(/<script\b[^>]*>/)
    assert_operator tags.size, :>=, 4
    tags.each { |tag| assert_includes tag, %(nonce="#{nonce}"), tag }
  end

  def test_hostile_identity_is_escaped_and_still_signed
    email = %(</script><script>window.pwned=1</script>"'&\u2028@x.com)
    name = "Zoë </script>\u2029"
    get "/", params: { as: email, name: name }
    assert_response :success
    refute_includes response.body, "<script>window.pwned"
    assert_equal email, ensoras_identify["email"]
    assert_equal NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, email), ensoras_identify["hash"]
    visitor = fluentbot_injected.fetch("visitor")
    signature = visitor.delete("signature")
    assert_equal({ "name" => name, "email" => email, "data" => { "plan" => "pro" } }, visitor)
    assert_equal NodeOracle.fluentbot(ExampleCredentials::FLUENTBOT_SECRET, visitor), signature
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
    expected = NodeOracle.fluentbot(ExampleCredentials::FLUENTBOT_SECRET, visitor)
    assert_equal expected, fluentbot_signature
    assert_equal JSON.parse(JSON.generate(visitor)).merge("signature" => expected), fluentbot_injected["visitor"]
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
    assert_empty css_select("#ensoras-hash")
    refute_includes response.body, "Ensoras("
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

  def test_embed_helper_forms
    render = ->(erb) { ApplicationController.render(inline: erb) }
    secret = "layerup-secret"
    ENV["USERHASH_LAYERUP_SECRET"] = secret
    Userhash.registry.reset!
    url = render.call(%(<a href="<%= userhash_embed(:layerup, { email: "a+b@x.com" }, widget: "w 1", form: "url") %>">))
    hash = OpenSSL::HMAC.hexdigest("sha256", secret, "a+b@x.com")
    # A plain String: ERB escapes it for the attribute (& → &amp;), the browser decodes it.
    assert_equal %(<a href="https://us.uselayerup.com/widget/w%201?ue=a%2Bb%40x.com&amp;uh=#{hash}">), url
    identify = render.call(%(<%= userhash_embed(:ensoras, { email: "<b>@x" }, widget: "s", form: "identify") %>))
    assert_equal %(Ensoras('identify', {"email":"\\u003cb\\u003e@x","hash":"#{NodeOracle.ensoras(ExampleCredentials::ENSORAS_SECRET, "<b>@x")}"});), identify
    err = assert_raises(ActionView::Template::Error) do
      render.call(%(<%= userhash_embed(:ensoras, { email: "a@x" }, color: "red") %>))
    end
    assert_kind_of Userhash::InvalidInputError, err.cause
  ensure
    ENV.delete("USERHASH_LAYERUP_SECRET")
    Userhash.registry.reset!
  end

  def test_embed_test_route_only_when_enabled
    assert_raises(ActionController::RoutingError) do
      post "/userhash/embed", params: "{}", headers: { "CONTENT_TYPE" => "application/json" }
    end
  end

  def test_embed_test_route
    ENV["USERHASH_EMBED_TEST_ROUTE"] = "1"
    ENV["USERHASH_SECRET"] = "browser-test-secret"
    Rails.application.reload_routes!
    visitor = { "name" => "Ann </script>", "email" => "ann@x.com", "data" => { "plan" => "\u2028" } }
    body = { preset: "fluentbot", input: { visitor: visitor }, options: { widget: "BOT", nonce: "abc" } }
    post "/userhash/embed", params: JSON.generate(body), headers: { "CONTENT_TYPE" => "application/json" }
    assert_response :success
    assert_includes response.body, %(<script type="module" nonce="abc">)
    injected = JSON.parse(response.body[/injectWidget\("BOT", (\{.*\})\);/, 1])["visitor"]
    assert_equal NodeOracle.fluentbot("browser-test-secret", visitor), injected.delete("signature")
    post "/userhash/embed", params: JSON.generate(preset: "layerup", input: { email: "a@x" }, options: { widget: "w", form: "url" }),
                            headers: { "CONTENT_TYPE" => "application/json" }
    assert_response :success
    assert_match %r{\Ahttps://us\.uselayerup\.com/widget/w\?ue=a%40x&uh=[0-9a-f]{64}\z}, response.body
    post "/userhash/embed", params: JSON.generate(preset: "nosuchvendor", input: {}, options: {}),
                            headers: { "CONTENT_TYPE" => "application/json" }
    assert_response :not_found
  ensure
    ENV.delete("USERHASH_EMBED_TEST_ROUTE")
    ENV.delete("USERHASH_SECRET")
    Rails.application.reload_routes!
  end

  def test_registry_inspect_hides_secrets
    Userhash.registry.signer(:ensoras)
    refute_includes Userhash.registry.inspect, ExampleCredentials::ENSORAS_SECRET
    refute_includes Userhash.registry.signer(:ensoras).inspect, ExampleCredentials::ENSORAS_SECRET
  end
end
