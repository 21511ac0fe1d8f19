//! `imagetag resolve`: the pinned name a standard alias stands for.

use std::process::ExitCode;

use crate::source::{self, RegistryArgs};

/// Resolve an alias to the pinned tag it stands for.
///
/// Prints the name of the newest tag NAME stands for in the tag list (the
/// newest `-rN` revision of a VESSL alias, the newest `3.12.x` of a generic
/// `3.12`), or NAME itself when the list has the alias but nothing it
/// covers. The answer is written as NAME is: short (`python:3.12.8-slim`)
/// for a short NAME, full for a full one. The tags are NAME's repository's, read from its registry (the
/// default, `--registry`) or from `--tags FILE`: tags or full names, one per
/// line (`#` starts a comment, `-` reads stdin); a bare tag is a tag of
/// NAME's repository. `--digest` adds the manifest digest the registry
/// holds for the answer (`…:2.3.0-cuda12.4-r5@sha256:…`). Exits 1 when NAME
/// cannot be resolved or the registry cannot be read, 2 on a usage error.
///
/// Example: imagetag resolve quay.io/vessl-ai/torch:2.3.0-cuda12.4 --digest
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The alias to resolve (`quay.io/vessl-ai/python:3.10`).
    name: String,
    /// The tag list: a file of tags or full names, or `-` for stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "from_registry")]
    tags: Option<String>,
    /// Read the tags from the registry (the default without `--tags`).
    #[arg(long = "registry", id = "from_registry")]
    from_registry: bool,
    /// Add the manifest digest from the registry (`@sha256:…`).
    #[arg(long)]
    digest: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is an error.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Runs `imagetag resolve`.
pub fn run(args: Args) -> ExitCode {
    let image = match crate::input::image(&args.name, args.scheme.0) {
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
    let client = args.registry.client();
    let Some(catalog) = source::catalog(
        args.tags.as_deref(),
        &repository,
        &client,
        "resolve",
        args.scheme.0,
        args.registry.list_limits(),
    ) else {
        return ExitCode::from(if args.tags.is_some() { 2 } else { 1 });
    };
    // The answer in the form the name was written in: `python:3.12-slim`
    // gives `python:3.12.8-slim`, a full name a full name.
    let familiar = imagetag::Reference::parse_normalized(&args.name)
        .is_ok_and(|r| r.familiar().to_string() == args.name);
    let shown = |pinned: &imagetag::Image| {
        if familiar {
            pinned.reference().familiar().to_string()
        } else {
            pinned.to_string()
        }
    };
    match catalog.resolve(&image) {
        Ok(pinned) if args.digest => match client.digest(&pinned.to_string()) {
            Ok(d) => {
                println!("{}@{d}", shown(pinned));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("imagetag resolve: {e}");
                ExitCode::from(1)
            }
        },
        Ok(pinned) => {
            println!("{}", shown(pinned));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("imagetag resolve: cannot resolve {}: {e}", args.name);
            ExitCode::from(1)
        }
    }
}
