//! Resolve a moving alias to the revision it stands for, from a list of
//! tags, and list the tags in order (each track oldest to newest).
//!
//! ```text
//! cargo run --example resolve -- quay.io/vessl-ai/torch:2.3.0-cuda12.4 tags.txt
//! ```
//!
//! The tag list has one tag or full name a line (`#` starts a comment);
//! a bare tag is a tag of the alias's repository. Without a file, the
//! example uses a small built-in list. Tags that no scheme reads are
//! skipped with a note on standard error, as `imagetag resolve` does.

use std::error::Error;

use imagetag::{Catalog, Image};

const TAGS: &str = "\
# the tags of quay.io/vessl-ai/torch
2.3.0-cuda12.4-r4
2.3.0-cuda12.4-r5
2.3.0-cuda12.4
2.3.1-cuda12.1-r2
2.3.1-cuda12.1-r10
2.3.1-cuda12.1
";

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let alias = args
        .next()
        .unwrap_or_else(|| "quay.io/vessl-ai/torch:2.3.0-cuda12.4".to_owned());
    let text = match args.next() {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?,
        None => TAGS.to_owned(),
    };
    let image = Image::parse(&alias)?;
    let repository = image
        .reference()
        .without_tag_or_digest()
        .canonical()
        .to_string();
    let lines = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty());
    let (catalog, errors) =
        Catalog::from_names_lossy(lines.map(|l| Catalog::qualify(&repository, l)));
    for e in errors {
        eprintln!("skipping: {e}");
    }
    let pinned = catalog.resolve(&image)?;
    println!("{alias} -> {pinned}");
    println!("{} tags, in order:", catalog.len());
    for image in catalog.sorted() {
        let kind = if image.is_alias() { "alias" } else { "pinned" };
        println!("  {:<7}{}", kind, image.reference().tag().unwrap_or(""));
    }
    Ok(())
}
