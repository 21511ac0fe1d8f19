//! An OCI Distribution client: the tags of a repository and the digests of
//! its manifests, read from the registry that holds them (feature
//! `registry`, on with `cli`).
//!
//! The client is blocking (ureq, rustls) and knows nothing of naming
//! schemes: it returns tag strings and digests, and
//! [`Client::catalog`] hands the tags to a [`Catalog`](crate::Catalog).
//!
//! ```no_run
//! use imagetag::registry::{Client, Options};
//!
//! let client = Client::new(Options::default());
//! let catalog = client.catalog("quay.io/vessl-ai/torch")?;
//! let pinned = catalog.resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")?;
//! let digest = client.digest(&pinned.to_string())?;
//! println!("{pinned}@{digest}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it speaks
//!
//! - `GET /v2/<name>/tags/list?n=N`, following `Link: <…>; rel="next"`
//!   headers; bounded by [`Options::max_pages`], [`Options::max_body`] (per
//!   response) and [`Options::list_deadline`] (the whole listing), and a
//!   `Link` that comes back to a page already read is an error, not a loop.
//! - `GET /v2/<name>/manifests/<tag>` with OCI and Docker manifest and
//!   index types in `Accept`, hashed, and checked against
//!   `Docker-Content-Digest` ([`Options::verify_digests`]); or a `HEAD` that
//!   takes the header as given, with a `GET` when it is missing.
//! - Authentication: `WWW-Authenticate: Bearer realm=…,service=…,scope=…`
//!   (anonymous, or with credentials sent to the realm), and `Basic`.
//!   Credentials come from [`Credentials`]: by default the environment
//!   (`IMAGETAG_REGISTRY_USER`, `IMAGETAG_REGISTRY_PASSWORD`, for the hosts
//!   in `IMAGETAG_REGISTRY_HOST`), then the
//!   Docker config file (`$DOCKER_CONFIG/config.json` or
//!   `~/.docker/config.json`: `credHelpers`, `auths`, `credsStore`);
//!   identity tokens (`identitytoken`, a helper's `<token>` user) are
//!   traded at the token server with an OAuth2 `refresh_token` grant.
//! - Docker Hub: `docker.io` is reached at `registry-1.docker.io`, and
//!   official images get their `library/` prefix.
//! - Plain HTTP for `localhost`, `127.0.0.0/8` and `[::1]` (any port), or for
//!   every registry with [`Options::plain_http`]; HTTPS otherwise.
//! - Retries with exponential backoff on 429 and 5xx answers and on
//!   connection failures, honouring `Retry-After` (seconds, capped by
//!   [`Options::max_retry_after`]); a timeout on every request.
//!
//! Secrets are held in [`Secret`], whose `Debug` and `Display` print `***`;
//! nothing the client logs with [`Options::verbose`] holds one.
//!
//! # Which hosts get credentials
//!
//! A registry's answers come from a server the user may not control (a
//! name in a pull request is enough to make the client ask it), so:
//!
//! - A credential belongs to one registry host ([`Credentials`]): it is
//!   looked up for the host the request is for and sent to no other. An
//!   environment secret without `IMAGETAG_REGISTRY_HOST` is sent nowhere.
//! - Basic credentials go to that registry, and to the bearer token realm
//!   *that registry* names when the realm is trusted: any `https://` realm
//!   (Docker Hub's is `auth.docker.io`), or a plain `http://` realm only
//!   when the registry itself is spoken over plain HTTP and the realm is on
//!   a loopback host or [`Options::plain_http`] is set. Any other realm is
//!   refused with [`ErrorKind::Untrusted`], before anything is sent to it.
//! - Redirects are followed by the client itself (at most 5): a redirect
//!   to the same scheme and host keeps the registry's `Authorization`; a
//!   redirect to any other host gets none, and when that host answers
//!   `401` the client stops with [`ErrorKind::Untrusted`] instead of
//!   answering its challenge. An `https` -> `http` redirect is refused.
//! - Error messages and `--verbose` lines never hold a request header.
//!   Text a server sent (a body, a `Link`, a redirect's URL) is quoted only
//!   after redaction: the secrets the client holds, values of
//!   credential-like keys (`Authorization`, `token`, `password`,
//!   `X-Amz-Signature`, ...), words after `Basic`/`Bearer`, JSON Web Tokens
//!   and long opaque strings become `***`.
//! - With [`Options::verify_digests`] (the default) a digest is the SHA-256
//!   (or SHA-512) of the manifest bytes the registry sent, and a
//!   `Docker-Content-Digest` that does not match them is an error: a digest
//!   that does not match is never returned.
//! - A listing holds at most [`Options::max_tags`] tags and reads at most
//!   [`Options::max_list_bytes`] over all its pages, each page parsed
//!   straight into the tag list and dropped; a tag the registry lists that
//!   is not a valid tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`) is left out.

