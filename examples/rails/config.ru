# frozen_string_literal: true

# rackup (or: bundle exec rackup -p 3000), then open /?as=Alice@Example.COM
require_relative "config/environment"
run Rails.application
