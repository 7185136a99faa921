//! The transform behind `#[explicit_async]` (placeholder: passes the item through).

use proc_macro2::TokenStream;

/// Expands `#[explicit_async(args)] item`; never panics: every rejection
/// becomes a `compile_error!` at the user's span.
pub fn expand(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// The state graph of one annotated function, for the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateGraph {
    /// The function's name as written.
    pub function: String,
    /// The enum's name (`Example`).
    pub machine: String,
    /// Every state, in order: `Start`, the `WaitingOn…` states, `Done`.
    pub states: Vec<String>,
    /// The transitions, in source order.
    pub edges: Vec<Edge>,
}

/// One transition of a [`StateGraph`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// What takes it: the awaited expression (`async_read_file("foo.txt").await`) or `return`.
    pub label: String,
}

/// The state graph of `#[explicit_async(args)] item`.
pub fn state_graph(_args: TokenStream, item: TokenStream) -> syn::Result<StateGraph> {
    let f: syn::ItemFn = syn::parse2(item)?;
    let name = f.sig.ident.to_string();
    Ok(StateGraph {
        machine: name.clone(),
        function: name,
        states: vec!["Start".into(), "Done".into()],
        edges: vec![Edge { from: "Start".into(), to: "Done".into(), label: "return".into() }],
    })
}
