//! `imagetag tags`: a repository's tags, from its registry, in order.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::source::RegistryArgs;

/// List a repository's tags from its registry, in order, grouped by track.
///
/// Each track starts with a `# TRACK` line, then its tags one per line in
/// the order `sort` gives (by version, then revision; an alias right after
/// the revision it stands for). The output is a tag list: `--tags FILE`
/// reads it back. Exits 1 when the registry cannot be read.
///
/// Example: imagetag tags quay.io/vessl-ai/torch
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The repository (`quay.io/vessl-ai/torch`, `ubuntu`, `localhost:5000/x`).
    repository: String,
    /// Full names (`quay.io/vessl-ai/torch:2.3.0-r5`) instead of bare tags.
    #[arg(long)]
    full: bool,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Runs `imagetag tags`.
pub fn run(args: Args) -> ExitCode {
    let client = args.registry.client();
    let catalog = match client.catalog(&args.repository) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("imagetag tags: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = String::new();
    let mut track = None;
    for img in catalog.sorted() {
        let t = img.track();
        if track.as_ref() != Some(&t) {
            out.push_str(&format!("# {t}\n"));
            track = Some(t);
        }
        if args.full {
            out.push_str(&img.to_string());
        } else {
            out.push_str(img.reference().tag().unwrap_or_default());
        }
        out.push('\n');
    }
    let _ = io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
