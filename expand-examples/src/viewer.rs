//! The expansion viewer: finds the `#[explicit_async]` fns of a source file,
//! runs the transform on them (the same library the attribute macro calls,
//! so no compiler and no nightly are needed) and prints the result with
//! `prettyplease`, or draws their state graphs as Graphviz DOT or Mermaid.

use explicit_async_transform::StateGraph;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::fmt;
use syn::parse::{Parse, ParseStream};

/// What can go wrong when viewing a file. Every variant is the user's to
/// fix, and its `Display` says how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewError {
    /// The file is not valid Rust.
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// No fn in the file carries `#[explicit_async]`.
    NoAnnotatedFn,
    /// `--fn NAME` names no annotated fn; `available` lists those there are.
    UnknownFn {
        name: String,
        available: Vec<String>,
    },
    /// The macro rejected a fn (its `compile_error!`).
    Rejected {
        function: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The attribute is written in a form an attribute macro cannot take.
    BadAttribute {
        function: String,
        line: usize,
        column: usize,
    },
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewError::Parse {
                line,
                column,
                message,
            } => {
                write!(f, "{line}:{column}: cannot parse the file: {message}")
            }
            ViewError::NoAnnotatedFn => {
                write!(f, "no fn in this file is annotated with #[explicit_async]")
            }
            ViewError::UnknownFn { name, available } => write!(
                f,
                "no #[explicit_async] fn named `{name}` in this file (annotated fns: {})",
                available.join(", ")
            ),
            ViewError::Rejected {
                function,
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "{line}:{column}: #[explicit_async] rejects `{function}`: {message}"
                )
            }
            ViewError::BadAttribute {
                function,
                line,
                column,
            } => write!(
                f,
                "{line}:{column}: `{function}`: write the attribute as #[explicit_async] or \
                 #[explicit_async(options)]"
            ),
        }
    }
}

impl ViewError {
    /// Whether the message starts with `line:column: `.
    pub fn has_location(&self) -> bool {
        matches!(
            self,
            ViewError::Parse { .. } | ViewError::Rejected { .. } | ViewError::BadAttribute { .. }
        )
    }
}

impl std::error::Error for ViewError {}

/// The whole file, every annotated fn replaced by its expansion.
pub fn expand_source(source: &str) -> Result<String, ViewError> {
    let mut file = parse_file(source)?;
    let mut expanded = 0;
    expand_items(&mut file.items, &mut expanded)?;
    if expanded == 0 {
        return Err(ViewError::NoAnnotatedFn);
    }
    Ok(prettyplease::unparse(&file))
}

/// The expansion of the annotated fns named `name` (a method may also be
/// named `Type::name`), each inside its `impl` or `trait` block if it has one.
pub fn expand_function(source: &str, name: &str) -> Result<String, ViewError> {
    let file = parse_file(source)?;
    let mut items = Vec::new();
    for annotated in select(&file, Some(name))? {
        match annotated.expand()? {
            Expansion::Items(expanded) => items.extend(expanded),
            Expansion::Impl(block) => items.push(syn::Item::Impl(block)),
            Expansion::Trait(block) => items.push(syn::Item::Trait(block)),
        }
    }
    Ok(prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }))
}

/// The state graphs of the annotated fns (all, or those named `name`).
pub fn state_graphs(source: &str, name: Option<&str>) -> Result<Vec<StateGraph>, ViewError> {
    let file = parse_file(source)?;
    select(&file, name)?
        .iter()
        .map(|annotated| {
            explicit_async_transform::state_graph(annotated.args.clone(), annotated.item.clone())
                .map_err(|error| annotated.rejected(error.span(), error.to_string()))
        })
        .collect()
}

