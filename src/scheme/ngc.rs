//! NGC tags on `nvcr.io`: the release lives in the tag.
//!
//! ```text
//! ngc-name ::= [ registry "/" ] repository [ ":" ngc-tag ] [ "@" digest ]
//! ngc-tag  ::= lead [ ( "." | "_" ) word ] ( "-" word )*
//!            | cuda-word ( "-" word )*          (rapidsai:cuda10.1-runtime-ubuntu18.04)
//!            | other                            (latest, v2-merged-tf2-py3: not a version)
//! lead     ::= release                          (24.01, 24.5, 18.08.1, 23.08.03, 26.08dev)
//!            | "v" number "." version [marker]  (clara-train-sdk:v4.0, v1.2.3.45, v1.0.0rc1)
//!            | vendor-release                   (matlab:r2020a)
//!            | "r" version                      (l4t-jetpack:r36.4.0)
//!            | version [marker]                 (deepstream:7.0, 1.4.0rc2, 2.1.0.post1;
//!                                                the CUDA version of nvidia/cuda)
//! marker   ::= [ "." ] ( "dev" | "a" | "alpha" | "b" | "beta" | "rc" | "post" ) [0-9]*
//!              (also as the first word after a product version: 3.0.0-beta2)
//! word     ::= python                           ("py" version: py3, py3.12)
//!            | cuda-word                        ("cuda" version | "cuda_" [a-z]+: cuda12.9, cuda_multi)
//!            | "cudnn" [0-9]*                   (cudnn8; bare cudnn: unversioned)
//!            | os                               (ubuntu22.04, ubi8, centos8, rockylinux9)
//!            | "gcc" version                    (a compiler)
//!            | "r" number "." version           (an L4T release after a product version:
//!                                                dli-nano-ai:v2.0.2-r32.7.1)
//!            | release                          (the NGC release after a product version:
//!                                                6.2-22.09-samples)
//!            | [1-9] [0-9]*                     (a build number right after a product
//!                                                version: clara-parabricks:4.2.1-1)
//!            | [A-Za-z0-9] [A-Za-z0-9._]*       (a variant word before Python, a suffix word
//!                                                after it; for DIGITS the first is the package:
//!                                                trtllm, pth1.13, mistral_7b, RC)
//! ```
//!
//! A pre-release marker orders below the version it precedes, a post
//! release above: `1.4.0rc2 < 1.4.0 < 1.4.0.post1`, and a `dev` release
//! below its release (`25.02dev < 25.02`).
//!
//! So `tritonserver:24.05-trtllm-python-py3` has release `24.05`, variant
//! `trtllm-python` and Python `py3`; `tritonserver:25.07-py3-igpu-min` has
//! the suffix `igpu-min`; `cuda:12.1.1-cudnn8-runtime-ubuntu22.04` has CUDA
//! `12.1.1`, cuDNN `8`, variant `runtime` and OS `ubuntu22.04`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{class, offset_in, PErr, Res, Why};
use crate::reference::{Reference, DEFAULT_TAG};
use crate::release::{Release, VendorRelease};
use crate::scheme::words::{
    self, as_scheme, fail, finish, is_plain, is_tag_word, marker, versioned, Marker,
};
use crate::scheme::{
    lenient_version, release_version, Facts, Field, Indexed, Scheme, Tagged, Track,
};
use crate::version::Version;

const SUBJECT: &str = "NGC tag";
/// NGC's registry.
pub const NGC_REGISTRY: &str = "nvcr.io";
/// Operating system words, followed by their version (`ubuntu22.04`, `ubi8`).
const OS: [&str; 8] = [
    "ubuntu",
    "amzn",
    "ubi",
    "centos",
    "rockylinux",
    "rhel",
    "debian",
    "oraclelinux",
];

/// Where an NGC tag sits on its track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NgcPosition {
    /// An NGC release (`24.01`).
    Release(Release),
    /// A product version, with the letter written before it, if any
    /// (`v4.0`, `r36.4.0`, `7.0`; the CUDA version of `nvidia/cuda`).
    Version(Option<char>, Version),
    /// A vendor release (`r2020a`).
    Vendor(VendorRelease),
    /// None: an alias (`latest`, no tag), a tag that is not a version, or a
    /// tag that starts with its CUDA version (`cuda10.1-runtime-ubuntu18.04`).
    None,
}

/// An NGC tag with its repository: `nvcr.io/nvidia/pytorch:24.01-py3`.
///
/// ```
/// use imagetag::scheme::ngc::NgcTag;
///
/// let t: NgcTag = "nvcr.io/nvidia/tritonserver:24.05-trtllm-python-py3".parse()?;
/// assert_eq!(t.framework(), Some("tritonserver"));
/// assert_eq!(t.release().map(|r| r.to_string()).as_deref(), Some("24.05"));
/// assert_eq!(t.variant(), Some("trtllm-python"));
/// assert_eq!(t.python(), Some("py3"));
/// let p: NgcTag = "nvcr.io/nvidia/pytorch:24.01-py3".parse()?;
/// assert_eq!(p.to_twcc().unwrap().to_string(), "pytorch-24.01-py3:latest");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Laws
///
/// - **Display** prints the name exactly as it was written, digest
///   included, and `NgcTag::parse(&t.to_string()) == Ok(t)`.
/// - **Equality is by meaning**: the same registry (compared without case:
///   `NVCR.io/nvidia/pytorch:24.01-py3` equals `nvcr.io/nvidia/pytorch:24.01-py3`),
///   repository, tag and digest. Equal tags hash alike.
/// - **Order** is the named, partial [`Tagged::compare`]; there is no
///   `PartialOrd` or `Ord`.
///
/// # Total ordering
///
/// None: tags compare ([`Tagged::compare`]) only on the same track (the
/// repository and every word of the tag but the position), by release or
/// version: `pytorch:23.10-py3 < pytorch:24.01-py3`; `pytorch:24.01-py3` and
/// `pytorch:24.01-py3-igpu` are incomparable.
///
/// # Errors
///
/// `tensorflow-20.02-tf1-py3.sif` (no registry and no tag),
/// `rapidsai:cuda10.0_ubuntu16.04` (`_` after the CUDA version),
/// `pytorch:24.13-py3` (no such month), `pytorch:24.01-py3-py3` (two Python parts).
#[derive(Clone)]
pub struct NgcTag {
    /// The name as written, then whatever a part needs that the name does
    /// not spell (a `library/` repository, a CUDA version of the `cuda`
    /// repository written differently, words joined across others): one
    /// allocation, no spare capacity. A catalog holds many images, so the
    /// parts are small offsets into it rather than a box of their own.
    text: Box<str>,
    /// Where the registry, if written, ends; else where the repository or
    /// the name starts: [`Sp`]s of the name as written count from here.
    base: u32,
    /// Where the registry starts (`text[registry..base]`); `base`: none.
    registry: u32,
    /// How many bytes of `text` follow the name as written.
    extra: u16,
    repository: Sp,
    tag: Sp,
    digest: Sp,
    // The parts of the tag that may lie after the name (see [`Part`]).
    cuda: Part,
    variant: Part,
    suffix: Part,
    /// The length of the leading version or release as written
    /// (`1.4.0rc2`, `23.08.03`, `v4.0`), which starts the tag; 0: none.
    /// The position and its marker are read again from it when asked for
    /// (a few bytes, not the 28 of an [`NgcPosition`]).
    lead: u8,
    // The parts of the tag that are whole words or end one (see [`Word`]).
    cudnn: Word,
    package: Word,
    python: Word,
    os: Word,
    compiler: Word,
    /// The L4T release after a product version (`r32.7.1`).
    l4t: Word,
    /// A pre-release written as a word of its own (`beta2` of `3.0.0-beta2`).
    pre: Word,
    /// The NGC release after a product version (`22.09` of `6.2-22.09-samples`).
    release2: Word,
    /// A build number right after a product version (`1` of `4.2.1-1`).
    build: Word,
    /// What the lead is.
    kind: Kind,
    /// The `X_*` flags below.
    flags: u8,
}

