//! The delay-server demo: `cargo run --release -p expand-examples -- --help`.

use expand_examples::demo::{self, args};
use std::process::ExitCode;

fn main() -> ExitCode {
    let command = match args::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("expand-examples: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    match command {
        args::Command::Help => {
            println!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        args::Command::Serve(addr) => match demo::server::serve_forever(addr) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("expand-examples: {error}");
                ExitCode::FAILURE
            }
        },
        args::Command::Run(config) => match demo::run(&config, true) {
            Ok(summary) => {
                println!("{summary}");
                if summary.all_succeeded() {
                    ExitCode::SUCCESS
                } else {
                    eprintln!(
                        "expand-examples: {} of {} requests failed",
                        summary.requests - summary.successes,
                        summary.requests
                    );
                    if summary
                        .failures
                        .iter()
                        .any(|failure| failure.contains("os error 24"))
                    {
                        eprintln!(
                            "expand-examples: out of file descriptors: raise the limit (ulimit -n) or lower -n"
                        );
                    }
                    ExitCode::FAILURE
                }
            }
            Err(message) => {
                eprintln!("expand-examples: {message}");
                ExitCode::FAILURE
            }
        },
    }
}