mod auth;
mod client;
mod page;
mod redact;
mod resolve;

use std::fmt;
use std::time::Duration;

pub use auth::{Credentials, Secret};
pub use client::Client;

/// How a [`Client`] behaves: limits, timeouts, retries, credentials.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Plain HTTP for every registry (loopback hosts use it anyway).
    pub plain_http: bool,
    /// The timeout of each request, from connecting to the end of the body.
    pub timeout: Duration,
    /// How long a whole tag listing (every page, retries included) may take.
    pub list_deadline: Duration,
    /// The `n` asked of each tag-list page.
    pub page_size: u32,
    /// At most this many tag-list pages are read.
    pub max_pages: u32,
    /// The largest response body read, in bytes (a tag-list page, a
    /// manifest, a token).
    pub max_body: u64,
    /// At most this many tags are read from one repository's listing (the
    /// memory a listing holds is about this times the length of a tag).
    pub max_tags: usize,
    /// At most this many bytes of tag-list pages are read for one listing,
    /// all pages together.
    pub max_list_bytes: u64,
    /// Fetch each manifest whose digest is asked and check the registry's
    /// `Docker-Content-Digest` against its bytes (on by default). Off, a
    /// `HEAD` is sent and the header is taken as the registry says it:
    /// faster, and what `crane digest` does.
    pub verify_digests: bool,
    /// How many times a request is tried again after a 429, a 5xx answer
    /// or a connection failure.
    pub retries: u32,
    /// The first wait before a retry; each next one is twice as long.
    pub backoff: Duration,
    /// The longest wait a `Retry-After` header can ask for.
    pub max_retry_after: Duration,
    /// Where credentials come from.
    pub credentials: Credentials,
    /// How many requests [`Client::digests`] has in flight at once.
    pub parallel: usize,
    /// Print each request (method, URL, status, time) on stderr. Never
    /// headers, never secrets.
    pub verbose: bool,
    /// Send every request to this registry host (`127.0.0.1:5000`, a
    /// pull-through cache or a local copy) instead of the one in the name,
    /// with the same repository path. Names keep their own registry:
    /// `quay.io/vessl-ai/torch` read through a mirror is still
    /// `quay.io/vessl-ai/torch`.
    pub mirror: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            plain_http: false,
            timeout: Duration::from_secs(30),
            list_deadline: Duration::from_secs(300),
            page_size: 1000,
            max_pages: 1000,
            max_body: 16 << 20,
            max_tags: 1_000_000,
            max_list_bytes: 256 << 20,
            verify_digests: true,
            retries: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(10),
            credentials: Credentials::Auto,
            parallel: 4,
            verbose: false,
            mirror: None,
        }
    }
}

impl Options {
    /// The default options with another per-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// What kind of failure a registry [`Error`] reports.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A repository name that is not a valid reference.
    Name,
    /// 401 or 403: no credentials, wrong ones, or not enough access.
    Unauthorized,
    /// 404: no such repository or tag.
    NotFound,
    /// 429 after every retry.
    RateLimited,
    /// Any other status the client does not expect (5xx after every retry).
    Status,
    /// A request or a listing took longer than allowed.
    Timeout,
    /// The connection failed (refused, reset, DNS, TLS).
    Transport,
    /// The registry answered with more than the client accepts: a body
    /// over [`Options::max_body`], more than [`Options::max_pages`] pages,
    /// or a `Link` that loops.
    Limit,
    /// An answer that breaks the protocol (bad JSON, a bad digest, a
    /// digest header that does not match the manifest, a `Link` to another
    /// host, an https -> http redirect).
    Protocol,
    /// Credentials were not sent because the host asking for them is not
    /// trusted with them: a token realm over plain HTTP, or a host reached
    /// by a redirect (see [which hosts get credentials](self#which-hosts-get-credentials)).
    Untrusted,
}

