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
    self, as_scheme, fail, finish, is_plain, is_tag_word, marker, versioned, word, Marker,
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
pub struct NgcTag(Box<Ngc>);

/// The parts of an NGC tag, behind a box: a catalog holds many images, and
/// this would make every [`Value`](crate::Value), and so every
/// [`Image`](crate::Image), large whatever its scheme.
///
/// One text holds the name as written, then whatever a part needs that the
/// name does not spell (a `library/` repository, a CUDA version of the `cuda`
/// repository, words joined across others): every part is an [`At`] into it.
#[derive(Clone)]
struct Ngc {
    text: Box<str>,
    /// The length of the name as written, at the start of `text`.
    len: u32,
    registry: Option<At>,
    repository: At,
    framework: Option<At>,
    flavor: Option<At>,
    position: NgcPosition,
    cuda_repo: bool,
    cuda: Option<At>,
    cudnn: Option<At>,
    variant: Option<At>,
    package: Option<At>,
    python: Option<At>,
    suffix: Option<At>,
    os: Option<At>,
    compiler: Option<At>,
    tag: Option<At>,
    /// The tag was not read as a version (`latest`, `v2-merged-tf2-py3`).
    other: bool,
    digest: Option<At>,
    /// The leading version or release as written (`1.4.0rc2`, `23.08.03`).
    lead_text: Option<At>,
    /// The pre-release marker of the leading version.
    marker: Marker,
    /// The NGC release after a product version (`22.09` of `6.2-22.09-samples`).
    release2: Option<Release>,
    /// The L4T release after a product version (`r32.7.1`).
    l4t: Option<At>,
    /// A build number right after a product version (`1` of `4.2.1-1`).
    build: Option<u32>,
    /// A pre-release written as a word of its own (`beta2` of `3.0.0-beta2`).
    pre: Option<At>,
}

/// A part of an NGC value: `text[a..b]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At(u32, u32);

impl Ngc {
    fn get(&self, at: Option<At>) -> Option<&str> {
        at.map(|At(a, b)| &self.text[a as usize..b as usize])
    }

    /// The name as written.
    fn written(&self) -> &str {
        &self.text[..self.len as usize]
    }

    fn repository(&self) -> &str {
        let At(a, b) = self.repository;
        &self.text[a as usize..b as usize]
    }
}

/// The text of an [`Ngc`] being built: the name as written, then any part
/// it does not spell.
struct Buf<'i> {
    input: &'i str,
    text: String,
}

impl Buf<'_> {
    /// Where `part` is: in the name as written if it is a slice of it,
    /// else appended.
    fn at(&mut self, part: &str) -> At {
        if words::within(self.input, part) {
            let a = offset_in(self.input, part);
            return At(a as u32, (a + part.len()) as u32);
        }
        let a = self.text.len();
        self.text.push_str(part);
        At(a as u32, self.text.len() as u32)
    }
}

