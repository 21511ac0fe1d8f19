//! The OCI/Docker image reference grammar, exactly as Docker and containerd
//! read it (the `distribution/reference` package), with Docker's
//! normalisation as an explicit, separate reading mode.
//!
//! ```text
//! reference        ::= name [ ":" tag ] [ "@" digest ]
//! name             ::= [ domain "/" ] path
//! domain           ::= host [ ":" port ]
//! host             ::= domain-name | "[" ipv6 "]"
//! domain-name      ::= domain-component ( "." domain-component )*
//! domain-component ::= [a-zA-Z0-9] | [a-zA-Z0-9] [a-zA-Z0-9-]* [a-zA-Z0-9]
//! ipv6             ::= [0-9a-fA-F:]+
//! port             ::= [0-9]+
//! path             ::= path-component ( "/" path-component )*      (at most 255 bytes)
//! path-component   ::= alpha-numeric ( separator alpha-numeric )*
//! alpha-numeric    ::= [a-z0-9]+
//! separator        ::= [_.] | "__" | "-"+
//! tag              ::= [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest           ::= "sha256:" hex{64} | "sha384:" hex{96} | "sha512:" hex{128}
//! hex              ::= [0-9a-f]
//! ```

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use nom::Parser;

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{class, class1, end, PErr, Res, Why};

/// The default registry of a familiar name.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The namespace of Docker Hub's official images.
pub const OFFICIAL_NAMESPACE: &str = "library";
/// The tag `docker pull` fetches when none is given.
pub const DEFAULT_TAG: &str = "latest";
/// The longest repository path the grammar allows, in bytes.
pub const PATH_MAX: usize = 255;
/// The longest tag the grammar allows, in bytes.
pub const TAG_MAX: usize = 128;

const LEGACY_DOMAIN: &str = "index.docker.io";
const SUBJECT: &str = "reference";

/// How to read a reference: the reading modes of `imagetag explain --mode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The grammar as written, nothing added ([`Reference::parse`]).
    Strict,
    /// Docker's reading of a familiar name ([`Reference::parse_normalized`]).
    #[default]
    Normalized,
    /// Accepted only in full normalized form ([`Reference::parse_canonical`]).
    Canonical,
    /// A repository name alone, no tag or digest ([`Reference::parse_name`]).
    Name,
    /// Normalized, or a bare image ID or digest ([`AnyReference::parse`]).
    Any,
    /// What `docker pull` fetches ([`Reference::parse_pull`]).
    Pull,
}

impl Mode {
    /// Every mode, in the order `--help` lists them.
    pub const ALL: [Mode; 6] = [
        Mode::Strict,
        Mode::Normalized,
        Mode::Canonical,
        Mode::Name,
        Mode::Any,
        Mode::Pull,
    ];

    /// The mode's name as `--mode` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Strict => "strict",
            Mode::Normalized => "normalized",
            Mode::Canonical => "canonical",
            Mode::Name => "name",
            Mode::Any => "any",
            Mode::Pull => "pull",
        }
    }

    /// Reads `s` in this mode. Every mode but [`Mode::Any`] gives an
    /// [`AnyReference::Name`].
    pub fn parse(self, s: &str) -> Result<AnyReference<'_>, Error> {
        match self {
            Mode::Strict => Reference::parse(s).map(AnyReference::Name),
            Mode::Normalized => Reference::parse_normalized(s).map(AnyReference::Name),
            Mode::Canonical => Reference::parse_canonical(s).map(AnyReference::Name),
            Mode::Name => Reference::parse_name(s).map(AnyReference::Name),
            Mode::Any => AnyReference::parse(s),
            Mode::Pull => Reference::parse_pull(s).map(AnyReference::Name),
        }
    }

    /// Reads bytes in this mode; bytes that are not UTF-8 are an error, not a
    /// panic.
    pub fn parse_bytes(self, b: &[u8]) -> Result<AnyReference<'_>, Error> {
        match std::str::from_utf8(b) {
            Ok(s) => self.parse(s),
            Err(e) => Err(Error::utf8(SUBJECT, b, e)),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = Error;

    /// Reads the name [`Mode::as_str`] gives: `unknown mode "loose":
    /// expected one of strict, normalized, canonical, name, any, pull`
    /// otherwise ([`ErrorKind::Unknown`]).
    fn from_str(s: &str) -> Result<Self, Error> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Mode::ALL.iter().map(|m| m.as_str()).collect();
                crate::error::unknown_word("mode", s, &names)
            })
    }
}

/// A digest algorithm the OCI image spec registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    /// SHA-256, 64 hex digits.
    Sha256,
    /// SHA-384, 96 hex digits.
    Sha384,
    /// SHA-512, 128 hex digits.
    Sha512,
}

impl Algorithm {
    /// The algorithm's name (`sha256`).
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// The number of hex digits of a digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha384 => 96,
            Algorithm::Sha512 => 128,
        }
    }

    /// Every algorithm.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512];

    fn from_name(s: &str) -> Option<Algorithm> {
        match s {
            "sha256" => Some(Algorithm::Sha256),
            "sha384" => Some(Algorithm::Sha384),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Reads `sha256`, `sha384` or `sha512` ([`ErrorKind::Unknown`] otherwise).
    fn from_str(s: &str) -> Result<Self, Error> {
        Algorithm::from_name(s).ok_or_else(|| {
            let names: Vec<_> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
            crate::error::unknown_word("digest algorithm", s, &names)
        })
    }
}

/// A content digest, `algorithm:hex` (`sha256:86e0e0…`), borrowed from the
/// text it was read from.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest<'a> {
    algorithm: Algorithm,
    hex: &'a str,
}

impl<'a> Digest<'a> {
    /// Reads a digest: `sha256:` and 64 lowercase hex digits (or `sha384`
    /// with 96, `sha512` with 128).
    pub fn parse(s: &'a str) -> Result<Digest<'a>, Error> {
        (digest, end(EXPECT_END_DIGEST))
            .parse(s)
            .map(|(_, (d, ()))| d)
            .map_err(|e| finish(e, s))
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The hex digits, lowercase.
    pub fn hex(&self) -> &'a str {
        self.hex
    }
}

impl fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.algorithm.as_str())?;
        f.write_char(':')?;
        f.write_str(self.hex)
    }
}

impl fmt::Debug for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest(\"{self}\")")
    }
}

impl PartialEq<str> for Digest<'_> {
    fn eq(&self, other: &str) -> bool {
        other
            .strip_prefix(self.algorithm.as_str())
            .and_then(|r| r.strip_prefix(':'))
            == Some(self.hex)
    }
}

