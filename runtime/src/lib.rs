//! The runtime of explicit-async (placeholder until issue 2 lands).
