//! The analysis on token input: which locals each state stores (liveness),
//! which live in slots (address-sensitivity), and the states' names.

use explicit_async_transform::{Prepared, prepare};
use quote::quote;

fn prepared(item: proc_macro2::TokenStream) -> Prepared {
    prepare(quote!(), item).unwrap_or_else(|e| panic!("rejected: {e}"))
}

#[test]
fn a_local_moved_before_an_await_is_not_stored() {
    let p = prepared(quote! {
        async fn f() -> usize {
            let s = String::from("x");
            let kept = String::from("y");
            consume(s);
            tick().await;
            kept.len()
        }
    });
    assert_eq!(p.stored_in("WaitingOnTick"), ["kept"]);
}

#[test]
fn a_local_used_by_value_and_after_the_await_is_stored() {
    // Used by value before and after: it must be `Copy`, and is needed later.
    let p = prepared(quote! {
        async fn f(n: u32) -> u32 {
            let m = n + 1;
            double(m);
            tick().await;
            m
        }
    });
    assert_eq!(p.stored_in("WaitingOnTick"), ["m"]);
}

#[test]
fn a_local_borrowed_but_not_used_later_is_still_stored() {
    // rustc drops it at the end of its scope, after the await: so must we.
    let p = prepared(quote! {
        async fn f() {
            let guard = lock();
            guard.touch();
            tick().await;
        }
    });
    assert_eq!(p.stored_in("WaitingOnTick"), ["guard"]);
}

#[test]
fn a_local_assigned_after_the_await_is_not_stored_before_it() {
    let p = prepared(quote! {
        async fn f() -> u64 {
            let total: u64;
            let a = read().await;
            total = a + 1;
            total
        }
    });
    assert!(p.stored_in("WaitingOnRead").is_empty());
}

#[test]
fn locals_borrowed_by_the_awaited_future_live_in_slots() {
    let p = prepared(quote! {
        async fn f(mut stream: Stream) -> usize {
            let mut buf = [0u8; 64];
            let n = stream.read(&mut buf).await;
            n
        }
    });
    assert_eq!(p.slots(), ["buf", "stream"]);
    assert!(p.stored_in("WaitingOnRead").is_empty());
}

#[test]
fn a_local_borrowed_by_a_stored_local_lives_in_a_slot() {
    let p = prepared(quote! {
        async fn f() -> i32 {
            let v = vec![1, 2, 3];
            let r = &v[1];
            tick().await;
            *r
        }
    });
    assert_eq!(p.slots(), ["v"]);
    assert_eq!(p.stored_in("WaitingOnTick"), ["r"]);
}

#[test]
fn locals_older_than_a_slot_become_slots_so_that_drop_order_holds() {
    let p = prepared(quote! {
        async fn f() {
            let a = D("a");
            let v = [D("v0"), D("v1")];
            let r = &v[0];
            tick().await;
            let b = D("b");
            tick().await;
            use_all(&a, r, &b);
        }
    });
    assert_eq!(p.slots(), ["v", "a"]);
    assert_eq!(p.stored_in("WaitingOnTick2"), ["r", "b"]);
}

#[test]
fn the_iterator_of_a_for_loop_is_not_a_slot() {
    let p = prepared(quote! {
        async fn f(items: Vec<u32>) -> u32 {
            let mut sum = 0;
            for x in items {
                sum += get(x).await;
            }
            sum
        }
    });
    assert!(p.slots().is_empty());
    assert_eq!(p.stored_in("WaitingOnGet"), ["sum", "iter"]);
}

#[test]
fn states_are_named_after_what_they_await() {
    let p = prepared(quote! {
        async fn f(n: u64) -> u64 {
            let a = async_read_file("a").await;
            let b = stream.read(&mut buf).await;
            tick().await;
            tick().await;
            Box::pin(sum(n - 1)).await + a + b
        }
    });
    assert_eq!(
        p.state_names(),
        [
            "Start",
            "WaitingOnAsyncReadFile",
            "WaitingOnRead",
            "WaitingOnTick",
            "WaitingOnTick2",
            "WaitingOnSum"
        ]
    );
}

#[test]
fn a_state_attribute_names_its_state() {
    let p = prepared(quote! {
        async fn example(min_len: usize) -> String {
            #[state(FooTxt)]
            let content = async_read_file("foo.txt").await;
            content
        }
    });
    assert_eq!(p.state_names(), ["Start", "WaitingOnFooTxt"]);
}

