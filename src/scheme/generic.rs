//! Any other name: the versioned tags registries are full of, read best
//! effort and never wrong.
//!
//! ```text
//! generic-tag ::= moving-word [ sep rest ]                       (latest, stable-alpine)
//!               | [ "v" ] position [ flavour ] [ "-r" N ]        (7.2.4-debian-12-r7)
//!               | anything                                       (the tag is its own track)
//! position    ::= calendar [ build ] [ hash ]
//!               | version [ stage ] [ build ] [ hash ]
//! calendar    ::= YYYY "-" M{1,2} "-" D{1,2} | YYYYMMDD | YYMMDD  (2025-03-04, 20250304, 250304)
//! version     ::= number ( "." number ){0,3}                      (3.12.8; leading zeros kept as written)
//! stage       ::= pre | post                                      (b2, rc1, -rc.1, -beta, .dev0, .post1)
//! pre         ::= ( "a" | "b" ) N | ( "alpha" | "beta" | "rc" | "dev" ) [ "." ] [ N ]
//! build       ::= "-r" N | "-" N | "_" N | "." N (after a calendar)  (2.4.1-r7, 9.4-1123, 21.0.5_11)
//! hash        ::= "-" [ "g" ] hex{7,40}                            (1.2.3-abc1234, v0.5.0-g1a2b3c4)
//! flavour     ::= ( "-" | "_" ) anything                           (-slim-bookworm, -alpine3.20)
//! ```
//!
//! # Track, position, alias
//!
//! The **track** is the repository and the flavour (the rest of the tag
//! after the position, without a trailing `-rN`): `3.12.8-slim-bookworm` and
//! `3.13.1-slim-bookworm` share one; `-alpine3.19` and `-alpine3.20` do not.
//! A calendar tag is on a track of its own beside version tags.
//!
//! The **position** orders tags on one track: the version numerically, a
//! pre-release below its release (`3.13.0b2 < 3.13.0rc1 < 3.13.0`), a
//! post-release above it (`2.1.0 < 2.1.0.post1`; a bare `2.1` may move to
//! `2.1.5` or to `2.1.0rc1`, so it and `2.1.post1` or `2.1rc2` do not
//! compare), then the build
//! (`9.4-1123 < 9.4-1214`); the version dominates the build. A commit hash
//! does not stop the order by the version, but two tags that differ only
//! by their hash are incomparable.
//!
//! A **moving** tag stands for others: a less precise version (`3.12`
//! beside `3.12.8`), a version without the build its neighbours carry
//! (`2.4.1` beside `2.4.1-r7`), a major-only CUDA word (`-cuda12` beside
//! `-cuda12.8`), and the words `latest`, `stable`, `edge`, `nightly`,
//! `main`, `master`, ... A moving tag and what it stands for are
//! incomparable ([`GenericTag::covers`]); the catalog resolves it to the
//! newest tag it covers. The words and a missing tag are moving by
//! themselves ([`Tagged::is_alias`]); a less precise version or a
//! major-only CUDA word is moving only beside a tag it covers, which a
//! catalog knows and a single name does not (pytorch's own
//! `0.4.1-cuda9-cudnn7-devel` was a fixed build).
//!
//! Any other form (`8u422-b05`, `jammy`, `sha-1a2b3c4`) has no position: it
//! is its own track, equal only to itself.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::error::{Component, Error};
use crate::reference::{Reference, DEFAULT_TAG};
use crate::scheme::{Facts, Field, Indexed, Scheme, Tagged, Track};
use crate::version::{cmp_padded, Version};

/// Words that name a moving tag when they start one (`latest`,
/// `stable-alpine`, `lts-slim`).
pub const MOVING_WORDS: [&str; 14] = [
    "latest", "stable", "edge", "nightly", "main", "master", "lts", "mainline", "current",
    "rolling", "develop", "devel", "testing", "unstable",
];

/// A tag of no known scheme, with its repository. See the [module
/// docs](self) for what orders and what is moving.
///
/// # Laws
///
/// - **Display** prints the canonical repository (its registry lowercase),
///   the tag as written and the digest (`nginx:1.27` prints as
///   `docker.io/library/nginx:1.27`), and
///   `GenericTag::parse(&t.to_string()) == Ok(t)`.
/// - **Equality is by meaning**: the same canonical repository, tag and
///   digest, so `nginx:1.27` equals `docker.io/library/nginx:1.27`, and
///   calendar dates compare as dates (`v2025-3-4` equals `v2025-03-04`).
///   Equal tags hash alike.
/// - **Order** is the named, partial [`Tagged::compare`]; there is no
///   `PartialOrd` or `Ord`.
///
/// ```
/// use imagetag::{Image, Value};
/// use std::cmp::Ordering;
///
/// let a: Image = "bitnami/redis:7.2.4-debian-12-r7".parse()?;
/// let b: Image = "bitnami/redis:7.2.4-debian-12-r12".parse()?;
/// assert_eq!(a.compare(&b), Some(Ordering::Less));
/// let alias: Image = "bitnami/redis:7.2.4-debian-12".parse()?;
/// assert_eq!(alias.compare(&b), None); // it stands for the newest -rN
/// let (Value::Generic(alias), Value::Generic(b)) = (alias.value(), b.value()) else { panic!() };
/// assert!(alias.covers(b));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct GenericTag {
    /// `docker.io/library/nginx:1.27.1-alpine@sha256:…`: the canonical
    /// repository (its registry host lowercase), the tag and the digest, as
    /// `Display` prints them. One allocation, no spare capacity; an
    /// [`Image`](crate::Image) whose text is the same borrows it.
    name: Box<str>,
    /// Where the repository ends in `name`.
    repo_end: u32,
    /// Where the tag ends in `name` (`repo_end` when there is no tag); a
    /// digest follows after an `@`.
    tag_end: u32,
    reading: Reading,
}