/// What the lead of a tag is: the kind of its [`NgcPosition`], with the
/// letter written before a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// No lead: [`NgcPosition::None`].
    None,
    /// An NGC release (`24.01`).
    Release,
    /// A version without a letter (`7.0`, `1.4.0rc2`).
    Version,
    /// A version after `v` (`v4.0`).
    VersionV,
    /// A version after `r` (`r36.4.0`).
    VersionR,
    /// A vendor release (`r2020a`).
    Vendor,
}

impl Kind {
    fn of(p: Option<NgcPosition>) -> Kind {
        match p {
            Some(NgcPosition::Release(_)) => Kind::Release,
            Some(NgcPosition::Version(None, _)) => Kind::Version,
            Some(NgcPosition::Version(Some('v'), _)) => Kind::VersionV,
            Some(NgcPosition::Version(Some(c), _)) => {
                debug_assert_eq!(c, 'r');
                Kind::VersionR
            }
            Some(NgcPosition::Vendor(_)) => Kind::Vendor,
            Some(NgcPosition::None) | None => Kind::None,
        }
    }

    /// The letter written before a version.
    fn letter(self) -> Option<char> {
        match self {
            Kind::VersionV => Some('v'),
            Kind::VersionR => Some('r'),
            _ => None,
        }
    }

    fn is_version(self) -> bool {
        matches!(self, Kind::Version | Kind::VersionV | Kind::VersionR)
    }
}

/// A part of the tag that runs from `at` bytes into it (of at most 128
/// bytes) to the next `-` or the end of the tag; 0: none (no such part
/// starts a tag: the lead, or a `cuda` word, does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Word(u8);

impl Word {
    /// The part `p` of `tag`, which ends a word of it.
    fn of(p: Part, tag: &str) -> Word {
        debug_assert!(
            p.is_none()
                || (p.at != 0
                    && matches!(
                        tag.as_bytes().get(usize::from(p.at + p.len)),
                        None | Some(b'-')
                    )),
            "{p:?} of {tag:?}"
        );
        Word(if p.is_none() { 0 } else { p.at })
    }

    fn is_some(self) -> bool {
        self.0 != 0
    }
}

/// `cuda` lies in the text after the name, not in the tag.
const CUDA_X: u8 = 1;
/// `variant` lies in the text after the name, not in the tag.
const VARIANT_X: u8 = 2;
/// `suffix` lies in the text after the name, not in the tag.
const SUFFIX_X: u8 = 4;
/// A bare `cudnn`: cuDNN `unversioned`.
const CUDNN_BARE: u8 = 8;
/// The `cuda` repository: its leading version is the CUDA version.
const CUDA_REPO: u8 = 16;
/// The tag was not read as a version (`latest`, `v2-merged-tf2-py3`).
const OTHER: u8 = 32;

/// A part of the name outside the tag (repository, tag, digest), `len`
/// bytes at `base + at` in the name as written, or, with [`FROM_END`] set
/// in `at`, that many bytes before the end of the text; `len` 0: none.
/// Everything after the registry is short (a path of at most 255 bytes, a
/// tag of 128, a digest of 135), so 16 bits are plenty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Sp {
    at: u16,
    len: u16,
}

/// `Sp::at` counts back from the end of the text.
const FROM_END: u16 = 0x8000;

/// A part of the tag: `len` bytes `at` bytes into the tag (of at most 128
/// bytes), or, with its `X_*` flag set, `at` bytes before the end of the
/// text; `len` 0: none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Part {
    at: u8,
    len: u8,
}

impl Part {
    const NONE: Part = Part { at: 0, len: 0 };

    fn is_some(self) -> bool {
        self.len != 0
    }

    fn is_none(self) -> bool {
        self.len == 0
    }
}

/// A run of variant or suffix words joined by `-`: from `at` to `end` in
/// the tag while its words follow each other (no copy), else `broken` and
/// joined from the words starting at the bits of `starts` (a tag has at
/// most 128 bytes).
#[derive(Clone, Copy, Default)]
struct Run {
    at: u8,
    end: u8,
    broken: bool,
    starts: u128,
}

impl Run {
    fn is_some(&self) -> bool {
        self.end != 0
    }

    /// Adds word `x`, `at` bytes into tag `t`.
    fn extend(&mut self, t: &str, at: usize, x: &str) {
        let end = at + x.len();
        if !self.is_some() {
            self.at = at as u8;
        } else if !(t.as_bytes().get(usize::from(self.end)) == Some(&b'-')
            && at == usize::from(self.end) + 1)
        {
            // A run broken by another word (`devel-ubuntu22.04-x`).
            self.broken = true;
        }
        self.end = end as u8;
        self.starts |= 1u128 << at;
    }

    /// The words of a broken run, in order.
    fn words<'t>(&self, t: &'t str) -> impl Iterator<Item = &'t str> {
        let mut m = self.starts;
        std::iter::from_fn(move || {
            if m == 0 {
                return None;
            }
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            Some(word(&t[i..]).0)
        })
    }

    /// The length of the joined words of a broken run.
    fn joined_len(&self, t: &str) -> usize {
        self.words(t).map(|x| x.len() + 1).sum::<usize>() - 1
    }

    fn push_joined(&self, t: &str, out: &mut String) {
        for (i, x) in self.words(t).enumerate() {
            if i > 0 {
                out.push('-');
            }
            out.push_str(x);
        }
    }

    /// The run as a part of the tag, when not broken.
    fn part(&self) -> Part {
        if self.broken || !self.is_some() {
            return Part::NONE;
        }
        Part {
            at: self.at,
            len: self.end - self.at,
        }
    }
}

/// The words of a tag, as parts of it (a tag has at most 128 bytes).
#[derive(Default)]
struct Words<'a> {
    /// The whole tag: the parts below are offsets into it.
    tag: &'a str,
    position: Option<NgcPosition>,
    cuda: Part,
    cudnn: Part,
    cudnn_bare: bool,
    variant: Run,
    package: Part,
    python: Part,
    suffix: Run,
    os: Part,
    compiler: Part,
    other: bool,
    lead: Part,
    marker: Option<Marker>,
    release2: Part,
    l4t: Part,
    /// A build number.
    build: Part,
    pre: Part,
}

impl Words<'_> {
    /// Where `x`, a slice of the tag, is in it.
    fn part(&self, x: &str) -> Part {
        debug_assert!(words::within(self.tag, x) && self.tag.len() <= 255);
        Part {
            at: offset_in(self.tag, x) as u8,
            len: x.len() as u8,
        }
    }
}

/// Counts the bytes written (sizing the text before it is allocated).
struct Count(usize);

impl fmt::Write for Count {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Instantiation
impl NgcTag {
    /// Reads a full name (a reference, normalized, then the NGC scheme).
    pub fn parse(s: &str) -> Result<NgcTag, Error> {
        let r = Reference::parse_normalized(s).map_err(|e| e.with_subject(SUBJECT))?;
        NgcTag::from_reference(&r, s)
    }
}

/// Access
impl NgcTag {
    /// The registry, if written (`nvcr.io`).
    pub fn registry(&self) -> Option<&str> {
        (self.registry != self.base).then(|| &self.text[self.registry as usize..self.base as usize])
    }

    /// The repository path (`nvidia/pytorch`).
    pub fn repository(&self) -> &str {
        self.sp(self.repository).unwrap_or("")
    }

