//! `imagetag compare`: the order of two image names.

use std::cmp::Ordering;
use std::process::ExitCode;

use imagetag::Image;

use crate::explain::{parse_scheme, SchemeArg};

/// Compare two image names: print `<`, `=`, `>` or `incomparable`.
///
/// Names compare only on the same track (same scheme, repository and every
/// part of the name but its release or version); otherwise, or when one is
/// a moving alias such as `latest`, the answer is `incomparable`. Exits 0
/// with an answer, 2 when a name is invalid (the error goes to stderr).
///
/// Example: imagetag compare tensorflow-19.08-py3 tensorflow-20.01-py3   (prints <)
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic.
    #[arg(long, default_value = "auto", value_parser = parse_scheme)]
    scheme: SchemeArg,
    /// The first name.
    a: String,
    /// The second name.
    b: String,
}

fn read(s: &str, scheme: SchemeArg) -> Result<Image, imagetag::Error> {
    crate::input::image(s, scheme.0)
}

/// Runs `imagetag compare`.
pub fn run(args: Args) -> ExitCode {
    let (a, b) = match (read(&args.a, args.scheme), read(&args.b, args.scheme)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for e in [a.err(), b.err()].into_iter().flatten() {
                eprintln!("imagetag compare: {e}");
            }
            return ExitCode::from(2);
        }
    };
    let answer = match a.compare(&b) {
        Some(Ordering::Less) => "<",
        Some(Ordering::Equal) => "=",
        Some(Ordering::Greater) => ">",
        None => "incomparable",
    };
    println!("{answer}");
    ExitCode::SUCCESS
}