/// The graphs in Graphviz DOT (`dot -Tsvg`): one node per state, one edge
/// per transition, labelled with the await or return that takes it.
pub fn to_dot(graphs: &[StateGraph]) -> String {
    let mut out = String::new();
    let single = graphs.len() == 1;
    let name = if single {
        graphs[0].function.as_str()
    } else {
        "state_machines"
    };
    out.push_str(&format!("digraph {} {{\n", dot_quote(name)));
    out.push_str("    node [shape=box, style=rounded, fontname=\"monospace\"];\n");
    out.push_str("    edge [fontname=\"monospace\", fontsize=10];\n");
    for graph in graphs {
        let indent = if single { "    " } else { "        " };
        let id = |state: &str| {
            if single {
                dot_quote(state)
            } else {
                dot_quote(&format!("{}::{state}", graph.function))
            }
        };
        if !single {
            out.push_str(&format!(
                "    subgraph {} {{\n",
                dot_quote(&format!("cluster_{}", graph.function))
            ));
            out.push_str(&format!("        label={};\n", dot_quote(&graph.function)));
        }
        for state in &graph.states {
            let shape = if state == "Done" {
                ", peripheries=2"
            } else {
                ""
            };
            out.push_str(&format!(
                "{indent}{} [label={}{shape}];\n",
                id(state),
                dot_quote(state)
            ));
        }
        for edge in &graph.edges {
            out.push_str(&format!(
                "{indent}{} -> {} [label={}];\n",
                id(&edge.from),
                id(&edge.to),
                dot_quote(&edge.label)
            ));
        }
        if !single {
            out.push_str("    }\n");
        }
    }
    out.push_str("}\n");
    out
}

/// The graphs as a Mermaid state diagram (renders on GitHub in a
/// ```` ```mermaid ```` block).
pub fn to_mermaid(graphs: &[StateGraph]) -> String {
    let mut out = String::from("stateDiagram-v2\n    direction TB\n");
    let single = graphs.len() == 1;
    for graph in graphs {
        let indent = if single { "    " } else { "        " };
        let id = |state: &str| {
            if single {
                state.to_owned()
            } else {
                format!("{}__{state}", graph.function)
            }
        };
        if !single {
            out.push_str(&format!(
                "    state \"{}\" as {} {{\n",
                graph.function, graph.function
            ));
            for state in &graph.states {
                out.push_str(&format!("{indent}state \"{state}\" as {}\n", id(state)));
            }
        }
        if let Some(first) = graph.states.first() {
            out.push_str(&format!("{indent}[*] --> {}\n", id(first)));
        }
        for edge in &graph.edges {
            out.push_str(&format!(
                "{indent}{} --> {}: {}\n",
                id(&edge.from),
                id(&edge.to),
                mermaid_label(&edge.label)
            ));
        }
        if graph.states.iter().any(|state| state == "Done") {
            out.push_str(&format!("{indent}{} --> [*]\n", id("Done")));
        }
        if !single {
            out.push_str("    }\n");
        }
    }
    out
}

fn dot_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Mermaid ends a label at a newline or `;` and reads `#…;` as an entity.
fn mermaid_label(text: &str) -> String {
    let mut label = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => label.push_str("#35;"),
            ';' => label.push_str("#59;"),
            '\n' => label.push(' '),
            c => label.push(c),
        }
    }
    label
}

fn parse_file(source: &str) -> Result<syn::File, ViewError> {
    syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        // Tokenizing fails before parsing starts, with a message about token streams.
        let message = if source.parse::<TokenStream>().is_err() {
            "unbalanced delimiters or an invalid token".to_owned()
        } else {
            error.to_string()
        };
        ViewError::Parse {
            line: start.line,
            column: start.column + 1,
            message,
        }
    })
}

/// Where an annotated fn sits, which decides how its expansion parses.
#[derive(Clone)]
enum Container {
    Free,
    Impl(syn::ItemImpl),
    Trait(syn::ItemTrait),
}

/// An expansion, parsed in its container: for a method, an otherwise empty
/// copy of its `impl` or `trait` block holding the expanded items.
enum Expansion {
    Items(Vec<syn::Item>),
    Impl(syn::ItemImpl),
    Trait(syn::ItemTrait),
}

/// An annotated fn, ready for the transform: the attribute's arguments and
/// the fn without that attribute, as the macro would receive them.
struct Annotated {
    /// `name`, or `Type::name` for a method.
    qualified: String,
    name: String,
    args: TokenStream,
    item: TokenStream,
    container: Container,
}