impl PartialEq<&str> for Digest<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// A container image reference, borrowed from the text it was read from:
/// `[domain[:port]/]path[:tag][@digest]`.
///
/// Reading allocates nothing: every part is a slice of the input or a
/// `'static` default (`docker.io`, `latest`). Two references are equal when
/// they name the same thing: `docker.io/library/ubuntu` read strictly equals
/// `ubuntu` read normalized, and a domain compares without ASCII case
/// (`NVCR.io/nvidia/pytorch` equals `nvcr.io/nvidia/pytorch`); equal
/// references hash alike.
///
/// # Syntax
///
/// ```
/// use imagetag::Reference;
///
/// let r = Reference::parse_normalized("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5")?;
/// assert_eq!(r.domain(), Some("quay.io"));
/// assert_eq!(r.path(), "vessl-ai/torch");
/// assert_eq!(r.tag(), Some("2.3.0-cuda12.4-r5"));
/// assert_eq!(r.digest(), None);
///
/// let r = Reference::parse_normalized("ubuntu")?;
/// assert_eq!(r.to_string(), "docker.io/library/ubuntu");
/// assert_eq!(r.familiar().to_string(), "ubuntu");
/// assert_eq!(r.tag(), None); // no tag given is not `latest`...
/// assert_eq!(Reference::parse_pull("ubuntu")?.tag(), Some("latest")); // ...except for `pull`
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Each reason has its own message, naming the byte and the component:
///
/// ```
/// use imagetag::Reference;
///
/// let e = Reference::parse_normalized("Quay.io/Vessl-AI/torch").unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     r#"invalid reference "Quay.io/Vessl-AI/torch": repository path must be lowercase at byte 8 ("Vessl-AI")"#
/// );
/// assert!(Reference::parse("ubuntu:22.04!").is_err()); // '!' in a tag
/// assert!(Reference::parse("ubuntu@sha256:abc").is_err()); // 3 hex digits, not 64
/// assert!(Reference::parse("ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Reference<'a> {
    domain: Option<&'a str>,
    /// The path is `library/` followed by `path`. Set whenever the domain is
    /// `docker.io` and the path is `library/<one component>`, however it was
    /// written, so that equal names compare equal.
    library: bool,
    /// Where the last component starts in `path` (0 without a `/`): a
    /// path is at most 255 bytes, and [`name`](Self::name) and
    /// [`namespace`](Self::namespace), which detection asks several times
    /// a name, then cost no search.
    name_at: u8,
    path: &'a str,
    tag: Option<&'a str>,
    digest: Option<Digest<'a>>,
}

/// Instantiation
impl<'a> Reference<'a> {
    /// Reads a reference by the grammar alone (`strict` mode): nothing is
    /// added, and the first path component is the domain whenever the
    /// grammar allows it (`foo/bar` has domain `foo`), as
    /// `distribution/reference`'s `Parse` reads it.
    pub fn parse(s: &'a str) -> Result<Reference<'a>, Error> {
        strict(s).map_err(|e| finish(e, s))
    }

    /// Reads a reference as Docker reads a familiar name (`normalized` mode):
    /// `ubuntu` is `docker.io/library/ubuntu`, `index.docker.io` is
    /// `docker.io`, and the first component is a domain only if it has a `.`
    /// or `:`, is `localhost`, or has an uppercase letter. A tag stays absent
    /// when none is given.
    ///
    /// A first component that looks like a domain but is none (`x_y.io/app`:
    /// the `.` says domain, the `_` forbids it) is, as in Docker, the start
    /// of a path with no domain: [`domain`](Self::domain) is `None`, and
    /// every form prints the name as written.
    pub fn parse_normalized(s: &'a str) -> Result<Reference<'a>, Error> {
        normalized(s).map_err(|e| finish(e, s))
    }

    /// Accepts only a reference already in full normalized form
    /// (`docker.io/library/ubuntu:22.04`, not `ubuntu:22.04`).
    pub fn parse_canonical(s: &'a str) -> Result<Reference<'a>, Error> {
        let r = Reference::parse_normalized(s)?;
        let mut cmp = Compare {
            rest: s,
            diverged: false,
        };
        // Compare writes nothing; it only checks the text against `s`.
        let _ = write!(cmp, "{r}");
        if cmp.diverged || !cmp.rest.is_empty() {
            let canonical = r.to_string();
            let at = s
                .bytes()
                .zip(canonical.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(s.len().min(canonical.len()));
            let at = floor_char_boundary(s, at);
            return Err(Error::new(
                ErrorKind::Form,
                SUBJECT,
                s,
                at,
                &s[at..],
                Component::Name,
                format!("expected the canonical form {canonical:?}"),
            ));
        }
        Ok(r)
    }

    /// Reads a repository name alone (`name` mode): normalized, and neither a
    /// tag nor a digest is allowed.
    pub fn parse_name(s: &'a str) -> Result<Reference<'a>, Error> {
        let r = Reference::parse_normalized(s)?;
        if r.tag.is_some() || r.digest.is_some() {
            // The name ends at the first ':' or '@' after the last '/'.
            let last = s.rfind('/').map_or(0, |i| i + 1);
            let at = last + s[last..].find([':', '@']).unwrap_or(0);
            let component = if s.as_bytes().get(at) == Some(&b':') {
                Component::Tag
            } else {
                Component::Digest
            };
            return Err(Error::new(
                ErrorKind::Form,
                SUBJECT,
                s,
                at,
                &s[at..],
                component,
                "expected a repository name without a tag or digest",
            ));
        }
        Ok(r)
    }

    /// Reads what `docker pull` fetches (`pull` mode): normalized, `latest`
    /// when neither tag nor digest is given, and only the digest when both
    /// are.
    pub fn parse_pull(s: &'a str) -> Result<Reference<'a>, Error> {
        let mut r = Reference::parse_normalized(s)?;
        if r.digest.is_some() {
            r.tag = None;
        } else if r.tag.is_none() {
            r.tag = Some(DEFAULT_TAG);
        }
        Ok(r)
    }

    /// Reads bytes in `mode`'s way. Bytes that are not UTF-8 are an error.
    /// For [`Mode::Any`], a bare digest is an error here: use
    /// [`Mode::parse_bytes`].
    pub fn parse_bytes(mode: Mode, b: &'a [u8]) -> Result<Reference<'a>, Error> {
        match mode.parse_bytes(b)? {
            AnyReference::Name(r) => Ok(r),
            AnyReference::Digest(d) => Err(Error::new(
                ErrorKind::Form,
                SUBJECT,
                &String::from_utf8_lossy(b),
                0,
                &d.to_string(),
                Component::Name,
                "expected a repository name, not a bare digest",
            )),
        }
    }
}

/// Access
impl<'a> Reference<'a> {
    /// The registry host and port (`quay.io`, `localhost:5000`, `[::1]:5000`).
    /// `None` for a strictly read reference that names none, and for a
    /// normalized one whose first component looks like a domain but is none
    /// (`x_y.io/app`), which Docker reads the same way.
    pub fn domain(&self) -> Option<&'a str> {
        self.domain
    }

    /// The repository path (`vessl-ai/torch`, `library/ubuntu`). Borrowed,
    /// except for Docker Hub's official images written without `library/`,
    /// where the prefix is added.
    pub fn path(&self) -> Cow<'a, str> {
        if self.library {
            Cow::Owned(format!("{OFFICIAL_NAMESPACE}/{}", self.path))
        } else {
            Cow::Borrowed(self.path)
        }
    }

    /// The path's namespace, if any (`vessl-ai`, `library`, `nvidia/merlin`):
    /// everything before the last component. Never allocates.
    pub fn namespace(&self) -> Option<&'a str> {
        if self.library {
            return Some(OFFICIAL_NAMESPACE);
        }
        let at = usize::from(self.name_at);
        (at > 0).then(|| &self.path[..at - 1])
    }

    /// The last path component (`torch`, `ubuntu`,
    /// `tensorflow-20.11-tf2-py3`). Never allocates.
    pub fn name(&self) -> &'a str {
        &self.path[usize::from(self.name_at)..]
    }

    /// The tag, if one was given (or `latest` added by [`parse_pull`](Self::parse_pull)).
    pub fn tag(&self) -> Option<&'a str> {
        self.tag
    }

    /// The digest, if one was given.
    pub fn digest(&self) -> Option<Digest<'a>> {
        self.digest
    }

    /// The full normalized form (`docker.io/library/ubuntu:22.04`): the
    /// default domain and `library/` filled in where absent, as Docker's
    /// normalized reading prints the name (a strict `docker.io/app` is
    /// `docker.io/library/app`, a strict `index.docker.io/org/app` is
    /// `docker.io/org/app`). A name with no domain whose first component
    /// looks like one (`x_y.io/app`) stays as it is, as in Docker.
    pub fn canonical(&self) -> Canonical<'a> {
        Canonical(*self)
    }

