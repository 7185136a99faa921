//! The state graph of a function, for the viewer: states as nodes, and the
//! transitions between them labelled with the await or return that takes them.

use crate::ir::{Block, Node, Stmt};
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

/// The state graph of `#[explicit_async(args)] item`.
pub fn state_graph(args: TokenStream, item: TokenStream) -> syn::Result<StateGraph> {
    let prepared = crate::prepare(args, item)?;
    let states: Vec<String> = prepared.states.iter().map(|s| s.to_string()).collect();
    let mut edges = Vec::new();
    let add = |edges: &mut Vec<Edge>, from: &str, to: String, label: String| {
        let edge = Edge {
            from: from.to_string(),
            to,
            label,
        };
        if !edges.contains(&edge) {
            edges.push(edge);
        }
    };
    // From each state, the awaits its continuation can reach next, and `Done`.
    let all: Vec<(String, Vec<usize>, bool)> = std::iter::once(("Start".to_string(), None))
        .chain(
            states
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, s)| (s, Some(i))),
        )
        .map(|(name, from)| {
            let (next, completes) = reachable(&prepared.body, from);
            (name, next, completes)
        })
        .collect();
    for (from, next, completes) in &all {
        for &a in next {
            add(
                &mut edges,
                from,
                states[a].clone(),
                prepared.points[a].text.clone(),
            );
        }
        if *completes {
            add(&mut edges, from, "Done".to_string(), "return".to_string());
        }
    }
    let mut all_states = vec!["Start".to_string()];
    all_states.extend(states);
    all_states.push("Done".to_string());
    Ok(StateGraph {
        function: prepared.function.sig.ident.to_string(),
        machine: crate::names::machine_name(&prepared.function),
        states: all_states,
        edges,
    })
}

/// The awaits reachable first from the start (`from == None`) or from
/// after await `from`, and whether the end is reachable without another await.
fn reachable(body: &Block, from: Option<usize>) -> (Vec<usize>, bool) {
    let mut walker = Reach {
        from,
        started: from.is_none(),
        next: Vec::new(),
    };
    let completes = walker.block(body, true);
    (walker.next, completes)
}

struct Reach {
    from: Option<usize>,
    /// Whether the walk has passed the await it starts after.
    started: bool,
    next: Vec<usize>,
}

impl Reach {
    /// Returns whether control can fall through (approximately: any path).
    fn block(&mut self, block: &Block, live: bool) -> bool {
        let mut live = live;
        for stmt in &block.stmts {
            live = match stmt {
                Stmt::Plain(_) => live,
                Stmt::Let { init, .. } => self.node(init, live),
                Stmt::Expr { node, .. } => self.node(node, live),
            };
        }
        live
    }

    fn node(&mut self, node: &Node, live: bool) -> bool {
        match node {
            Node::Await { id, .. } => {
                if live && self.started {
                    if !self.next.contains(id) {
                        self.next.push(*id);
                    }
                    return false;
                }
                if Some(*id) == self.from {
                    self.started = true;
                    return true;
                }
                live
            }
            Node::Block(b) => self.block(b, live),
            Node::If {
                then, otherwise, ..
            } => {
                let a = self.block(then, live);
                let b = match otherwise {
                    Some(n) => self.node(n, live),
                    None => live,
                };
                a || b
            }
            Node::Match { arms, .. } => {
                let mut any = false;
                for arm in arms {
                    any |= self.node(&arm.body, live);
                }
                any
            }
            Node::Loop { body, .. } => {
                // A loop runs its body again: walk it twice so awaits before
                // the resumed point are reached from it too.
                let first = self.block(body, live);
                let again = self.block(body, first || self.started);
                let _ = again;
                true
            }
            Node::Plain(_) => live,
        }
    }
}
