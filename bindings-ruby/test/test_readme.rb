# frozen_string_literal: true

require_relative "test_helper"

# The README's Tokens and Doctor examples run as written: each ```ruby block of
# those sections is evaluated, and every `expr # => value` line must give value.
class TestReadme < Minitest::Test
  README = File.read(File.expand_path("../README.md", __dir__))

  def blocks(section)
    text = README[/^## #{section}\n(.*?)(?=^## )/m, 1] or flunk "README has no ## #{section}"
    text.scan(/^```ruby\n(.*?)^```$/m).map(&:first)
  end

  def run_block(code)
    checks = 0
    source = code.each_line.map do |line|
      expr, want = line.chomp.split(" # => ", 2)
      next line unless want

      checks += 1
      "#{expr[/\A\s*/]}check_line.call((#{expr.strip}), (#{want}), #{expr.strip.dump})\n"
    end.join
    check_line = ->(got, expected, what) { assert_equal expected, got, what }
    binding.eval(source, "README.md")
    assert_operator checks, :>, 0
  end

  def test_tokens_examples
    assert_equal 1, blocks("Tokens").size
    blocks("Tokens").each { |code| run_block(code) }
  end

  def test_doctor_examples
    assert_equal 1, blocks("Doctor").size
    blocks("Doctor").each { |code| run_block(code) }
  end
end
