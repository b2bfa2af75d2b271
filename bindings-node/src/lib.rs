//! Placeholder: replaced by the userhash-node binding.