/// What the tag says, as offsets into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Reading {
    /// No tag: `latest`.
    Untagged,
    /// A moving word (`latest`, `stable-alpine`).
    Word,
    /// A form this scheme does not read: its own track.
    Unknown,
    /// A version or a calendar date.
    Positioned(Pos),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Pos {
    /// Written with a leading `v`.
    v: bool,
    calendar: bool,
    /// Where the version (or date) ends in the tag; it starts after the
    /// `v`. Its numbers are read from the tag when asked for
    /// ([`Pos::parts`]): 20 bytes less a value, and a catalog holds many.
    version_end: u8,
    stage: Stage,
    /// The build's kind and its digits' span in the tag (read as a number
    /// by [`Pos::build`]).
    build: Option<(BuildKind, u8, u8)>,
    /// The hash word's span in the tag.
    hash: Option<(u8, u8)>,
    /// The flavour's span in the tag (empty for none).
    flavour: (u8, u8),
    /// A major-only CUDA word in the flavour (`cuda12`).
    cuda_major: bool,
}

impl Pos {
    /// The version, or the date as year, month, day, of tag `t`, which
    /// [`read_position`] read as this position.
    fn parts(&self, t: &str) -> Version {
        let body = &t[usize::from(self.v)..];
        let read = if self.calendar {
            calendar(body).map(|(v, _)| v)
        } else {
            Version::read_written(self.version_text(t))
        };
        debug_assert!(read.is_some(), "{t}: the position no longer reads");
        read.unwrap_or_else(|| Version::new(&[0]))
    }

    /// The version of tag `t` as written (not for a calendar date).
    fn version_text<'t>(&self, t: &'t str) -> &'t str {
        &t[usize::from(self.v)..usize::from(self.version_end)]
    }

    /// The build of tag `t`: its kind and number.
    fn build(&self, t: &str) -> Option<(BuildKind, u64)> {
        let (kind, a, b) = self.build?;
        num(&t[usize::from(a)..usize::from(b)]).map(|(n, _)| (kind, n))
    }
}

/// What [`GenericTag::covering_keys`] and [`GenericTag::own_keys`] match.
pub(crate) type CoverKey = (bool, Version, Option<Stage>);

/// Pre-release, release, post-release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Stage {
    /// `dev` (0), `alpha` (1), `beta` (2), `rc` (3), and its number.
    Pre(u8, Option<u32>),
    Final,
    Post(u32),
}

/// How a build is written: numbers of different kinds do not compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum BuildKind {
    /// `-r7`
    Revision,
    /// `-1123`, `_11`, `.1`
    Number,
}

/// How two positions relate.
#[derive(Debug, PartialEq, Eq)]
enum Rel {
    Order(Ordering),
    /// The first is moving over the second.
    Covers,
    /// The second is moving over the first.
    CoveredBy,
    Unknown,
}

/// Instantiation
impl GenericTag {
    /// Reads a full name (a reference, normalized, then its tag); any valid
    /// reference is a valid generic name.
    pub fn parse(s: &str) -> Result<GenericTag, Error> {
        let r = Reference::parse_normalized(s)?;
        GenericTag::from_reference(&r, s)
    }
}

impl GenericTag {
    /// The repository, in canonical form without tag (`docker.io/library/nginx`).
    pub fn repository(&self) -> &str {
        &self.name[..self.repo_end as usize]
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        let (a, b) = (self.repo_end as usize, self.tag_end as usize);
        (b > a).then(|| &self.name[a + 1..b])
    }

    /// The digest, if one was given (`sha256:…`).
    pub fn digest(&self) -> Option<&str> {
        self.name
            .get(self.tag_end as usize + 1..)
            .filter(|d| !d.is_empty())
    }

