# frozen_string_literal: true

# Test only: the browser harness's route (tests/browser, docs/embed.md), drawn only
# when USERHASH_EMBED_TEST_ROUTE=1 (config/routes.rb). Never enable it in
# production: it signs any identity it is sent and takes no CSRF token.
#
# POST /userhash/embed with {"preset", "input", "options"} answers what the
# `userhash_embed` view helper renders: a page around the script snippet, or the
# bare URL / identify statement. The signer uses the secret in USERHASH_SECRET.
class EmbedTestController < ActionController::Base
  skip_forgery_protection
  layout false

  def index
    render plain: "POST {preset, input, options} here\n"
  end

  def create
    case_ = JSON.parse(request.raw_post)
    preset = case_.fetch("preset")
    return head(:not_found) unless Userhash::PRESETS.include?(preset)

    @signer = Userhash::Signer.from_env("USERHASH_SECRET", preset)
    @input = case_.fetch("input")
    @options = (case_["options"] || {}).transform_keys(&:to_sym)
    @snippet = helpers.userhash_embed(@signer, @input, **@options)
    # A URL or a JS statement (a preset's identify form, asked for or its
    # default) is answered as is; a script snippet goes into the page.
    if @snippet.start_with?("<")
      render :show
    else
      render plain: @snippet, content_type: "text/html"
    end
  rescue JSON::ParserError, KeyError, TypeError
    render plain: "expected JSON {preset, input, options}\n", status: :bad_request
  end
end
