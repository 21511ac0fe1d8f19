//! List a repository's tags from its registry into a [`Catalog`], then
//! resolve an alias and read the manifest digest of what it resolves to.
//!
//! ```text
//! cargo run --example registry_catalog --features registry -- \
//!     quay.io/vessl-ai/torch:2.3.0-cuda12.4
//! ```
//!
//! Credentials come from `IMAGETAG_REGISTRY_USER`/`_PASSWORD` (sent only to
//! the hosts in `IMAGETAG_REGISTRY_HOST`) or the Docker config file, as for
//! the `imagetag` command. A registry on a loopback address
//! (`127.0.0.1:5000/team/app:latest`) is spoken to over plain HTTP.
//!
//! [`Catalog`]: imagetag::Catalog

use std::error::Error;

use imagetag::registry::{Client, Options};
use imagetag::Image;

fn main() -> Result<(), Box<dyn Error>> {
    let name = std::env::args().nth(1).ok_or(
        "usage: registry_catalog NAME (an alias such as quay.io/vessl-ai/torch:2.3.0-cuda12.4)",
    )?;
    let image = Image::parse(&name)?;
    let repository = image
        .reference()
        .without_tag_or_digest()
        .canonical()
        .to_string();
    let client = Client::new(Options::default());
    let catalog = client.catalog(&repository)?;
    println!("{repository}: {} tags", catalog.len());
    let pinned = if image.is_alias() {
        catalog.resolve(&image)?
    } else {
        &image
    };
    let digest = client.digest(&pinned.to_string())?;
    println!("{name} -> {pinned}");
    println!("digest: {digest}");
    Ok(())
}