    /// The framework: the repository name (`pytorch`), `rapidsai` for the
    /// RAPIDS flavors, the component above a `release` channel
    /// (`tensorrt-llm/release`); `None` for NIM model repositories
    /// (`nim/meta/…`).
    pub fn framework(&self) -> Option<&str> {
        let (namespace, name) = self.namespace_name();
        // NIM repositories hold models, not frameworks.
        if namespace.is_some_and(|n| n == "nim" || n.starts_with("nim/")) {
            return None;
        }
        if let Some(r) = rapids(namespace) {
            return Some(r);
        }
        if name == "release" {
            // `nvidia/tensorrt-llm/release`: the repository names a channel
            // of the framework above it.
            return namespace.and_then(|n| n.rsplit('/').next());
        }
        Some(name)
    }

    /// The RAPIDS flavor (`nvidia/rapidsai/<flavor>`).
    pub fn flavor(&self) -> Option<&str> {
        let (namespace, name) = self.namespace_name();
        rapids(namespace).map(|_| name)
    }

    /// The position on the track.
    pub fn position(&self) -> NgcPosition {
        // The lead was read as this kind when the tag was: it reads so
        // again (`None` below is never reached).
        let lead = self.lead_text().unwrap_or("");
        let letter = usize::from(self.kind.letter().is_some());
        match self.kind {
            Kind::Release => Release::prefix(lead)
                .ok()
                .map(|(_, r)| NgcPosition::Release(r)),
            Kind::Version | Kind::VersionV | Kind::VersionR => {
                Version::prefix_lenient(&lead[letter..], Component::Version)
                    .ok()
                    .map(|(_, v)| NgcPosition::Version(self.kind.letter(), v))
            }
            Kind::Vendor => VendorRelease::prefix(lead)
                .ok()
                .map(|(_, v)| NgcPosition::Vendor(v)),
            Kind::None => None,
        }
        .unwrap_or(NgcPosition::None)
    }

    /// The NGC release (`24.01`; `22.09` of `deepstream:6.2-22.09-samples`,
    /// a product version with the NGC release it shipped in).
    pub fn release(&self) -> Option<Release> {
        match self.position() {
            NgcPosition::Release(r) => Some(r),
            _ => self.release2(),
        }
    }

    /// The L4T release written after a product version (`r32.7.1` of
    /// `dli-nano-ai:v2.0.2-r32.7.1`).
    pub fn l4t(&self) -> Option<&str> {
        self.word(self.l4t)
    }

    /// Whether the tag was read as a position (a release or a version), not
    /// as an opaque tag (`latest` counts as read: it is the alias).
    pub fn has_position(&self) -> bool {
        self.flags & OTHER == 0
    }

    /// The CUDA version (`12.1.1`), or `multi` (`cuda_multi`).
    pub fn cuda(&self) -> Option<&str> {
        self.part(self.cuda, CUDA_X)
    }

    /// The cuDNN version (`8`), or `unversioned` (a bare `cudnn`).
    pub fn cudnn(&self) -> Option<&str> {
        if self.flags & CUDNN_BARE != 0 {
            return Some("unversioned");
        }
        self.word(self.cudnn)
    }

    /// The variant words before Python, joined by `-` (`trtllm-python`, `devel`).
    pub fn variant(&self) -> Option<&str> {
        self.part(self.variant, VARIANT_X)
    }

    /// The package DIGITS is built on (`tensorflow`).
    pub fn package(&self) -> Option<&str> {
        self.word(self.package)
    }

    /// The Python part as written (`py3`, RAPIDS' `py3.6`).
    pub fn python(&self) -> Option<&str> {
        self.word(self.python)
    }

    /// The words after Python, joined by `-` (`sdk`, `igpu-min`).
    pub fn suffix(&self) -> Option<&str> {
        self.part(self.suffix, SUFFIX_X)
    }

    /// The operating system (`ubuntu22.04`).
    pub fn os(&self) -> Option<&str> {
        self.word(self.os)
    }

    /// The compiler word (`gcc11`), if any.
    pub(crate) fn compiler(&self) -> Option<&str> {
        self.word(self.compiler)
    }

    /// The leading version or release as written (`1.4.0rc2`, `23.08.03`).
    pub(crate) fn lead_text(&self) -> Option<&str> {
        if self.lead == 0 {
            return None;
        }
        self.tag().map(|t| &t[..usize::from(self.lead)])
    }

    /// The tag as written, if any.
    pub fn tag(&self) -> Option<&str> {
        self.sp(self.tag)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text[..self.text.len() - usize::from(self.extra)]
    }
}

/// The last 8 bytes of a namespace when they are `rapidsai`: RAPIDS names
/// its flavors `nvidia/rapidsai/<flavor>`.
fn rapids(namespace: Option<&str>) -> Option<&str> {
    namespace
        .and_then(|n| n.len().checked_sub(8).map(|at| &n[at..]))
        .filter(|n| *n == "rapidsai")
}

/// The parts as stored.
impl NgcTag {
    /// The text of a part outside the tag.
    fn sp(&self, s: Sp) -> Option<&str> {
        if s.len == 0 {
            return None;
        }
        let a = if s.at & FROM_END != 0 {
            self.text.len() - usize::from(s.at & !FROM_END)
        } else {
            self.base as usize + usize::from(s.at)
        };
        Some(&self.text[a..a + usize::from(s.len)])
    }

    /// The text of a part of the tag (`x`: its flag when it may lie after
    /// the name instead).
    fn part(&self, p: Part, x: u8) -> Option<&str> {
        if p.is_none() {
            return None;
        }
        let a = if self.flags & x != 0 {
            self.text.len() - usize::from(p.at)
        } else {
            let tag = self.sp(self.tag)?;
            offset_in(&self.text, tag) + usize::from(p.at)
        };
        Some(&self.text[a..a + usize::from(p.len)])
    }

    /// The text of a part of the tag that ends a word of it.
    fn word(&self, at: Word) -> Option<&str> {
        if !at.is_some() {
            return None;
        }
        let tag = self.tag()?;
        Some(word(&tag[usize::from(at.0)..]).0)
    }

    /// The numbers of the leading version as written, without its letter
    /// or marker (`1.4.0` of `1.4.0rc2`, `4.0` of `v4.0`); empty when
    /// the lead is not a version.
    fn version_text(&self) -> &str {
        if !self.kind.is_version() {
            return "";
        }
        let lead = self.lead_text().unwrap_or("");
        let v = &lead[usize::from(self.kind.letter().is_some()).min(lead.len())..];
        // Digits, and dots followed by a digit: where `Version` stops.
        let b = v.as_bytes();
        let mut n = 0;
        while n < b.len()
            && (b[n].is_ascii_digit()
                || (b[n] == b'.' && b.get(n + 1).is_some_and(u8::is_ascii_digit)))
        {
            n += 1;
        }
        &v[..n]
    }

    /// The pre-release marker of the position: a word of its own
    /// (`beta2` of `3.0.0-beta2`), else the one written after the leading
    /// version (`rc2` of `1.4.0rc2`), read again from the text.
    fn marker(&self) -> Marker {
        if let Some(p) = self.word(self.pre) {
            return marker_word(p).unwrap_or(Marker::FINAL);
        }
        if !matches!(self.kind, Kind::Version | Kind::VersionV) {
            return Marker::FINAL;
        }
        let lead = self.lead_text().unwrap_or("");
        let at = usize::from(self.kind.letter().is_some()) + self.version_text().len();
        match lead.get(at..) {
            Some("") | None => Marker::FINAL,
            Some(rest) => marker(rest).map_or(Marker::FINAL, |(_, m)| m),
        }
    }

    /// The repository's namespace, if any, and name.
    fn namespace_name(&self) -> (Option<&str>, &str) {
        let repository = self.repository();
        match repository.rsplit_once('/') {
            Some((n, m)) => (Some(n), m),
            None => (None, repository),
        }
    }

