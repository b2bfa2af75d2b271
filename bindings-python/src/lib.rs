//! Placeholder: replaced by the userhash-python binding.