    /// The short form Docker prints (`ubuntu:22.04`, `vessl-ai/torch:2.3.0`),
    /// as its `FamiliarString` does: `docker.io/` left out, and `library/`
    /// before a single component; any other domain kept, `index.docker.io`
    /// of a strict reading included. Reading the result normalized gives
    /// the [`canonical`](Self::canonical) form back: where Docker's short
    /// form would not (`docker.io/localhost/x` would become host
    /// `localhost`, a bare 64-hex name an image ID), `docker.io/` is kept.
    pub fn familiar(&self) -> Familiar<'a> {
        Familiar(*self)
    }

    /// The same reference, owning its text.
    pub fn into_owned(self) -> OwnedReference {
        OwnedReference::from(self)
    }
}

/// Modification
impl<'a> Reference<'a> {
    /// The same repository with another tag (the digest is kept).
    pub fn with_tag(mut self, tag: Option<&'a str>) -> Self {
        self.tag = tag;
        self
    }

    /// The same repository and tag with another digest.
    pub fn with_digest(mut self, digest: Option<Digest<'a>>) -> Self {
        self.digest = digest;
        self
    }

    /// Just the repository: no tag and no digest.
    pub fn without_tag_or_digest(self) -> Self {
        self.with_tag(None).with_digest(None)
    }
}

impl PartialEq for Reference<'_> {
    /// The same domain (compared without ASCII case: a registry host is a
    /// DNS name, so `NVCR.io` is `nvcr.io`), path, tag and digest.
    fn eq(&self, other: &Self) -> bool {
        let domain = match (self.domain, other.domain) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        };
        domain
            && self.library == other.library
            && self.path == other.path
            && self.tag == other.tag
            && self.digest == other.digest
    }
}

impl Eq for Reference<'_> {}

impl Reference<'_> {
    /// Whether `other` is written the same, byte for byte (`==` compares
    /// the host without case).
    pub(crate) fn same_text(&self, other: &Reference<'_>) -> bool {
        self.domain == other.domain && self == other
    }
}

impl Hash for Reference<'_> {
    /// Agrees with `Eq`: the domain is hashed lowercase.
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_host(self.domain, state);
        self.library.hash(state);
        self.path.hash(state);
        self.tag.hash(state);
        self.digest.hash(state);
    }
}

/// Hashes a registry host as its ASCII-lowercase form, byte by byte (no
/// allocation), so that hosts equal without case hash alike.
pub(crate) fn hash_host<H: Hasher>(host: Option<&str>, state: &mut H) {
    match host {
        None => state.write_u8(0),
        Some(h) => {
            state.write_u8(1);
            for b in h.bytes() {
                state.write_u8(b.to_ascii_lowercase());
            }
            state.write_u8(0xff);
        }
    }
}

impl fmt::Display for Reference<'_> {
    /// The reference as read: in full for a normalized reference, as written
    /// for a strict one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reference(f, self.domain, self.library, self)
    }
}

fn write_reference(
    f: &mut impl fmt::Write,
    domain: Option<&str>,
    library: bool,
    r: &Reference<'_>,
) -> fmt::Result {
    if let Some(d) = domain {
        f.write_str(d)?;
        f.write_char('/')?;
    }
    if library {
        f.write_str(OFFICIAL_NAMESPACE)?;
        f.write_char('/')?;
    }
    f.write_str(r.path)?;
    if let Some(t) = r.tag {
        f.write_char(':')?;
        f.write_str(t)?;
    }
    if let Some(d) = r.digest {
        write!(f, "@{d}")?;
    }
    Ok(())
}

impl fmt::Debug for Reference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reference(\"{self}\")")
    }
}

/// The full normalized form of a [`Reference`], from [`Reference::canonical`].
#[derive(Clone, Copy, Debug)]
pub struct Canonical<'a>(Reference<'a>);

impl fmt::Display for Canonical<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (domain, library) = self.0.canonical_domain();
        write_reference(f, domain, library, &self.0)
    }
}

impl<'a> Reference<'a> {
    /// The domain of the canonical form, and whether it adds `library/`:
    /// what Docker's normalized reading of this name has. That is no domain
    /// for a path whose first component looks like a domain but is none
    /// (`x_y.io/app`), which Docker keeps as it is.
    fn canonical_domain(&self) -> (Option<&'a str>, bool) {
        let domain = match self.domain {
            None if self.is_domainless() => return (None, false),
            None | Some(LEGACY_DOMAIN) => DEFAULT_DOMAIN,
            Some(d) => d,
        };
        // `name_at` is 0 exactly when the path has no `/`: no search.
        let library = self.library || (domain == DEFAULT_DOMAIN && self.name_at == 0);
        (Some(domain), library)
    }

    /// Whether Docker's normalized reading of this name has no domain: no
    /// domain was read, and the first of several path components looks like
    /// one (`x_y.io/app`: a `.` makes it a domain, a `_` makes it none).
    fn is_domainless(&self) -> bool {
        self.domain.is_none()
            && self
                .path
                .split_once('/')
                .is_some_and(|(first, _)| looks_like_domain(first))
    }

    /// Whether `name` is the canonical repository of this reference
    /// (`docker.io/library/ubuntu`), compared without formatting, the
    /// registry host without ASCII case.
    pub(crate) fn is_canonical_repository(&self, name: &str) -> bool {
        let (domain, library) = self.canonical_domain();
        let rest = match domain {
            Some(d) => name
                .get(..d.len())
                .filter(|h| h.eq_ignore_ascii_case(d))
                .and_then(|_| name[d.len()..].strip_prefix('/')),
            None => Some(name),
        };
        let rest = match rest {
            Some(r) if library => r
                .strip_prefix(OFFICIAL_NAMESPACE)
                .and_then(|r| r.strip_prefix('/')),
            r => r,
        };
        rest == Some(self.path)
    }

    /// The length of the canonical repository (`docker.io/library/ubuntu`),
    /// computed without writing it: a caller that allocates with this
    /// capacity skips the growth path of `reserve`.
    pub(crate) fn canonical_repository_len(&self) -> usize {
        let (domain, library) = self.canonical_domain();
        domain.map_or(0, |d| d.len() + 1)
            + if library {
                OFFICIAL_NAMESPACE.len() + 1
            } else {
                0
            }
            + self.path.len()
    }