/// A failure talking to a registry: which registry, which URL, and what it
/// answered (status and the start of the body), in one line.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    registry: String,
    url: String,
    status: Option<u16>,
    message: String,
}

impl Error {
    #[cold]
    pub(crate) fn new(
        kind: ErrorKind,
        registry: &str,
        url: &str,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind,
            registry: registry.to_owned(),
            url: url.to_owned(),
            status,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The registry host (`quay.io`, `127.0.0.1:5000`).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The URL of the request that failed (empty when none was sent).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP status the registry answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "registry {}", self.registry)?;
        if !self.url.is_empty() {
            write!(f, ": {}", self.url)?;
        }
        if let Some(s) = self.status {
            write!(f, ": HTTP {s}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "registry::Error({:?}, {:?})",
            self.kind,
            self.to_string()
        )
    }
}

impl std::error::Error for Error {}

/// Where a repository lives: the host its API is reached at, the host its
/// credentials are filed under, and the repository path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// The host in names (`docker.io`, `quay.io`, `127.0.0.1:5000`).
    pub(crate) registry: String,
    /// The host the API is at (`registry-1.docker.io` for `docker.io`).
    pub(crate) api_host: String,
    /// `http` or `https`.
    pub(crate) scheme: &'static str,
    /// The repository path (`library/ubuntu`, `vessl-ai/torch`).
    pub(crate) path: String,
    /// The canonical repository name (`docker.io/library/ubuntu`).
    pub(crate) canonical: String,
}

impl Target {
    pub(crate) fn of(
        name: &str,
        plain_http: bool,
        mirror: Option<&str>,
    ) -> Result<(Target, Option<String>), Error> {
        let r = crate::Reference::parse_normalized(name).map_err(|e| {
            Error::new(
                ErrorKind::Name,
                name.split('/').next().unwrap_or(""),
                "",
                None,
                e.to_string(),
            )
        })?;
        let registry = mirror
            .unwrap_or(r.domain().unwrap_or("docker.io"))
            .to_owned();
        let api_host = match registry.as_str() {
            "docker.io" | "index.docker.io" => "registry-1.docker.io".to_owned(),
            other => other.to_owned(),
        };
        let scheme = if plain_http || is_loopback(host_of(&registry)) {
            "http"
        } else {
            "https"
        };
        let path = r.path().into_owned();
        let canonical = r.without_tag_or_digest().canonical().to_string();
        let reference = r
            .digest()
            .map(|d| d.to_string())
            .or_else(|| r.tag().map(str::to_owned));
        Ok((
            Target {
                registry,
                api_host,
                scheme,
                path,
                canonical,
            },
            reference,
        ))
    }

    pub(crate) fn base(&self) -> String {
        format!("{}://{}", self.scheme, self.api_host)
    }
}

/// Whether a host (no port; IPv6 in brackets) is this machine: `localhost`,
/// `127.0.0.0/8` or `[::1]`.
pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An absolute `http` or `https` URL split into scheme (lower case),
/// authority (lower case, default port dropped) and the rest (path, query).
/// `None` for anything else, and for an authority with user info
/// (`https://user:pass@host`): credentials are never taken from a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    pub(crate) scheme: String,
    pub(crate) authority: String,
    pub(crate) rest: String,
}

impl Url {
    pub(crate) fn parse(url: &str) -> Option<Url> {
        let (scheme, after) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let mut authority = after[..end].to_ascii_lowercase();
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let default_port = if scheme == "http" { ":80" } else { ":443" };
        if authority.ends_with(default_port) {
            authority.truncate(authority.len() - default_port.len());
        }
        let rest = match &after[end..] {
            "" => "/".to_owned(),
            r => r.to_owned(),
        };
        Some(Url {
            scheme,
            authority,
            rest,
        })
    }

    /// A `Location` value read against this URL: absolute, scheme-relative
    /// (`//host/x`), absolute-path (`/x`) or relative (`x`).
    pub(crate) fn join(&self, location: &str) -> Option<Url> {
        let location = location.trim();
        if location.contains("://") {
            return Url::parse(location);
        }
        if let Some(rest) = location.strip_prefix("//") {
            return Url::parse(&format!("{}://{rest}", self.scheme));
        }
        let rest = if location.starts_with('/') {
            location.to_owned()
        } else {
            let path = self.rest.split(['?', '#']).next().unwrap_or("/");
            let dir = &path[..=path.rfind('/').unwrap_or(0)];
            format!("{dir}{location}")
        };
        Some(Url {
            rest,
            ..self.clone()
        })
    }