    /// The whole name, as `Display` prints it.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    fn text(&self) -> &str {
        self.tag().unwrap_or("")
    }

    fn pos(&self) -> Option<&Pos> {
        match &self.reading {
            Reading::Positioned(p) => Some(p),
            _ => None,
        }
    }

    /// The version of the tag, if it has one (`1.27.1` of `1.27.1-alpine`;
    /// `22.04` reads as `22.4`); for a calendar tag, the date as
    /// year.month.day (`2025.3.4`).
    pub fn version(&self) -> Option<Version> {
        self.pos().map(|p| p.parts(self.text()))
    }

    /// Whether the tag is a calendar date (`2025-03-04`, `20250304-07`).
    pub fn is_calendar(&self) -> bool {
        self.pos().is_some_and(|p| p.calendar)
    }

    /// Whether the tag is a pre-release (`3.13.0b2`, `1.0.0-rc.1`).
    pub fn is_prerelease(&self) -> bool {
        self.pos()
            .is_some_and(|p| matches!(p.stage, Stage::Pre(..)))
    }

    /// The build revision or build number after the version (`7` of
    /// `2.4.1-r7`, `1123` of `9.4-1123`).
    pub fn build(&self) -> Option<u64> {
        self.pos().and_then(|p| p.build(self.text()).map(|b| b.1))
    }

    /// The commit hash after the version (`abc1234` of `1.2.3-abc1234`).
    pub fn hash(&self) -> Option<&str> {
        let (a, b) = self.pos()?.hash?;
        Some(&self.text()[a as usize..b as usize])
    }

    /// The flavour: what follows the position, without a trailing `-rN`
    /// (`-slim-bookworm`, `-debian-12`); part of the track.
    pub fn flavour(&self) -> Option<&str> {
        let (a, b) = self.pos()?.flavour;
        Some(&self.text()[a as usize..b as usize]).filter(|f| !f.is_empty())
    }

    /// The CUDA version the tag names: a `cuda12.4` word of its flavour
    /// (`pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime`), or the version of
    /// a repository named `cuda` (`nvidia/cuda:12.4.1-runtime-ubuntu22.04`).
    pub fn cuda(&self) -> Option<Version> {
        if self.repository().rsplit('/').next() == Some("cuda") && !self.is_calendar() {
            return self.version();
        }
        self.flavour_words()
            .find_map(|w| w.strip_prefix("cuda")?.parse().ok())
    }

    /// The cuDNN major version a `cudnn9` word of the flavour names.
    pub fn cudnn(&self) -> Option<u32> {
        self.flavour_words().find_map(|w| {
            let n = w.strip_prefix("cudnn")?;
            // Digits only, without a leading zero: `cudnn9`, not `cudnn09`.
            (!n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| n.parse().ok())
                .flatten()
        })
    }

    /// The words of the flavour (`cuda12.4`, `cudnn9`, `runtime`).
    fn flavour_words(&self) -> impl Iterator<Item = &str> {
        self.flavour()
            .unwrap_or("")
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
    }

    /// Whether this tag is moving over `other`: `other` is one of the
    /// tags it may stand for, so the two are incomparable and a catalog
    /// resolves this tag to the newest one it covers. `3.12-slim` covers
    /// `3.12.8-slim`; `2.4.1` covers `2.4.1-r7`; `1.0-cuda12` covers
    /// `1.0-cuda12.8`; nothing covers a tag on another track.
    pub fn covers(&self, other: &GenericTag) -> bool {
        let (Some(a), Some(b)) = (self.pos(), other.pos()) else {
            return false;
        };
        if self.repository() != other.repository()
            || a.calendar != b.calendar
            || a.v != b.v
            || b.cuda_major
            || self == other
        {
            return false;
        }
        let same_flavour = self.flavour() == other.flavour();
        if !(same_flavour || (a.cuda_major && cuda_extends(self.flavour(), other.flavour()))) {
            return false;
        }
        match rel(a, b, self.text(), other.text()) {
            Rel::Covers => true,
            // `-cuda12` against `-cuda12.8` at the same position.
            Rel::Order(Ordering::Equal) => !same_flavour,
            _ => false,
        }
    }

    /// The keys a tag of the same track must have to cover this one (see
    /// [`own_keys`](Self::own_keys)): each shorter version, and the same
    /// version and stage without the build. Lets a catalog find the moving
    /// tags of a track in one pass.
    pub(crate) fn covering_keys(&self, out: &mut Vec<CoverKey>) {
        let Some(p) = self.pos() else { return };
        if p.cuda_major {
            return;
        }
        let version = p.parts(self.text());
        let parts = version.parts();
        for n in 1..parts.len() {
            out.push((p.v, Version::new(&parts[..n]), None));
        }
        if p.build.is_some() {
            out.push((p.v, version, Some(p.stage)));
        }
    }

    /// This tag's keys as a coverer (see [`covering_keys`](Self::covering_keys)).
    pub(crate) fn own_keys(&self) -> [Option<CoverKey>; 2] {
        match self.pos() {
            Some(p) if p.build.is_none() && p.hash.is_none() => {
                let version = p.parts(self.text());
                [
                    (p.stage == Stage::Final).then_some((p.v, version, None)),
                    Some((p.v, version, Some(p.stage))),
                ]
            }
            _ => [None, None],
        }
    }

    /// A total order that extends [`compare`](Tagged::compare) on one
    /// track: the version with missing numbers as 0, the stage, the build,
    /// then the text. Sorting by it never puts a tag after one it is
    /// below, where sorting by `compare` with a fallback could.
    ///
    /// A sort calls it millions of times: versions compare as written
    /// ([`cmp_padded`]), without reading them, but for calendar dates,
    /// whose spellings differ (`250304`, `2025-3-4`).
    pub(crate) fn linear_cmp(&self, other: &GenericTag) -> Ordering {
        let (ta, tb) = (self.text(), other.text());
        let by_position = match (self.pos(), other.pos()) {
            (Some(p), Some(q)) => {
                let version = if p.calendar || q.calendar {
                    let padded = |p: &Pos, t: &str| {
                        let version = p.parts(t);
                        let mut parts = [0u32; 4];
                        parts[..version.parts().len()].copy_from_slice(version.parts());
                        parts
                    };
                    padded(p, ta).cmp(&padded(q, tb))
                } else {
                    cmp_padded(p.version_text(ta), q.version_text(tb))
                };
                version
                    .then(p.stage.cmp(&q.stage))
                    .then_with(|| p.build(ta).map(|b| b.1).cmp(&q.build(tb).map(|b| b.1)))
            }
            (p, q) => p.is_some().cmp(&q.is_some()),
        };
        by_position.then_with(|| ta.cmp(tb))
    }

    /// Whether this tag is moving by itself: no tag or a moving word. A
    /// major-only CUDA word (`1.0-cuda12`) is not enough on its own
    /// (`pytorch:0.4.1-cuda9-cudnn7-devel` never moved): it moves over
    /// the tags it covers, which a catalog sees ([`Indexed::moves`]).
    fn moving(&self) -> bool {
        matches!(self.reading, Reading::Untagged | Reading::Word)
    }

    fn key(&self) -> (&str, Option<TagKey<'_>>, Option<&str>) {
        let tag = self.tag().map(|t| match &self.reading {
            // `v2025-3-4` and `v2025-03-04`: one date, whatever its zeros.
            Reading::Positioned(p) if p.calendar && t[..p.version_end as usize].contains('-') => {
                let date = p.parts(t);
                let [y, m, d] = [0, 1, 2].map(|i| date.parts()[i]);
                TagKey::Date(
                    &t[..usize::from(p.v)],
                    [y, m, d],
                    &t[p.version_end as usize..],
                )
            }
            _ => TagKey::Text(t),
        });
        (self.repository(), tag, self.digest())
    }
}

