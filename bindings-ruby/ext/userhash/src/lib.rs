//! Placeholder: replaced by the userhash-ruby binding.
