//! `imagetag latest`: the newest image of a repository that fits.

use std::process::ExitCode;

use imagetag::{Image, Newest, Query, Track, Version};

use crate::input;
use crate::source::{self, RegistryArgs};

/// Print the newest image of a repository that matches the conditions.
///
/// Where the conditions leave the track open, the answer has the highest
/// version, then the highest CUDA version, then the highest revision (a
/// standard alias counts as the newest revision of its base; `--pinned`
/// asks for the revision itself). Prints the full name on stdout and the
/// chosen track on stderr. The tags come from the repository's registry
/// (the default, `--registry`) or from `--tags FILE`. Exits 1 when nothing
/// matches or the registry cannot be read, 2 on a usage error.
///
/// Example: imagetag latest quay.io/vessl-ai/torch --version '>=2.2, <3' --cuda 12 --pinned
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The repository (`quay.io/vessl-ai/torch`).
    repository: String,
    /// A version requirement (`>=2.2, <3`); versions with fewer parts read as `.0`.
    #[arg(long, value_name = "REQ")]
    version: Option<semver::VersionReq>,
    /// A CUDA version prefix: `12` matches 12.x, `12.4` matches 12.4.x.
    #[arg(long, value_name = "X", value_parser = parse_version)]
    cuda: Option<Version>,
    /// A cuDNN major version (`9`).
    #[arg(long, value_name = "N")]
    cudnn: Option<u32>,
    /// A Python version prefix (`3.11`).
    #[arg(long, value_name = "X", value_parser = parse_version)]
    python: Option<Version>,
    /// A variant (`slim`).
    #[arg(long, value_name = "X")]
    variant: Option<String>,
    /// Only pinned (`-rN`) images, no standard alias.
    #[arg(long)]
    pinned: bool,
    /// Only NGC and TWCC images released in a later month (`2023-06`:
    /// `23.07` is, `23.06` is not).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    released_after: Option<chrono::NaiveDate>,
    /// The tag list: a file of tags or full names, or `-` for stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "from_registry")]
    tags: Option<String>,
    /// Read the tags from the registry (the default without `--tags`).
    #[arg(long = "registry", id = "from_registry")]
    from_registry: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is an error.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// `2023-06` or `2023-06-15`.
fn parse_month(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d"))
        .map_err(|_| format!("expected a month as YYYY-MM (2023-06), found {s:?}"))
}

fn parse_version(s: &str) -> Result<Version, String> {
    s.parse().map_err(|e: imagetag::Error| e.to_string())
}

/// Runs `imagetag latest`.
pub fn run(args: Args) -> ExitCode {
    let mut query = match Query::new(&args.repository) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("imagetag latest: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(v) = args.version {
        query = query.version(v);
    }
    if let Some(v) = args.cuda {
        query = query.cuda(v);
    }
    if let Some(v) = args.cudnn {
        query = query.cudnn(v);
    }
    if let Some(v) = args.python {
        query = query.python(v);
    }
    if let Some(v) = &args.variant {
        query = query.variant(v);
    }
    query = query.pinned(args.pinned);
    if let Some(d) = args.released_after {
        query = query.released_after(d);
    }
    let repository = query.repository().to_owned();
    if let Some(path) = args.tags.as_deref() {
        // A tag list is read one name at a time, keeping only the newest
        // so far: the memory of one image, however long the list.
        let mut newest = Newest::new(&query);
        let read = input::each_image(
            path,
            Some(&repository),
            "latest",
            args.scheme.0,
            args.registry.list_limits(),
            |_| {},
            |img| newest.offer(img),
        );
        if read.is_none() {
            return ExitCode::from(2);
        }
        return match newest.finish() {
            Ok((image, track)) => answer(&image, &track),
            Err(e) => no_answer(&e),
        };
    }
    let client = args.registry.client();
    let Some(catalog) = source::catalog(
        args.tags.as_deref(),
        &repository,
        &client,
        "latest",
        args.scheme.0,
        args.registry.list_limits(),
    ) else {
        return ExitCode::from(if args.tags.is_some() { 2 } else { 1 });
    };
    match catalog.newest(&query) {
        Ok(choice) => answer(choice.image(), choice.track()),
        Err(e) => no_answer(&e),
    }
}

fn answer(image: &Image, track: &Track) -> ExitCode {
    println!("{image}");
    eprintln!("track: {track}");
    ExitCode::SUCCESS
}

fn no_answer(e: &imagetag::Error) -> ExitCode {
    eprintln!("imagetag latest: {e}");
    ExitCode::from(1)
}