/// What equality and hashing compare of a tag: its text, or, for a date
/// written with dashes, the text around the date and the date's numbers
/// (no second text for a short spelling: one allocation a value).
#[derive(PartialEq, Eq, Hash)]
enum TagKey<'a> {
    Text(&'a str),
    Date(&'a str, [u32; 3], &'a str),
}

impl PartialEq for GenericTag {
    /// The same repository (its registry without case), tag and digest;
    /// calendar dates compare as dates (`v2025-3-4` equals `v2025-03-04`).
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for GenericTag {}

impl Hash for GenericTag {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl std::str::FromStr for GenericTag {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        GenericTag::parse(s)
    }
}

impl fmt::Display for GenericTag {
    /// The canonical repository (its registry lowercase), the tag as
    /// written and the digest: `docker.io/library/nginx:1.27.1-alpine`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl GenericTag {
    /// The reading of `r` (see [`Tagged::from_reference`]): `None` only for
    /// a name of 4 GiB or more, which `u32` offsets cannot hold.
    pub(crate) fn read(r: &Reference<'_>, input: &str) -> Option<GenericTag> {
        let tag = r.tag();
        let reading = tag.map_or(Reading::Untagged, read);
        // The registry host comes out lowercase (a DNS name: one case for
        // equality and tracks).
        let (name, repo_end, tag_end) = r.canonical_name(input);
        let (Ok(repo_end), Ok(tag_end)) = (u32::try_from(repo_end), u32::try_from(tag_end)) else {
            return None;
        };
        Some(GenericTag {
            name,
            repo_end,
            tag_end,
            reading,
        })
    }
}

impl Tagged for GenericTag {
    const SCHEME: Scheme = Scheme::Generic;

    fn from_reference(r: &Reference<'_>, input: &str) -> Result<Self, Error> {
        GenericTag::read(r, input).ok_or_else(|| {
            // Only a domain of gigabytes makes a name this long.
            Error::new(
                crate::error::ErrorKind::TooLong,
                "generic name",
                input,
                0,
                "",
                Component::Name,
                "repository must be shorter than 4 GiB",
            )
        })
    }

    fn track(&self) -> Track {
        match &self.reading {
            Reading::Positioned(p) => Track::new([
                self.repository(),
                if p.calendar { "calendar" } else { "" },
                self.flavour().unwrap_or(""),
            ]),
            Reading::Untagged => Track::new([self.repository(), DEFAULT_TAG]),
            Reading::Word | Reading::Unknown => Track::new([self.repository(), self.text()]),
        }
    }