#[test]
fn shadowed_locals_get_unique_names() {
    let p = prepared(quote! {
        async fn f() -> u32 {
            let x = D(1);
            let x = D(2);
            tick().await;
            x.0
        }
    });
    assert_eq!(p.stored_in("WaitingOnTick"), ["x", "x_2"]);
}

#[test]
fn the_machine_is_renamed_when_the_function_names_a_type_like_it() {
    let item = quote! {
        async fn config() -> Config {
            Config { value: read().await }
        }
    };
    let graph = explicit_async_transform::state_graph(quote!(), item).expect("accepted");
    assert_eq!(graph.machine, "ConfigMachine");
    let plain = explicit_async_transform::state_graph(
        quote!(),
        quote!(
            async fn example() {}
        ),
    );
    assert_eq!(plain.expect("accepted").machine, "Example");
}

#[test]
fn code_after_branches_that_await_is_a_join_written_once() {
    let p = prepared(quote! {
        async fn f(c: bool) -> u32 {
            let x = if c { a().await } else { b().await };
            let closure = move || x + 1;
            tick().await;
            closure()
        }
    });
    assert_eq!(
        p.state_names(),
        [
            "Start",
            "WaitingOnA",
            "WaitingOnB",
            "AfterIf",
            "WaitingOnTick"
        ]
    );
    // The join holds the `if`'s value (its own field), not a local yet.
    assert!(p.stored_in("AfterIf").is_empty());
    assert_eq!(p.stored_in("WaitingOnTick"), ["closure"]);
}

#[test]
fn a_loop_that_awaits_has_its_head_as_a_state() {
    let p = prepared(quote! {
        async fn f(n: u32) -> u32 {
            let mut sum = 0;
            for i in 0..n {
                sum += get(i).await;
            }
            sum
        }
    });
    assert_eq!(p.state_names(), ["Start", "ForHead", "WaitingOnGet"]);
    assert_eq!(p.stored_in("ForHead"), ["sum", "iter"]);
}

#[test]
fn a_local_moved_on_some_paths_has_a_drop_flag_in_a_slot() {
    let p = prepared(quote! {
        async fn f(which: bool) {
            let a = D("a");
            if which {
                drop(a);
            }
            tick().await;
        }
    });
    assert_eq!(p.slots(), ["a"]);
    assert!(p.stored_in("WaitingOnTick").is_empty());
}

#[test]
fn a_tail_construct_needs_no_join() {
    // Nothing of the body follows the `if`: each branch's arm returns itself.
    let p = prepared(quote! {
        async fn example(min_len: usize) -> String {
            let content = read("foo.txt").await;
            if content.len() < min_len { content + &read("bar.txt").await } else { content }
        }
    });
    assert_eq!(
        p.state_names(),
        ["Start", "WaitingOnRead", "WaitingOnRead2"]
    );
}

/// The function a runner attribute gets (`#[tokio::main]` and the like)
/// and the machine nested in it.
fn runner_expansion(item: proc_macro2::TokenStream) -> (syn::ItemFn, syn::ItemFn) {
    let out = explicit_async_transform::expand(quote!(), item);
    let file: syn::File = syn::parse2(out).expect("an item");
    let syn::Item::Fn(outer) = &file.items[0] else {
        panic!("a fn")
    };
    let inner = outer.block.stmts.iter().find_map(|s| match s {
        syn::Stmt::Item(syn::Item::Fn(f)) => Some(f.clone()),
        _ => None,
    });
    (outer.clone(), inner.expect("the machine, nested"))
}

/// The last segment of each attribute's path.
fn attribute_names(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .map(|a| a.path().segments.last().unwrap().ident.to_string())
        .collect()
}

#[test]
fn a_runner_attribute_keeps_its_async_fn_and_awaits_the_machine() {
    let (outer, inner) = runner_expansion(quote! {
        /// Runs.
        #[tokio::main]
        pub async fn main() {
            tick().await;
        }
    });
    assert!(outer.sig.asyncness.is_some(), "stays async for the runner");
    assert!(attribute_names(&outer.attrs).contains(&"main".to_string()));
    assert!(inner.sig.asyncness.is_none());
    assert_eq!(inner.sig.ident, "main");
}

#[test]
fn an_alias_of_a_runner_attribute_keeps_its_async_fn_too() {
    // tokio's own tests: `use tokio::test as maybe_tokio_test;`.
    let (outer, inner) = runner_expansion(quote! {
        #[maybe_tokio_test]
        async fn joins() {
            tick().await;
        }
    });
    assert!(outer.sig.asyncness.is_some(), "stays async for the runner");
    assert_eq!(attribute_names(&outer.attrs), ["maybe_tokio_test"]);
    assert!(inner.sig.asyncness.is_none());
}

