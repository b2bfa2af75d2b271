# frozen_string_literal: true

class ApplicationController < ActionController::Base
  User = Struct.new(:name, :email, :plan, keyword_init: true)

  helper_method :current_user, :current_visitor

  private

  # Stand-in for real authentication: ?as=<email> logs that user in.
  def current_user
    return @current_user if defined?(@current_user)

    email = params[:as].presence
    @current_user = email && User.new(name: params[:name].presence || "Alice", email: email, plan: "pro")
  end

  # What FluentBot signs: JSON.stringify({name, email, data}).
  def current_visitor
    current_user && { name: current_user.name, email: current_user.email, data: { plan: current_user.plan } }
  end
end