    fn digest(&self) -> Option<&str> {
        self.sp(self.digest)
    }

    /// The NGC release after a product version, read again from its text
    /// (it was read once when the tag was).
    fn release2(&self) -> Option<Release> {
        let x = self.word(self.release2)?;
        Release::prefix(x).ok().map(|(_, r)| r)
    }

    /// The build number, read again from its word (it was read once when
    /// the tag was).
    fn build_number(&self) -> Option<u32> {
        self.word(self.build).and_then(|x| x.parse().ok())
    }

    fn cuda_repo(&self) -> bool {
        self.flags & CUDA_REPO != 0
    }

    fn other(&self) -> bool {
        self.flags & OTHER != 0
    }
}

impl NgcTag {
    /// The reading of `r` without building an error: `None` when it is
    /// not an NGC tag (for detection, which tries the next reading).
    pub(crate) fn read(r: &Reference<'_>, input: &str) -> Option<NgcTag> {
        let registry = words::written(input, r.domain());
        let Some(t) = r.tag() else {
            // `tensorflow-20.02-tf1-py3.sif`: nothing says NGC.
            return registry.map(|_| NgcTag::build(input, r, registry, &Words::default(), false));
        };
        // RAPIDS names its flavors `nvidia/rapidsai/<flavor>`.
        let rapids = r.namespace().is_some_and(|n| n.ends_with("rapidsai"));
        let framework = if rapids { "rapidsai" } else { r.name() };
        let mut w = Words {
            tag: t,
            ..Words::default()
        };
        tag_words(&mut w, framework).ok()?;
        Some(NgcTag::build(input, r, registry, &w, framework == "cuda"))
    }

    /// The reading of a tag that does not fit the grammar: the registry,
    /// repository and framework, and the tag as an opaque word.
    pub(crate) fn lenient(r: &Reference<'_>, input: &str) -> NgcTag {
        let registry = words::written(input, r.domain());
        let w = Words {
            other: r.tag().is_some(),
            ..Words::default()
        };
        NgcTag::build(input, r, registry, &w, false)
    }

    /// The repository as people read it, the same for every spelling of
    /// the name (see `words::familiar_repository`).
    fn repository_written(&self) -> String {
        let (registry, path, name) = self.repository_parts();
        words::familiar_repository(registry, path, name)
    }

    /// The parts of [`repository_written`](Self::repository_written):
    /// registry, path and name.
    fn repository_parts(&self) -> (Option<&str>, Option<&str>, &str) {
        let (path, name) = match self.repository().rsplit_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, self.repository()),
        };
        (self.registry(), path, name)
    }

    /// What [`Tagged::track`] writes after the repository, as values: the
    /// kind of position (with its letter, or the tag), then the parts that
    /// are not the position.
    fn track_shape(&self) -> (u8, Option<char>, Option<&str>, [Option<&str>; 9]) {
        let (kind, letter, tag) = match self.kind {
            Kind::Release => (0, None, None),
            Kind::Version | Kind::VersionV | Kind::VersionR => (1, self.kind.letter(), None),
            Kind::Vendor => (2, None, None),
            Kind::None if self.other() || self.is_latest() => {
                (3, None, Some(self.tag().unwrap_or(DEFAULT_TAG)))
            }
            Kind::None => (4, None, None),
        };
        (kind, letter, tag, self.track_parts().map(|(_, v)| v))
    }

    /// The parts of the track that are not the position, by key.
    fn track_parts(&self) -> [(&'static str, Option<&str>); 9] {
        let cuda = if self.cuda_repo() { None } else { self.cuda() };
        [
            ("cuda", cuda),
            ("cudnn", self.cudnn()),
            ("variant", self.variant()),
            ("package", self.package()),
            ("python", self.python()),
            ("suffix", self.suffix()),
            ("os", self.os()),
            ("compiler", self.compiler()),
            ("l4t", self.l4t()),
        ]
    }

    fn is_latest(&self) -> bool {
        matches!(self.tag(), None | Some(DEFAULT_TAG))
    }
}

impl PartialEq for NgcTag {
    /// By meaning: the same registry (without case; none is Docker Hub),
    /// repository path, tag and digest.
    fn eq(&self, other: &Self) -> bool {
        words::host_eq(self.registry(), other.registry())
            && self.repository() == other.repository()
            && self.tag() == other.tag()
            && self.digest() == other.digest()
    }
}

impl Eq for NgcTag {}

impl Hash for NgcTag {
    /// Agrees with `Eq`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::reference::hash_host(Some(words::host(self.registry())), state);
        self.repository().hash(state);
        self.tag().hash(state);
        self.digest().hash(state);
    }
}

impl fmt::Display for NgcTag {
    /// The name exactly as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NgcTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NgcTag({:?})", self.as_str())
    }
}

impl FromStr for NgcTag {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        NgcTag::parse(s)
    }
}

impl Tagged for NgcTag {
    const SCHEME: Scheme = Scheme::Ngc;

    fn from_reference(r: &Reference<'_>, input: &str) -> Result<Self, Error> {
        words::check_len(input, SUBJECT)?;
        if let Some(v) = NgcTag::read(r, input) {
            return Ok(v);
        }
        // The failure path: read again, building the error.
        let registry = words::written(input, r.domain());
        let name = r.name();
        let namespace = r.namespace();
        let tag = r.tag();
        let Some(t) = tag else {
            if registry.is_none() {
                // `tensorflow-20.02-tf1-py3.sif`: nothing says NGC.
                let at = (offset_in(input, name) + name.len()).min(input.len());
                let why = Why {
                    kind: ErrorKind::Scheme,
                    component: Component::Tag,
                    expected: "expected a tag after the repository (an NGC name without a registry needs a tag)",
                };
                return Err(PErr::new(&input[at..], why).into_error(SUBJECT, input));
            }
            return Ok(NgcTag::build(input, r, registry, &Words::default(), false));
        };
        // RAPIDS names its flavors `nvidia/rapidsai/<flavor>`.
        let rapids = namespace.is_some_and(|n| n.ends_with("rapidsai"));
        let framework = if rapids { "rapidsai" } else { name };
        let cuda_repo = framework == "cuda";
        let mut w = Words {
            tag: t,
            ..Words::default()
        };
        finish(tag_words(&mut w, framework), SUBJECT, input)?;
        Ok(NgcTag::build(input, r, registry, &w, cuda_repo))
    }

