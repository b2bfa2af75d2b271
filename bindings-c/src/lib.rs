//! Placeholder: replaced by the userhash-c binding.
