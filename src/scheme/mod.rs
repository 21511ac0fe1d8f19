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

use std::cmp::Ordering;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use crate::error::Error;
use crate::reference::Reference;

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

    /// The order of two values: `None` when they are incomparable (on
    /// different tracks, or an alias against a value it may point at).
    fn compare(&self, other: &Self) -> Option<Ordering>;
}
