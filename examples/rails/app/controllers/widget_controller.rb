# frozen_string_literal: true

class WidgetController < ApplicationController
  def show; end
end
