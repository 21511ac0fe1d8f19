//! Naming schemes: each reads the part of a reference that it owns.
//!
//! A TWCC name keeps its release in the *repository name*
//! (`tensorflow-20.11-tf2-py3`) and a TWCC tag (`latest`, `v1`, a custom
//! tag); NGC and VESSL keep theirs in the *tag*. Every scheme value says
//! three things about itself (the [`Tagged`] trait):
//!
//! - its **track**: what must be equal for two values to be comparable
//!   (repository, CUDA line, Python, variant, ...);
//! - its **position** on that track (version, release, revision), which
//!   [`Tagged::compare`] orders;
//! - whether it is an **alias** (a moving name such as a VESSL standard tag
//!   or `latest`) or pinned.
//!
//! Two values on different tracks are *incomparable*: `compare` answers
//! `None`, never a guess.
//!
//! # Laws
//!
//! Every scheme value, and [`Image`](crate::Image), keeps the same laws
//! (`tests/it/laws.rs` checks them per scheme over generated and corpus
//! names, with and without digests):
//!
//! - `Display` prints one documented form, registry and digest included,
//!   and `parse(v.to_string()) == v`;
//! - equality is by meaning: the familiar and canonical spellings of one
//!   image are equal, and a registry host compares without ASCII case;
//! - equal values hash alike;
//! - the semantic order is the named method [`Tagged::compare`]
//!   (`Option<Ordering>`, `Some(Equal)` exactly for equal values); scheme
//!   values have no `PartialOrd` or `Ord`.
//!
//! # Representation
//!
//! A value keeps one text and offsets into it, as `url::Url` keeps a URL
//! and [`OwnedReference`](crate::OwnedReference) a reference: its accessors
//! slice that text, and building a value costs one allocation, the text
//! itself. A VESSL or generic value keeps its canonical name
//! (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`), which an `Image` written in
//! that form borrows instead of copying; a TWCC value keeps the name as
//! written, with `u32` offsets for the registry and path (a domain has no
//! length limit) and `u8` offsets into the image name (a repository path
//! is at most 255 bytes); an NGC value keeps the name as written, followed
//! by whatever a part needs that the name does not spell (a `library/`
//! repository, `unversioned` for a bare `cudnn`), with `u32` offsets, its
//! many parts behind one box so that every `Image` stays small. A text
//! longer than 4 GiB is an error of kind `TooLong`. The offsets of a scheme's parts are relative to
//! the component that holds them (the tag, or the image name), so they stay
//! small and the same fields read the same whatever precedes them.
//!
//! We chose one owned type per scheme over the borrowed/owned pair
//! (`Named<'a, F>` / `NamedBuf<F>`) sketched in the design notes: the
//! borrowed half already exists one level down ([`Reference`] reads any
//! name without allocating), a scheme's grammar runs over its borrowed
//! parts before anything is owned, and a second, lifetime-carrying twin of
//! every scheme type would double the public API for no allocation saved.
//! `tests/test_alloc.rs` states each scheme's allocation bound.
//!
//! Detection tries readings in turn without building errors (a failed
//! reading allocates nothing); a scheme asked for by name reports its
//! error. The TWCC ↔ NGC conversion lives in its own file, so the two
//! scheme files do not import each other.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use crate::error::Error;
use crate::reference::Reference;
use crate::version::Version;

mod convert;
pub mod generic;
pub mod ngc;
pub mod twcc;
pub mod vessl;
pub(crate) mod words;

