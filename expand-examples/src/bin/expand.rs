//! `expand`: shows what `#[explicit_async]` makes of the fns in a file,
//! without nightly and without cargo-expand.
//!
//! ```text
//! cargo run -p expand-examples --bin expand -- FILE.rs [--fn NAME] [--graph dot|mermaid]
//! ```

use expand_examples::viewer;
use std::process::ExitCode;

const USAGE: &str = "\
usage: expand FILE.rs [--fn NAME] [--graph dot|mermaid]

Prints FILE.rs with every #[explicit_async] fn replaced by its expansion
(formatted with prettyplease), or the state graphs of those fns.

options:
  --fn NAME          only this fn (a method may be written Type::name)
  --graph dot        the state graph in Graphviz DOT (render: dot -Tsvg)
  --graph mermaid    the state graph as a Mermaid state diagram
  -h, --help         this text";

#[derive(Clone, Copy)]
enum Graph {
    Dot,
    Mermaid,
}

struct Options {
    file: String,
    function: Option<String>,
    graph: Option<Graph>,
}

/// `Ok(None)`: `--help` was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut file = None;
    let mut function = None;
    let mut graph = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--fn" => {
                function = Some(args.next().ok_or("--fn needs a fn name")?);
            }
            "--graph" => {
                graph = Some(match args.next().as_deref() {
                    Some("dot") => Graph::Dot,
                    Some("mermaid") => Graph::Mermaid,
                    Some(other) => {
                        return Err(format!(
                            "unknown graph format `{other}` (use dot or mermaid)"
                        ));
                    }
                    None => return Err("--graph needs a format: dot or mermaid".into()),
                });
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option `{flag}`"));
            }
            path => {
                if file.is_some() {
                    return Err(format!("one file at a time (got a second one: `{path}`)"));
                }
                file = Some(path.to_owned());
            }
        }
    }
    let file = file.ok_or("no file given")?;
    Ok(Some(Options {
        file,
        function,
        graph,
    }))
}

fn run(options: &Options) -> Result<String, String> {
    let source = std::fs::read_to_string(&options.file)
        .map_err(|error| format!("cannot read {}: {error}", options.file))?;
    // `file:line:column: message`, as compilers print it, where there is a line.
    let with_location = |error: viewer::ViewError| {
        let separator = if error.has_location() { ":" } else { ": " };
        format!("{}{separator}{error}", options.file)
    };
    match options.graph {
        None => match &options.function {
            None => viewer::expand_source(&source),
            Some(name) => viewer::expand_function(&source, name),
        }
        .map_err(with_location),
        Some(format) => {
            let graphs = viewer::state_graphs(&source, options.function.as_deref())
                .map_err(with_location)?;
            Ok(match format {
                Graph::Dot => viewer::to_dot(&graphs),
                Graph::Mermaid => viewer::to_mermaid(&graphs),
            })
        }
    }
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("expand: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("expand: {message}");
            ExitCode::FAILURE
        }
    }
}