    /// No tag, or a moving word (`latest`, `stable-alpine`): moving
    /// whatever else the catalog holds. A shorter version (`3.12`) or a
    /// major-only CUDA word (`12.1-cuda12`) moves only over the tags it
    /// covers, which a catalog sees; on its own it is not an alias.
    fn is_alias(&self) -> bool {
        self.moving()
    }

    /// The version (a date's numbers), the CUDA and cuDNN versions (see
    /// [`GenericTag::cuda`]), the build or revision number, and whether it
    /// is a pre-release.
    fn facts(&self) -> Facts<'_> {
        Facts {
            version: self.version(),
            cuda: self.cuda(),
            cudnn: self.cudnn(),
            revision: self.build(),
            prerelease: self.is_prerelease(),
            ..Facts::default()
        }
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::text("repository", self.repository())];
        if let Some(t) = self.tag() {
            f.push(Field::text("tag", t));
        }
        if let Some(p) = self.pos() {
            let start = usize::from(p.v);
            let text = &self.text()[start..p.version_end as usize];
            f.push(Field::text(
                if p.calendar { "date" } else { "version" },
                text,
            ));
            if p.calendar {
                // What queries read as the version: the date's numbers.
                f.push(Field::text("version", p.parts(self.text())));
            }
            match p.stage {
                Stage::Pre(..) => f.push(Field::flag("prerelease", true)),
                Stage::Post(n) => f.push(Field::number("post", u64::from(n))),
                Stage::Final => {}
            }
            if let Some((kind, n)) = p.build(self.text()) {
                let key = match kind {
                    BuildKind::Revision => "revision",
                    BuildKind::Number => "build",
                };
                f.push(Field::number(key, n));
            }
            if let Some(h) = self.hash() {
                f.push(Field::text("hash", h));
            }
            if let Some(fl) = self.flavour() {
                f.push(Field::text("flavour", fl));
            }
        }
        if self.moving() {
            f.push(Field::flag("moving", true));
        }
        f
    }

    /// The order of two tags on one track, by position; `None` for
    /// different tracks, for a moving tag against anything but itself,
    /// for a tag against one it [`covers`](GenericTag::covers) (or is
    /// covered by), and for two tags at the same position written
    /// differently (`1.2.3-abc1234`, `1.2.3-def5678`).
    fn compare(&self, other: &Self) -> Option<Ordering> {
        if self == other {
            return Some(Ordering::Equal);
        }
        if self.repository() != other.repository() || self.moving() || other.moving() {
            return None;
        }
        let (Some(a), Some(b)) = (self.pos(), other.pos()) else {
            return None;
        };
        if a.calendar != b.calendar || self.flavour() != other.flavour() {
            return None;
        }
        match rel(a, b, self.text(), other.text()) {
            Rel::Order(o) if o != Ordering::Equal => Some(o),
            _ => None,
        }
    }
}

impl Indexed for GenericTag {
    fn may_cover(&self) -> bool {
        self.pos().is_some()
    }

    fn push_track(&self, out: &mut String) {
        let repository = self.repository();
        match &self.reading {
            Reading::Positioned(p) => crate::scheme::push_track_parts(
                out,
                [
                    repository,
                    if p.calendar { "calendar" } else { "" },
                    self.flavour().unwrap_or(""),
                ],
            ),
            Reading::Untagged => crate::scheme::push_track_parts(out, [repository, DEFAULT_TAG]),
            Reading::Word | Reading::Unknown => {
                crate::scheme::push_track_parts(out, [repository, self.text()])
            }
        }
    }

    fn moves(&self) -> bool {
        self.moving() || self.pos().is_some_and(|p| p.cuda_major)
    }

    fn covers(&self, other: &Self) -> bool {
        GenericTag::covers(self, other)
    }

    fn covering_keys(&self, out: &mut Vec<CoverKey>) {
        GenericTag::covering_keys(self, out);
    }

    fn own_keys(&self) -> [Option<CoverKey>; 2] {
        GenericTag::own_keys(self)
    }

    fn linear_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(GenericTag::linear_cmp(self, other))
    }

    /// `linear_cmp`'s first word: no version (0) before a version, whose
    /// four numbers padded with 0 take a byte each (`n + 1`); from a number
    /// of 254 up, every byte is `0xFF` (equal keys say nothing).
    fn sort_key(&self) -> Option<u32> {
        let Some(p) = self.pos() else {
            return Some(0);
        };
        let version = p.parts(self.text());
        let mut k = [1u8; 4];
        for (i, &n) in version.parts().iter().enumerate().take(4) {
            match u8::try_from(n).ok().filter(|&n| n < 254) {
                Some(n) => k[i] = n + 1,
                None => {
                    k[i..].fill(u8::MAX);
                    break;
                }
            }
        }
        Some(u32::from_be_bytes(k))
    }
}

