# frozen_string_literal: true

Rails.application.routes.draw do
  root "widget#show"
end
