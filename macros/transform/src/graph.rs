//! The state graph of a function, for the viewer: states as nodes, and the
//! transitions between them labelled with the await or return that takes them.

use proc_macro2::TokenStream;

/// The state graph of one annotated function.
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

/// The state graph of `#[explicit_async(args)] item`, read off the poll
/// arms the expansion has: an edge for every await an arm can suspend at,
/// and one to `Done` where it can return.
pub fn state_graph(args: TokenStream, item: TokenStream) -> syn::Result<StateGraph> {
    let prepared = crate::prepare(args, item)?;
    let machine = prepared.machine();
    let waiting: Vec<String> = prepared.state_names();
    let mut states = vec!["Start".to_string()];
    states.extend(waiting.iter().cloned());
    let mut edges = Vec::new();
    for (from, (suspends, completes)) in states.iter().zip(machine.transitions()) {
        for to in suspends {
            edges.push(Edge {
                from: from.clone(),
                to: waiting[to].clone(),
                label: prepared.await_text(to),
            });
        }
        if completes {
            edges.push(Edge {
                from: from.clone(),
                to: "Done".to_string(),
                label: "return".to_string(),
            });
        }
    }
    states.push("Done".to_string());
    Ok(StateGraph {
        function: prepared.function_name(),
        machine: machine.machine_name().to_string(),
        states,
        edges,
    })
}
