//! `imagetag latest` (placeholder: being written).

use std::process::ExitCode;

/// (being written)
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Names.
    names: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    eprintln!(
        "imagetag latest: not yet implemented ({} names)",
        args.names.len()
    );
    ExitCode::from(2)
}