    /// Appends the canonical repository (`docker.io/library/ubuntu`, no tag
    /// or digest) to `out`: what `without_tag_or_digest().canonical()`
    /// displays, with the registry host lowercase (a DNS name: one spelling
    /// for every key made of it), without the formatting machinery, and
    /// reserving once. Returns the number of bytes written.
    /// The canonical name, as a VESSL or generic value keeps it: the
    /// canonical repository (its registry host lowercase), `:` and the tag,
    /// `@` and the digest, in one allocation of exactly its length (a slice
    /// of `input` copied at once when `input` holds it, see
    /// [`canonical_name_in`](Self::canonical_name_in)). With where the
    /// repository ends and where the tag ends (the repository's end when
    /// there is no tag).
    #[inline]
    pub(crate) fn canonical_name(&self, input: &str) -> (Box<str>, usize, usize) {
        if let Some(n) = self.canonical_name_in(input) {
            // Written in canonical form (`quay.io/vessl-ai/torch:2.3.0`):
            // there is a tag and no digest.
            let tag = self.tag.map_or(0, str::len);
            return (Box::from(n), n.len() - 1 - tag, n.len());
        }
        let extra = self.tag.map_or(0, |t| 1 + t.len())
            + self
                .digest
                .map_or(0, |d| 2 + d.algorithm.as_str().len() + d.hex.len());
        let mut name = String::with_capacity(self.canonical_repository_len() + extra);
        let repo_end = self.push_canonical_repository(&mut name, extra);
        if let Some(t) = self.tag {
            name.push(':');
            name.push_str(t);
        }
        let tag_end = name.len();
        if let Some(d) = self.digest {
            name.push('@');
            name.push_str(d.algorithm.as_str());
            name.push(':');
            name.push_str(d.hex);
        }
        // The capacity is exact: this does not reallocate.
        (name.into_boxed_str(), repo_end, tag_end)
    }

    pub(crate) fn push_canonical_repository(&self, out: &mut String, extra: usize) -> usize {
        let (domain, library) = self.canonical_domain();
        let len = self.canonical_repository_len();
        out.reserve(len + extra);
        if let Some(d) = domain {
            let at = out.len();
            out.push_str(d);
            out[at..].make_ascii_lowercase();
            // Lowercase must not change how the name reads: a host that is
            // one only for its capitals (`MyHost/app`), or a case variant of
            // Docker Hub's (`docKer.io/app`: another registry to the
            // grammar, as to Docker, with no `library/`), would read back
            // as a Docker Hub repository. Those are written in capitals,
            // which read back as themselves, the same for every spelling.
            let host = &out[at..];
            let hub = matches!(host, DEFAULT_DOMAIN | LEGACY_DOMAIN);
            if !looks_like_domain(host) || (hub && !library && self.name_at == 0) {
                out[at..].make_ascii_uppercase();
            }
            out.push('/');
        }
        if library {
            out.push_str(OFFICIAL_NAMESPACE);
            out.push('/');
        }
        out.push_str(self.path);
        len
    }
}

/// The familiar short form of a [`Reference`], from [`Reference::familiar`].
#[derive(Clone, Copy, Debug)]
pub struct Familiar<'a>(Reference<'a>);

impl fmt::Display for Familiar<'_> {
    /// Docker's `FamiliarString`: `docker.io/` left out, and `library/` with
    /// it before a single component; any other domain (`index.docker.io`
    /// too, as a strict reading keeps it) and a name without one as they
    /// are. Two exceptions keep `docker.io/library/`, where Docker's short
    /// form would read back as something else: a path whose first component
    /// would be taken for a domain (`docker.io/localhost/x`), and a bare
    /// 64-hex name, which would be an image ID.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.0;
        let first = r.path.split('/').next().unwrap_or("");
        let keep_domain = match r.domain {
            Some(DEFAULT_DOMAIN) => {
                (!r.library && r.path.contains('/') && looks_like_domain(first))
                    || (r.tag.is_none() && r.digest.is_none() && is_identifier(r.path))
            }
            None if r.tag.is_none() && r.digest.is_none() && is_identifier(r.path) => {
                return write_reference(f, Some(DEFAULT_DOMAIN), r.library, r);
            }
            _ => return write_reference(f, r.domain, r.library, r),
        };
        if keep_domain {
            return write_reference(f, r.domain, r.library, r);
        }
        write_reference(f, None, false, r)
    }
}

impl<'a> TryFrom<&'a str> for Reference<'a> {
    type Error = Error;

    /// Reads `s` normalized, as [`Reference::parse_normalized`].
    fn try_from(s: &'a str) -> Result<Self, Error> {
        Reference::parse_normalized(s)
    }
}

/// A reference read in [`Mode::Any`]: a repository reference, or a bare
/// digest (`sha256:…`, or a 64-hex image ID, read as its `sha256` digest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnyReference<'a> {
    /// A reference with a repository.
    Name(Reference<'a>),
    /// A digest alone.
    Digest(Digest<'a>),
}

impl<'a> AnyReference<'a> {
    /// Reads a 64-hex image ID, a bare digest, or a normalized reference, in
    /// that order (`distribution/reference`'s `ParseAnyReference`).
    pub fn parse(s: &'a str) -> Result<AnyReference<'a>, Error> {
        if is_identifier(s) {
            return Ok(AnyReference::Digest(Digest {
                algorithm: Algorithm::Sha256,
                hex: s,
            }));
        }
        // The grammar function, not `Digest::parse`: a failure here is
        // normal (most inputs are names) and must not build an `Error`.
        if let Ok(("", d)) = digest(s) {
            return Ok(AnyReference::Digest(d));
        }
        Reference::parse_normalized(s).map(AnyReference::Name)
    }

    /// The reference, if this is one.
    pub fn reference(&self) -> Option<&Reference<'a>> {
        match self {
            AnyReference::Name(r) => Some(r),
            AnyReference::Digest(_) => None,
        }
    }

    /// The digest: the bare one, or the reference's.
    pub fn digest(&self) -> Option<Digest<'a>> {
        match self {
            AnyReference::Name(r) => r.digest,
            AnyReference::Digest(d) => Some(*d),
        }
    }
}

impl fmt::Display for AnyReference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyReference::Name(r) => r.fmt(f),
            AnyReference::Digest(d) => d.fmt(f),
        }
    }
}

/// A [`Reference`] that owns its text: one `String` (the reference's
/// `Display` form) and the positions of its parts, as `url::Url` keeps them.
///
/// `FromStr` reads normalized, so `"ubuntu".parse::<OwnedReference>()` is
/// `docker.io/library/ubuntu`.
///
/// ```
/// use imagetag::OwnedReference;
///
/// let r: OwnedReference = "ubuntu:22.04".parse()?;
/// assert_eq!(r.to_string(), "docker.io/library/ubuntu:22.04");
/// assert_eq!(r.as_reference().tag(), Some("22.04"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct OwnedReference {
    /// Exactly as long as the text: kept references (a catalog holds many)
    /// waste no capacity.
    text: Box<str>,
    spans: Spans,
}