impl Annotated {
    fn expand(&self) -> Result<Expansion, ViewError> {
        let tokens = explicit_async_transform::expand(self.args.clone(), self.item.clone());
        if let Some((span, message)) = compile_error_in(tokens.clone()) {
            return Err(self.rejected(span, message));
        }
        let expansion = match &self.container {
            Container::Free => {
                syn::parse2::<syn::File>(tokens).map(|file| Expansion::Items(file.items))
            }
            Container::Impl(block) => syn::parse2::<Many<syn::ImplItem>>(tokens).map(|many| {
                Expansion::Impl(syn::ItemImpl {
                    items: many.0,
                    ..block.clone()
                })
            }),
            Container::Trait(block) => syn::parse2::<Many<syn::TraitItem>>(tokens).map(|many| {
                Expansion::Trait(syn::ItemTrait {
                    items: many.0,
                    ..block.clone()
                })
            }),
        }
        .map_err(|error| {
            self.rejected(
                error.span(),
                format!("the expansion does not parse: {error}"),
            )
        })?;
        Ok(expansion)
    }

    fn rejected(&self, span: Span, message: String) -> ViewError {
        let start = span.start();
        ViewError::Rejected {
            function: self.qualified.clone(),
            line: start.line,
            column: start.column + 1,
            message,
        }
    }
}

/// Items of one kind up to the end of the input.
struct Many<T>(Vec<T>);

impl<T: Parse> Parse for Many<T> {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(Many(items))
    }
}

/// The first `compile_error!("…")` anywhere in an expansion (at item level
/// or deep in the body): how the macro rejects a fn.
fn compile_error_in(tokens: TokenStream) -> Option<(Span, String)> {
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                let Some(TokenTree::Punct(bang)) = trees.peek() else {
                    continue;
                };
                if bang.as_char() != '!' {
                    continue;
                }
                trees.next();
                if let Some(TokenTree::Group(arguments)) = trees.next() {
                    let message = syn::parse2::<syn::LitStr>(arguments.stream())
                        .map(|literal| literal.value())
                        .unwrap_or_else(|_| arguments.stream().to_string());
                    return Some((ident.span(), message));
                }
            }
            TokenTree::Group(group) => {
                if let Some(found) = compile_error_in(group.stream()) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_explicit_async(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "explicit_async")
}

/// If `attrs` carry `#[explicit_async]`: the fn as the macro receives it
/// (`rebuild` puts it back together without that attribute).
fn annotate<T: ToTokens>(
    attrs: &[syn::Attribute],
    name: &syn::Ident,
    qualifier: Option<&str>,
    container: &Container,
    rebuild: impl FnOnce(Vec<syn::Attribute>) -> T,
) -> Result<Option<Annotated>, ViewError> {
    let Some(position) = attrs.iter().position(is_explicit_async) else {
        return Ok(None);
    };
    let name = name.to_string();
    let qualified = match qualifier {
        Some(qualifier) => format!("{qualifier}::{name}"),
        None => name.clone(),
    };
    let args = match &attrs[position].meta {
        syn::Meta::Path(_) => TokenStream::new(),
        syn::Meta::List(list) => list.tokens.clone(),
        syn::Meta::NameValue(value) => {
            let start = value.eq_token.span.start();
            return Err(ViewError::BadAttribute {
                function: qualified,
                line: start.line,
                column: start.column + 1,
            });
        }
    };
    let mut rest = attrs.to_vec();
    rest.remove(position);
    let item = rebuild(rest).to_token_stream();
    Ok(Some(Annotated {
        qualified,
        name,
        args,
        item,
        container: container.clone(),
    }))
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(String::new, |segment| segment.ident.to_string()),
        other => other.to_token_stream().to_string(),
    }
}

fn annotate_impl_fn(
    block: &syn::ItemImpl,
    function: &syn::ImplItemFn,
) -> Result<Option<Annotated>, ViewError> {
    let container = Container::Impl(syn::ItemImpl {
        items: Vec::new(),
        ..block.clone()
    });
    annotate(
        &function.attrs,
        &function.sig.ident,
        Some(&type_name(&block.self_ty)),
        &container,
        |attrs| syn::ImplItemFn {
            attrs,
            ..function.clone()
        },
    )
}

