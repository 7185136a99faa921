//! The transform never panics: whatever the input, it returns code or a
//! `compile_error!`. Every prefix of a set of real functions is fed to it
//! (almost all of them malformed), as are some hand-picked oddities.

use explicit_async_transform::expand;
use proc_macro2::{Group, TokenStream, TokenTree};
use quote::quote;

/// Every prefix of the tokens, cut after any leaf token, inside groups too
/// (a cut group is closed where it was cut).
fn prefixes(source: &str) -> Vec<TokenStream> {
    let tokens: TokenStream = source.parse().expect("valid tokens");
    let leaves = count_leaves(&tokens);
    (0..=leaves)
        .map(|n| truncate(&tokens, &mut { n }))
        .collect()
}

fn count_leaves(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => 1 + count_leaves(&g.stream()),
            _ => 1,
        })
        .sum()
}

fn truncate(tokens: &TokenStream, budget: &mut usize) -> TokenStream {
    let mut out = Vec::new();
    for tt in tokens.clone() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        out.push(match tt {
            TokenTree::Group(g) => {
                TokenTree::Group(Group::new(g.delimiter(), truncate(&g.stream(), budget)))
            }
            other => other,
        });
    }
    out.into_iter().collect()
}

fn assert_no_internal_error(args: TokenStream, item: TokenStream) {
    let out = expand(args, item.clone()).to_string();
    assert!(!out.contains("internal error"), "internal error on: {item}");
}

#[test]
fn every_prefix_of_real_functions() {
    let sources = [
        r#"async fn example(min_len: usize) -> String {
            let content = async_read_file("foo.txt").await;
            if content.len() < min_len { content + &async_read_file("bar.txt").await } else { content }
        }"#,
        r#"async fn drain(mut q: Queue, limit: usize) -> Result<Vec<u32>, Error> {
            let mut out = Vec::new();
            'outer: for round in 0..3 {
                while let Some(x) = q.next().await {
                    if x == 0 { continue 'outer; }
                    let y = check(x).await?;
                    out.push(y + round);
                    if out.len() >= limit { break 'outer; }
                }
            }
            Ok(out)
        }"#,
        r#"async fn m(&mut self, (a, b): (u32, u32)) -> u32 {
            let r = match self.get(a).await { Some(v) if v > b => v, _ => loop { break b } };
            println!("{r} {}", f(&D("t"), g().await));
            r
        }"#,
    ];
    for source in sources {
        for item in prefixes(source) {
            assert_no_internal_error(TokenStream::new(), item);
        }
    }
}

#[test]
fn oddities() {
    let items = [
        quote!(),
        quote!(
            struct S;
        ),
        quote!(async fn),
        quote!(async fn f() -> {}),
        quote!(async fn f() { .await }),
        quote!(
            async fn f() {
                x.await.await.await
            }
        ),
        quote!(async fn f() { let = 1; }),
        quote!(
            async fn f() {
                match x.await {}
            }
        ),
        quote!(
            async fn f() {
                loop {
                    break 'nowhere f().await;
                }
            }
        ),
        quote!(
            async fn f() {
                #[state]
                let x = g().await;
            }
        ),
        quote!(
            async fn f() {
                #[state(A, B)]
                let x = g().await;
            }
        ),
        quote!(
            async fn f(...) {}
        ),
        quote!(
            async fn f() {
                let x = || y.await;
            }
        ),
        quote!(
            async fn f() {
                unknown_macro!(x.await)
            }
        ),
        quote!(
            async fn f() -> u32 {
                if let Some(n) = g().await
                    && n > 2
                {
                    n
                } else {
                    0
                }
            }
        ),
        quote!(
            async fn f() -> bool {
                g().await && h() || i().await
            }
        ),
        quote!(
            async fn f() {
                match x {
                    n if g(n).await => {}
                    m if h(m) => {}
                    _ if i().await => {}
                }
            }
        ),
    ];
    for item in items {
        assert_no_internal_error(TokenStream::new(), item);
    }
    for args in [
        quote!(trace),
        quote!(nonsense),
        quote!(trace, trace),
        quote!(= 1),
    ] {
        assert_no_internal_error(
            args,
            quote!(
                async fn f() {
                    g().await
                }
            ),
        );
    }
}