/// How position `a` (of tag text `ta`) relates to `b` (of `tb`).
fn rel(a: &Pos, b: &Pos, ta: &str, tb: &str) -> Rel {
    let (va, vb) = (a.parts(ta), b.parts(tb));
    let (pa, pb) = (va.parts(), vb.parts());
    let n = pa.len().min(pb.len());
    if let Some(o) = pa[..n]
        .iter()
        .zip(&pb[..n])
        .map(|(x, y)| x.cmp(y))
        .find(|o| o.is_ne())
    {
        return Rel::Order(o);
    }
    let bare = |p: &Pos| p.stage == Stage::Final && p.build.is_none() && p.hash.is_none();
    if pa.len() != pb.len() {
        let a_short = pa.len() < pb.len();
        let (short, long_rest) = if a_short {
            (a, &pb[n..])
        } else {
            (b, &pa[n..])
        };
        if bare(short) {
            return if a_short { Rel::Covers } else { Rel::CoveredBy };
        }
        // `3.12rc1` against `3.12.8`: the missing numbers are 0.
        if long_rest.iter().any(|&x| x != 0) {
            return Rel::Order(if a_short {
                Ordering::Less
            } else {
                Ordering::Greater
            });
        }
    }
    // `3.12` may stand for `3.12.5`, above `3.12.post1`, or for
    // `3.12.0rc1`, below `3.12rc2`: unknown. A bare version of three
    // numbers or more is a release (`3.13.0b2 < 3.13.0 < 3.13.0.post1`).
    let staged = |p: &Pos| p.stage != Stage::Final;
    let short_bare = |p: &Pos, v: &Version| bare(p) && v.parts().len() < 3;
    if (short_bare(a, &va) && staged(b)) || (short_bare(b, &vb) && staged(a)) {
        return Rel::Unknown;
    }
    if a.stage != b.stage {
        return Rel::Order(a.stage.cmp(&b.stage));
    }
    let same_len = pa.len() == pb.len();
    match (a.build(ta), b.build(tb)) {
        (None, Some(_)) if same_len && a.hash.is_none() => return Rel::Covers,
        (Some(_), None) if same_len && b.hash.is_none() => return Rel::CoveredBy,
        (None, None) => {}
        (Some((ka, na)), Some((kb, nb))) if ka == kb => {
            if na != nb {
                return Rel::Order(na.cmp(&nb));
            }
        }
        _ => return Rel::Unknown,
    }
    let hash = |p: &Pos, t: &str| p.hash.map(|(x, y)| t[x as usize..y as usize].to_owned());
    if hash(a, ta) == hash(b, tb) {
        Rel::Order(Ordering::Equal)
    } else {
        Rel::Unknown
    }
}

/// Whether flavour `b` is flavour `a` with its major-only CUDA word made
/// precise (`-cuda12-runtime` → `-cuda12.8-runtime`).
fn cuda_extends(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let mut wa = a.split(['-', '_']);
    let mut wb = b.split(['-', '_']);
    let mut extended = false;
    loop {
        match (wa.next(), wb.next()) {
            (None, None) => return extended,
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) if is_cuda_major(x.as_bytes()) && !extended => {
                match y.strip_prefix(x).and_then(|r| r.strip_prefix('.')) {
                    Some(r)
                        if !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit() || c == b'.') =>
                    {
                        extended = true;
                    }
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
}

/// Whether a word is `cuda` and a major version only (`cuda12`).
fn is_cuda_major(w: &[u8]) -> bool {
    w.strip_prefix(b"cuda")
        .is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit))
}

/// Reads a tag (at most 128 bytes, as the reference grammar allows).
fn read(t: &str) -> Reading {
    let first = &t[..word_len(t)];
    // Every moving word starts with a letter; most tags start with a digit.
    let letter = first
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic);
    if letter && MOVING_WORDS.iter().any(|w| first.eq_ignore_ascii_case(w)) {
        // `main-1a2b3c4` and `nightly-20241028` are builds of a moving
        // branch, pinned: no position, and not moving either.
        let pinned = t[first.len()..]
            .split(['-', '_'])
            .any(|w| is_hash(w) || (!w.is_empty() && w.bytes().all(|c| c.is_ascii_digit())));
        return if pinned {
            Reading::Unknown
        } else {
            Reading::Word
        };
    }
    if t.len() > usize::from(u8::MAX) {
        return Reading::Unknown;
    }
    read_position(t).map_or(Reading::Unknown, Reading::Positioned)
}

/// The length of the word at the start of `s`: up to the first `-`, `_`
/// or `.` (bytes, not chars: the separators are ASCII).
fn word_len(s: &str) -> usize {
    s.bytes()
        .position(|b| matches!(b, b'-' | b'_' | b'.'))
        .unwrap_or(s.len())
}

/// Whether `s` starts with one of the ASCII bytes `set`, without decoding
/// a char.
fn starts_with_any(s: &str, set: &[u8]) -> bool {
    s.as_bytes().first().is_some_and(|b| set.contains(b))
}

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// A number of 1 to 19 digits (leading zeros allowed) at the start of `s`.
fn num(s: &str) -> Option<(u64, &str)> {
    let n = digits(s);
    if n == 0 || n > 19 {
        return None;
    }
    // 19 digits are below `u64::MAX`: no overflow, and no generic `parse`.
    let v = s
        .bytes()
        .take(n)
        .fold(0, |v, b| v * 10 + u64::from(b - b'0'));
    Some((v, &s[n..]))
}

