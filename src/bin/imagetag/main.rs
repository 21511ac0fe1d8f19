//! `imagetag`: read, check, order and resolve container image names.
//!
//! Each subcommand is a file of its own, a thin layer over the library: read
//! the input, call the library, print in the asked format. Exit codes: 0
//! success, 1 when an input is invalid or cannot be resolved, 2 for a usage
//! error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod compare;
mod config;
mod explain;
mod files;
mod input;
mod latest;
mod manual;
mod outdated;
mod pin;
mod resolve;
mod sarif;
mod sort;
mod source;
mod tags;

/// Read, check, order and resolve the names of AI container images
/// (OCI/Docker references, TWCC, NGC and VESSL tags).
#[derive(Parser, Debug)]
#[command(name = "imagetag", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Explain(explain::Args),
    Compare(compare::Args),
    Resolve(resolve::Args),
    Latest(latest::Args),
    Sort(sort::Args),
    Tags(tags::Args),
    Check(check::Args),
    Pin(pin::Args),
    Outdated(outdated::Args),
    Update(outdated::UpdateArgs),
    Completions(manual::CompletionsArgs),
    Man(manual::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Explain(a) => explain::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Resolve(a) => resolve::run(a),
        Command::Latest(a) => latest::run(a),
        Command::Sort(a) => sort::run(a),
        Command::Tags(a) => tags::run(a),
        Command::Check(a) => check::run(a),
        Command::Pin(a) => pin::run(a),
        Command::Outdated(a) => outdated::run(a),
        Command::Update(a) => outdated::update(a),
        Command::Completions(a) => manual::completions(a),
        Command::Man(a) => manual::man(a),
    }
}
