# frozen_string_literal: true

module Userhash
  # The gem's version (the same as the Rust crates' workspace version).
  VERSION = "0.1.0"
end