    fn track(&self) -> Track {
        let mut parts = vec![self.repository_written()];
        match self.kind {
            Kind::Release => parts.push("release".into()),
            Kind::VersionV | Kind::VersionR => {
                parts.push(format!("version={}", self.kind.letter().unwrap_or('v')))
            }
            Kind::Version => parts.push("version".into()),
            Kind::Vendor => parts.push("vendor".into()),
            Kind::None if self.other() || self.is_latest() => {
                parts.push(format!("tag={}", self.tag().unwrap_or(DEFAULT_TAG)))
            }
            Kind::None => parts.push("cuda-only".into()),
        }
        for (k, v) in self.track_parts() {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        Track::new(parts.iter().map(String::as_str))
    }

    fn is_alias(&self) -> bool {
        self.is_latest()
    }

    fn alias_tag(&self) -> Option<String> {
        self.is_latest().then(|| DEFAULT_TAG.to_owned())
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = Vec::new();
        let mut push = |k, v: Option<&str>| {
            if let Some(v) = v {
                f.push(Field::text(k, v));
            }
        };
        push("registry", self.registry());
        push("repository", Some(self.repository()));
        push("framework", self.framework());
        push("flavor", self.flavor());
        let lead = self.lead_text();
        match self.kind {
            Kind::Release => push("release", lead),
            k if k.is_version() && self.cuda_repo() => {}
            Kind::Version | Kind::VersionV | Kind::VersionR | Kind::Vendor => push("version", lead),
            Kind::None => {}
        }
        let release2 = self.release2().map(|r| r.to_string());
        push("release", release2.as_deref());
        push("pre", self.word(self.pre));
        push("l4t", self.l4t());
        let build = self.build_number().map(|b| b.to_string());
        push("build", build.as_deref());
        push("cuda", self.cuda());
        push("cudnn", self.cudnn());
        push("variant", self.variant());
        push("package", self.package());
        // NGC's framework tags write the Python major as a word (`py3`),
        // reported as written; a full version (`py3.6`, `py3.10`) is
        // reported as the version (`3.6`), wherever it stands.
        let python = match self.python() {
            Some(p) if p.contains('.') => Some(&p[2..]),
            p => p,
        };
        push("python", python);
        push("suffix", self.suffix());
        push("os", self.os());
        push("compiler", self.compiler());
        if self.other() {
            push("tag", self.tag());
        }
        push("digest", self.digest());
        f
    }

    /// The fields' facts, with the typed position where the text does not
    /// say it plainly: a product version without its marker (`1.4.0` of
    /// `1.4.0rc2`), whether it is a pre-release (`rc0`, `beta2`), and the
    /// date of the release.
    ///
    /// Read from the typed parts, without building [`fields`](Tagged::fields)
    /// (a query ranks every candidate).
    fn facts(&self) -> Facts<'_> {
        let lead = self.lead_text();
        let version = match self.position() {
            NgcPosition::Release(r) => Some(release_version(r)),
            NgcPosition::Version(_, v) if !self.cuda_repo() => Some(v),
            NgcPosition::Vendor(_) => lead.and_then(lenient_version),
            _ => None,
        };
        Facts {
            version: version.or(self.release2().map(release_version)),
            cuda: self.cuda().and_then(lenient_version),
            cudnn: self.cudnn().and_then(|n| n.parse().ok()),
            python: self.python().and_then(lenient_version),
            // NGC's suffixes (`-igpu`, `-sdk`) are flavours like a variant:
            // a plain image wins a tie over them.
            variant: self.variant().or(self.suffix()).map(Cow::Borrowed),
            prerelease: self.pre.is_some() || self.marker().is_pre(),
            released: self.release().map(|r| r.date()),
            ..Facts::default()
        }
    }

    fn same_track(&self, other: &Self) -> bool {
        self.track_shape() == other.track_shape()
            && words::same_repository(self.repository_parts(), other.repository_parts())
    }

    fn compare(&self, other: &Self) -> Option<Ordering> {
        if self == other {
            return Some(Ordering::Equal);
        }
        if !self.same_track(other) {
            return None;
        }
        let o = match (self.kind, other.kind) {
            (Kind::Release, Kind::Release) | (Kind::Vendor, Kind::Vendor) => {
                match (self.position(), other.position()) {
                    (NgcPosition::Release(a), NgcPosition::Release(b)) => {
                        a.cmp_calendar(&b).then(self.marker().cmp(&other.marker()))
                    }
                    (NgcPosition::Vendor(a), NgcPosition::Vendor(b)) => a.cmp_calendar(&b),
                    _ => return None,
                }
            }
            // Versions by their text: a sort compares millions of them.
            (a, b) if a.is_version() && b.is_version() => {
                crate::version::cmp_padded(self.version_text(), other.version_text())
                    .then_with(|| self.marker().cmp(&other.marker()))
                    .then_with(|| match (self.release2(), other.release2()) {
                        (Some(x), Some(y)) => x.cmp_calendar(&y),
                        _ => Ordering::Equal,
                    })
                    .then_with(|| self.build_number().cmp(&other.build_number()))
            }
            _ => return None,
        };
        // Equal positions spelled differently (`12.1` and `12.1.0`), or the
        // same tag with different digests: no guess.
        (o != Ordering::Equal).then_some(o)
    }
}

impl Indexed for NgcTag {}

impl NgcTag {
    /// The value of `r`, read from `input`, with the words of its tag: one
    /// allocation, sized before it is made.
    fn build(
        input: &str,
        r: &Reference<'_>,
        registry: Option<&str>,
        w: &Words<'_>,
        cuda_repo: bool,
    ) -> NgcTag {
        let name = r.name();
        let namespace = r.namespace();
        let within = |p: &str| words::within(input, p);
        // The repository as written (not so for a `library/` Docker Hub
        // reads into it, or a reference not read from `input`).
        let path_written = within(name) && namespace.is_none_or(within);
        let base = match registry {
            Some(g) => offset_in(input, g) + g.len(),
            None if path_written => offset_in(input, namespace.unwrap_or(name)),
            None if within(name) => offset_in(input, name),
            None => 0,
        };
        // A part of the name as written, `len` bytes at `a`, when it can be
        // told from `base`.
        let written = |a: usize, len: usize| -> Option<Sp> {
            let at = a
                .checked_sub(base)
                .filter(|&at| at < usize::from(FROM_END))?;
            Some(Sp {
                at: at as u16,
                len: u16::try_from(len).ok()?,
            })
        };
        let repository = if path_written {
            let a = offset_in(input, namespace.unwrap_or(name));
            written(a, offset_in(input, name) + name.len() - a)
        } else {
            None
        };
        let t = r.tag();
        let tag = t
            .filter(|t| within(t))
            .and_then(|t| written(offset_in(input, t), t.len()));
        let digest = r.digest();
        let digest_written = digest.and_then(|d| {
            // `sha256:…` as written, after the `@`.
            let alg = d.algorithm().as_str();
            let hex = d.hex();
            let a = offset_in(input, hex).checked_sub(alg.len() + 1)?;
            if !(within(hex) && input[a..].starts_with(alg)) {
                return None;
            }
            written(a, offset_in(input, hex) + hex.len() - a)
        });
        // The `cuda` repository's version, as its tag writes it (`12.1.0`),
        // else as the version prints.
        let (cuda, cuda_printed) = match (cuda_repo, w.position) {
            (true, Some(NgcPosition::Version(None, v))) => {
                let lead = Some(w.lead)
                    .filter(|l| l.is_some())
                    .map(|l| &w.tag[usize::from(l.at)..usize::from(l.at + l.len)]);
                if lead.is_some_and(|l| spells(l, &v)) {
                    (w.lead, None)
                } else {
                    (Part::NONE, Some(v))
                }
            }
            _ => (w.cuda, None),
        };
        let mut flags = 0;
        if w.cudnn_bare {
            flags |= CUDNN_BARE;
        }
        if cuda_repo {
            flags |= CUDA_REPO;
        }
        if w.other {
            flags |= OTHER;
        }
        let mut v = NgcTag {
            text: Box::default(),
            base: base as u32,
            registry: registry.map_or(base, |g| offset_in(input, g)) as u32,
            extra: 0,
            repository: repository.unwrap_or_default(),
            tag: tag.unwrap_or_default(),
            digest: digest_written.unwrap_or_default(),
            cuda,
            variant: w.variant.part(),
            suffix: w.suffix.part(),
            lead: w.lead.len,
            cudnn: Word::of(w.cudnn, w.tag),
            package: Word::of(w.package, w.tag),
            python: Word::of(w.python, w.tag),
            os: Word::of(w.os, w.tag),
            compiler: Word::of(w.compiler, w.tag),
            l4t: Word::of(w.l4t, w.tag),
            pre: Word::of(w.pre, w.tag),
            release2: Word::of(w.release2, w.tag),
            build: Word::of(w.build, w.tag),
            kind: Kind::of(w.position),
            flags,
        };
        debug_assert!(w.lead.is_none() || w.lead.at == 0);
        let spelled = repository.is_some()
            && (t.is_none() || tag.is_some())
            && (digest.is_none() || digest_written.is_some())
            && cuda_printed.is_none()
            && !w.variant.broken
            && !w.suffix.broken;
        if spelled {
            // The common case: the name spells every part.
            v.text = input.into();
        } else {
            v.append(input, r, w, cuda_printed);
        }
        v
    }

