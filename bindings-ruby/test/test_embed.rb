# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "open3"

# Signer#embed: the vendor snippets with the identity signed (hashes checked
# with OpenSSL over the canonical string), options passed through unchanged.
class TestEmbed < Minitest::Test
  include TestHelper

  CLI = File.expand_path("../../target/release/userhash", __dir__)

  def signer(preset)
    Userhash::Signer.new("s3cr3t", preset)
  end

  def test_layerup_script_and_url
    html = signer(:layerup).embed({ email: %(a"b<c>@x.com) }, widget: "wk_1")
    hash = hmac("s3cr3t", %(a"b<c>@x.com))
    assert_equal <<~HTML.chomp, html
      <script
        src="https://us.uselayerup.com/widget-loader.js"
        data-widget-key="wk_1"
        data-user-email="a&quot;b&lt;c&gt;@x.com"
        data-user-hash="#{hash}">
      </script>
    HTML
    url = signer(:layerup).embed({ email: "a+b@x.com" }, { "widget" => "w 1", "form" => "url" })
    assert_equal "https://us.uselayerup.com/widget/w%201?ue=a%2Bb%40x.com&uh=#{hmac("s3cr3t", "a+b@x.com")}", url
  end

  def test_ensoras_script_json_escaping_and_nonce
    email = "</script>\u2028@X.com"
    html = signer(:ensoras).embed({ email: email }, widget: "acme", nonce: "n0nce")
    literal = html[/Ensoras\('identify', (\{.*?\})\);/, 1]
    refute_includes html, "</script>\u2028"
    assert_includes literal, "\\u003c/script\\u003e\\u2028"
    assert_equal({ "email" => email, "hash" => hmac("s3cr3t", email.downcase) }, JSON.parse(literal))
    assert_equal 2, html.scan('nonce="n0nce"').size
    identify = signer(:ensoras).embed({ email: "A@x" }, widget: "acme", form: :identify)
    assert_equal %(Ensoras('identify', {"email":"A@x","hash":"#{hmac("s3cr3t", "a@x")}"});), identify
  end

  def test_inviaro_options_and_integer_id
    html = signer(:inviaro).embed({ user_id: 42 }, widget: "wt_1", name: "Ann", email: "ann@x.com",
                                                   origin: "https://x.com", nonce: nil)
    settings = JSON.parse(html[/window\.InviaroSettings = (\{.*?\});/, 1])
    assert_equal({ "key" => "wt_1", "origin" => "https://x.com", "userId" => "42", "userHash" => hmac("s3cr3t", "42"),
                   "userEmail" => "ann@x.com", "userName" => "Ann" }, settings)
    refute_includes html, "nonce"
  end

  def test_supportwire_data_and_fluentbot_visitor
    html = signer(:supportwire).embed({ external_id: " EXT-1 ", email: "a@x" }, widget: "sw", data: { plan: "Pro", n: 1.0 })
    call = JSON.parse(html[/new SupportWireWidget\((\{.*?\})\);/, 1])
    assert_equal({ "widgetSlug" => "sw", "userExternalUserId" => " EXT-1 ", "userSignature" => hmac("s3cr3t", "ext-1"),
                   "userData" => { "plan" => "Pro", "n" => 1 } }, call)

    visitor = { name: "Ann", email: "ann@x.com", data: { "2" => "b", "1" => "a", list: [1.5, nil] }, extra: "not sent" }
    html = signer(:fluentbot).embed({ visitor: visitor }, widget: "BOT")
    sent = JSON.parse(html[/injectWidget\("BOT", (\{.*\})\);/, 1]).fetch("visitor")
    payload = '{"name":"Ann","email":"ann@x.com","data":{"1":"a","2":"b","list":[1.5,null]}}'
    assert_equal hmac("s3cr3t", payload), sent.delete("signature")
    assert_equal JSON.parse(payload), sent
  end

  def test_errors
    s = signer(:ensoras)
    assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }) } # no widget
    assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }, widget: "") }
    err = assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }, widget: "w", color: "red") }
    assert_match(/unknown embed option "color"/, err.message)
    assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }, widget: "w", form: "url") }
    assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }, nil) }
    assert_raises(Userhash::InvalidInputError) { s.embed({ email: "a@x" }, "widget") }
    assert_raises(Userhash::EmptyIdentityError) { signer(:supportwire).embed({ email: " " }, widget: "w") }
    assert_raises(Userhash::InvalidUtf8Error) { s.embed({ email: "\xff".b }, widget: "w") }
    assert_raises(Userhash::InvalidInputError) { s.embed({ mail: "a@x" }, widget: "w") }
    assert_raises(TypeError) { s.embed("a@x", widget: "w") }
    err = assert_raises(Userhash::InvalidInputError) do
      Userhash::Signer.new("s3cr3t", "user_id:lowercase").embed({ user_id: "a" }, widget: "w")
    end
    assert_match(/vendor preset/, err.message)
  end

  # The same bytes as the CLI (another consumer of the core's renderer).
  def test_same_bytes_as_the_cli
    skip "no #{CLI} (cargo build --release -p userhash-cli)" unless File.executable?(CLI)
    env = { "USERHASH_SECRET" => "s3cr3t" }
    [
      [:layerup, { email: "</script>@x" }, { widget: "w'1", nonce: "n" }, %w[--email </script>@x --widget w'1 --nonce n]],
      [:inviaro, { user_id: "u<1>" }, { widget: "wt", form: "identify", name: "Ann\u2028" },
       ["--user-id", "u<1>", "--widget", "wt", "--form", "identify", "--options-json", '{"name":"Ann\u2028"}']],
      [:fluentbot, { visitor: { name: "A", data: { "10" => 1, "2" => 2 } } }, { widget: "B" },
       ["--visitor-json", '{"name":"A","data":{"10":1,"2":2}}', "--widget", "B"]]
    ].each do |preset, input, options, args|
      out, status = Open3.capture2(env, CLI, "embed", "--preset", preset.to_s, *args)
      assert status.success?, "cli failed for #{preset}"
      assert_equal out.chomp, signer(preset).embed(input, options), preset.to_s
    end
  end
end
