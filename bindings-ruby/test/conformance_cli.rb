# frozen_string_literal: true

# make conformance-ruby: prints failures, then exactly "ruby: N passed, M failed".
require_relative "conformance"

passed = 0
failed = 0
Conformance.vectors.each do |file, vector|
  problem =
    begin
      Conformance.check(vector)
    rescue StandardError => e
      "#{e.class}: #{e.message}"
    end
  if problem
    failed += 1
    warn "FAIL #{File.basename(file)} #{vector["id"]}: #{problem}"
  else
    passed += 1
  end
end
puts "ruby: #{passed} passed, #{failed} failed"
exit(failed.zero? && passed.positive? ? 0 : 1)