    /// The text of a value whose name does not spell every part: the name,
    /// then each part it does not spell, sized before it is allocated.
    #[cold]
    #[inline(never)]
    fn append(
        &mut self,
        input: &str,
        r: &Reference<'_>,
        w: &Words<'_>,
        cuda_printed: Option<Version>,
    ) {
        use std::fmt::Write as _;
        let name = r.name();
        let namespace = r.namespace();
        let (t, digest) = (r.tag(), r.digest());
        let printed = |v: &dyn fmt::Display| {
            let mut n = Count(0);
            let _ = write!(n, "{v}");
            n.0
        };
        let path_len = namespace.map_or(0, |n| n.len() + 1) + name.len();
        let missing = |s: Sp| s.len == 0;
        let extra = if missing(self.repository) {
            path_len
        } else {
            0
        } + t.filter(|_| missing(self.tag)).map_or(0, str::len)
            + digest
                .filter(|_| missing(self.digest))
                .map_or(0, |d| printed(&d))
            + cuda_printed.map_or(0, |v| printed(&v))
            + if w.variant.broken {
                w.variant.joined_len(w.tag)
            } else {
                0
            }
            + if w.suffix.broken {
                w.suffix.joined_len(w.tag)
            } else {
                0
            };
        let total = input.len() + extra;
        let mut text = String::with_capacity(total);
        text.push_str(input);
        // Appends what `push` writes: where it is, counted from the end.
        let append = |text: &mut String, push: &dyn Fn(&mut String)| -> (usize, usize) {
            let a = text.len();
            push(text);
            (total - a, text.len() - a)
        };
        let sp = |(at, len): (usize, usize)| Sp {
            at: FROM_END | at as u16,
            len: len as u16,
        };
        if missing(self.repository) {
            self.repository = sp(append(&mut text, &|s| {
                if let Some(n) = namespace {
                    s.push_str(n);
                    s.push('/');
                }
                s.push_str(name);
            }));
        }
        if let Some(t) = t.filter(|_| missing(self.tag)) {
            self.tag = sp(append(&mut text, &|s| s.push_str(t)));
        }
        if let Some(d) = digest.filter(|_| missing(self.digest)) {
            self.digest = sp(append(&mut text, &|s| {
                let _ = write!(s, "{d}");
            }));
        }
        // The parts of the tag that are not in it come last: at most the
        // tag's length, so they are `u8` offsets from the end.
        let part = |(at, len): (usize, usize)| Part {
            at: at as u8,
            len: len as u8,
        };
        if let Some(v) = cuda_printed {
            self.flags |= CUDA_X;
            self.cuda = part(append(&mut text, &|s| {
                let _ = write!(s, "{v}");
            }));
        }
        if w.variant.broken {
            self.flags |= VARIANT_X;
            self.variant = part(append(&mut text, &|s| w.variant.push_joined(w.tag, s)));
        }
        if w.suffix.broken {
            self.flags |= SUFFIX_X;
            self.suffix = part(append(&mut text, &|s| w.suffix.push_joined(w.tag, s)));
        }
        debug_assert_eq!(text.len(), total);
        self.extra = extra as u16;
        // Exact: no reallocation.
        self.text = text.into_boxed_str();
    }
}

#[cfg(feature = "serde")]
crate::release::string_serde!(NgcTag, "an NGC image name");

// ---------------------------------------------------------------------------
// The grammar

// ngc-tag ::= lead [ ( "." | "_" ) word ] ( "-" word )* | cuda-word ( "-" word )* | other
fn tag_words<'a>(w: &mut Words<'a>, framework: &str) -> Res<'a, ()> {
    let t = w.tag;
    // The CUDA image and OS images (`base/ubuntu:22.04`) lead with their
    // own version, never an NGC release.
    let own_version = framework == "cuda" || OS.contains(&framework);
    let mut rest = match lead(t, own_version)? {
        Some(l) => {
            w.position = Some(l.position);
            w.lead = w.part(l.text);
            w.marker = l.marker;
            // A word joined by `.` or `_` (`24.09.mistral_7b`, `24.01.framework`),
            // or a pre-release marker joined by `.` (`nemo:24.12.rc0`).
            match l.rest.strip_prefix(['.', '_']) {
                Some(after) => {
                    let (x, r) = word(after);
                    if !(w.marker.is_none() && !own_version && pre_word(x, w)) {
                        classify(x, w, framework)?;
                    }
                    r
                }
                None => l.rest,
            }
        }
        None if t.starts_with("cuda") => {
            // The first word is the CUDA version: read it as a word.
            let (first, rest) = word(t);
            classify(first, w, framework)?;
            w.position = Some(NgcPosition::None);
            rest
        }
        None => {
            // Not a version: the tag is an opaque word, but a CUDA version
            // in it is still the CUDA version (`cuda-sample:vectoradd-cuda12.5.0`).
            w.other = true;
            if let Some(c) = t.split(['-', '_']).find_map(|x| versioned(x, "cuda")) {
                w.cuda = w.part(c);
            }
            return Ok(("", ()));
        }
    };
    // A pre-release written as the first word after a product version or
    // a release (`isaac-lab:3.0.0-beta2`, `riva-speech:1.4.0-beta-samples`,
    // `pytorch:25.02-rc1-py3`, `pytorch:25.01-RC`).
    if matches!(
        w.position,
        Some(NgcPosition::Version(Some('v') | None, _) | NgcPosition::Release(_))
    ) && w.marker.is_none()
        && !w.variant.is_some()
        && !own_version
    {
        if let Some(after) = rest.strip_prefix('-') {
            let (x, r) = word(after);
            if pre_word(x, w) {
                rest = r;
            }
        }
    }
    while let Some(after) = rest.strip_prefix('-') {
        let (x, r) = word(after);
        if x.is_empty() {
            return fail(after, 0, Component::Tag, "expected a word after '-'");
        }
        classify(x, w, framework)?;
        rest = r;
    }
    if !rest.is_empty() {
        return fail(
            rest,
            0,
            Component::Tag,
            "expected '-' between words of the tag",
        );
    }
    Ok(("", ()))
}

/// What [`lead`] read.
struct Lead<'a> {
    rest: &'a str,
    position: NgcPosition,
    text: &'a str,
    marker: Option<Marker>,
}

/// What [`lead`] answers: the lead, or `None` when the tag starts with none.
type LeadRes<'a> = Result<Option<Lead<'a>>, nom::Err<PErr<'a>>>;

/// Whether `r` (what follows a lead) ends the lead: the end of the tag, a
/// `-`, a word joined by `.` that starts with a letter, or a word joined by
/// `_` (`22.04_20240212`).
fn ends(r: &str) -> bool {
    match r.as_bytes() {
        [] | [b'-', ..] => true,
        [b'.', c, ..] => c.is_ascii_alphabetic(),
        [b'_', c, ..] => c.is_ascii_alphanumeric(),
        _ => false,
    }
}

/// Reads `x` as the pre-release marker of the lead when it is a whole
/// marker word, in any case (`rc0`, `beta2`, `RC`): `true` when it was one.
fn pre_word<'a>(x: &'a str, w: &mut Words<'a>) -> bool {
    match marker_word(x) {
        Some(m) => {
            w.marker = Some(m);
            w.pre = w.part(x);
            true
        }
        None => false,
    }
}