/// A naming scheme.
///
/// [`Image::parse`](crate::Image::parse) detects the scheme of a name by its
/// public registry, then by the shape of its path and tag (mirrors such as
/// `harbor.example.com/vessl-ai/torch` or `registry.local:5000/nvidia/pytorch`),
/// then by the shape of a TWCC name; [`detect`](crate::detect) documents the
/// rule. [`Image::parse_as`](crate::Image::parse_as) and `--scheme NAME` use
/// one scheme instead, strictly.
///
/// `FromStr` reads the names [`Scheme::as_str`] gives and fails with the
/// crate's [`Error`] otherwise. `Ord` is total, in declaration order
/// (`Twcc < Ngc < Vessl < Generic`), for sorted maps: it ranks nothing.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// TWCC (Taiwan Computing Cloud) names: `tensorflow-20.11-tf2-py3:latest`.
    Twcc,
    /// NGC tags on `nvcr.io`: `nvcr.io/nvidia/pytorch:24.01-py3`.
    Ngc,
    /// VESSL tags on `quay.io/vessl-ai`: `torch:2.3.0-cuda12.4-r5`.
    Vessl,
    /// Any other name: read as a reference, compared only when identical.
    Generic,
}

impl Scheme {
    /// Every scheme, in the order detection tries them.
    pub const ALL: [Scheme; 4] = [Scheme::Ngc, Scheme::Vessl, Scheme::Twcc, Scheme::Generic];

    /// The scheme's name as `--scheme` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Twcc => "twcc",
            Scheme::Ngc => "ngc",
            Scheme::Vessl => "vessl",
            Scheme::Generic => "generic",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scheme {
    type Err = Error;

    /// Reads the name [`Scheme::as_str`] gives: `unknown scheme "bogus":
    /// expected one of twcc, ngc, vessl, generic` otherwise
    /// ([`ErrorKind::Unknown`](crate::ErrorKind::Unknown)). Detection is no
    /// scheme: the command line's `auto` is its own word.
    fn from_str(s: &str) -> Result<Self, Error> {
        const NAMES: [Scheme; 4] = [Scheme::Twcc, Scheme::Ngc, Scheme::Vessl, Scheme::Generic];
        NAMES.into_iter().find(|m| m.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = NAMES.iter().map(|m| m.as_str()).collect();
            crate::error::unknown_word("scheme", s, &names)
        })
    }
}

/// The value of one field of a scheme's reading, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// Text (`tensorflow`, `20.11`, `py3`).
    Text(String),
    /// A number (a VESSL revision).
    Number(u64),
    /// A flag (`optimized`, `is_standard_alias`).
    Bool(bool),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(s) => f.write_str(s),
            FieldValue::Number(n) => write!(f, "{n}"),
            FieldValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for FieldValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::Number(n) => s.serialize_u64(*n),
            FieldValue::Bool(b) => s.serialize_bool(*b),
        }
    }
}

/// One field of a scheme's reading: a key as the shared corpus spells it
/// (`framework`, `release`, `variant`, `python`, `revision`, ...) and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The key.
    pub key: &'static str,
    /// The value.
    pub value: FieldValue,
}

impl Field {
    /// A text field.
    pub fn text(key: &'static str, value: impl fmt::Display) -> Field {
        Field {
            key,
            value: FieldValue::Text(value.to_string()),
        }
    }

    /// A number field.
    pub fn number(key: &'static str, value: u64) -> Field {
        Field {
            key,
            value: FieldValue::Number(value),
        }
    }

    /// A flag field.
    pub fn flag(key: &'static str, value: bool) -> Field {
        Field {
            key,
            value: FieldValue::Bool(value),
        }
    }
}

/// What two values must share to be comparable: the repository and every
/// part of the name that is not the position (`vessl-ai/torch cuda12.4`).
/// Compared, hashed and ordered (a total order) as text; its `Display` is
/// meant for people ("which track did it choose"). Every spelling of one
/// image is on one track: TWCC and NGC tracks name the familiar repository
/// (`tensorflow` for `docker.io/library/tensorflow`), VESSL and generic
/// ones the canonical repository, with the registry lowercase.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Track(String);