/// The words of a tag, as slices of the input.
#[derive(Default)]
struct Words<'a> {
    /// The whole tag: the words below are slices of it.
    tag: &'a str,
    position: Option<NgcPosition>,
    cuda: Option<&'a str>,
    cudnn: Option<&'a str>,
    variant: Option<Cow<'a, str>>,
    package: Option<&'a str>,
    python: Option<&'a str>,
    suffix: Option<Cow<'a, str>>,
    os: Option<&'a str>,
    compiler: Option<&'a str>,
    other: bool,
    lead_text: Option<&'a str>,
    marker: Option<Marker>,
    release2: Option<(&'a str, Release)>,
    l4t: Option<&'a str>,
    build: Option<(&'a str, u32)>,
    pre: Option<&'a str>,
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
        self.0.get(self.0.registry)
    }

    /// The repository path (`nvidia/pytorch`).
    pub fn repository(&self) -> &str {
        self.0.repository()
    }

    /// The framework: the repository name (`pytorch`), `rapidsai` for the
    /// RAPIDS flavors, the component above a `release` channel
    /// (`tensorrt-llm/release`); `None` for NIM model repositories
    /// (`nim/meta/…`).
    pub fn framework(&self) -> Option<&str> {
        self.0.get(self.0.framework)
    }

    /// The RAPIDS flavor (`nvidia/rapidsai/<flavor>`).
    pub fn flavor(&self) -> Option<&str> {
        self.0.get(self.0.flavor)
    }

    /// The position on the track.
    pub fn position(&self) -> NgcPosition {
        self.0.position
    }

    /// The NGC release (`24.01`; `22.09` of `deepstream:6.2-22.09-samples`,
    /// a product version with the NGC release it shipped in).
    pub fn release(&self) -> Option<Release> {
        match self.0.position {
            NgcPosition::Release(r) => Some(r),
            _ => self.0.release2,
        }
    }

    /// The L4T release written after a product version (`r32.7.1` of
    /// `dli-nano-ai:v2.0.2-r32.7.1`).
    pub fn l4t(&self) -> Option<&str> {
        self.0.get(self.0.l4t)
    }

    /// Whether the tag was read as a position (a release or a version), not
    /// as an opaque tag (`latest` counts as read: it is the alias).
    pub fn has_position(&self) -> bool {
        !self.0.other
    }

    /// The CUDA version (`12.1.1`), or `multi` (`cuda_multi`).
    pub fn cuda(&self) -> Option<&str> {
        self.0.get(self.0.cuda)
    }

    /// The cuDNN version (`8`), or `unversioned` (a bare `cudnn`).
    pub fn cudnn(&self) -> Option<&str> {
        self.0.get(self.0.cudnn)
    }

    /// The variant words before Python, joined by `-` (`trtllm-python`, `devel`).
    pub fn variant(&self) -> Option<&str> {
        self.0.get(self.0.variant)
    }

    /// The package DIGITS is built on (`tensorflow`).
    pub fn package(&self) -> Option<&str> {
        self.0.get(self.0.package)
    }

    /// The Python part as written (`py3`, RAPIDS' `py3.6`).
    pub fn python(&self) -> Option<&str> {
        self.0.get(self.0.python)
    }

    /// The words after Python, joined by `-` (`sdk`, `igpu-min`).
    pub fn suffix(&self) -> Option<&str> {
        self.0.get(self.0.suffix)
    }

    /// The operating system (`ubuntu22.04`).
    pub fn os(&self) -> Option<&str> {
        self.0.get(self.0.os)
    }

    /// The compiler word (`gcc11`), if any.
    pub(crate) fn compiler(&self) -> Option<&str> {
        self.0.get(self.0.compiler)
    }

    /// The leading version or release as written (`1.4.0rc2`, `23.08.03`).
    pub(crate) fn lead_text(&self) -> Option<&str> {
        self.0.get(self.0.lead_text)
    }

    /// The tag as written, if any.
    pub fn tag(&self) -> Option<&str> {
        self.0.get(self.0.tag)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        self.0.written()
    }
}

impl NgcTag {
    /// The reading of `r` without building an error: `None` when it is
    /// not an NGC tag (for detection, which tries the next reading).
    pub(crate) fn read(r: &Reference<'_>, input: &str) -> Option<NgcTag> {
        let registry = words::written(input, r.domain());
        let Some(t) = r.tag() else {
            // `tensorflow-20.02-tf1-py3.sif`: nothing says NGC.
            return registry.map(|_| NgcTag::build(input, r, registry, Words::default(), false));
        };
        // RAPIDS names its flavors `nvidia/rapidsai/<flavor>`.
        let rapids = r.namespace().is_some_and(|n| n.ends_with("rapidsai"));
        let framework = if rapids { "rapidsai" } else { r.name() };
        let (_, w) = tag_words(t, framework).ok()?;
        Some(NgcTag::build(input, r, registry, w, framework == "cuda"))
    }

    /// The reading of a tag that does not fit the grammar: the registry,
    /// repository and framework, and the tag as an opaque word.
    pub(crate) fn lenient(r: &Reference<'_>, input: &str) -> NgcTag {
        let registry = words::written(input, r.domain());
        let w = Words {
            other: r.tag().is_some(),
            ..Words::default()
        };
        NgcTag::build(input, r, registry, w, false)
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
        let (path, name) = match self.0.repository().rsplit_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, self.0.repository()),
        };
        (self.0.get(self.0.registry), path, name)
    }

    /// What [`Tagged::track`] writes after the repository, as values: the
    /// kind of position (with its letter, or the tag), then the parts that
    /// are not the position.
    fn track_shape(&self) -> (u8, Option<char>, Option<&str>, [Option<&str>; 9]) {
        let (kind, letter, tag) = match self.0.position {
            NgcPosition::Release(_) => (0, None, None),
            NgcPosition::Version(c, _) => (1, c, None),
            NgcPosition::Vendor(_) => (2, None, None),
            NgcPosition::None if self.0.other || self.is_latest() => {
                (3, None, Some(self.0.get(self.0.tag).unwrap_or(DEFAULT_TAG)))
            }
            NgcPosition::None => (4, None, None),
        };
        (kind, letter, tag, self.track_parts().map(|(_, v)| v))
    }

    /// The parts of the track that are not the position, by key.
    fn track_parts(&self) -> [(&'static str, Option<&str>); 9] {
        let cuda = if self.0.cuda_repo {
            None
        } else {
            self.0.get(self.0.cuda)
        };
        [
            ("cuda", cuda),
            ("cudnn", self.0.get(self.0.cudnn)),
            ("variant", self.0.get(self.0.variant)),
            ("package", self.0.get(self.0.package)),
            ("python", self.0.get(self.0.python)),
            ("suffix", self.0.get(self.0.suffix)),
            ("os", self.0.get(self.0.os)),
            ("compiler", self.0.get(self.0.compiler)),
            ("l4t", self.0.get(self.0.l4t)),
        ]
    }

    fn is_latest(&self) -> bool {
        matches!(self.0.get(self.0.tag), None | Some(DEFAULT_TAG))
    }
}