/// Whether `rest` is the end of the tag or the start of a new word.
fn boundary(rest: &str) -> bool {
    rest.is_empty() || starts_with_any(rest, b"-_.")
}

fn read_position(t: &str) -> Option<Pos> {
    let b = t.as_bytes();
    let v = matches!(b.first(), Some(b'v' | b'V')) && b.get(1).is_some_and(u8::is_ascii_digit);
    let body = &t[usize::from(v)..];
    let off = |rest: &str| (t.len() - rest.len()) as u8;
    let (calendar, mut rest) = match calendar(body) {
        Some((_, rest)) => (true, rest),
        None => {
            let (rest, _) = Version::prefix_lenient(body, Component::Tag).ok()?;
            // A version number too long to be one (`1.2.3.4.5`), or text
            // glued to it that is no stage (`8u422`): no position.
            if rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                return None;
            }
            (false, rest)
        }
    };
    let version_end = off(rest);
    let mut stage = Stage::Final;
    if !calendar {
        if let Some((s, r)) = read_stage(rest) {
            stage = s;
            rest = r;
        }
    }
    let mut build = None;
    if let Some((kind, digits, r)) = read_build(rest, calendar) {
        let at = crate::parse::offset_in(t, digits) as u8;
        build = Some((kind, at, at + digits.len() as u8));
        rest = r;
    }
    let mut hash = None;
    if let Some(r) = rest.strip_prefix('-') {
        let w = &r[..word_len(r)];
        if is_hash(w) {
            let at = off(r);
            hash = Some((at, at + w.len() as u8));
            rest = &r[w.len()..];
        }
    }
    if !(rest.is_empty() || starts_with_any(rest, b"-_")) {
        return None;
    }
    let mut flavour = rest;
    if build.is_none() {
        // `-debian-12-r7`: a revision after the flavour.
        // The last `-r`, found on bytes: `rfind("-r")` sets up a substring
        // searcher for every tag.
        if let Some(i) = flavour.as_bytes().windows(2).rposition(|w| w == b"-r") {
            let n = &flavour[i + 2..];
            if i > 0 && !n.is_empty() && n.len() <= 19 && n.bytes().all(|c| c.is_ascii_digit()) {
                let at = off(n);
                build = Some((BuildKind::Revision, at, at + n.len() as u8));
                flavour = &flavour[..i];
            }
        }
    }
    // Split on bytes: a char-array pattern decodes every char.
    let cuda_major = flavour
        .as_bytes()
        .split(|&b| b == b'-' || b == b'_')
        .any(is_cuda_major);
    let fstart = off(rest);
    Some(Pos {
        v,
        calendar,
        version_end,
        stage,
        build,
        hash,
        flavour: (fstart, fstart + flavour.len() as u8),
        cuda_major,
    })
}

/// A date at the start of `s`: `2025-03-04`, `2025-3-4`, `20250304`,
/// `250304`, followed by the end or a new word.
fn calendar(s: &str) -> Option<(Version, &str)> {
    let valid = |y: u32, m: u32, d: u32| {
        (1970..=2199).contains(&y) && chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
    };
    let n = digits(s);
    let (y, m, d, rest) = if n == 4 && s[4..].starts_with('-') {
        let r = &s[5..];
        let nm = digits(r);
        if !(1..=2).contains(&nm) || !r[nm..].starts_with('-') {
            return None;
        }
        let r2 = &r[nm + 1..];
        let nd = digits(r2);
        if !(1..=2).contains(&nd) {
            return None;
        }
        (
            s[..4].parse().ok()?,
            r[..nm].parse().ok()?,
            r2[..nd].parse().ok()?,
            &r2[nd..],
        )
    } else if n == 8 {
        (
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
            &s[8..],
        )
    } else if n == 6 {
        let y: u32 = s[..2].parse().ok()?;
        (
            2000 + y,
            s[2..4].parse().ok()?,
            s[4..6].parse().ok()?,
            &s[6..],
        )
    } else {
        return None;
    };
    // `2025.03.04`-style text after a compact date, or digits glued on:
    // not a date.
    if !boundary(rest) || !valid(y, m, d) {
        return None;
    }
    Some((Version::new(&[y, m, d]), rest))
}