impl Track {
    /// A track from its parts, joined by spaces; empty parts are left out.
    pub fn new<'a>(parts: impl IntoIterator<Item = &'a str>) -> Track {
        let mut s = String::new();
        for p in parts.into_iter().filter(|p| !p.is_empty()) {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(p);
        }
        Track(s)
    }

    /// The track as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A track whose text was written already (see `Indexed::push_track`).
    pub(crate) fn from_text(text: String) -> Track {
        Track(text)
    }
}

/// Appends `parts` as [`Track::new`] joins them: the non-empty ones,
/// separated by spaces (after a space if `out` is not empty).
pub(crate) fn push_track_parts<'a>(out: &mut String, parts: impl IntoIterator<Item = &'a str>) {
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
    }
}

impl fmt::Display for Track {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What every scheme value tells about itself.
pub trait Tagged: fmt::Display + fmt::Debug + Clone + Eq + Hash + Sized {
    /// The scheme.
    const SCHEME: Scheme;

    /// Reads the scheme's part of `r`, a reference read (normalized) from
    /// `input`. Errors name `input` and a byte offset in it.
    fn from_reference(r: &Reference<'_>, input: &str) -> Result<Self, Error>;

    /// What must be equal for two values to be comparable.
    fn track(&self) -> Track;

    /// Whether `self` and `other` are on one track: `self.track() ==
    /// other.track()`, which every scheme answers without building either
    /// track (comparing and sorting never allocate).
    fn same_track(&self, other: &Self) -> bool {
        self.track() == other.track()
    }

    /// Whether this is a moving alias (`latest`, a VESSL standard alias).
    fn is_alias(&self) -> bool;

    /// The alias this value belongs to, as a tag: for a VESSL revision
    /// `2.3.0-cuda12.4-r5`, the standard alias `2.3.0-cuda12.4`; for an
    /// alias, its own tag. `None` when no alias points at values like this.
    fn alias_tag(&self) -> Option<String> {
        None
    }

    /// The scheme's fields, keys as in the shared corpus.
    fn fields(&self) -> Vec<Field>;

    /// The typed facts a query filters and ranks by (see [`Facts`]). By
    /// default read from [`fields`](Self::fields).
    fn facts(&self) -> Facts<'_> {
        Facts::from_fields(&self.fields())
    }

    /// The name that repositories differing only by this value's position
    /// share, when the position lives in the repository name: the framework
    /// of a TWCC name with a release (`pytorch` for `pytorch-21.06-py3` and
    /// `pytorch-22.08-py3`), which a catalog reads as one repository.
    /// `None` for every other value.
    fn family(&self) -> Option<&str> {
        None
    }

    /// The order of two values: `None` when they are incomparable (on
    /// different tracks, or an alias against a value it may point at).
    fn compare(&self, other: &Self) -> Option<Ordering>;
}

/// What a query looks at in a value, typed: the parts
/// [`Catalog::newest`](crate::Catalog::newest) filters and ranks by
/// (see [`Tagged::facts`]).
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts<'a> {
    /// The version a requirement is checked against: the framework version,
    /// the leading version of a `python` or `cuda` image, an NGC or TWCC
    /// release (`24.01` as `24.1`), a date's numbers.
    pub version: Option<Version>,
    /// The CUDA version.
    pub cuda: Option<Version>,
    /// The cuDNN major version.
    pub cudnn: Option<u32>,
    /// The Python version (`py3` as `3`).
    pub python: Option<Version>,
    /// The variant or flavour (`slim`, `tf2`; NGC's `igpu` suffix).
    pub variant: Option<Cow<'a, str>>,
    /// The revision or build number (`-r5`, a build stamp).
    pub revision: Option<u64>,
    /// A pre-release (`3.13.0rc1`, `24.12.rc0`): below its release.
    pub prerelease: bool,
    /// When an NGC or TWCC release came out: the first day of its month
    /// (a vendor release `r2019b`: September 2019).
    pub released: Option<chrono::NaiveDate>,
    /// A tag that detection kept whole as one word, with no grammar
    /// (`quay.io/vessl-ai/torch:buildcache`): never the newest of anything.
    pub opaque: bool,
}

