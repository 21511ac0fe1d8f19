//! `imagetag sort`: names in order, grouped by repository and track.

use std::io::{self, Write};
use std::process::ExitCode;

use imagetag::Catalog;

use crate::input;
use crate::source::RegistryArgs;

/// Print names in order, one per line.
///
/// Names are grouped by repository and track
/// (`cuda12.1` before `cuda12.4`), then along each track by version and
/// revision (`r9` before `r10`); a standard alias right after the revision
/// it stands for. Duplicates are printed once. Invalid names are reported
/// on stderr and make the exit code 1. With `--registry`, the NAMEs are
/// repositories and their tags are read from their registries (exit 1 when
/// one cannot be read); tags of no scheme (`latest` in a VESSL repository)
/// are printed last.
///
/// Example: imagetag sort quay.io/vessl-ai/python:3.10-r10 quay.io/vessl-ai/python:3.10-r9
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Read full names from FILE (`-` for stdin) instead of NAMEs.
    #[arg(long, value_name = "FILE", conflicts_with = "names")]
    tags: Option<String>,
    /// The NAMEs are repositories: sort the tags their registries hold.
    #[arg(long = "registry", id = "from_registry", conflicts_with = "tags")]
    from_registry: bool,
    /// Full names to sort (repositories with `--registry`).
    names: Vec<String>,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is an error.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Runs `imagetag sort`.
pub fn run(args: Args) -> ExitCode {
    let mut skipped = 0;
    let catalog = match &args.tags {
        // Read a line at a time, straight into the catalog.
        Some(path) => match input::catalog(
            path,
            None,
            "sort",
            args.scheme.0,
            args.registry.list_limits(),
            &mut skipped,
        ) {
            Some(c) => c,
            None => return ExitCode::from(2),
        },
        None if args.from_registry => {
            let client = args.registry.client();
            let mut all = Catalog::new();
            let mut others = Vec::new();
            for repository in &args.names {
                match crate::tags::listing(&client, repository, args.scheme.0) {
                    Ok((c, o)) => {
                        for img in c.iter() {
                            all.insert(img.clone());
                        }
                        others.extend(o.into_iter().map(|(full, _)| full));
                    }
                    Err(e) => {
                        eprintln!("imagetag sort: {e}");
                        return ExitCode::from(1);
                    }
                }
            }
            let mut out = String::new();
            for img in all.sorted_iter() {
                out.push_str(&img.to_string());
                out.push('\n');
            }
            for full in others {
                out.push_str(&full);
                out.push('\n');
            }
            print!("{out}");
            return ExitCode::SUCCESS;
        }
        None => {
            let (catalog, errors) = input::catalog_of(&args.names, args.scheme.0);
            for e in &errors {
                eprintln!("imagetag sort: skipping: {e}");
            }
            skipped = errors.len();
            catalog
        }
    };
    // Written as they come: a million names are not gathered in one string.
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = catalog
        .sorted_iter()
        .try_for_each(|img| writeln!(out, "{img}"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("imagetag sort: {e}");
        return ExitCode::from(2);
    }
    ExitCode::from(if skipped == 0 { 0 } else { 1 })
}
