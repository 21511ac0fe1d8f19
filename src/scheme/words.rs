//! Small pieces shared by the TWCC and NGC grammars: dash-separated words,
//! scheme errors, and the parts of a reference that were actually written.

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{class, PErr, Res, Why};
use crate::version::Version;

/// Whether `part` is a slice of `whole` (not a `'static` default such as
/// `docker.io` that normalisation added).
pub(crate) fn within(whole: &str, part: &str) -> bool {
    let (w, p) = (whole.as_ptr() as usize, part.as_ptr() as usize);
    p >= w && p.saturating_add(part.len()) <= w.saturating_add(whole.len())
}

/// `part`, if it was written in `input`.
pub(crate) fn written<'a>(input: &str, part: Option<&'a str>) -> Option<&'a str> {
    part.filter(|p| within(input, p))
}

/// Docker Hub, as a name without a registry means it.
const HUB: &str = "docker.io";

/// The registry a name means, from the registry as written: Docker Hub when
/// none was written (or its legacy spelling `index.docker.io`). Compare the
/// result without ASCII case ([`host_eq`]).
pub(crate) fn host(registry: Option<&str>) -> &str {
    match registry {
        None => HUB,
        // Exactly as `Reference` normalizes it.
        Some(HUB | "index.docker.io") => HUB,
        Some(r) => r,
    }
}

/// Whether two registries as written mean the same host.
pub(crate) fn host_eq(a: Option<&str>, b: Option<&str>) -> bool {
    host(a).eq_ignore_ascii_case(host(b))
}

/// The path a name means before its last component, from the path as
/// written: `library` for an unqualified name on Docker Hub
/// (`tensorflow-20.11-tf2-py3` is `docker.io/library/tensorflow-20.11-tf2-py3`).
pub(crate) fn path<'a>(registry: Option<&str>, path: Option<&'a str>) -> Option<&'a str> {
    match path {
        None if host(registry) == HUB => Some("library"),
        p => p,
    }
}

/// The repository as people read it, the same for every spelling of one
/// image: the registry lowercase, left out with `library/` for Docker Hub
/// (`docker.io/library/tensorflow` and `tensorflow` are both `tensorflow`).
/// Tracks use it, so that familiar and canonical names are comparable.
pub(crate) fn familiar_repository(
    registry: Option<&str>,
    path: Option<&str>,
    name: &str,
) -> String {
    let h = host(registry);
    let mut s = String::with_capacity(h.len() + path.map_or(0, str::len) + name.len() + 2);
    let hub = h == HUB;
    if !hub {
        s.extend(h.chars().map(|c| c.to_ascii_lowercase()));
        s.push('/');
    }
    match path {
        Some("library") if hub => {}
        Some(p) => {
            s.push_str(p);
            s.push('/');
        }
        None => {}
    }
    s.push_str(name);
    s
}

/// Whether two names spell the same [`familiar_repository`] (registry
/// without case, `library/` implied on Docker Hub), without building it:
/// comparing tracks must not allocate.
pub(crate) fn same_repository(
    a: (Option<&str>, Option<&str>, &str),
    b: (Option<&str>, Option<&str>, &str),
) -> bool {
    a.2 == b.2 && path(a.0, a.1) == path(b.0, b.1) && host_eq(a.0, b.0)
}

/// Whether two canonical repositories or names (`domain/path...`) are the
/// same: the first component (the registry host) without ASCII case, the
/// rest exactly.
pub(crate) fn canonical_eq(a: &str, b: &str) -> bool {
    let (ha, ra) = a.split_once('/').unwrap_or(("", a));
    let (hb, rb) = b.split_once('/').unwrap_or(("", b));
    ha.eq_ignore_ascii_case(hb) && ra == rb
}

/// Hashes a canonical repository or name as [`canonical_eq`] compares it.
pub(crate) fn canonical_hash<H: std::hash::Hasher>(s: &str, state: &mut H) {
    let (h, r) = s.split_once('/').unwrap_or(("", s));
    crate::reference::hash_host(Some(h), state);
    std::hash::Hash::hash(r, state);
}

/// Values keep `u32` offsets into their text: an error for a text of 4 GiB
/// or more (only a domain of gigabytes makes one).
pub(crate) fn check_len(input: &str, subject: &'static str) -> Result<(), Error> {
    if u32::try_from(input.len()).is_ok() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::TooLong,
        subject,
        input,
        0,
        "",
        Component::Name,
        "name must be shorter than 4 GiB",
    ))
}

/// A scheme error at `at`, spanning `len` bytes (0: the next character).
pub(crate) fn fail<'a, T>(
    at: &'a str,
    len: usize,
    component: Component,
    expected: &'static str,
) -> Res<'a, T> {
    let why = Why {
        kind: ErrorKind::Scheme,
        component,
        expected,
    };
    Err(nom::Err::Error(PErr::new(at, why).spanning(len)))
}

