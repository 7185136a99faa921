//! The state graph of a function, for the viewer: states as nodes, and the
//! transitions between them labelled with the await, join or return that
//! takes them.

use crate::flow::Entry;
use proc_macro2::TokenStream;

/// The state graph of one annotated function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateGraph {
    /// The function's name as written.
    pub function: String,
    /// The enum's name (`Example`).
    pub machine: String,
    /// Every state, in order: `Start`, the `WaitingOn…` states and joins, `Done`.
    pub states: Vec<String>,
    /// The transitions, in source order.
    pub edges: Vec<Edge>,
}

/// One transition of a [`StateGraph`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// What takes it: the awaited expression (`async_read_file("foo.txt").await`),
    /// `join` (code from two arms continues in one), or `return`.
    pub label: String,
}

/// The state graph of `#[explicit_async(args)] item`, read off the poll
/// arms the expansion has: an edge for every state an arm can write, and
/// one to `Done` where it can return.
pub fn state_graph(args: TokenStream, item: TokenStream) -> syn::Result<StateGraph> {
    let prepared = crate::prepare(args, item)?;
    let transitions = crate::emit::transitions(&prepared);
    let mut states = prepared.state_names();
    let label = |to: usize| match prepared.flow.regions[to] {
        Entry::Resume(a) => prepared.points[a].text.clone(),
        _ => "join".to_string(),
    };
    let mut edges = Vec::new();
    for (from, (targets, completes)) in transitions.into_iter().enumerate() {
        for to in targets {
            edges.push(Edge {
                from: states[from].clone(),
                to: states[to].clone(),
                label: label(to),
            });
        }
        if completes {
            edges.push(Edge {
                from: states[from].clone(),
                to: "Done".to_string(),
                label: "return".to_string(),
            });
        }
    }
    states.push("Done".to_string());
    Ok(StateGraph {
        function: prepared.function_name(),
        machine: prepared.machine_name().to_string(),
        states,
        edges,
    })
}
