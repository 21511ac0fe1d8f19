//! The crate's one error type.
//!
//! Every error says what was expected, what was found, at which byte, in which
//! component of the name, and in which input:
//!
//! ```text
//! invalid reference "Quay.io/Vessl-AI/torch": repository path must be lowercase at byte 8 ("Vessl-AI")
//! ```
//!
//! Errors are built only on the failure path (`#[cold]`), so parsing a valid
//! name never touches the heap.

use std::fmt;

/// The part of a name that was being read when an error occurred.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Component {
    /// The whole name (empty input, trailing garbage, a non-canonical form).
    Name,
    /// The registry host (`quay.io`, `localhost`, `[::1]`).
    Domain,
    /// The registry port (`5000`).
    Port,
    /// The repository path (`vessl-ai/torch`).
    Path,
    /// The tag (`2.3.0-cuda12.4-r5`).
    Tag,
    /// The digest (`sha256:…`).
    Digest,
    /// A scheme's framework (`tensorflow`).
    Framework,
    /// An NGC release (`24.01`).
    Release,
    /// A version number (`2.3.0`, `r2019b`).
    Version,
    /// A variant (`tf2`, `trtllm-python`, `devel`).
    Variant,
    /// A Python part (`py3`, `py3.11`).
    Python,
    /// A package in place of Python (`tensorflow` in `digits-19.08-tensorflow`).
    Package,
    /// A CUDA version (`cuda12.4`).
    Cuda,
    /// A cuDNN version (`cudnn9`).
    Cudnn,
    /// A revision (`r5`).
    Revision,
    /// A suffix (`sdk`, `igpu`).
    Suffix,
    /// An operating system (`ubuntu22.04`).
    Os,
    /// A query or requirement given to a catalog.
    Query,
}

impl Component {
    /// The component's name in words, as used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Name => "name",
            Component::Domain => "domain",
            Component::Port => "port",
            Component::Path => "repository path",
            Component::Tag => "tag",
            Component::Digest => "digest",
            Component::Framework => "framework",
            Component::Release => "release",
            Component::Version => "version",
            Component::Variant => "variant",
            Component::Python => "python",
            Component::Package => "package",
            Component::Cuda => "cuda",
            Component::Cudnn => "cudnn",
            Component::Revision => "revision",
            Component::Suffix => "suffix",
            Component::Os => "os",
            Component::Query => "query",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of mistake an [`Error`] reports, for callers that need to match.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input, or a required part of it, is empty.
    Empty,
    /// A character that the grammar does not allow at this place.
    Syntax,
    /// Uppercase letters where only lowercase is allowed.
    Uppercase,
    /// A part longer than the grammar allows.
    TooLong,
    /// A number too large to represent.
    Overflow,
    /// A digest whose algorithm is not `sha256`, `sha384` or `sha512`.
    UnsupportedDigest,
    /// A 64-character hexadecimal image ID where a name was expected.
    Identifier,
    /// The input is valid but not in the form the reading mode requires
    /// (not canonical, or a tag where only a name is allowed).
    Form,
    /// A valid reference that is not a valid name of the requested scheme.
    Scheme,
    /// The input bytes are not UTF-8.
    Utf8,
    /// A name that could not be resolved or matched against a set of tags:
    /// `no match for alias "…": expected …`, with no byte offset.
    NotFound,
    /// A set of tags that gives no single answer: an alias whose candidates
    /// do not order, so the newest is unknown (`conflict for alias "…": …`).
    Conflict,
    /// A word that names none of the values of an enum ([`Scheme`](crate::Scheme),
    /// [`Mode`](crate::Mode), ...): `unknown scheme "bogus": expected one of …`.
    Unknown,
    /// A registry could not be asked, or answered wrongly: the connection,
    /// a timeout, a status, the protocol, a limit, or credentials. The
    /// message is the registry client's, and
    /// [`std::error::Error::source`] is its own error (`registry::Error`,
    /// feature `registry`) with the finer kind. A registry's "no such
    /// repository or tag" (404) is [`ErrorKind::NotFound`] instead.
    Network,
}

impl ErrorKind {
    /// The kind as a short lowercase word (`syntax`, `uppercase`), as
    /// `imagetag explain --json` reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Uppercase => "uppercase",
            ErrorKind::TooLong => "too_long",
            ErrorKind::Overflow => "overflow",
            ErrorKind::UnsupportedDigest => "unsupported_digest",
            ErrorKind::Identifier => "identifier",
            ErrorKind::Form => "form",
            ErrorKind::Scheme => "scheme",
            ErrorKind::Utf8 => "utf8",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unknown => "unknown",
            ErrorKind::Network => "network",
        }
    }
}