/// A grammar error from a shared grammar function (a release, a version),
/// reported as a scheme error: the reference was valid, the scheme broke.
pub(crate) fn as_scheme(e: nom::Err<PErr<'_>>) -> nom::Err<PErr<'_>> {
    e.map(|mut p| {
        if p.why.kind == ErrorKind::Syntax {
            p.why.kind = ErrorKind::Scheme;
        }
        p
    })
}

/// The public error of a grammar result, offsets in `input`.
pub(crate) fn finish<T>(r: Res<'_, T>, subject: &'static str, input: &str) -> Result<T, Error> {
    match r {
        Ok((_, v)) => Ok(v),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_error(subject, input)),
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
    }
}

/// Splits the word at the start of `i`: everything up to the next `-` or
/// the end. Returns `(word, rest)`, `rest` starting at the `-` or empty.
pub(crate) fn word(i: &str) -> (&str, &str) {
    let n = i.find('-').unwrap_or(i.len());
    (&i[..n], &i[n..])
}

/// Whether `w` is made only of `[a-z0-9]`, and not empty.
pub(crate) fn is_plain(w: &str) -> bool {
    !w.is_empty() && class::span(w, class::LOWER_ALNUM) == w.len()
}

/// The first byte of `w` that is not `[a-z0-9]` (for an error), or the
/// word's end.
pub(crate) fn first_bad(w: &str) -> &str {
    &w[class::span(w, class::LOWER_ALNUM)..]
}

/// `prefix` followed by a version that is the whole rest of `w`
/// (`py3`, `cuda12.4`): the version text.
pub(crate) fn versioned<'a>(w: &'a str, prefix: &str) -> Option<&'a str> {
    let v = w.strip_prefix(prefix)?;
    match Version::prefix(v, Component::Version) {
        Ok(("", _)) => Some(v),
        _ => None,
    }
}

/// `prefix` followed by a version and then more text (`cuda10.0_ubuntu`):
/// the text after the version, for an error.
pub(crate) fn versioned_then<'a>(w: &'a str, prefix: &str) -> Option<&'a str> {
    let v = w.strip_prefix(prefix)?;
    match Version::prefix(v, Component::Version) {
        Ok((rest, _)) if !rest.is_empty() => Some(rest),
        _ => None,
    }
}

/// A Python part: `py` and a version (`py3`, `py3.11`).
pub(crate) fn is_python(w: &str) -> bool {
    versioned(w, "py").is_some()
}

/// The length of the `[a-z0-9]` run at the start of `s`.
pub(crate) fn span_plain(s: &str) -> usize {
    class::span(s, class::LOWER_ALNUM)
}

/// A pre-release or post-release marker written right after a version
/// (`rc2` of `1.4.0rc2`, `.post1` of `2.1.0.post1`, `dev` of `1.0dev`).
///
/// # Total ordering
///
/// By rank, then number (none before `0`): a development build, an alpha,
/// a beta and a release candidate come before the final version, a post
/// release after it: `dev < a1 < b2 < rc1 < rc2 < (final) < post1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Marker {
    rank: u8,
    number: Option<u32>,
}

impl Marker {
    /// Whether this marks a pre-release (`dev`, `alpha`, `beta`, `rc`):
    /// below the final version.
    pub(crate) fn is_pre(self) -> bool {
        self.rank < Marker::FINAL.rank
    }

    /// No marker: the final version.
    pub(crate) const FINAL: Marker = Marker {
        rank: 4,
        number: None,
    };
}

/// The markers, longest spelling first, with their rank.
const MARKERS: [(&str, u8); 7] = [
    ("dev", 0),
    ("alpha", 1),
    ("a", 1),
    ("beta", 2),
    ("b", 2),
    ("rc", 3),
    ("post", 5),
];

// marker ::= [ "." ] ( "dev" | "alpha" | "a" | "beta" | "b" | "rc" | "post" ) [0-9]*
/// A marker at the start of `i` (right after a version): the rest and the
/// marker. The caller checks that the rest ends the version's word.
pub(crate) fn marker(i: &str) -> Option<(&str, Marker)> {
    let body = i.strip_prefix('.').unwrap_or(i);
    for (word, rank) in MARKERS {
        let Some(after) = body.strip_prefix(word) else {
            continue;
        };
        let n = class::span(after, class::DIGIT);
        let number = if n == 0 {
            None
        } else {
            Some(after[..n].parse::<u32>().ok()?)
        };
        return Some((&after[n..], Marker { rank, number }));
    }
    None
}

/// Whether `b` may be part of a word of a tag beyond `[a-z0-9]`: tags allow
/// uppercase letters, `.` and `_` (`mistral_7b`, `RC`, `pth1.13`).
pub(crate) fn is_tag_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'_'
}

/// Whether `w` is a word of a tag: not empty, `[A-Za-z0-9._]`, starting
/// with a letter or digit.
pub(crate) fn is_tag_word(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) && w.bytes().all(is_tag_word_byte)
}
