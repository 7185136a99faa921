//! `#[cfg(..)]` inside the body (tokio's `#[cfg(feature = "tracing")] let
//! fut = trace::async_op(move || fut, ..);`). The attribute cannot know
//! which of those statements the build keeps, and a local that may or may
//! not be declared cannot be renamed, stored in a state or dropped by the
//! machine. So the function is expanded once for each combination of the
//! options its body's `cfg`s name, each copy with that combination's
//! statements (match arms, struct fields) only, and each under an
//! item-level `#[cfg(..)]` of its combination: rustc keeps exactly one.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Attribute, ItemFn, Meta, Token};

/// More options than this (16 copies), and more predicates, are left to
/// the build as written.
const MAX_OPTIONS: usize = 4;

/// A `cfg` predicate over the options it names (`unix`, `feature = "x"`):
/// each by its text, and its tokens as written (their spans).
enum Predicate {
    Option(String, TokenStream),
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
}

impl Predicate {
    fn parse(meta: &Meta) -> syn::Result<Predicate> {
        let nested = |list: &syn::MetaList| -> syn::Result<Vec<Predicate>> {
            list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?
                .iter()
                .map(Predicate::parse)
                .collect()
        };
        Ok(match meta {
            Meta::List(list) if list.path.is_ident("all") => Predicate::All(nested(list)?),
            Meta::List(list) if list.path.is_ident("any") => Predicate::Any(nested(list)?),
            Meta::List(list) if list.path.is_ident("not") => {
                let mut inner = nested(list)?;
                match (inner.pop(), inner.is_empty()) {
                    (Some(one), true) => Predicate::Not(Box::new(one)),
                    _ => return Err(syn::Error::new_spanned(list, "`not` takes one predicate")),
                }
            }
            other => {
                Predicate::Option(other.to_token_stream().to_string(), other.to_token_stream())
            }
        })
    }

    fn options(&self, out: &mut Vec<(String, TokenStream)>) {
        match self {
            Predicate::Option(name, tokens) => {
                if !out.iter().any(|(seen, _)| seen == name) {
                    out.push((name.clone(), tokens.clone()));
                }
            }
            Predicate::All(all) | Predicate::Any(all) => all.iter().for_each(|p| p.options(out)),
            Predicate::Not(inner) => inner.options(out),
        }
    }

    fn holds(&self, set: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Predicate::Option(name, _) => set(name),
            Predicate::All(all) => all.iter().all(|p| p.holds(set)),
            Predicate::Any(any) => any.iter().any(|p| p.holds(set)),
            Predicate::Not(inner) => !inner.holds(set),
        }
    }
}

/// What the copies are made for: each combination of the options the
/// `cfg`s name, or, where those are too many (tokio's `cfg(all(tokio_unstable,
/// feature = "io-uring", feature = "rt", feature = "fs", ..))`), of the
/// `cfg` predicates themselves, each taken as a whole (some combinations
/// then never hold, and rustc keeps none of their copies).
#[derive(Clone, Copy)]
enum Split {
    Options,
    Predicates,
}

/// The predicate of a `#[cfg(..)]` attribute, if `attr` is one: over its
/// options, or as one option of its own.
fn cfg_predicate(attr: &Attribute, split: Split) -> Option<Predicate> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let meta = attr.parse_args::<Meta>().ok()?;
    match split {
        Split::Options => Predicate::parse(&meta).ok(),
        Split::Predicates => {
            let tokens = meta.to_token_stream();
            Some(Predicate::Option(tokens.to_string(), tokens))
        }
    }
}

/// The `cfg`s of a body: the options (or whole predicates) they name,
/// whether there is any, and whether one could not be read.
struct Cfgs {
    split: Split,
    options: Vec<(String, TokenStream)>,
    any: bool,
    unreadable: bool,
}

impl Cfgs {
    fn of(block: &syn::Block, split: Split) -> Cfgs {
        let mut cfgs = Cfgs {
            split,
            options: Vec::new(),
            any: false,
            unreadable: false,
        };
        cfgs.visit_block(block);
        cfgs
    }
}

impl<'a> Visit<'a> for Cfgs {
    fn visit_attribute(&mut self, attr: &'a Attribute) {
        if attr.path().is_ident("cfg") {
            self.any = true;
            match cfg_predicate(attr, self.split) {
                Some(predicate) => predicate.options(&mut self.options),
                None => self.unreadable = true,
            }
        }
    }
}

