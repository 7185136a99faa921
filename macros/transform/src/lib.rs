//! The transform behind `#[explicit_async]` (placeholder: passes the item through).

use proc_macro2::TokenStream;

/// Expands `#[explicit_async(args)] item`; never panics.
pub fn expand(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