/// The marker `x` is when it is a whole marker word, in any case.
fn marker_word(x: &str) -> Option<Marker> {
    // Only a word that starts as a marker word can be one (most are not:
    // `py3`, `devel`).
    if !matches!(
        x.as_bytes().first().map(u8::to_ascii_lowercase),
        Some(b'a' | b'b' | b'r' | b'd' | b'p')
    ) {
        return None;
    }
    // Lower case only when it must be (`RC`), on the stack: a word of a
    // tag has at most 128 bytes, and reading a name allocates nothing.
    let mut buf = [0u8; 128];
    let lower = if x.bytes().any(|b| b.is_ascii_uppercase()) {
        let b = buf.get_mut(..x.len())?;
        b.copy_from_slice(x.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).ok()?
    } else {
        x
    };
    match Some(lower).filter(|l| is_marker_word(l)).and_then(marker) {
        Some(("", m)) => Some(m),
        _ => None,
    }
}

/// Whether `x` is a whole pre-release word (`beta2`, `rc1`, `alpha`, `dev`),
/// not a bare letter (`a`, `b`) that may be a variant.
fn is_marker_word(x: &str) -> bool {
    ["alpha", "beta", "rc", "dev", "post"]
        .iter()
        .any(|m| x.starts_with(m))
}

// lead ::= release | "v" number "." version [marker] | vendor-release | "r" version
//        | version [marker]
// A lead must be followed by "-", a word joined by "." or "_", or the end of
// the tag; `None` when the tag does not start with one.
fn lead<'a>(t: &'a str, cuda_repo: bool) -> LeadRes<'a> {
    let done = |rest: &'a str, position, marker| -> LeadRes<'a> {
        Ok(Some(Lead {
            rest,
            position,
            text: crate::parse::consumed(t, rest),
            marker,
        }))
    };
    let first = t.as_bytes().first().copied();
    if first.is_some_and(|b| b.is_ascii_digit()) {
        if !cuda_repo {
            let looks_like_release =
                t.len() > 2 && class::span(t, class::DIGIT) == 2 && t.as_bytes()[2] == b'.';
            match Release::prefix(t) {
                Ok((r, rel)) if ends(r) => return done(r, NgcPosition::Release(rel), None),
                Ok((r, _)) if looks_like_release && !r.starts_with('.') => {
                    // A marker after a release that `Release` does not read
                    // (`25.01rc1`): read as a version with its marker.
                    if let Ok(Some(x)) = version_lead(t, None, true) {
                        return Ok(Some(x));
                    }
                    return fail(r, 0, Component::Release, "expected '-' after the release")
                        .map(|_: (&str, ())| None);
                }
                Err(e) if looks_like_release => return Err(as_scheme(e)),
                _ => {}
            }
        }
        if let Some(x) = version_lead(t, None, true)? {
            return Ok(Some(x));
        }
        let (r, _) = Version::prefix_lenient(t, Component::Version).map_err(as_scheme)?;
        return fail(r, 0, Component::Version, "expected '-' after the version")
            .map(|_: (&str, ())| None);
    }
    if let Some(after) = t.strip_prefix('v') {
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            if let Ok(Some(x)) = version_lead(after, Some('v'), true) {
                if let NgcPosition::Version(_, v) = x.position {
                    if v.parts().len() >= 2 {
                        return Ok(Some(Lead {
                            text: &t[..t.len() - x.rest.len()],
                            ..x
                        }));
                    }
                }
            }
        }
    }
    if let Some(after) = t.strip_prefix('r') {
        if let Ok((r, v)) = VendorRelease::prefix(t) {
            if ends(r) {
                return done(r, NgcPosition::Vendor(v), None);
            }
        }
        if let Ok((r, v)) = Version::prefix(after, Component::Version) {
            if ends(r) {
                return done(r, NgcPosition::Version(Some('r'), v), None);
            }
        }
    }
    Ok(None)
}

// version [marker], followed by the end of the lead; `None` when something
// else follows. `lenient` takes numbers with leading zeros (`25.01rc1`).
fn version_lead(t: &str, letter: Option<char>, lenient: bool) -> LeadRes<'_> {
    let (r, v) = if lenient {
        Version::prefix_lenient(t, Component::Version)
    } else {
        Version::prefix(t, Component::Version)
    }
    .map_err(as_scheme)?;
    let (r, m) = match marker(r) {
        Some((after, m)) if ends(after) => (after, Some(m)),
        _ => (r, None),
    };
    if !ends(r) {
        return Ok(None);
    }
    Ok(Some(Lead {
        rest: r,
        position: NgcPosition::Version(letter, v),
        text: &t[..t.len() - r.len()],
        marker: m,
    }))
}

// word ::= python | cuda-word | "cudnn" [0-9]* | os | "gcc" version
//        | "r" number "." version | release | [A-Za-z0-9] [A-Za-z0-9._]*
fn classify<'a>(x: &'a str, w: &mut Words<'a>, framework: &str) -> Res<'a, ()> {
    // By the first letter, each prefix's version read once: a tag's words
    // are read for every name of a catalog.
    let first = x.as_bytes().first().copied();
    if first == Some(b'p') {
        if let Some(v) = x.strip_prefix("py") {
            match Version::prefix(v, Component::Version) {
                Ok(("", _)) => {
                    if w.python.is_some() {
                        return fail(x, x.len(), Component::Python, "expected one python part");
                    }
                    w.python = w.part(x);
                    return Ok(("", ()));
                }
                Ok(_) => {
                    // The failure path reads again, for the error's place.
                    if let Some(bad) = words::versioned_then(x, "py") {
                        return fail(
                            bad,
                            0,
                            Component::Python,
                            "expected '-' after the python version",
                        );
                    }
                }
                Err(_) => {}
            }
        }
    }
    if first == Some(b'c') {
        if let Some(v) = x.strip_prefix("cuda") {
            match Version::prefix(v, Component::Version) {
                Ok(("", _)) => {
                    w.cuda = w.part(v);
                    return Ok(("", ()));
                }
                Ok(_) => {
                    // The failure path reads again, for the error's place.
                    if let Some(bad) = words::versioned_then(x, "cuda") {
                        return fail(
                            bad,
                            0,
                            Component::Cuda,
                            "expected '-' after the cuda version",
                        );
                    }
                }
                Err(_) => {
                    if let Some(m) = v.strip_prefix('_') {
                        if is_plain(m) {
                            w.cuda = w.part(m);
                            return Ok(("", ()));
                        }
                    }
                }
            }
        }
        if let Some(n) = x.strip_prefix("cudnn") {
            if n.bytes().all(|b| b.is_ascii_digit()) {
                // A bare `cudnn` is `unversioned` (see `NgcTag::cudnn`).
                w.cudnn_bare = n.is_empty();
                w.cudnn = if n.is_empty() { Part::NONE } else { w.part(n) };
                return Ok(("", ()));
            }
        }
    }
    if matches!(first, Some(b'u' | b'a' | b'c' | b'r' | b'd' | b'o'))
        && OS
            .iter()
            .any(|os| x.strip_prefix(os).is_some_and(is_os_version))
    {
        w.os = w.part(x);
        return Ok(("", ()));
    }
    if first == Some(b'g') && versioned(x, "gcc").is_some() {
        w.compiler = w.part(x);
        return Ok(("", ()));
    }
    let product = matches!(w.position, Some(NgcPosition::Version(Some('v') | None, _)));
    if product && w.l4t.is_none() && w.python.is_none() {
        if let Some(v) = versioned(x, "r") {
            if v.contains('.') {
                w.l4t = w.part(x);
                return Ok(("", ()));
            }
        }
    }
    let first = w.release2.is_none()
        && w.python.is_none()
        && !w.variant.is_some()
        && w.build.is_none()
        && w.cuda.is_none()
        && w.os.is_none();
    // A build number right after a product version (`clara-parabricks:4.2.1-1`).
    if product && first && !framework.eq("cuda") && !x.starts_with('0') && x.parse::<u32>().is_ok()
    {
        w.build = w.part(x);
        return Ok(("", ()));
    }
    if product && w.release2.is_none() && w.python.is_none() && !w.variant.is_some() {
        if let Ok(("", _)) = Release::prefix(x) {
            w.release2 = w.part(x);
            return Ok(("", ()));
        }
    }
    if !is_tag_word(x) {
        // The reference grammar allows only `[A-Za-z0-9._-]` in a tag, so
        // only the first byte can be wrong: `.` or `_`.
        return fail(
            x,
            0,
            Component::Tag,
            "expected a letter or digit at the start of a word of the tag",
        );
    }
    let at = offset_in(w.tag, x);
    if w.python.is_some() {
        w.suffix.extend(w.tag, at, x);
    } else if framework == "digits" && w.package.is_none() && !w.variant.is_some() {
        // DIGITS is built on a package: `digits:19.09-tensorflow`.
        w.package = w.part(x);
    } else {
        w.variant.extend(w.tag, at, x);
    }
    Ok(("", ()))
}

