//! `imagetag tags`: a repository's tags, from its registry, in order.

use std::io::{self, Write};
use std::process::ExitCode;

use imagetag::registry::Client;
use imagetag::{Catalog, Scheme, Value};

use crate::source::RegistryArgs;

/// List a repository's tags from its registry, in order, grouped by track.
///
/// Each track starts with a `# TRACK` line, then its tags one per line in
/// the order `sort` gives (by version, then revision; an alias right after
/// the revision it stands for). Tags that are not names of the
/// repository's scheme (`latest` in a VESSL repository) come last, under
/// `# other tags`. The output is a tag list: `--tags FILE` reads it back. Exits 1 when the registry cannot be read.
///
/// Example: imagetag tags quay.io/vessl-ai/torch
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The repository (`quay.io/vessl-ai/torch`, `ubuntu`, `localhost:5000/x`).
    repository: String,
    /// Full names (`quay.io/vessl-ai/torch:2.3.0-r5`) instead of bare tags.
    #[arg(long)]
    full: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is an error.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Runs `imagetag tags`.
pub fn run(args: Args) -> ExitCode {
    let client = args.registry.client();
    let (catalog, others) = match listing(&client, &args.repository, args.scheme.0) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("imagetag tags: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = String::new();
    let mut track = None;
    for img in catalog.sorted_iter() {
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
    if !others.is_empty() {
        out.push_str("# other tags\n");
        for (full, tag) in &others {
            out.push_str(if args.full { full } else { tag });
            out.push('\n');
        }
    }
    let _ = io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// The repository's tags: a catalog of those its scheme reads (`scheme`, or
/// the detected one), and the others (full name, tag), in the registry's
/// order. A tag that detection kept only as an opaque word (`latest` in a
/// VESSL repository) is one of the others.
pub fn listing(
    client: &Client,
    repository: &str,
    scheme: Option<Scheme>,
) -> Result<(Catalog, Vec<(String, String)>), imagetag::registry::Error> {
    let tags = client.tags(repository)?;
    let canonical = imagetag::Reference::parse_normalized(repository)
        .map(|r| r.without_tag_or_digest().canonical().to_string())
        .unwrap_or_else(|_| repository.to_owned());
    let mut catalog = Catalog::with_capacity(tags.len());
    let mut others = Vec::new();
    for tag in tags {
        let full = Catalog::qualify(&canonical, &tag).into_owned();
        match crate::input::image(&full, scheme) {
            Ok(img) if !matches!(img.value(), Value::Vessl(v) if v.is_opaque()) => {
                catalog.insert(img);
            }
            _ => others.push((full, tag)),
        }
    }
    Ok((catalog, others))
}