/// The copies of `item` to expand, each with the `cfg` predicate that
/// keeps it (none if the body's `cfg`s name no option: `cfg(any())`), or
/// `None` if its body has no `#[cfg(..)]` (or one it cannot read, or too
/// many options to split on).
pub fn split(item: &TokenStream) -> Option<Vec<(Option<TokenStream>, TokenStream)>> {
    let function = syn::parse2::<ItemFn>(item.clone()).ok()?;
    let found = [Split::Options, Split::Predicates]
        .into_iter()
        .map(|split| Cfgs::of(&function.block, split))
        .find(|found| found.options.len() <= MAX_OPTIONS)?;
    if !found.any || found.unreadable {
        return None;
    }
    let (split, options) = (found.split, found.options);
    let copies =
        (0..1usize << options.len())
            .map(|bits| {
                let set = |name: &str| {
                    let at = options.iter().position(|(o, _)| o == name);
                    at.is_some_and(|at| bits & (1 << at) != 0)
                };
                let mut copy = function.clone();
                Resolve(&set, split).visit_block_mut(&mut copy.block);
                let each = options.iter().enumerate().map(|(at, (_, option))| {
                    match bits & (1 << at) != 0 {
                        true => quote!(#option),
                        false => quote!(not(#option)),
                    }
                });
                let predicate = (!options.is_empty()).then(|| quote!(all(#(#each),*)));
                (predicate, copy.into_token_stream())
            })
            .collect();
    Some(copies)
}

/// Keeps what a combination's `cfg`s keep, without their attributes.
struct Resolve<'s>(&'s dyn Fn(&str) -> bool, Split);

impl Resolve<'_> {
    /// Does the build of this combination keep what `attrs` is on? Strips
    /// its `cfg` attributes.
    fn keeps(&self, attrs: &mut Vec<Attribute>) -> bool {
        let kept = attrs
            .iter()
            .filter_map(|attr| cfg_predicate(attr, self.1))
            .all(|predicate| predicate.holds(self.0));
        attrs.retain(|a| !a.path().is_ident("cfg"));
        kept
    }
}

impl VisitMut for Resolve<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|stmt| match stmt {
            syn::Stmt::Local(local) => self.keeps(&mut local.attrs),
            syn::Stmt::Item(item) => match item_attrs(item) {
                Some(attrs) => self.keeps(attrs),
                None => true,
            },
            syn::Stmt::Expr(expr, _) => match expr_attrs(expr) {
                Some(attrs) => self.keeps(attrs),
                None => true,
            },
            syn::Stmt::Macro(m) => self.keeps(&mut m.attrs),
        });
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        m.arms.retain_mut(|arm| self.keeps(&mut arm.attrs));
        syn::visit_mut::visit_expr_match_mut(self, m);
    }

    fn visit_expr_struct_mut(&mut self, s: &mut syn::ExprStruct) {
        let fields = std::mem::take(&mut s.fields);
        s.fields = fields
            .into_pairs()
            .filter_map(|pair| {
                let (mut field, comma) = pair.into_tuple();
                self.keeps(&mut field.attrs).then(|| match comma {
                    Some(comma) => syn::punctuated::Pair::Punctuated(field, comma),
                    None => syn::punctuated::Pair::End(field),
                })
            })
            .collect();
        syn::visit_mut::visit_expr_struct_mut(self, s);
    }
}

/// The attributes of a statement's item (`#[cfg(..)] use ..;`).
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The outer attributes of an expression statement (`#[cfg(..)] f();`).
fn expr_attrs(expr: &mut syn::Expr) -> Option<&mut Vec<Attribute>> {
    use syn::Expr::*;
    Some(match expr {
        Call(e) => &mut e.attrs,
        MethodCall(e) => &mut e.attrs,
        Macro(e) => &mut e.attrs,
        Block(e) => &mut e.attrs,
        If(e) => &mut e.attrs,
        Match(e) => &mut e.attrs,
        Assign(e) => &mut e.attrs,
        Binary(e) => &mut e.attrs,
        Await(e) => &mut e.attrs,
        ForLoop(e) => &mut e.attrs,
        Loop(e) => &mut e.attrs,
        While(e) => &mut e.attrs,
        Path(e) => &mut e.attrs,
        Return(e) => &mut e.attrs,
        Unsafe(e) => &mut e.attrs,
        Try(e) => &mut e.attrs,
        Field(e) => &mut e.attrs,
        Unary(e) => &mut e.attrs,
        Tuple(e) => &mut e.attrs,
        Array(e) => &mut e.attrs,
        Reference(e) => &mut e.attrs,
        Index(e) => &mut e.attrs,
        Paren(e) => &mut e.attrs,
        Closure(e) => &mut e.attrs,
        Async(e) => &mut e.attrs,
        Lit(e) => &mut e.attrs,
        Cast(e) => &mut e.attrs,
        Break(e) => &mut e.attrs,
        Continue(e) => &mut e.attrs,
        Struct(e) => &mut e.attrs,
        _ => return None,
    })
}
