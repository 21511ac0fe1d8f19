//! Any other name: best effort, never wrong.
//!
//! ```text
//! generic-tag ::= version rest      (1.27.1-alpine: version 1.27.1, track "-alpine")
//!               | anything          (the tag itself is the track)
//! ```
//!
//! Two generic values compare only on the same repository and the same
//! non-version rest of the tag, by version; a tag without a leading version
//! compares only with itself. `latest` and a missing tag are aliases.

use std::cmp::Ordering;
use std::fmt;

use crate::error::{Component, Error};
use crate::reference::{Reference, DEFAULT_TAG};
use crate::scheme::{Field, Scheme, Tagged, Track};
use crate::version::Version;

/// A tag of no known scheme, with its repository.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GenericTag {
    repository: String,
    tag: Option<String>,
    version: Option<Version>,
    /// Where the version ends in `tag`.
    rest: usize,
}

impl GenericTag {
    /// The repository, in canonical form without tag (`docker.io/library/nginx`).
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The leading version of the tag, if it has one (`1.27.1` of
    /// `1.27.1-alpine`; `22.04` reads as `22.4`).
    pub fn version(&self) -> Option<Version> {
        self.version
    }
}

impl fmt::Display for GenericTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        Ok(())
    }
}

impl Tagged for GenericTag {
    const SCHEME: Scheme = Scheme::Generic;

    fn from_reference(r: &Reference<'_>, _input: &str) -> Result<Self, Error> {
        let tag = r.tag();
        let (version, rest) = match tag.map(|t| (t, Version::prefix_lenient(t, Component::Tag))) {
            Some((t, Ok((rest, v)))) => (Some(v), t.len() - rest.len()),
            _ => (None, 0),
        };
        Ok(GenericTag {
            repository: r.without_tag_or_digest().canonical().to_string(),
            tag: tag.map(str::to_owned),
            version,
            rest,
        })
    }

    fn track(&self) -> Track {
        let rest = match (&self.tag, self.version) {
            (Some(t), Some(_)) => &t[self.rest..],
            (Some(t), None) => t.as_str(),
            (None, _) => DEFAULT_TAG,
        };
        Track::new([self.repository.as_str(), rest])
    }

    fn is_alias(&self) -> bool {
        matches!(self.tag.as_deref(), None | Some(DEFAULT_TAG))
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::text("repository", &self.repository)];
        if let Some(t) = &self.tag {
            f.push(Field::text("tag", t));
        }
        if let (Some(t), Some(_)) = (&self.tag, self.version) {
            f.push(Field::text("version", &t[..self.rest]));
        }
        f
    }

    fn compare(&self, other: &Self) -> Option<Ordering> {
        if self == other {
            return Some(Ordering::Equal);
        }
        if self.is_alias() || other.is_alias() || self.track() != other.track() {
            return None;
        }
        match (self.version, other.version) {
            (Some(a), Some(b)) if a != b => Some(a.cmp(&b)),
            _ => None,
        }
    }
}