/// Where the parts of a reference are in its `Display` text: what an
/// [`OwnedReference`] keeps beside its text, and what an
/// [`Image`](crate::Image) keeps when its scheme value holds the text.
///
/// Every part is bounded by the grammar (path 255 bytes, tag 128, digest
/// 128 hex) but the domain, which has no limit: its end takes 32 bits, and
/// the other positions count from it in 16.
///
/// The same positions may also point into the text a name was *written*
/// as ([`Spans::written`]), where normalization implied Docker Hub: then
/// `hub` stands for the `docker.io` that is not in the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spans {
    /// Where the domain ends, as two halves (a `u32` would align the whole
    /// to 4 bytes); it starts at 0. 0: none written. A domain has no
    /// length limit, so this is the one position that needs 32 bits.
    domain_end: [u16; 2],
    /// The path, `text[path.0..path.1]` counted from `domain_end`.
    path: (u16, u16),
    /// Where the tag ends, from `domain_end`; it starts right after the
    /// path and a `:`. 0: no tag.
    tag_end: u16,
    /// Where the digest's hex ends, from `domain_end`; it starts right
    /// after the tag (or the path), an `@`, the algorithm and a `:`.
    /// 0: no digest.
    digest_end: u16,
    algorithm: Algorithm,
    /// [`HUB`] and [`LIBRARY`].
    flags: u8,
}

/// The domain is `docker.io`, implied (not in the text).
const HUB: u8 = 1;
/// `library/` is implied before the path.
const LIBRARY: u8 = 2;

impl Spans {
    /// Positions from `domain_end` (`base`) on: a path, a tag and a digest
    /// take at most a few hundred bytes (see the grammar), so they always
    /// fit 16 bits, whatever the domain's length.
    #[inline]
    fn new(base: usize, path: (usize, usize), tag_end: usize, digest: (Algorithm, usize)) -> Spans {
        let rel = |at: usize| (at - base) as u16;
        let end = base as u32;
        Spans {
            domain_end: [end as u16, (end >> 16) as u16],
            path: (rel(path.0), rel(path.1)),
            tag_end: if tag_end == 0 { 0 } else { rel(tag_end) },
            digest_end: if digest.1 == 0 { 0 } else { rel(digest.1) },
            algorithm: digest.0,
            flags: 0,
        }
    }

    fn domain_end(&self) -> usize {
        usize::from(self.domain_end[0]) | usize::from(self.domain_end[1]) << 16
    }

    /// The positions of `r`'s parts in its `Display` text, and that text's
    /// length, computed without writing it. Inlined (as is
    /// [`written`](Self::written)): positions built a `u16` at a time and
    /// returned through memory are read back whole, which stalls.
    #[inline]
    pub(crate) fn of(r: &Reference<'_>) -> (Spans, usize) {
        let domain_end = r.domain.map_or(0, str::len);
        let lead = domain_end
            + usize::from(r.domain.is_some())
            + if r.library {
                OFFICIAL_NAMESPACE.len() + 1
            } else {
                0
            };
        let path_end = lead + r.path.len();
        let mut at = path_end;
        let tag_end = r.tag.map_or(0, |t| {
            at += 1 + t.len();
            at
        });
        let digest = r.digest.map_or((Algorithm::Sha256, 0), |d| {
            at += 2 + d.algorithm.as_str().len() + d.hex.len();
            (d.algorithm, at)
        });
        let mut spans = Spans::new(domain_end, (lead, path_end), tag_end, digest);
        if r.library {
            spans.flags = LIBRARY;
        }
        (spans, at)
    }

    /// The borrowed view of `text`, the `Display` text these positions were
    /// computed for.
    pub(crate) fn view<'t>(&self, text: &'t str) -> Reference<'t> {
        let base = self.domain_end();
        let at = |a: u16, b: u16| &text[base + usize::from(a)..base + usize::from(b)];
        let path = at(self.path.0, self.path.1);
        let tag = (self.tag_end != 0).then(|| at(self.path.1 + 1, self.tag_end));
        let digest = (self.digest_end != 0).then(|| {
            let start = if self.tag_end != 0 {
                self.tag_end
            } else {
                self.path.1
            };
            Digest {
                algorithm: self.algorithm,
                hex: at(
                    start + 2 + self.algorithm.as_str().len() as u16,
                    self.digest_end,
                ),
            }
        });
        Reference {
            name_at: name_at(path),
            domain: if self.flags & HUB != 0 {
                Some(DEFAULT_DOMAIN)
            } else {
                (base != 0).then(|| &text[..base])
            },
            library: self.flags & LIBRARY != 0,
            path,
            tag,
            digest,
        }
    }
}

impl Spans {
    /// The positions of `r`'s parts in `text`, the text `r` was read from
    /// (or one that starts with it): `None` when a part was not written
    /// there in its place (other than an implied `docker.io`). The view of
    /// `text` is then `r` again, and no copy of the normalized text is
    /// needed.
    #[inline]
    pub(crate) fn written(r: &Reference<'_>, text: &str) -> Option<Spans> {
        let base = text.as_ptr() as usize;
        let span = |part: &str| -> Option<(usize, usize)> {
            let a = (part.as_ptr() as usize).checked_sub(base)?;
            let b = a.checked_add(part.len())?;
            (b <= text.len()).then_some((a, b))
        };
        let (domain_end, hub) = match r.domain {
            None => (0, false),
            Some(d) => match span(d) {
                Some((0, b)) => (b, false),
                Some(_) => return None,
                None if d == DEFAULT_DOMAIN => (0, true),
                None => return None,
            },
        };
        let path = span(r.path)?;
        if path.0 < domain_end {
            return None;
        }
        let mut end = path.1;
        let tag_end = match r.tag {
            Some(t) => match span(t)? {
                (a, b) if a == end + 1 => {
                    end = b;
                    b
                }
                _ => return None,
            },
            None => 0,
        };
        let digest = match r.digest {
            Some(d) => match span(d.hex)? {
                (a, b) if a == end + 2 + d.algorithm.as_str().len() => (d.algorithm, b),
                _ => return None,
            },
            None => (Algorithm::Sha256, 0),
        };
        let mut spans = Spans::new(domain_end, path, tag_end, digest);
        spans.flags = if hub { HUB } else { 0 } | if r.library { LIBRARY } else { 0 };
        Some(spans)
    }
}

impl OwnedReference {
    /// Reads `s` normalized and keeps an owned copy.
    pub fn parse(s: &str) -> Result<OwnedReference, Error> {
        Reference::parse_normalized(s).map(OwnedReference::from)
    }

    /// The borrowed view, with every accessor.
    pub fn as_reference(&self) -> Reference<'_> {
        self.spans.view(&self.text)
    }

    /// The reference as text (its `Display` form).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<Reference<'_>> for OwnedReference {
    fn from(r: Reference<'_>) -> Self {
        let (spans, len) = Spans::of(&r);
        let mut text = String::with_capacity(len);
        r.push_display(&mut text);
        debug_assert_eq!(text.len(), len);
        OwnedReference {
            text: text.into_boxed_str(),
            spans,
        }
    }
}

impl Reference<'_> {
    /// Appends the `Display` text to `out`, without the formatting
    /// machinery.
    fn push_display(&self, out: &mut String) {
        if let Some(d) = self.domain {
            out.push_str(d);
            out.push('/');
        }
        if self.library {
            out.push_str(OFFICIAL_NAMESPACE);
            out.push('/');
        }
        out.push_str(self.path);
        if let Some(t) = self.tag {
            out.push(':');
            out.push_str(t);
        }
        if let Some(d) = self.digest {
            out.push('@');
            out.push_str(d.algorithm.as_str());
            out.push(':');
            out.push_str(d.hex);
        }
    }
}