/// Splits the word at the start of `i`: everything up to the next `-` or
/// the end. Returns `(word, rest)`, `rest` starting at the `-` or empty.
/// (`words::word` with a byte loop: words are short, a `char` search costs
/// more than it saves.)
fn word(i: &str) -> (&str, &str) {
    let n = i.bytes().position(|b| b == b'-').unwrap_or(i.len());
    (&i[..n], &i[n..])
}

/// An OS version: empty, or numbers separated by dots (`22.04`, `8`).
fn is_os_version(v: &str) -> bool {
    v.is_empty()
        || v.split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `text` is how `v` prints: its numbers, dotted, without leading
/// zeros.
fn spells(text: &str, v: &Version) -> bool {
    let mut n = 0;
    for (i, p) in text.split('.').enumerate() {
        let ok = !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
            && p.parse::<u32>().ok() == v.parts().get(i).copied();
        if !ok {
            return false;
        }
        n += 1;
    }
    n == v.parts().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog holds many images: an NGC value (its parts inline, no box
    /// of their own) is no larger than the largest other scheme value, so
    /// an [`Image`](crate::Image) does not grow with it.
    #[test]
    fn sizes() {
        use std::mem::size_of;
        let largest = size_of::<crate::scheme::vessl::VesslTag>()
            .max(size_of::<crate::scheme::generic::GenericTag>())
            .max(size_of::<crate::scheme::twcc::TwccName>());
        assert!(size_of::<NgcTag>() <= largest, "{}", size_of::<NgcTag>());
        assert!(size_of::<NgcTag>() <= 56, "{}", size_of::<NgcTag>());
        assert!(
            size_of::<crate::Image>() <= 80,
            "{}",
            size_of::<crate::Image>()
        );
    }

    /// What a value reads again from its text (the position, its marker,
    /// the build number) is what reading the tag found, for every name of
    /// the corpora and for tags that exercise each kind of lead and word.
    #[test]
    fn read_again_as_read() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
        let mut names: Vec<String> = ["ngc.tsv", "mined_ngc.tsv", "twcc.tsv", "vessl.tsv"]
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(root.join(f))
                    .unwrap()
                    .lines()
                    .skip(1)
                    .filter_map(|l| l.split('\t').next().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect();
        for tag in [
            "1.4.0rc2-py3",
            "v1.0.0rc1",
            "v1.0.0.post1-1",
            "2.1.0.post1",
            "1.0dev",
            "3.0.0-beta2",
            "3.0.0-BETA2-x",
            "25.01rc1",
            "25.01-RC",
            "nemo:24.12.rc0",
            "24.12.rc0",
            "26.08dev-py3",
            "18.08.1-py3",
            "4.2.1-1",
            "4.2.1-12-r32.7.1-22.09-x",
            "v2.0.2-r32.7.1",
            "6.2-22.09-samples",
            "r36.4.0",
            "r2020a",
            "R2019b-x",
            "012.01-cudnn8-runtime-ubuntu22.04",
            "cuda10.1-runtime",
            "latest",
            "v2-merged-tf2-py3",
        ] {
            for repo in ["nvcr.io/nvidia/clara", "nvcr.io/nvidia/cuda", "ubuntu"] {
                names.push(format!("{repo}:{tag}"));
            }
        }
        let mut read = 0;
        for s in &names {
            let Ok(r) = Reference::parse_normalized(s) else {
                continue;
            };
            let Some(t) = r.tag() else { continue };
            let Some(v) = NgcTag::read(&r, s) else {
                continue;
            };
            let rapids = r.namespace().is_some_and(|n| n.ends_with("rapidsai"));
            let framework = if rapids { "rapidsai" } else { r.name() };
            let mut w = Words {
                tag: t,
                ..Words::default()
            };
            tag_words(&mut w, framework).unwrap();
            assert_eq!(v.position(), w.position.unwrap_or(NgcPosition::None), "{s}");
            assert_eq!(v.marker(), w.marker.unwrap_or(Marker::FINAL), "{s}");
            let build = Some(w.build).filter(|b| b.is_some()).map(|b| {
                w.tag[usize::from(b.at)..][..usize::from(b.len)]
                    .parse::<u32>()
                    .unwrap()
            });
            assert_eq!(v.build_number(), build, "{s}");
            read += 1;
        }
        assert!(read > 400, "{read}");
    }

    /// Parts the name does not spell lie after it, in the one text: a
    /// `library/` repository, a CUDA version written with leading zeros,
    /// variant and suffix words joined across others, a bare `cudnn`.
    #[test]
    fn parts_not_spelled() {
        let t = NgcTag::parse("pytorch:24.01-devel-ubuntu22.04-x-py3-a-cudnn-b").unwrap();
        assert_eq!(
            t.as_str(),
            "pytorch:24.01-devel-ubuntu22.04-x-py3-a-cudnn-b"
        );
        assert_eq!(t.to_string(), t.as_str());
        assert_eq!(t.repository(), "library/pytorch");
        assert_eq!(t.framework(), Some("pytorch"));
        assert_eq!(t.registry(), None);
        assert_eq!(t.tag(), Some("24.01-devel-ubuntu22.04-x-py3-a-cudnn-b"));
        assert_eq!(t.variant(), Some("devel-x"));
        assert_eq!(t.suffix(), Some("a-b"));
        assert_eq!(t.os(), Some("ubuntu22.04"));
        assert_eq!(t.cudnn(), Some("unversioned"));
        assert_eq!(t.python(), Some("py3"));
        let c = NgcTag::parse("nvcr.io/nvidia/cuda:012.01-cudnn8-runtime-ubuntu22.04").unwrap();
        assert_eq!(c.cuda(), Some("12.1"));
        assert_eq!(c.lead_text(), Some("012.01"));
        assert_eq!(c.cudnn(), Some("8"));
        assert_eq!(c.registry(), Some("nvcr.io"));
        assert_eq!(c.repository(), "nvidia/cuda");
        let r = NgcTag::parse("nvcr.io/nvidia/rapidsai/base:24.02-cuda12.0-py3.10").unwrap();
        assert_eq!(
            (r.framework(), r.flavor()),
            (Some("rapidsai"), Some("base"))
        );
        let d = NgcTag::parse(
            "nvcr.io/nvidia/deepstream:6.2-22.09-samples@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        )
        .unwrap();
        assert_eq!(d.release().map(|r| r.to_string()).as_deref(), Some("22.09"));
        assert_eq!(d.variant(), Some("samples"));
        assert!(d.digest().is_some_and(|x| x.starts_with("sha256:0123")));
    }
}
