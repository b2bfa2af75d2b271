# frozen_string_literal: true

require "minitest/autorun"
require_relative "conformance"

# One minitest test per golden vector (USERHASH_VECTORS, default tests/vectors).
class TestConformance < Minitest::Test
  Conformance.vectors.each_with_index do |(file, vector), i|
    define_method("test_#{File.basename(file, ".json")}_#{i}_#{vector["id"]}") do
      problem = Conformance.check(vector)
      assert_nil problem, "#{vector["id"]}: #{problem}"
    end
  end
end
