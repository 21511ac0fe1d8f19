//! `imagetag resolve`: the pinned name a standard alias stands for.

use std::process::ExitCode;

use imagetag::Image;

use crate::input;

/// Resolve an alias to the pinned tag it stands for.
///
/// Prints the full name of the newest `-rN` revision of NAME's base in the
/// tag list, or NAME itself when the list has the alias but no revision of
/// it. FILE holds tags or full names, one per line (`#` starts a comment,
/// `-` reads stdin); a bare tag is a tag of NAME's repository. Exits 1 when
/// NAME cannot be resolved, 2 on a usage error.
///
/// Example: imagetag resolve quay.io/vessl-ai/torch:2.3.0-cuda12.4 --tags tags.txt
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The alias to resolve (`quay.io/vessl-ai/python:3.10`).
    name: String,
    /// The tag list: a file of tags or full names, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    tags: String,
}

/// Runs `imagetag resolve`.
pub fn run(args: Args) -> ExitCode {
    let image = match Image::parse(&args.name) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("imagetag resolve: {e}");
            return ExitCode::from(1);
        }
    };
    let repository = image
        .reference()
        .without_tag_or_digest()
        .canonical()
        .to_string();
    let Some(catalog) = input::catalog(&args.tags, Some(&repository), "resolve") else {
        return ExitCode::from(2);
    };
    match catalog.resolve(&image) {
        Ok(pinned) => {
            println!("{pinned}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("imagetag resolve: cannot resolve {}: {e}", args.name);
            ExitCode::from(1)
        }
    }
}
