# frozen_string_literal: true

Rails.application.routes.draw do
  root "widget#show"

  # Test only (tests/browser, docs/embed.md): the harness POSTs cases here. The
  # route exists only with USERHASH_EMBED_TEST_ROUTE=1: never set it in production.
  if ENV["USERHASH_EMBED_TEST_ROUTE"] == "1"
    get "userhash/embed", to: "embed_test#index"
    post "userhash/embed", to: "embed_test#create"
  end
end