/// An error from reading, comparing or resolving an image name.
///
/// `Display` gives one line a person can act on; the accessors give the
/// parts of it to programs. `Debug` shows the same message. The line reads
/// as what happened:
///
/// - a syntax or scheme error names the byte and what was found there:
///   `invalid TWCC name "tensorflow_21.11-tf2-py3": expected '-' between the framework and the release at byte 10 ("_")`;
/// - [`ErrorKind::NotFound`]: `no match for alias "quay.io/vessl-ai/torch:2.5.0-cuda12.4": expected the alias or a -rN revision of it in the tag list`;
/// - [`ErrorKind::Conflict`]: `conflict for alias "…": …`;
/// - [`ErrorKind::Unknown`]: `unknown scheme "bogus": expected one of twcc, ngc, vessl, generic`.
///
/// - [`ErrorKind::Network`]: the registry client's line, `registry
///   127.0.0.1:5000: http://…/tags/list: …`, made from its own error
///   (`registry::Error`, feature `registry`; `From` converts it), which
///   [`source`](std::error::Error::source) returns with its finer kind
///   (transport, timeout, unauthorized, ...).
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    subject: &'static str,
    input: String,
    offset: usize,
    found: Found,
    component: Component,
    expected: String,
    /// The registry client's error this one was made from.
    #[cfg(feature = "registry")]
    registry: Option<crate::registry::Error>,
}

impl Error {
    /// Builds an error. `subject` names the kind of input in the message
    /// (`"reference"`, `"TWCC name"`), `expected` is the phrase that says what
    /// was wrong, `found` the offending text (empty at the end of input).
    #[cold]
    #[inline(never)]
    pub(crate) fn new(
        kind: ErrorKind,
        subject: &'static str,
        input: &str,
        offset: usize,
        found: &str,
        component: Component,
        expected: impl Into<String>,
    ) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                subject,
                input: input.to_owned(),
                offset,
                found: Found::Text(found.to_owned()),
                component,
                expected: expected.into(),
                #[cfg(feature = "registry")]
                registry: None,
            }),
        }
    }

    /// Builds an error about input bytes that are not UTF-8.
    #[cold]
    #[inline(never)]
    pub(crate) fn utf8(subject: &'static str, input: &[u8], err: std::str::Utf8Error) -> Self {
        let at = err.valid_up_to();
        let bad = &input[at..at + err.error_len().unwrap_or(input.len() - at)];
        let found: String = bad.iter().map(|b| format!("\\x{b:02x}")).collect();
        let mut e = Error::new(
            ErrorKind::Utf8,
            subject,
            &String::from_utf8_lossy(input),
            at,
            "",
            Component::Name,
            "expected UTF-8 text",
        );
        e.inner.found = Found::Bytes(found);
        e
    }

    /// Replaces the subject ("reference") with another ("TWCC name"), for a
    /// scheme that reads a reference first.
    #[cold]
    #[allow(dead_code)] // for scheme readers that read a reference first
    pub(crate) fn with_subject(mut self, subject: &'static str) -> Self {
        self.inner.subject = subject;
        self
    }

    /// What kind of mistake this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The whole input that was being read.
    pub fn input(&self) -> &str {
        &self.inner.input
    }

    /// The byte offset in [`input`](Self::input) where the problem starts.
    pub fn offset(&self) -> usize {
        self.inner.offset
    }

    /// The text found at [`offset`](Self::offset): a character, a component,
    /// or the empty string at the end of the input.
    pub fn found(&self) -> &str {
        match &self.inner.found {
            Found::Text(s) | Found::Bytes(s) => s,
        }
    }

    /// The component being read.
    pub fn component(&self) -> Component {
        self.inner.component
    }

    /// What was expected, in words (`"repository path must be lowercase"`).
    pub fn expected(&self) -> &str {
        &self.inner.expected
    }
}

