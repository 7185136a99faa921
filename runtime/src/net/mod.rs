//! Async TCP and UDP (in progress).