impl PartialEq for NgcTag {
    /// By meaning: the same registry (without case; none is Docker Hub),
    /// repository path, tag and digest.
    fn eq(&self, other: &Self) -> bool {
        words::host_eq(self.0.get(self.0.registry), other.0.get(other.0.registry))
            && self.0.repository() == other.0.repository()
            && self.0.get(self.0.tag) == other.0.get(other.0.tag)
            && self.0.get(self.0.digest) == other.0.get(other.0.digest)
    }
}

impl Eq for NgcTag {}

impl Hash for NgcTag {
    /// Agrees with `Eq`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::reference::hash_host(Some(words::host(self.0.get(self.0.registry))), state);
        self.0.repository().hash(state);
        self.0.get(self.0.tag).hash(state);
        self.0.get(self.0.digest).hash(state);
    }
}

impl fmt::Display for NgcTag {
    /// The name exactly as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.written())
    }
}

impl fmt::Debug for NgcTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NgcTag({:?})", self.0.written())
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
            return Ok(NgcTag::build(input, r, registry, Words::default(), false));
        };
        // RAPIDS names its flavors `nvidia/rapidsai/<flavor>`.
        let rapids = namespace.is_some_and(|n| n.ends_with("rapidsai"));
        let framework = if rapids { "rapidsai" } else { name };
        let cuda_repo = framework == "cuda";
        let w = finish(tag_words(t, framework), SUBJECT, input)?;
        Ok(NgcTag::build(input, r, registry, w, cuda_repo))
    }

    fn track(&self) -> Track {
        let mut parts = vec![self.repository_written()];
        match self.0.position {
            NgcPosition::Release(_) => parts.push("release".into()),
            NgcPosition::Version(Some(c), _) => parts.push(format!("version={c}")),
            NgcPosition::Version(None, _) => parts.push("version".into()),
            NgcPosition::Vendor(_) => parts.push("vendor".into()),
            NgcPosition::None if self.0.other || self.is_latest() => parts.push(format!(
                "tag={}",
                self.0.get(self.0.tag).unwrap_or(DEFAULT_TAG)
            )),
            NgcPosition::None => parts.push("cuda-only".into()),
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
        push("registry", self.0.get(self.0.registry));
        push("repository", Some(self.0.repository()));
        push("framework", self.0.get(self.0.framework));
        push("flavor", self.0.get(self.0.flavor));
        let lead = self.0.get(self.0.lead_text);
        match self.0.position {
            NgcPosition::Release(_) => push("release", lead),
            NgcPosition::Version(_, _) if self.0.cuda_repo => {}
            NgcPosition::Version(_, _) | NgcPosition::Vendor(_) => push("version", lead),
            NgcPosition::None => {}
        }
        let release2 = self.0.release2.map(|r| r.to_string());
        push("release", release2.as_deref());
        push("pre", self.0.get(self.0.pre));
        push("l4t", self.0.get(self.0.l4t));
        let build = self.0.build.map(|b| b.to_string());
        push("build", build.as_deref());
        push("cuda", self.0.get(self.0.cuda));
        push("cudnn", self.0.get(self.0.cudnn));
        push("variant", self.0.get(self.0.variant));
        push("package", self.0.get(self.0.package));
        // NGC's framework tags write the Python major as a word (`py3`),
        // reported as written; a full version (`py3.6`, `py3.10`) is
        // reported as the version (`3.6`), wherever it stands.
        let python = match self.0.get(self.0.python) {
            Some(p) if p.contains('.') => Some(&p[2..]),
            p => p,
        };
        push("python", python);
        push("suffix", self.0.get(self.0.suffix));
        push("os", self.0.get(self.0.os));
        push("compiler", self.0.get(self.0.compiler));
        if self.0.other {
            push("tag", self.0.get(self.0.tag));
        }
        push("digest", self.0.get(self.0.digest));
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
        let lead = self.0.get(self.0.lead_text);
        let version = match self.0.position {
            NgcPosition::Release(r) => Some(release_version(r)),
            NgcPosition::Version(_, v) if !self.0.cuda_repo => Some(v),
            NgcPosition::Vendor(_) => lead.and_then(lenient_version),
            _ => None,
        };
        let text = |at| self.0.get(at);
        Facts {
            version: version.or(self.0.release2.map(release_version)),
            cuda: text(self.0.cuda).and_then(lenient_version),
            cudnn: text(self.0.cudnn).and_then(|n| n.parse().ok()),
            python: text(self.0.python).and_then(lenient_version),
            // NGC's suffixes (`-igpu`, `-sdk`) are flavours like a variant:
            // a plain image wins a tie over them.
            variant: text(self.0.variant)
                .or(text(self.0.suffix))
                .map(Cow::Borrowed),
            prerelease: self.0.pre.is_some() || self.0.marker.is_pre(),
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
        let o = match (self.0.position, other.0.position) {
            (NgcPosition::Release(a), NgcPosition::Release(b)) => {
                a.cmp_calendar(&b).then(self.0.marker.cmp(&other.0.marker))
            }
            (NgcPosition::Version(_, a), NgcPosition::Version(_, b)) => cmp_numbers(&a, &b)
                .then(self.0.marker.cmp(&other.0.marker))
                .then(match (self.0.release2, other.0.release2) {
                    (Some(x), Some(y)) => x.cmp_calendar(&y),
                    _ => Ordering::Equal,
                })
                .then(self.0.build.cmp(&other.0.build)),
            (NgcPosition::Vendor(a), NgcPosition::Vendor(b)) => a.cmp_calendar(&b),
            _ => return None,
        };
        // Equal positions spelled differently (`12.1` and `12.1.0`), or the
        // same tag with different digests: no guess.
        (o != Ordering::Equal).then_some(o)
    }
}

impl Indexed for NgcTag {}

/// Numbers compared as numbers, a missing number counting as 0.
fn cmp_numbers(a: &Version, b: &Version) -> Ordering {
    let n = a.parts().len().max(b.parts().len());
    (0..n)
        .map(|i| {
            let x = a.parts().get(i).copied().unwrap_or(0);
            let y = b.parts().get(i).copied().unwrap_or(0);
            x.cmp(&y)
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

impl NgcTag {
    fn build(
        input: &str,
        r: &Reference<'_>,
        registry: Option<&str>,
        w: Words<'_>,
        cuda_repo: bool,
    ) -> NgcTag {
        use std::fmt::Write as _;
        let mut buf = Buf {
            input,
            text: String::with_capacity(input.len()),
        };
        buf.text.push_str(input);
        let namespace = r.namespace();
        let name = r.name();
        // RAPIDS names its flavors `nvidia/rapidsai/<flavor>`.
        let rapids = namespace
            .and_then(|n| n.len().checked_sub(8).map(|at| &n[at..]))
            .filter(|n| *n == "rapidsai");
        // NIM repositories hold models, not frameworks.
        let nim = namespace.is_some_and(|n| n == "nim" || n.starts_with("nim/"));
        let framework = if nim {
            None
        } else if rapids.is_some() {
            rapids
        } else if name == "release" {
            // `nvidia/tensorrt-llm/release`: the repository names a channel
            // of the framework above it.
            namespace.and_then(|n| n.rsplit('/').next())
        } else {
            Some(name)
        };
        let mut at = |s: Option<&str>| s.map(|s| buf.at(s));
        let registry = at(registry);
        let framework = at(framework);
        let flavor = at(rapids.map(|_| name));
        let (cudnn, package, python, os) = (at(w.cudnn), at(w.package), at(w.python), at(w.os));
        let (compiler, lead_text, l4t, pre) =
            (at(w.compiler), at(w.lead_text), at(w.l4t), at(w.pre));
        let tag = at(r.tag());
        let variant = at(w.variant.as_deref());
        let suffix = at(w.suffix.as_deref());
        let cuda = match (cuda_repo, w.position) {
            // The `cuda` repository's version, as its tag writes it
            // (`12.1.0`), else as the version prints.
            (true, Some(NgcPosition::Version(None, v)))
                if lead_text.is_some() && w.lead_text.is_some_and(|l| spells(l, &v)) =>
            {
                lead_text
            }
            (true, Some(NgcPosition::Version(None, v))) => {
                let a = buf.text.len();
                let _ = write!(buf.text, "{v}");
                Some(At(a as u32, buf.text.len() as u32))
            }
            _ => w.cuda.map(|c| buf.at(c)),
        };
        let repository = buf.at(&r.path());
        let digest = r.digest().map(|d| {
            // `sha256:…` as written, after the `@`.
            let alg = d.algorithm().as_str();
            let hex = d.hex();
            let a = offset_in(input, hex).checked_sub(alg.len() + 1);
            match a {
                Some(a) if words::within(input, hex) && input[a..].starts_with(alg) => {
                    At(a as u32, (offset_in(input, hex) + hex.len()) as u32)
                }
                _ => {
                    let a = buf.text.len();
                    let _ = write!(buf.text, "{d}");
                    At(a as u32, buf.text.len() as u32)
                }
            }
        });
        NgcTag(Box::new(Ngc {
            // Exact when the name spells every part: no reallocation.
            text: buf.text.into_boxed_str(),
            len: input.len() as u32,
            registry,
            repository,
            framework,
            flavor,
            position: w.position.unwrap_or(NgcPosition::None),
            cuda_repo,
            cuda,
            cudnn,
            variant,
            package,
            python,
            suffix,
            os,
            compiler,
            tag,
            other: w.other,
            digest,
            lead_text,
            marker: w.marker.unwrap_or(Marker::FINAL),
            release2: w.release2.map(|(_, r)| r),
            l4t,
            build: w.build.map(|(_, n)| n),
            pre,
        }))
    }
}

#[cfg(feature = "serde")]
crate::release::string_serde!(NgcTag, "an NGC image name");

// ---------------------------------------------------------------------------
// The grammar

// ngc-tag ::= lead [ ( "." | "_" ) word ] ( "-" word )* | cuda-word ( "-" word )* | other
fn tag_words<'a>(t: &'a str, framework: &str) -> Res<'a, Words<'a>> {
    let mut w = Words {
        tag: t,
        ..Words::default()
    };
    // The CUDA image and OS images (`base/ubuntu:22.04`) lead with their
    // own version, never an NGC release.
    let own_version = framework == "cuda" || OS.contains(&framework);
    let mut rest = match lead(t, own_version)? {
        Some(l) => {
            w.position = Some(l.position);
            w.lead_text = Some(l.text);
            w.marker = l.marker;
            // A word joined by `.` or `_` (`24.09.mistral_7b`, `24.01.framework`),
            // or a pre-release marker joined by `.` (`nemo:24.12.rc0`).
            match l.rest.strip_prefix(['.', '_']) {
                Some(after) => {
                    let (x, r) = word(after);
                    if !(w.marker.is_none() && !own_version && pre_word(x, &mut w)) {
                        classify(x, &mut w, framework)?;
                    }
                    r
                }
                None => l.rest,
            }
        }
        None if t.starts_with("cuda") => {
            // The first word is the CUDA version: read it as a word.
            let (first, rest) = word(t);
            classify(first, &mut w, framework)?;
            w.position = Some(NgcPosition::None);
            rest
        }
        None => {
            // Not a version: the tag is an opaque word, but a CUDA version
            // in it is still the CUDA version (`cuda-sample:vectoradd-cuda12.5.0`).
            w.other = true;
            w.cuda = t.split(['-', '_']).find_map(|x| versioned(x, "cuda"));
            return Ok(("", w));
        }
    };
    // A pre-release written as the first word after a product version or
    // a release (`isaac-lab:3.0.0-beta2`, `riva-speech:1.4.0-beta-samples`,
    // `pytorch:25.02-rc1-py3`, `pytorch:25.01-RC`).
    if matches!(
        w.position,
        Some(NgcPosition::Version(Some('v') | None, _) | NgcPosition::Release(_))
    ) && w.marker.is_none()
        && w.variant.is_none()
        && !own_version
    {
        if let Some(after) = rest.strip_prefix('-') {
            let (x, r) = word(after);
            if pre_word(x, &mut w) {
                rest = r;
            }
        }
    }
    while let Some(after) = rest.strip_prefix('-') {
        let (x, r) = word(after);
        if x.is_empty() {
            return fail(after, 0, Component::Tag, "expected a word after '-'");
        }
        classify(x, &mut w, framework)?;
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
    Ok(("", w))
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
    // Lower case only when it must be (`RC`): reading a name allocates little.
    let lower = if x.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(x.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(x)
    };
    match marker(&lower).filter(|_| is_marker_word(&lower)) {
        Some(("", m)) => {
            w.marker = Some(m);
            w.pre = Some(x);
            true
        }
        _ => false,
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
            text: &t[..t.len() - rest.len()],
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
    if words::is_python(x) {
        if w.python.is_some() {
            return fail(x, x.len(), Component::Python, "expected one python part");
        }
        w.python = Some(x);
        return Ok(("", ()));
    }
    if let Some(v) = versioned(x, "cuda") {
        w.cuda = Some(v);
        return Ok(("", ()));
    }
    if let Some(m) = x.strip_prefix("cuda_") {
        if is_plain(m) {
            w.cuda = Some(m);
            return Ok(("", ()));
        }
    }
    if let Some(bad) = words::versioned_then(x, "cuda") {
        return fail(
            bad,
            0,
            Component::Cuda,
            "expected '-' after the cuda version",
        );
    }
    if let Some(bad) = words::versioned_then(x, "py") {
        return fail(
            bad,
            0,
            Component::Python,
            "expected '-' after the python version",
        );
    }
    if let Some(n) = x.strip_prefix("cudnn") {
        if n.bytes().all(|b| b.is_ascii_digit()) {
            w.cudnn = Some(if n.is_empty() { "unversioned" } else { n });
            return Ok(("", ()));
        }
    }
    if OS
        .iter()
        .any(|os| x.strip_prefix(os).is_some_and(is_os_version))
    {
        w.os = Some(x);
        return Ok(("", ()));
    }
    if versioned(x, "gcc").is_some() {
        w.compiler = Some(x);
        return Ok(("", ()));
    }
    let product = matches!(w.position, Some(NgcPosition::Version(Some('v') | None, _)));
    if product && w.l4t.is_none() && w.python.is_none() {
        if let Some(v) = versioned(x, "r") {
            if v.contains('.') {
                w.l4t = Some(x);
                return Ok(("", ()));
            }
        }
    }
    let first = w.release2.is_none()
        && w.python.is_none()
        && w.variant.is_none()
        && w.build.is_none()
        && w.cuda.is_none()
        && w.os.is_none();
    // A build number right after a product version (`clara-parabricks:4.2.1-1`).
    if product && first && !framework.eq("cuda") && !x.starts_with('0') {
        if let Ok(n) = x.parse::<u32>() {
            w.build = Some((x, n));
            return Ok(("", ()));
        }
    }
    if product && w.release2.is_none() && w.python.is_none() && w.variant.is_none() {
        if let Ok(("", r)) = Release::prefix(x) {
            w.release2 = Some((x, r));
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
    if w.python.is_some() {
        let t = w.tag;
        extend(&mut w.suffix, x, t);
    } else if framework == "digits" && w.package.is_none() && w.variant.is_none() {
        // DIGITS is built on a package: `digits:19.09-tensorflow`.
        w.package = Some(x);
    } else {
        let t = w.tag;
        extend(&mut w.variant, x, t);
    }
    Ok(("", ()))
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

/// Adds word `x` to a run of words joined by `-`.
///
/// Words that follow each other in the tag stay a slice of it (no
/// allocation); a run broken by another word (`devel-ubuntu22.04-x`) is
/// joined into its own text.
fn extend<'a>(run: &mut Option<Cow<'a, str>>, x: &'a str, tag: &'a str) {
    let follows = |s: &str| {
        words::within(tag, s) && words::within(tag, x) && {
            let end = offset_in(tag, s) + s.len();
            tag.as_bytes().get(end) == Some(&b'-') && offset_in(tag, x) == end + 1
        }
    };
    match run {
        None => *run = Some(Cow::Borrowed(x)),
        Some(Cow::Borrowed(s)) if follows(s) => {
            let a = offset_in(tag, s);
            *run = Some(Cow::Borrowed(&tag[a..offset_in(tag, x) + x.len()]));
        }
        Some(r) => {
            let s = r.to_mut();
            s.push('-');
            s.push_str(x);
        }
    }
}