fn annotate_trait_fn(
    block: &syn::ItemTrait,
    function: &syn::TraitItemFn,
) -> Result<Option<Annotated>, ViewError> {
    let container = Container::Trait(syn::ItemTrait {
        items: Vec::new(),
        ..block.clone()
    });
    annotate(
        &function.attrs,
        &function.sig.ident,
        Some(&block.ident.to_string()),
        &container,
        |attrs| syn::TraitItemFn {
            attrs,
            ..function.clone()
        },
    )
}

fn annotate_free_fn(function: &syn::ItemFn) -> Result<Option<Annotated>, ViewError> {
    annotate(
        &function.attrs,
        &function.sig.ident,
        None,
        &Container::Free,
        |attrs| syn::ItemFn {
            attrs,
            ..function.clone()
        },
    )
}

/// Every annotated fn, in source order (descending into inline modules).
fn annotated_fns(items: &[syn::Item], found: &mut Vec<Annotated>) -> Result<(), ViewError> {
    for item in items {
        match item {
            syn::Item::Fn(function) => found.extend(annotate_free_fn(function)?),
            syn::Item::Impl(block) => {
                for inner in &block.items {
                    if let syn::ImplItem::Fn(function) = inner {
                        found.extend(annotate_impl_fn(block, function)?);
                    }
                }
            }
            syn::Item::Trait(block) => {
                for inner in &block.items {
                    if let syn::TraitItem::Fn(function) = inner {
                        found.extend(annotate_trait_fn(block, function)?);
                    }
                }
            }
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => annotated_fns(inner, found)?,
            _ => {}
        }
    }
    Ok(())
}

/// The annotated fns named `name` (or all of them), at least one.
fn select(file: &syn::File, name: Option<&str>) -> Result<Vec<Annotated>, ViewError> {
    let mut all = Vec::new();
    annotated_fns(&file.items, &mut all)?;
    if all.is_empty() {
        return Err(ViewError::NoAnnotatedFn);
    }
    let Some(name) = name else {
        return Ok(all);
    };
    let available: Vec<String> = all
        .iter()
        .map(|annotated| annotated.qualified.clone())
        .collect();
    let found: Vec<Annotated> = all
        .into_iter()
        .filter(|annotated| annotated.name == name || annotated.qualified == name)
        .collect();
    if found.is_empty() {
        return Err(ViewError::UnknownFn {
            name: name.to_owned(),
            available,
        });
    }
    Ok(found)
}

/// Replaces every annotated fn in `items` (and in inline modules, impl and
/// trait blocks) by its expansion, counting them in `expanded`.
fn expand_items(items: &mut Vec<syn::Item>, expanded: &mut usize) -> Result<(), ViewError> {
    let mut out = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        match &mut item {
            syn::Item::Fn(function) => {
                if let Some(annotated) = annotate_free_fn(function)? {
                    *expanded += 1;
                    if let Expansion::Items(expansion) = annotated.expand()? {
                        out.extend(expansion);
                    }
                    continue;
                }
            }
            syn::Item::Impl(block) => {
                let mut new_items = Vec::with_capacity(block.items.len());
                for inner in &block.items {
                    let annotated = match inner {
                        syn::ImplItem::Fn(function) => annotate_impl_fn(block, function)?,
                        _ => None,
                    };
                    match annotated {
                        Some(annotated) => {
                            *expanded += 1;
                            if let Expansion::Impl(expansion) = annotated.expand()? {
                                new_items.extend(expansion.items);
                            }
                        }
                        None => new_items.push(inner.clone()),
                    }
                }
                block.items = new_items;
            }
            syn::Item::Trait(block) => {
                let mut new_items = Vec::with_capacity(block.items.len());
                for inner in &block.items {
                    let annotated = match inner {
                        syn::TraitItem::Fn(function) => annotate_trait_fn(block, function)?,
                        _ => None,
                    };
                    match annotated {
                        Some(annotated) => {
                            *expanded += 1;
                            if let Expansion::Trait(expansion) = annotated.expand()? {
                                new_items.extend(expansion.items);
                            }
                        }
                        None => new_items.push(inner.clone()),
                    }
                }
                block.items = new_items;
            }
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => expand_items(inner, expanded)?,
            _ => {}
        }
        out.push(item);
    }
    *items = out;
    Ok(())
}