impl Reference<'_> {
    /// Whether the `Display` text is the canonical repository, `:` and
    /// the tag: what [`push_canonical_repository`](Self::push_canonical_repository)
    /// and the tag spell (a VESSL or generic value's name, when the
    /// registry is lowercase), decided without comparing text. True when a
    /// domain is given, is not a legacy spelling, and `library/` is written
    /// exactly where the canonical form has it, and there is a tag and no
    /// digest.
    #[inline]
    pub(crate) fn displays_as_canonical_name(&self) -> bool {
        match self.domain {
            Some(d) if self.tag.is_some() && self.digest.is_none() => {
                d != LEGACY_DOMAIN
                    && self.canonical_domain().1 == self.library
                    && !d.bytes().any(|b| b.is_ascii_uppercase())
            }
            _ => false,
        }
    }
}

impl Reference<'_> {
    /// The canonical name (the canonical repository, `:` and the tag: what
    /// [`displays_as_canonical_name`](Self::displays_as_canonical_name)
    /// says the `Display` text is) as one slice of `input`, when `input`
    /// holds it byte for byte (`quay.io/vessl-ai/torch:2.3.0`): a value
    /// then copies it at once rather than part by part. Checked by
    /// position, separators included, so a reference not read from
    /// `input` gets `None`.
    #[inline]
    pub(crate) fn canonical_name_in<'i>(&self, input: &'i str) -> Option<&'i str> {
        let (d, t) = (self.domain?, self.tag?);
        let base = input.as_ptr() as usize;
        let at = |s: &str| (s.as_ptr() as usize).checked_sub(base);
        let (start, path_at, tag_at) = (at(d)?, at(self.path)?, at(t)?);
        let text = input.get(start..tag_at.checked_add(t.len())?)?;
        // After the positions: an implied `docker.io` (most names on
        // Docker Hub) is ruled out without scanning the host.
        if !self.displays_as_canonical_name() {
            return None;
        }
        let sep = if self.library { "/library/" } else { "/" };
        let slash = input.get(start + d.len()..path_at)?;
        let colon = input.get(path_at + self.path.len()..tag_at)?;
        (slash == sep && colon == ":").then_some(text)
    }
}

impl FromStr for OwnedReference {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        OwnedReference::parse(s)
    }
}

impl fmt::Display for OwnedReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for OwnedReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OwnedReference({:?})", self.text)
    }
}

impl PartialEq for OwnedReference {
    fn eq(&self, other: &Self) -> bool {
        self.as_reference() == other.as_reference()
    }
}

impl Eq for OwnedReference {}

impl Hash for OwnedReference {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_reference().hash(state);
    }
}

impl AsRef<str> for OwnedReference {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<OwnedReference> for String {
    fn from(r: OwnedReference) -> String {
        r.text.into_string()
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::{OwnedReference, Reference};
    use serde::de::{self, Visitor};
    use std::fmt;

    impl serde::Serialize for Reference<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl serde::Serialize for OwnedReference {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl<'de> serde::Deserialize<'de> for OwnedReference {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = OwnedReference;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a container image reference")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<OwnedReference, E> {
                    OwnedReference::parse(s).map_err(E::custom)
                }
            }
            d.deserialize_str(V)
        }
    }
}

// ---------------------------------------------------------------------------
// The grammar

const EXPECT_PATH: Why = Why::syntax(
    Component::Path,
    "expected a lowercase letter or digit in the repository path",
);
const EXPECT_AFTER_SEPARATOR: Why = Why::syntax(
    Component::Path,
    "expected a lowercase letter or digit after a separator in the repository path",
);
const EXPECT_PATH_END: Why = Why::syntax(
    Component::Path,
    "expected '/', ':', '@' or the end after a path component",
);
const EXPECT_DOMAIN: Why = Why::syntax(
    Component::Domain,
    "expected a letter or digit in the domain",
);
const EXPECT_DOMAIN_END: Why = Why::syntax(
    Component::Domain,
    "expected a letter, digit, '-', '.', ':' or '/' in the domain",
);
const EXPECT_PORT: Why = Why::syntax(Component::Port, "expected a port number of digits");
const EXPECT_IPV6: Why = Why::syntax(Component::Domain, "expected an IPv6 address in brackets");
const EXPECT_TAG: Why = Why::syntax(
    Component::Tag,
    "expected a letter, digit or '_' to start the tag",
);
const EXPECT_TAG_END: Why = Why::syntax(
    Component::Tag,
    "expected a letter, digit, '_', '.' or '-' in the tag",
);
const EXPECT_ALGORITHM: Why = Why::syntax(
    Component::Digest,
    "expected a digest algorithm (sha256, sha384 or sha512) and ':'",
);
const EXPECT_HEX: Why = Why::syntax(
    Component::Digest,
    "expected a lowercase hexadecimal digit in the digest",
);
const EXPECT_END_DIGEST: Why = Why::syntax(
    Component::Digest,
    "expected a lowercase hexadecimal digit in the digest",
);
const UPPERCASE_PATH: Why = Why {
    kind: ErrorKind::Uppercase,
    component: Component::Path,
    expected: "repository path must be lowercase",
};
const EMPTY: Why = Why {
    kind: ErrorKind::Empty,
    component: Component::Name,
    expected: "expected a repository name",
};

/// Turns a failed parse into the public error.
#[cold]
fn finish(e: nom::Err<PErr<'_>>, s: &str) -> Error {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e.into_error(SUBJECT, s),
        // Only streaming parsers report Incomplete; every parser here is complete.
        nom::Err::Incomplete(_) => Error::new(
            ErrorKind::Syntax,
            SUBJECT,
            s,
            s.len(),
            "",
            Component::Name,
            "unexpected end of input",
        ),
    }
}

// alpha-numeric ::= [a-z0-9]+
// An uppercase letter here is its own error, naming the whole component.
fn alnum<'a>(why: Why) -> impl Fn(&'a str) -> Res<'a, &'a str> {
    move |i: &'a str| match class1(class::LOWER_ALNUM, why)(i) {
        Ok(ok) => Ok(ok),
        Err(e) => match i.bytes().next() {
            Some(b) if class::is(b, class::UPPER) => Err(uppercase(i)),
            _ => Err(e),
        },
    }
}

/// The uppercase error at `at`; `path_component` re-anchors it to the start
/// of the component, so that the message names the whole component.
fn uppercase(at: &str) -> nom::Err<PErr<'_>> {
    nom::Err::Error(PErr::new(at, UPPERCASE_PATH))
}

// separator ::= [_.] | "__" | "-"+
fn separator(i: &str) -> Res<'_, &str> {
    let b = i.as_bytes();
    let n = match b.first() {
        Some(b'.') => 1,
        Some(b'_') if b.get(1) == Some(&b'_') => 2,
        Some(b'_') => 1,
        Some(b'-') => b.iter().take_while(|&&c| c == b'-').count(),
        _ => return PErr::err(i, EXPECT_PATH_END),
    };
    Ok((&i[n..], &i[..n]))
}

