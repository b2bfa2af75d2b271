# frozen_string_literal: true

require "rails/railtie"

module Userhash
  # Rails integration: `userhash_sign` in every view, secrets from
  # `Rails.application.credentials.userhash` (see Userhash::Registry) or ENV.
  #
  #   # config/credentials.yml.enc (bin/rails credentials:edit)
  #   userhash:
  #     ensoras: "the widget secret"
  #
  #   <%# app/views/layouts/application.html.erb %>
  #   <script>window.ensorasSettings = { email: <%= current_user.email.to_json %>,
  #     user_hash: "<%= userhash_sign(:ensoras, email: current_user.email) %>" };</script>
  class Railtie < ::Rails::Railtie
    initializer "userhash.registry" do |app|
      # Read when a scheme's signer is first built (nil when there is no `userhash:`).
      Userhash.registry = Userhash::Registry.new(credentials: -> { app.credentials[:userhash] })
    end

    initializer "userhash.view_helpers" do
      ActiveSupport.on_load(:action_view) { include Userhash::ViewHelpers }
    end
  end
end