impl<'a> Facts<'a> {
    /// The facts that `fields` state (keys as in the shared corpus):
    /// versions written as `24.01`, `py3` or `3.10`.
    pub(crate) fn from_fields(fields: &[Field]) -> Facts<'a> {
        let mut f = Facts::default();
        let mut release = None;
        for field in fields {
            let text = match &field.value {
                FieldValue::Text(t) => Some(t.as_str()),
                _ => None,
            };
            let number = match &field.value {
                FieldValue::Number(n) => Some(*n),
                FieldValue::Text(t) => t.parse().ok(),
                FieldValue::Bool(_) => None,
            };
            match field.key {
                "version" => f.version = text.and_then(lenient_version),
                "release" => release = text.and_then(lenient_version),
                "cuda" => f.cuda = text.and_then(lenient_version),
                "python" => f.python = text.and_then(lenient_version),
                "cudnn" => f.cudnn = number.and_then(|n| u32::try_from(n).ok()),
                "variant" => f.variant = text.map(|t| Cow::Owned(t.to_owned())),
                // NGC's suffixes (`-igpu`, `-sdk`) are flavours like a
                // variant: a plain image wins a tie over them.
                "suffix" if f.variant.is_none() => {
                    f.variant = text.map(|t| Cow::Owned(t.to_owned()));
                }
                "revision" => f.revision = number,
                _ => {}
            }
        }
        f.version = f.version.or(release);
        f
    }
}

/// An NGC release as a version a requirement reads (`24.01` is `24.1`,
/// `18.08.1` is `18.8.1`).
pub(crate) fn release_version(r: crate::release::Release) -> Version {
    let yy = u32::try_from(r.year() - 2000).unwrap_or(0);
    match r.point() {
        Some(p) => Version::new(&[yy, r.month(), p]),
        None => Version::new(&[yy, r.month()]),
    }
}

/// A version as schemes write it in their fields: `24.01`, `py3`, `3.10`,
/// and product versions with their letter (`v4.0`, `r36.2.0`); leading
/// zeros and the prefix are allowed here.
pub(crate) fn lenient_version(s: &str) -> Option<Version> {
    let s = s
        .strip_prefix("py")
        .or_else(|| s.strip_prefix(['v', 'r']))
        .unwrap_or(s);
    let mut parts = [0u32; crate::version::MAX_PARTS];
    let mut n = 0;
    for p in s.split('.') {
        if n == parts.len() || p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[n] = p.parse().ok()?;
        n += 1;
    }
    Some(Version::new(&parts[..n]))
}

/// Where a catalog files a value that belongs to a numbered alias base (a
/// VESSL standard alias and its `-rN` revisions): found by numbers and
/// borrowed text, without building a key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RevisionBase<'a> {
    /// The canonical repository, as the value spells it.
    pub(crate) repository: &'a str,
    /// The text that stands for the track within the repository.
    pub(crate) track: &'a str,
    /// The leading version: with `track`, the alias.
    pub(crate) lead: Version,
    /// The revision; `None` for the alias itself.
    pub(crate) revision: Option<u32>,
}

