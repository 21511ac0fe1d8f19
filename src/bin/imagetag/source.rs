//! Where tags come from: a tag list file, or the registry itself.

use std::time::Duration;

use imagetag::registry::{Client, Options};
use imagetag::{Catalog, Scheme};

use crate::input;

/// The registry flags shared by `resolve`, `latest`, `sort` and `tags`.
#[derive(clap::Args, Debug, Clone)]
pub struct RegistryArgs {
    /// Use plain HTTP for every registry (loopback hosts use it anyway).
    #[arg(long)]
    plain_http: bool,
    /// The timeout of each registry request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    timeout: f64,
    /// Print each registry request on stderr (never credentials).
    #[arg(long)]
    verbose: bool,
    /// Ask this registry host instead of the name's own (a mirror or a
    /// local copy with the same repository paths); names are unchanged.
    #[arg(long, value_name = "HOST[:PORT]")]
    mirror: Option<String>,
    /// Read at most N tags of a repository (and 256 bytes of tag list a
    /// tag, at least 256 MiB): a registry cannot make the run hold more.
    /// Bounds `--tags FILE` too: N names and 256 bytes a name (at least
    /// 16 MiB).
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    max_tags: usize,
    /// Take a registry's Docker-Content-Digest header as given (one HEAD)
    /// instead of fetching the manifest and checking the header against it.
    #[arg(long)]
    trust_digest_header: bool,
}

impl RegistryArgs {
    /// The bounds of a `--tags FILE` list: `--max-tags` names.
    pub fn list_limits(&self) -> input::Limits {
        input::Limits::for_tags(self.max_tags)
    }

    /// A client with these flags; credentials come from the environment
    /// and the Docker config file.
    pub fn client(&self) -> Client {
        let mut options = Options::default();
        options.plain_http = self.plain_http;
        if self.timeout.is_finite() && self.timeout > 0.0 {
            options.timeout = Duration::from_secs_f64(self.timeout.min(86_400.0));
        }
        options.verbose = self.verbose;
        options.mirror = self.mirror.clone();
        options.max_tags = self.max_tags;
        options.max_list_bytes = options
            .max_list_bytes
            .max((self.max_tags as u64).saturating_mul(256));
        options.verify_digests = !self.trust_digest_header;
        Client::new(options)
    }
}

/// A catalog of `repository`'s tags: from the file `tags` when given, else
/// from the registry; each read as a name of `scheme` when given
/// (`--scheme`); a file holds at most what `limits` allow. `None` after a
/// message on stderr.
pub fn catalog(
    tags: Option<&str>,
    repository: &str,
    client: &Client,
    command: &str,
    scheme: Option<Scheme>,
    limits: input::Limits,
) -> Option<Catalog> {
    match (tags, scheme) {
        (Some(path), _) => input::catalog(path, Some(repository), command, scheme, limits, &mut 0),
        (None, Some(_)) => match client.tags(repository) {
            Ok(tags) => {
                let names = tags.iter().map(|t| Catalog::qualify(repository, t));
                let (catalog, errors) = input::catalog_of(names, scheme);
                for e in errors {
                    eprintln!("imagetag {command}: skipping: {e}");
                }
                Some(catalog)
            }
            Err(e) => {
                eprintln!("imagetag {command}: {e}");
                None
            }
        },
        (None, None) => match client.catalog(repository) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("imagetag {command}: {e}");
                None
            }
        },
    }
}
