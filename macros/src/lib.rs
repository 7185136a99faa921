//! The `#[explicit_async]` attribute. This crate is a thin shell: the
//! transform is the plain library `explicit-async-transform`, so that it can
//! be unit-tested and used by the `expand` viewer without a compiler.

use proc_macro::TokenStream;

/// Rewrites an `async fn` into an explicit, pinned state machine.
///
/// See the `explicit-async` crate for the shape of the expansion and the
/// options (`#[explicit_async(trace)]`).
#[proc_macro_attribute]
pub fn explicit_async(args: TokenStream, item: TokenStream) -> TokenStream {
    explicit_async_transform::expand(args.into(), item.into()).into()
}