    /// The host without its port.
    pub(crate) fn host(&self) -> &str {
        host_of(&self.authority)
    }

    /// Same scheme and authority.
    pub(crate) fn same_origin(&self, other: &Url) -> bool {
        self.scheme == other.scheme && self.authority == other.authority
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.rest)
    }
}

/// The host of `host[:port]`, brackets kept for IPv6.
fn host_of(registry: &str) -> &str {
    if registry.starts_with('[') {
        match registry.find(']') {
            Some(i) => &registry[..=i],
            None => registry,
        }
    } else {
        registry.split(':').next().unwrap_or(registry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let (t, r) = Target::of("ubuntu:22.04", false, None).unwrap();
        assert_eq!(t.registry, "docker.io");
        assert_eq!(t.api_host, "registry-1.docker.io");
        assert_eq!(t.path, "library/ubuntu");
        assert_eq!(t.scheme, "https");
        assert_eq!(t.canonical, "docker.io/library/ubuntu");
        assert_eq!(r.as_deref(), Some("22.04"));

        let (t, r) = Target::of("127.0.0.1:5000/vessl-ai/torch", false, None).unwrap();
        assert_eq!(t.base(), "http://127.0.0.1:5000");
        assert_eq!(t.path, "vessl-ai/torch");
        assert_eq!(r, None);
        let (t, _) = Target::of("[::1]:5000/x", false, None).unwrap();
        assert_eq!(t.scheme, "http");
        let (t, _) = Target::of("localhost/x", false, None).unwrap();
        assert_eq!(t.scheme, "http");
        let (t, _) = Target::of("quay.io/vessl-ai/torch", false, None).unwrap();
        assert_eq!(t.base(), "https://quay.io");
        let (t, _) = Target::of("quay.io/vessl-ai/torch", true, None).unwrap();
        assert_eq!(t.base(), "http://quay.io");
        let (t, _) = Target::of("quay.io/vessl-ai/torch", false, Some("127.0.0.1:5000")).unwrap();
        assert_eq!(t.base(), "http://127.0.0.1:5000");
        assert_eq!(t.canonical, "quay.io/vessl-ai/torch");
        assert_eq!(
            Target::of("Quay.io/X", false, None).unwrap_err().kind(),
            ErrorKind::Name
        );
    }

    #[test]
    fn urls_and_their_origins() {
        let u = Url::parse("HTTPS://Quay.IO:443/v2/x/tags/list?n=1").unwrap();
        assert_eq!(u.to_string(), "https://quay.io/v2/x/tags/list?n=1");
        assert_eq!(u.host(), "quay.io");
        assert_eq!(Url::parse("https://u:p@quay.io/"), None);
        assert_eq!(Url::parse("ftp://quay.io/"), None);
        assert_eq!(Url::parse("https:///x"), None);
        let join = |l: &str| u.join(l).map(|j| j.to_string());
        assert_eq!(join("/v2/y").as_deref(), Some("https://quay.io/v2/y"));
        assert_eq!(
            join("y?z").as_deref(),
            Some("https://quay.io/v2/x/tags/y?z")
        );
        assert_eq!(
            join("//cdn.example/b").as_deref(),
            Some("https://cdn.example/b")
        );
        assert_eq!(
            join("http://cdn.example").as_deref(),
            Some("http://cdn.example/")
        );
        let cdn = u.join("https://cdn.example/b").unwrap();
        assert!(!cdn.same_origin(&u));
        assert!(u.join("/other").unwrap().same_origin(&u));
        assert!(!u.join("http://quay.io/v2/").unwrap().same_origin(&u));
        let v6 = Url::parse("http://[::1]:5000/v2/").unwrap();
        assert_eq!(v6.host(), "[::1]");
        for h in ["localhost", "LOCALHOST", "127.0.0.1", "127.9.0.2", "[::1]"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in [
            "evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.1",
            "[::2]",
        ] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn error_message_names_registry_url_and_status() {
        let e = Error::new(
            ErrorKind::NotFound,
            "quay.io",
            "https://quay.io/v2/x/tags/list",
            Some(404),
            "NAME_UNKNOWN",
        );
        assert_eq!(
            e.to_string(),
            "registry quay.io: https://quay.io/v2/x/tags/list: HTTP 404: NAME_UNKNOWN"
        );
    }
}
