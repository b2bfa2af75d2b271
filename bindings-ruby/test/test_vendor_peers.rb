# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "openssl"

# The vendors' own open-source server checks, run as they are written, against
# hashes userhash makes (issue 14): a real peer, not our reading of the rule.
# Sources and commits: tests/oracle/vendors/SOURCES.md.
class TestVendorPeers < Minitest::Test
  include TestHelper

  # chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb
  # @ 2d5aa446395b0812f6a4681655125ee70be3157f, valid_hmac? verbatim.
  class ChatwootContactsController
    WebWidget = Struct.new(:hmac_token)
    attr_reader :params

    def initialize(hmac_token, params)
      @web_widget = WebWidget.new(hmac_token)
      @params = params
    end

    def valid_hmac?
      params[:identifier_hash] == OpenSSL::HMAC.hexdigest(
        'sha256',
        @web_widget.hmac_token,
        params[:identifier].to_s
      )
    end
  end

  # intercom/intercom-rails lib/intercom-rails/script_tag.rb
  # @ b361369a88408d73d66a852b0f849dd7d67cd8a2, user_hash verbatim.
  class IntercomScriptTag
    attr_reader :secret, :user_details

    def initialize(secret, user_details)
      @secret = secret
      @user_details = user_details
    end

    def user_hash
      OpenSSL::HMAC.hexdigest("sha256", secret, (user_details[:user_id] || user_details[:email]).to_s)
    end
  end

  def vectors(preset)
    path = File.expand_path("../../tests/vectors/#{preset}.json", __dir__)
    JSON.parse(File.read(path))["vectors"].select { |v| v["hash"] && !v["signer_options"] }
  end

  def test_chatwoot_valid_hmac_accepts_userhash_hashes
    checked = 0
    vectors("chatwoot").each do |v|
      id = v["input"]["user_id"]
      hash = Userhash::Signer.new(v["secret"], :chatwoot).sign(user_id: id)
      controller = ChatwootContactsController.new(v["secret"], { identifier: id, identifier_hash: hash })
      assert controller.valid_hmac?, "#{v['id']}: Chatwoot's valid_hmac? refused userhash's hash"
      wrong = ChatwootContactsController.new(v["secret"], { identifier: id, identifier_hash: hash.upcase })
      refute wrong.valid_hmac?, "#{v['id']}: an uppercase hash must not pass"
      checked += 1
    end
    assert_operator checked, :>, 50
  end

  def test_intercom_rails_user_hash_equals_userhash
    checked = 0
    vectors("intercom").each do |v|
      fields = v["input"].transform_keys(&:to_sym)
      ours = Userhash::Signer.new(v["secret"], :intercom).sign(**fields)
      assert_equal IntercomScriptTag.new(v["secret"], fields).user_hash, ours, v["id"]
      checked += 1
    end
    assert_operator checked, :>, 50
  end
end
