//! The viewer: which fns it finds, the errors it reports, the graph formats,
//! and the `expand` binary's exit codes.

use expand_examples::viewer::{self, ViewError};
use explicit_async_transform::{Edge, StateGraph};
use std::process::Command;

const SOURCE: &str = r#"
use explicit_async::explicit_async;

fn plain() {}

#[explicit_async]
async fn free(x: u32) -> u32 {
    x
}

struct Counter(u32);

impl Counter {
    fn untouched(&self) {}

    #[explicit_async]
    async fn bump(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

mod inner {
    #[explicit_async::explicit_async]
    pub async fn nested() {}
}
"#;

#[test]
fn the_whole_file_keeps_its_other_items() {
    let expanded = viewer::expand_source(SOURCE).unwrap();
    for kept in [
        "fn plain()",
        "struct Counter",
        "fn untouched(&self)",
        "mod inner",
    ] {
        assert!(expanded.contains(kept), "{kept} missing from:\n{expanded}");
    }
    assert!(
        !expanded.contains("#[explicit_async"),
        "the attribute is consumed:\n{expanded}"
    );
}

#[test]
fn one_fn_is_shown_in_its_impl_block() {
    let expanded = viewer::expand_function(SOURCE, "bump").unwrap();
    assert!(expanded.starts_with("impl Counter {"), "{expanded}");
    assert!(!expanded.contains("untouched"), "{expanded}");
    assert_eq!(
        viewer::expand_function(SOURCE, "Counter::bump").unwrap(),
        expanded
    );
    assert!(
        viewer::expand_function(SOURCE, "nested")
            .unwrap()
            .contains("fn nested")
    );
}

#[test]
fn graphs_cover_every_annotated_fn() {
    let graphs = viewer::state_graphs(SOURCE, None).unwrap();
    let names: Vec<&str> = graphs.iter().map(|graph| graph.function.as_str()).collect();
    assert_eq!(names, ["free", "bump", "nested"]);
    assert_eq!(viewer::state_graphs(SOURCE, Some("free")).unwrap().len(), 1);
}

#[test]
fn errors_say_what_is_wrong() {
    assert_eq!(
        viewer::expand_source("fn main() {}"),
        Err(ViewError::NoAnnotatedFn)
    );
    let unknown = viewer::expand_function(SOURCE, "missing").unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "no #[explicit_async] fn named `missing` in this file (annotated fns: free, Counter::bump, nested)"
    );
    let Err(ViewError::Parse { line, column, .. }) =
        viewer::expand_source("fn a() {}\nfn b() { let = 1; }\n")
    else {
        panic!("a syntax error is a parse error");
    };
    assert_eq!((line, column), (2, 14));
    let unbalanced = viewer::expand_source("fn a( {}\n").unwrap_err();
    assert!(
        unbalanced
            .to_string()
            .starts_with("1:5: cannot parse the file: unbalanced"),
        "{unbalanced}"
    );
    let rejected = viewer::expand_source("use x::explicit_async;\n#[explicit_async]\nfn f() {}\n")
        .unwrap_err();
    assert!(
        matches!(&rejected, ViewError::Rejected { function, line: 3, message, .. }
            if function == "f" && message.contains("is not async")),
        "{rejected:?}"
    );
    let bad_attribute =
        viewer::expand_source("#[explicit_async = 1]\nasync fn f() {}\n").unwrap_err();
    assert!(
        matches!(bad_attribute, ViewError::BadAttribute { line: 1, .. }),
        "{bad_attribute:?}"
    );
}

fn textbook_graph() -> StateGraph {
    let edge = |from: &str, to: &str, label: &str| Edge {
        from: from.into(),
        to: to.into(),
        label: label.into(),
    };
    StateGraph {
        function: "example".into(),
        machine: "Example".into(),
        states: ["Start", "WaitingOnFooTxt", "WaitingOnBarTxt", "Done"]
            .map(String::from)
            .to_vec(),
        edges: vec![
            edge(
                "Start",
                "WaitingOnFooTxt",
                r#"async_read_file("foo.txt").await"#,
            ),
            edge(
                "WaitingOnFooTxt",
                "WaitingOnBarTxt",
                r#"async_read_file("bar.txt").await"#,
            ),
            edge("WaitingOnFooTxt", "Done", "return"),
            edge("WaitingOnBarTxt", "Done", "return"),
        ],
    }
}

#[test]
fn dot_quotes_labels() {
    let dot = viewer::to_dot(&[textbook_graph()]);
    assert!(dot.starts_with("digraph \"example\" {\n"), "{dot}");
    assert!(
        dot.contains(
            r#""Start" -> "WaitingOnFooTxt" [label="async_read_file(\"foo.txt\").await"];"#
        ),
        "{dot}"
    );
    assert!(
        dot.contains(r#""Done" [label="Done", peripheries=2];"#),
        "{dot}"
    );
    let mut other = textbook_graph();
    other.function = "other".into();
    let both = viewer::to_dot(&[textbook_graph(), other]);
    assert!(both.contains(r#"subgraph "cluster_other" {"#), "{both}");
    assert!(
        both.contains(r#""other::Start" -> "other::WaitingOnFooTxt""#),
        "{both}"
    );
}

#[test]
fn mermaid_escapes_what_ends_a_label() {
    let mut graph = textbook_graph();
    graph.edges[0].label = "f(#x; y).await".into();
    let mermaid = viewer::to_mermaid(&[graph]);
    assert!(mermaid.starts_with("stateDiagram-v2\n"), "{mermaid}");
    assert!(mermaid.contains("    [*] --> Start\n"), "{mermaid}");
    assert!(
        mermaid.contains("    Start --> WaitingOnFooTxt: f(#35;x#59; y).await\n"),
        "{mermaid}"
    );
    assert!(mermaid.contains("    Done --> [*]\n"), "{mermaid}");
}

fn expand_bin(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_expand"))
        .args(args)
        .output()
        .expect("expand runs");
    (
        output
            .status
            .code()
            .expect("exited normally, not by a signal"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_binary_prints_expansions_and_graphs() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/src/examples/method.rs");
    let (code, stdout, _) = expand_bin(&[file, "--fn", "get"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("impl FileCache {"), "{stdout}");
    let (code, stdout, _) = expand_bin(&[file, "--graph", "dot"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("digraph"), "{stdout}");
}

#[test]
fn the_binary_fails_cleanly() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/src/examples/method.rs");
    let not_annotated = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sim.rs");
    let cases: [(&[&str], i32, &str); 6] = [
        (&["no/such/file.rs"], 1, "cannot read no/such/file.rs"),
        (&[not_annotated], 1, "no fn in this file is annotated"),
        (
            &[example, "--fn", "nope"],
            1,
            "no #[explicit_async] fn named `nope`",
        ),
        (
            &[example, "--graph", "png"],
            2,
            "unknown graph format `png`",
        ),
        (&["--frobnicate"], 2, "unknown option `--frobnicate`"),
        (&[], 2, "no file given"),
    ];
    for (args, expected_code, expected_message) in cases {
        let (code, _, stderr) = expand_bin(args);
        assert_eq!(code, expected_code, "{args:?}: {stderr}");
        assert!(stderr.contains(expected_message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