#[test]
fn test_on_an_async_fn_is_an_alias_of_a_runner() {
    // tokio's `use tokio::test; #[test] async fn ..`: the built-in `#[test]`
    // rejects an `async fn`.
    let (outer, inner) = runner_expansion(quote! {
        #[test]
        async fn via_use() {
            tick().await;
        }
    });
    assert!(outer.sig.asyncness.is_some(), "stays async for the runner");
    assert_eq!(attribute_names(&outer.attrs), ["test"]);
    assert!(inner.sig.asyncness.is_none());
}

#[test]
fn a_runner_inside_cfg_attr_keeps_its_async_fn_too() {
    // tokio's `#[cfg_attr(not(target_family = "wasm"), tokio::test(flavor = ..))]`.
    let (outer, inner) = runner_expansion(quote! {
        #[cfg_attr(not(target_family = "wasm"), tokio::test(flavor = "multi_thread"))]
        #[cfg_attr(target_family = "wasm", tokio::test)]
        #[cfg_attr(test, allow(unused))]
        async fn local() {
            tick().await;
        }
    });
    assert!(outer.sig.asyncness.is_some(), "stays async for the runner");
    assert_eq!(
        attribute_names(&outer.attrs),
        ["cfg_attr", "cfg_attr", "cfg_attr"]
    );
    assert!(inner.sig.asyncness.is_none());
    assert_eq!(
        attribute_names(&inner.attrs),
        ["cfg_attr"],
        "not a runner: kept on the machine"
    );
}

#[test]
fn the_test_harness_attributes_stay_with_the_runner() {
    // tokio's `#[tokio::main] #[test] async fn test_block_in_place4()`.
    let (outer, inner) = runner_expansion(quote! {
        #[tokio::main]
        #[test]
        #[should_panic]
        async fn in_place() {
            tick().await;
        }
    });
    assert_eq!(
        attribute_names(&outer.attrs),
        ["main", "test", "should_panic"]
    );
    let inner_names = attribute_names(&inner.attrs);
    assert!(
        !inner_names
            .iter()
            .any(|n| n == "test" || n == "should_panic")
    );
}

#[test]
fn code_a_runner_parses_again_has_no_let_else() {
    // An older runner macro (tokio-macros on syn 1) parses our output again:
    // it must not meet `let … else`, which that parser does not know.
    let out = explicit_async_transform::expand(
        quote!(),
        quote! {
            #[tokio::main]
            pub async fn main() {
                let Some(x) = f().await else { return };
                tick(x).await;
            }
        },
    );
    struct LetElse(usize);
    impl<'a> syn::visit::Visit<'a> for LetElse {
        fn visit_local(&mut self, local: &'a syn::Local) {
            if local.init.as_ref().is_some_and(|i| i.diverge.is_some()) {
                self.0 += 1;
            }
            syn::visit::visit_local(self, local);
        }
    }
    let file: syn::File = syn::parse2(out).expect("an item");
    let syn::Item::Fn(outer) = &file.items[0] else {
        panic!("a fn")
    };
    // The user's own `let … else` stays in the witness (the body as
    // written); the state machine writes none.
    let inner = outer.block.stmts.iter().find_map(|s| match s {
        syn::Stmt::Item(syn::Item::Fn(f)) => Some(f),
        _ => None,
    });
    let stmts = &inner.expect("the inner fn").block.stmts;
    assert!(
        matches!(&stmts[0], syn::Stmt::Expr(syn::Expr::If(_), _)),
        "the witness first"
    );
    let mut count = LetElse(0);
    for stmt in &stmts[1..] {
        syn::visit::Visit::visit_stmt(&mut count, stmt);
    }
    assert_eq!(count.0, 0, "let-else in the state machine");
}

#[test]
fn a_name_before_a_single_equals_in_a_macro_is_not_the_local() {
    // `span!(.., key = key)` (a tracing field), `format!("{key}", key = ..)`:
    // the name stays as written, the value is the local (here in a slot).
    let out = explicit_async_transform::expand(
        quote!(),
        quote! {
            async fn f(key: String) {
                read(&key).await;
                span!("get", key = key, same = key == key);
            }
        },
    )
    .to_string();
    assert!(
        out.contains("key = (") || out.contains("key = key"),
        "{out}"
    );
    assert!(
        !out.contains(")) = ("),
        "the field name was rewritten: {out}"
    );
}