// path-component ::= alpha-numeric ( separator alpha-numeric )*
fn path_component<'a>(i: &'a str) -> Res<'a, &'a str> {
    let anchor = |e: nom::Err<PErr<'a>>| -> nom::Err<PErr<'a>> {
        match e {
            nom::Err::Error(p) if p.why.kind == ErrorKind::Uppercase => {
                let len = i.find(['/', ':', '@']).unwrap_or(i.len());
                nom::Err::Error(PErr::new(i, UPPERCASE_PATH).spanning(len))
            }
            e => e,
        }
    };
    let (mut rest, _) = alnum(EXPECT_PATH)(i).map_err(anchor)?;
    while let Ok((after_sep, _)) = separator(rest) {
        let (r, _) = alnum(EXPECT_AFTER_SEPARATOR)(after_sep).map_err(anchor)?;
        rest = r;
    }
    let len = i.len() - rest.len();
    // An uppercase letter right after a component ("abcD") is still a case error.
    if rest
        .bytes()
        .next()
        .is_some_and(|b| class::is(b, class::UPPER))
    {
        return Err(anchor(uppercase(rest)));
    }
    Ok((rest, &i[..len]))
}

// path ::= path-component ( "/" path-component )*
fn path(i: &str) -> Res<'_, &str> {
    let (mut rest, _) = path_component(i)?;
    while let Some(after) = rest.strip_prefix('/') {
        let (r, _) = path_component(after)?;
        rest = r;
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

// domain-component ::= [a-zA-Z0-9] | [a-zA-Z0-9] [a-zA-Z0-9-]* [a-zA-Z0-9]
fn domain_component(i: &str) -> Res<'_, &str> {
    let (_, first) = class1(class::ALNUM, EXPECT_DOMAIN)(i)?;
    let n = first.len()
        + i[first.len()..]
            .bytes()
            .take_while(|&b| b == b'-' || class::is(b, class::ALNUM))
            .count();
    let s = &i[..n];
    if s.ends_with('-') {
        let last = s.len() - s.trim_end_matches('-').len();
        return Err(nom::Err::Error(PErr::new(
            &i[n - last..],
            Why::syntax(Component::Domain, "a domain component cannot end with '-'"),
        )));
    }
    Ok((&i[n..], s))
}

// host ::= domain-name | "[" ipv6 "]"
// domain-name ::= domain-component ( "." domain-component )*
fn host(i: &str) -> Res<'_, &str> {
    if let Some(inner) = i.strip_prefix('[') {
        let (rest, _) = class1(class::IPV6, EXPECT_IPV6)(inner)?;
        let Some(rest) = rest.strip_prefix(']') else {
            return PErr::err(
                rest,
                Why::syntax(Component::Domain, "expected ']' to close the IPv6 address"),
            );
        };
        return Ok((rest, &i[..i.len() - rest.len()]));
    }
    let (mut rest, _) = domain_component(i)?;
    while let Some(after) = rest.strip_prefix('.') {
        let (r, _) = domain_component(after)?;
        rest = r;
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

// domain ::= host [ ":" port ]
fn domain(i: &str) -> Res<'_, &str> {
    let (mut rest, _) = host(i)?;
    if let Some(after) = rest.strip_prefix(':') {
        let (r, _) = class1(class::DIGIT, EXPECT_PORT)(after)?;
        rest = r;
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

// tag ::= [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
fn tag(i: &str) -> Res<'_, &str> {
    if !i.bytes().next().is_some_and(|b| class::is(b, class::WORD)) {
        return PErr::err(i, EXPECT_TAG);
    }
    let n = class::span(i, class::TAG);
    if n > TAG_MAX {
        let why = Why {
            kind: ErrorKind::TooLong,
            component: Component::Tag,
            expected: "tag must be at most 128 characters",
        };
        return Err(nom::Err::Error(
            PErr::new(&i[TAG_MAX..], why).spanning(n - TAG_MAX),
        ));
    }
    Ok((&i[n..], &i[..n]))
}

// digest ::= algorithm ":" hex
fn digest(i: &str) -> Res<'_, Digest<'_>> {
    let n = i
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'_' | b'-'))
        .count();
    let name = &i[..n];
    let Some(hex) = i[n..].strip_prefix(':') else {
        return PErr::err(&i[n..], EXPECT_ALGORITHM);
    };
    let Some(algorithm) = Algorithm::from_name(name) else {
        let why = Why {
            kind: ErrorKind::UnsupportedDigest,
            component: Component::Digest,
            expected: "expected a digest algorithm sha256, sha384 or sha512",
        };
        return Err(nom::Err::Error(PErr::new(i, why).spanning(n.max(1))));
    };
    let len = class::span(hex, class::LOWER_HEX);
    if len != algorithm.hex_len() {
        if len < hex.len() && len < algorithm.hex_len() {
            return PErr::err(&hex[len..], EXPECT_HEX);
        }
        let why = Why {
            kind: ErrorKind::Syntax,
            component: Component::Digest,
            expected: match algorithm {
                Algorithm::Sha256 => "expected 64 hexadecimal digits in a sha256 digest",
                Algorithm::Sha384 => "expected 96 hexadecimal digits in a sha384 digest",
                Algorithm::Sha512 => "expected 128 hexadecimal digits in a sha512 digest",
            },
        };
        return Err(nom::Err::Error(PErr::new(hex, why).spanning(hex.len())));
    }
    Ok((
        &hex[len..],
        Digest {
            algorithm,
            hex: &hex[..len],
        },
    ))
}

/// `[":" tag] ["@" digest]` and the end of the input, after a path.
fn tag_and_digest(i: &str) -> Res<'_, (Option<&str>, Option<Digest<'_>>)> {
    let (i, t) = match i.strip_prefix(':') {
        Some(after) => {
            let (r, t) = tag(after)?;
            (r, Some(t))
        }
        None => (i, None),
    };
    let (i, d) = match i.strip_prefix('@') {
        Some(after) => {
            let (r, d) = digest(after)?;
            (r, Some(d))
        }
        None => (i, None),
    };
    if !i.is_empty() {
        let why = if d.is_some() {
            EXPECT_END_DIGEST
        } else if t.is_some() {
            EXPECT_TAG_END
        } else {
            EXPECT_PATH_END
        };
        return PErr::err(i, why);
    }
    Ok((i, (t, d)))
}

/// `path [":" tag] ["@" digest]` after the domain, if any. `normalize`
/// adds Docker Hub's `library/` to a one-component path.
fn remainder<'a>(
    i: &'a str,
    domain: Option<&'a str>,
    normalize: bool,
) -> Result<Reference<'a>, nom::Err<PErr<'a>>> {
    let (rest, p) = path(i)?;
    let (_, (t, d)) = tag_and_digest(rest)?;
    Reference::assemble(domain, p, t, d, normalize)
}

/// Where the last component of `path` (at most 255 bytes) starts.
fn name_at(path: &str) -> u8 {
    path.bytes()
        .rposition(|b| b == b'/')
        .map_or(0, |i| u8::try_from(i + 1).unwrap_or(u8::MAX))
}