/// What a catalog's index asks of a scheme value beyond [`Tagged`]: the
/// fast paths and moving-tag rules it would otherwise special-case by
/// scheme. Crate-private: the shapes are the catalog's, not a promise.
/// Every default says "not this kind of value".
pub(crate) trait Indexed: Tagged {
    /// The alias base of a value with numbered revisions (see
    /// [`RevisionBase`]).
    fn revision_base(&self) -> Option<RevisionBase<'_>> {
        None
    }

    /// The alias this value belongs to, borrowed ([`Tagged::alias_tag`]).
    fn alias_key(&self) -> Option<Cow<'_, str>> {
        self.alias_tag().map(Cow::Owned)
    }

    /// Whether this value may cover others (a generic `3.12` over
    /// `3.12.8`): only then is [`covers`](Self::covers) worth asking.
    fn may_cover(&self) -> bool {
        false
    }

    /// Appends [`Tagged::track`]'s text to `out` (after a space if `out`
    /// is not empty): a catalog looks its track up in a reused buffer. A
    /// scheme whose track is plain parts writes them without allocating.
    fn push_track(&self, out: &mut String) {
        push_track_parts(out, [self.track().as_str()]);
    }

    /// Whether a catalog treats this value as moving: an alias, or a tag
    /// that names a family of others by its shape (a generic `1.0-cuda12`
    /// over `1.0-cuda12.8`), which is not an alias on its own.
    fn moves(&self) -> bool {
        self.is_alias()
    }

    /// Whether this value is moving over `other` (see
    /// [`GenericTag::covers`](generic::GenericTag::covers)).
    fn covers(&self, _other: &Self) -> bool {
        false
    }

    /// The keys a value must have to cover this one.
    fn covering_keys(&self, _out: &mut Vec<generic::CoverKey>) {}

    /// This value's keys as a coverer.
    fn own_keys(&self) -> [Option<generic::CoverKey>; 2] {
        [None, None]
    }

    /// A total order extending [`Tagged::compare`] on one track, for
    /// sorting, where the scheme has one.
    fn linear_cmp(&self, _other: &Self) -> Option<Ordering> {
        None
    }

    /// A key that a sort of one track may compare before the values: where
    /// two values' keys differ, they order as the values do
    /// ([`Image::sort_cmp`](crate::Image)); equal keys say nothing. `None`
    /// when the scheme or the value has none (the sort then compares
    /// values only).
    fn sort_key(&self) -> Option<u32> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TWCC and NGC read their facts from typed parts, not from their
    /// fields (which allocate): over every corpus name, the same facts the
    /// fields state, where the fields state one.
    #[test]
    fn typed_facts_agree_with_the_fields() {
        let corpus = [
            include_str!("../../tests/data/corpus/twcc.tsv"),
            include_str!("../../tests/data/corpus/ngc.tsv"),
            include_str!("../../tests/data/corpus/mined_twcc.tsv"),
            include_str!("../../tests/data/corpus/mined_ngc.tsv"),
        ];
        let mut checked = 0;
        for line in corpus.iter().flat_map(|c| c.lines().skip(1)) {
            let name = line.split('\t').next().unwrap_or("");
            let Ok(img) = crate::Image::parse(name) else {
                continue;
            };
            let (typed, fields) = (img.facts(), Facts::from_fields(&img.fields()));
            assert_eq!(typed.cuda, fields.cuda, "{name}");
            assert_eq!(typed.cudnn, fields.cudnn, "{name}");
            assert_eq!(typed.python, fields.python, "{name}");
            assert_eq!(typed.variant, fields.variant, "{name}");
            assert_eq!(typed.revision, fields.revision, "{name}");
            if fields.version.is_some() {
                assert_eq!(typed.version, fields.version, "{name}");
            }
            checked += 1;
        }
        assert!(checked > 600, "{checked}");
    }

    #[test]
    fn lenient_versions() {
        let v = |p: &[u32]| Some(Version::new(p));
        assert_eq!(lenient_version("24.01"), v(&[24, 1]));
        assert_eq!(lenient_version("py3"), v(&[3]));
        assert_eq!(lenient_version("v4.0"), v(&[4, 0]));
        assert_eq!(lenient_version("r36.2.0"), v(&[36, 2, 0]));
        assert_eq!(lenient_version("x"), None);
        assert_eq!(lenient_version("v"), None);
        assert_eq!(lenient_version("r2019b"), None);
        assert_eq!(lenient_version("1.2.3.4.5"), None);
    }
}