/// A pre- or post-release marker right after the version.
fn read_stage(s: &str) -> Option<(Stage, &str)> {
    let (sep, body) = match s.as_bytes().first() {
        Some(b'-') => (b'-', &s[1..]),
        Some(b'.') => (b'.', &s[1..]),
        _ => (b' ', s),
    };
    // Every word starts with one of these letters; most tags go on with
    // `-`, a flavour word or nothing.
    if !body
        .as_bytes()
        .first()
        .is_some_and(|b| b"abcdprABCDPR".contains(b))
    {
        return None;
    }
    let lower = |w: &str| {
        body.as_bytes()
            .get(..w.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(w.as_bytes()))
    };
    // (word, rank, needs a number, separators allowed; ` ` is none)
    const WORDS: [(&str, u8, bool, &[u8]); 9] = [
        ("alpha", 1, false, b" -."),
        ("beta", 2, false, b" -."),
        ("rc", 3, false, b" -."),
        ("dev", 0, false, b" ."),
        ("post", 9, false, b" -."),
        ("pre", 3, true, b" -"),
        ("a", 1, true, b" "),
        ("b", 2, true, b" "),
        ("c", 3, true, b" "),
    ];
    for (w, rank, needs_number, seps) in WORDS {
        if !lower(w) || !seps.contains(&sep) {
            continue;
        }
        let mut r = &body[w.len()..];
        let mut number = None;
        let dotted = r
            .strip_prefix('.')
            .filter(|x| x.as_bytes().first().is_some_and(u8::is_ascii_digit));
        if let Some((n, after)) = num(dotted.unwrap_or(r)) {
            number = Some(u32::try_from(n).ok()?);
            r = after;
        }
        if (needs_number && number.is_none()) || !boundary(r) || r.starts_with('.') {
            continue;
        }
        let stage = if rank == 9 {
            Stage::Post(number.unwrap_or(0))
        } else {
            Stage::Pre(rank, number)
        };
        return Some((stage, r));
    }
    None
}

/// A build revision or number right after the version (or stage).
/// Its kind, its digits and what follows.
fn read_build(s: &str, calendar: bool) -> Option<(BuildKind, &str, &str)> {
    if let Some(r) = s.strip_prefix("-r") {
        let (_, rest) = num(r)?;
        return (rest.is_empty() || starts_with_any(rest, b"-_")).then_some((
            BuildKind::Revision,
            crate::parse::consumed(r, rest),
            rest,
        ));
    }
    let r = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('_'))
        .or_else(|| s.strip_prefix('.').filter(|_| calendar))?;
    let (_, rest) = num(r)?;
    // `-12` of `-debian-12` never gets here: a build follows the version.
    if !(rest.is_empty() || starts_with_any(rest, b"-_")) {
        return None;
    }
    // A hash of digits only is a number; a long run of digits after a
    // version is more likely a hash or a date than a build: still a build.
    Some((BuildKind::Number, crate::parse::consumed(r, rest), rest))
}

/// A commit hash word: 7 to 40 hex digits with at least one letter and
/// one digit, optionally after `g` (`git describe`).
fn is_hash(w: &str) -> bool {
    let h = match w.strip_prefix('g') {
        Some(h) if h.len() >= 7 => h,
        _ => w,
    };
    (7..=40).contains(&h.len())
        && h.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        && h.bytes().any(|c| c.is_ascii_digit())
        && h.bytes().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(t: &str) -> Pos {
        read_position(t).unwrap_or_else(|| panic!("{t}: no position"))
    }

    #[test]
    fn reads_the_parts() {
        let p = pos("7.2.4-debian-12-r7");
        assert_eq!(
            p.build("7.2.4-debian-12-r7"),
            Some((BuildKind::Revision, 7))
        );
        assert_eq!(
            &"7.2.4-debian-12-r7"[p.flavour.0 as usize..p.flavour.1 as usize],
            "-debian-12"
        );
        assert_eq!(
            pos("9.4-1123").build("9.4-1123"),
            Some((BuildKind::Number, 1123))
        );
        assert_eq!(pos("3.13.0b2").stage, Stage::Pre(2, Some(2)));
        assert_eq!(pos("1.0.0-rc.1").stage, Stage::Pre(3, Some(1)));
        assert_eq!(pos("2.1.0.post1").stage, Stage::Post(1));
        assert_eq!(pos("3.12-bookworm").stage, Stage::Final);
        assert_eq!(pos("3.20-alpine").stage, Stage::Final);
        assert!(pos("v0.5.0-g1a2b3c4").hash.is_some());
        assert!(pos("1.0-cuda12-runtime").cuda_major);
        assert!(!pos("1.0-cuda12.8-runtime").cuda_major);
        assert_eq!(pos("250304").parts("250304"), Version::new(&[2025, 3, 4]));
        assert_eq!(
            pos("v1.20.3-r2").parts("v1.20.3-r2"),
            Version::new(&[1, 20, 3])
        );
        assert!(read_position("8u422-b05").is_none());
        assert!(read_position("1.2.3.4.5").is_none());
        assert!(read_position("2025-13-01").is_none_or(|p| !p.calendar));
    }

    #[test]
    fn cuda_words() {
        assert!(cuda_extends(
            Some("-cuda12-runtime"),
            Some("-cuda12.8-runtime")
        ));
        assert!(!cuda_extends(
            Some("-cuda12-runtime"),
            Some("-cuda12.8-devel")
        ));
        assert!(!cuda_extends(Some("-cuda12"), Some("-cuda120")));
        assert!(!cuda_extends(Some("-cuda12"), Some("-cuda12")));
    }
}
