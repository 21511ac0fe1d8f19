//! `imagetag sort`: names in order, grouped by repository and track.

use std::process::ExitCode;

use imagetag::Catalog;

use crate::input;

/// Print names in order, one per line: grouped by repository and track
/// (`cuda12.1` before `cuda12.4`), then along each track by version and
/// revision (`r9` before `r10`); a standard alias right after the revision
/// it stands for. Duplicates are printed once. Invalid names are reported
/// on stderr and make the exit code 1.
///
/// Example: imagetag sort quay.io/vessl-ai/python:3.10-r10 quay.io/vessl-ai/python:3.10-r9
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Read full names from FILE (`-` for stdin) instead of NAMEs.
    #[arg(long, value_name = "FILE", conflicts_with = "names")]
    tags: Option<String>,
    /// Full names to sort.
    names: Vec<String>,
}

/// Runs `imagetag sort`.
pub fn run(args: Args) -> ExitCode {
    let lines = match &args.tags {
        Some(path) => match input::tag_list(path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("imagetag sort: {e}");
                return ExitCode::from(2);
            }
        },
        None => args.names,
    };
    let (catalog, errors) = Catalog::from_names_lossy(&lines);
    for e in &errors {
        eprintln!("imagetag sort: skipping: {e}");
    }
    let mut out = String::new();
    for img in catalog.sorted() {
        out.push_str(&img.to_string());
        out.push('\n');
    }
    print!("{out}");
    ExitCode::from(if errors.is_empty() { 0 } else { 1 })
}