/// The text an error found: quoted text, escaped bytes, or nothing (the end
/// of the input).
#[derive(Clone, PartialEq, Eq)]
enum Found {
    Text(String),
    Bytes(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Text(s) if s.is_empty() => f.write_str("end of input"),
            Found::Text(s) => write!(f, "{s:?}"),
            Found::Bytes(s) => write!(f, "\"{s}\""),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        #[cfg(feature = "registry")]
        if let Some(e) = &i.registry {
            return fmt::Display::fmt(e, f);
        }
        match i.kind {
            ErrorKind::NotFound => {
                write!(
                    f,
                    "no match for {} {:?}: {}",
                    i.subject, i.input, i.expected
                )
            }
            ErrorKind::Conflict => {
                write!(
                    f,
                    "conflict for {} {:?}: {}",
                    i.subject, i.input, i.expected
                )
            }
            ErrorKind::Unknown => write!(f, "unknown {} {:?}: {}", i.subject, i.input, i.expected),
            _ => write!(
                f,
                "invalid {} {:?}: {} at byte {} ({})",
                i.subject, i.input, i.expected, i.offset, i.found
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        #[cfg(feature = "registry")]
        if let Some(e) = &self.inner.registry {
            return Some(e);
        }
        None
    }
}

#[cfg(feature = "registry")]
impl From<crate::registry::Error> for Error {
    /// A registry's failure as the crate's error: kind
    /// [`ErrorKind::NotFound`] for a 404 (no such repository or tag),
    /// [`ErrorKind::Network`] otherwise; the message is the registry
    /// client's (its server text redacted), the input the URL asked (or
    /// the registry, before any request), and the source the registry
    /// error itself.
    #[cold]
    fn from(e: crate::registry::Error) -> Error {
        use crate::registry::ErrorKind as R;
        let kind = match e.kind() {
            R::NotFound => ErrorKind::NotFound,
            _ => ErrorKind::Network,
        };
        let input = if e.url().is_empty() {
            e.registry()
        } else {
            e.url()
        };
        let mut err = Error::new(
            kind,
            "registry",
            input,
            0,
            "",
            Component::Name,
            e.to_string(),
        );
        err.inner.registry = Some(e);
        err
    }
}

/// The error of a `FromStr` for an enum of words: `input` names none of
/// `names`.
#[cold]
#[inline(never)]
pub(crate) fn unknown_word(subject: &'static str, input: &str, names: &[&str]) -> Error {
    Error::new(
        ErrorKind::Unknown,
        subject,
        input,
        0,
        input,
        Component::Name,
        format!("expected one of {}", names.join(", ")),
    )
}

impl std::str::FromStr for ErrorKind {
    type Err = Error;

    /// Reads the word [`ErrorKind::as_str`] gives (`syntax`, `not_found`).
    fn from_str(s: &str) -> Result<Self, Error> {
        const ALL: [ErrorKind; 14] = [
            ErrorKind::Empty,
            ErrorKind::Syntax,
            ErrorKind::Uppercase,
            ErrorKind::TooLong,
            ErrorKind::Overflow,
            ErrorKind::UnsupportedDigest,
            ErrorKind::Identifier,
            ErrorKind::Form,
            ErrorKind::Scheme,
            ErrorKind::Utf8,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::Unknown,
            ErrorKind::Network,
        ];
        ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = ALL.iter().map(|k| k.as_str()).collect();
            unknown_word("error kind", s, &names)
        })
    }
}

impl std::str::FromStr for Component {
    type Err = Error;

    /// Reads the words [`Component::as_str`] gives (`tag`, `repository path`).
    fn from_str(s: &str) -> Result<Self, Error> {
        const ALL: [Component; 18] = [
            Component::Name,
            Component::Domain,
            Component::Port,
            Component::Path,
            Component::Tag,
            Component::Digest,
            Component::Framework,
            Component::Release,
            Component::Version,
            Component::Variant,
            Component::Python,
            Component::Package,
            Component::Cuda,
            Component::Cudnn,
            Component::Revision,
            Component::Suffix,
            Component::Os,
            Component::Query,
        ];
        ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = ALL.iter().map(|c| c.as_str()).collect();
            unknown_word("component", s, &names)
        })
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({:?})", self.to_string())
    }
}

#[cfg(all(test, feature = "registry"))]
mod tests {
    use super::*;
    use crate::registry::{Client, Options};

    /// A real failure, not a made-up one: nothing listens on port 9 of
    /// loopback (the discard port; a test machine runs no such service).
    #[test]
    fn a_registry_failure_is_a_network_error_with_its_source() {
        let client = Client::new(Options {
            plain_http: true,
            ..Options::default()
        });
        let e = client
            .tags("127.0.0.1:9/app")
            .expect_err("nothing listens there");
        let line = e.to_string();
        let err = Error::from(e.clone());
        assert_eq!(err.kind(), ErrorKind::Network);
        assert_eq!(err.kind().as_str(), "network");
        assert_eq!(err.to_string(), line);
        assert!(line.starts_with("registry 127.0.0.1:9"), "{line}");
        let source = std::error::Error::source(&err).expect("the registry's error");
        let source = source
            .downcast_ref::<crate::registry::Error>()
            .expect("a registry::Error");
        assert_eq!(source, &e);
        assert_eq!(
            "network".parse::<ErrorKind>().ok(),
            Some(ErrorKind::Network)
        );
    }
}