impl<'a> Reference<'a> {
    /// Builds a reference from checked parts: `library/` folded into the flag
    /// for Docker Hub (or added, when `normalize`), and the path length
    /// limit checked.
    fn assemble(
        domain: Option<&'a str>,
        path: &'a str,
        tag: Option<&'a str>,
        digest: Option<Digest<'a>>,
        normalize: bool,
    ) -> Result<Reference<'a>, nom::Err<PErr<'a>>> {
        let hub = domain == Some(DEFAULT_DOMAIN);
        // One search for the last `/` serves the checks below and `name`.
        let last = path.bytes().rposition(|b| b == b'/');
        let (library, path) = match path.strip_prefix("library/") {
            Some(rest) if hub && last == Some(OFFICIAL_NAMESPACE.len()) => (true, rest),
            _ => (hub && normalize && last.is_none(), path),
        };
        let len = path.len()
            + if library {
                OFFICIAL_NAMESPACE.len() + 1
            } else {
                0
            };
        if len > PATH_MAX {
            let why = Why {
                kind: ErrorKind::TooLong,
                component: Component::Path,
                expected: "repository path must be at most 255 characters",
            };
            let at = PATH_MAX.saturating_sub(len - path.len());
            return Err(nom::Err::Error(
                PErr::new(&path[at..], why).spanning(path.len() - at),
            ));
        }
        Ok(Reference {
            domain,
            library,
            name_at: name_at(path),
            path,
            tag,
            digest,
        })
    }
}

// reference ::= [ domain "/" ] path [ ":" tag ] [ "@" digest ]
// The first component is the domain when the grammar allows it; otherwise
// the whole name is a path. Of two failures, the one that got further is
// reported.
fn strict(s: &str) -> Result<Reference<'_>, nom::Err<PErr<'_>>> {
    if s.is_empty() {
        return PErr::err(s, EMPTY);
    }
    let with_domain = match s.find('/') {
        Some(slash) => match (domain, end(EXPECT_DOMAIN_END)).parse(&s[..slash]) {
            Ok((_, (d, ()))) => match remainder(&s[slash + 1..], Some(d), false) {
                Ok(r) => return Ok(r),
                Err(e) => Some(e),
            },
            Err(e) => Some(e),
        },
        None => None,
    };
    match remainder(s, None, false) {
        Ok(r) => Ok(r),
        Err(e) => Err(match (with_domain, e) {
            (
                Some(nom::Err::Error(a) | nom::Err::Failure(a)),
                nom::Err::Error(b) | nom::Err::Failure(b),
            ) => nom::Err::Error(further(a, b)),
            (_, e) => e,
        }),
    }
}

/// Of two errors in `s`, the one that got further. `PErr::furthest` compares
/// what is left after each, which misleads here: the domain is read from
/// the text before the first '/', so its error has less left.
fn further<'a>(a: PErr<'a>, b: PErr<'a>) -> PErr<'a> {
    if b.at.as_ptr() > a.at.as_ptr() {
        b
    } else {
        a
    }
}

/// Whether the first component of a name is a domain in normalized reading.
fn looks_like_domain(first: &str) -> bool {
    first.contains(['.', ':'])
        || first == "localhost"
        || first.bytes().any(|b| b.is_ascii_uppercase())
}

/// A 64-character lowercase hex string: an image ID, never a name.
fn is_identifier(s: &str) -> bool {
    s.len() == 64 && class::span(s, class::LOWER_HEX) == 64
}

fn normalized(s: &str) -> Result<Reference<'_>, nom::Err<PErr<'_>>> {
    if s.is_empty() {
        return PErr::err(s, EMPTY);
    }
    if is_identifier(s) {
        let why = Why {
            kind: ErrorKind::Identifier,
            component: Component::Name,
            expected: "expected a repository name, not a 64-character hexadecimal image ID",
        };
        return Err(nom::Err::Error(PErr::new(s, why).spanning(s.len())));
    }
    let (domain, rest) = match s.split_once('/') {
        Some((first, rest)) if looks_like_domain(first) => {
            match (domain, end(EXPECT_DOMAIN_END)).parse(first) {
                Ok((_, (d, ()))) if d == LEGACY_DOMAIN => (DEFAULT_DOMAIN, rest),
                Ok((_, (d, ()))) => (d, rest),
                // Not a domain after all (`x_y.io/app`): Docker then reads
                // the whole name as a path with no domain, as strict mode
                // does. If that fails too, the domain's error is the one
                // to report (the name was written as if it had one), unless
                // the path reading got past the first '/'.
                Err(e) => {
                    return remainder(s, None, true).map_err(|p| match p {
                        nom::Err::Error(p) if p.at.as_ptr() >= rest.as_ptr() => nom::Err::Error(p),
                        _ => e,
                    })
                }
            }
        }
        _ => (DEFAULT_DOMAIN, s),
    };
    remainder(rest, Some(domain), true)
}

/// A `fmt::Write` that checks text against a string instead of writing it.
struct Compare<'a> {
    rest: &'a str,
    diverged: bool,
}

impl fmt::Write for Compare<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.rest.strip_prefix(s) {
            Some(r) if !self.diverged => self.rest = r,
            _ => self.diverged = true,
        }
        Ok(())
    }
}

/// The largest char boundary at or below `at` (`str::floor_char_boundary` is
/// not stable at our MSRV).
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A domain has no length limit: an owned reference (and an image) with
    /// a 70 000-byte domain reads every part back, as do the short ones.
    #[test]
    fn owned_positions_past_16_bits() {
        let long = format!("{}.example.com", "a".repeat(70_000));
        let hex = "b".repeat(64);
        for name in [
            format!("{long}/team/app:1.2@sha256:{hex}"),
            format!("{long}:5000/app@sha256:{hex}"),
            format!("{long}/app"),
            "ubuntu".to_owned(),
            format!("ubuntu:22.04@sha256:{hex}"),
        ] {
            let r = Reference::parse_normalized(&name).unwrap();
            let owned = r.into_owned();
            let back = owned.as_reference();
            assert_eq!(back.to_string(), r.to_string(), "{name}");
            assert!(back.same_text(&r), "{name}");
            assert_eq!((back.tag(), back.digest()), (r.tag(), r.digest()));
            let img = crate::Image::parse(&name).unwrap();
            assert!(img.reference().same_text(&r), "{name}");
        }
    }

    /// A name written in canonical form is lent whole; any other spelling,
    /// or a reference not read from the text, is not.
    #[test]
    fn canonical_name_in_the_text_as_written() {
        fn lent(s: &str) -> Option<&str> {
            Reference::parse_normalized(s).unwrap().canonical_name_in(s)
        }
        for s in [
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5",
            "docker.io/library/ubuntu:22.04",
            "localhost:5000/app:1",
        ] {
            assert_eq!(lent(s), Some(s), "{s}");
        }
        let hex = "a".repeat(64);
        for s in [
            "ubuntu:22.04".to_owned(),                     // docker.io implied
            "docker.io/ubuntu:22.04".to_owned(),           // library/ implied
            "index.docker.io/library/ubuntu:1".to_owned(), // legacy host
            "Quay.io/vessl-ai/torch:2.3.0".to_owned(),     // host not lowercase
            "quay.io/vessl-ai/torch".to_owned(),           // no tag
            format!("quay.io/vessl-ai/torch:2.3.0@sha256:{hex}"),
        ] {
            assert_eq!(lent(&s), None, "{s}");
        }
        // Parts from another text, or a tag set afterwards, are not lent.
        let a = "quay.io/vessl-ai/torch:2.3.0";
        let b = a.to_owned();
        let r = Reference::parse_normalized(a).unwrap();
        assert_eq!(r.canonical_name_in(&b), None);
        let t = "quay.io/vessl-ai/torch:2.3.0-2.3.0";
        let r = Reference::parse_normalized(t).unwrap();
        let moved = r.with_tag(Some(&t[t.len() - 5..]));
        assert_eq!(moved.canonical_name_in(t), None);
    }
}
