//! VESSL tags on `quay.io/vessl-ai`: `torch:2.3.0-cuda12.4-r5`.
//!
//! VESSL publishes `python`, `cuda`, `torch` and `tensorflow` images whose
//! tags carry an `-rN` revision. The same tag without `-rN` is the *standard
//! alias*: it always equals the newest revision of its base.
//!
//! # Syntax
//!
//! The repository's last path component chooses the grammar of the tag:
//!
//! ```text
//! vessl-tag      ::= lead cuda? cudnn? python? variant? revision?    (python, cuda, torch,
//!                                                                    tensorflow, any other)
//!                  | kernels-tag                                     (kernels, legacy)
//!                  | ngc-kernel-tag                                  (ngc-<framework>-kernel, legacy)
//!                  | hub-tag                                         (hub, legacy)
//! lead           ::= version        (python: the Python version; cuda: the CUDA version;
//!                                    otherwise the framework version)
//! cuda           ::= "-cuda" version                       (not in a cuda image)
//! cudnn          ::= "-cudnn" number
//! python         ::= "-py" version                         (not in a python image)
//! variant        ::= ( "-" word )+     word ::= [a-z] [a-z0-9]*, not one of the parts above
//! revision       ::= "-r" number
//! version        ::= number ( "." number ){0,3}            (see Version)
//! number         ::= "0" | [1-9] [0-9]*                     (at most 4294967295)
//!
//! kernels-tag    ::= "py" py-digits ( "-cuda" version )? ( "-" build )? ( "." legacy-variant )?
//!                  | "ngc." framework "." ngc-kernel-tag     (ngc.pytorch.22.04-py3: an NGC image)
//! py-digits      ::= [1-9] ( "0" | [1-9] [0-9]* )?          (py310 is Python 3.10)
//! ngc-kernel-tag ::= release ( "-" word )* "-py" [0-9]+ ( "-" build )?
//!                                                           (22.12-py3-202301160809,
//!                                                            22.12-tf1-py3-202301160809)
//! release        ::= [0-9]{2} "." [0-9]{2}
//! hub-tag        ::= [a-z]+ version ( "-cuda" version )? ( "-" build )?
//! build          ::= [0-9]{12}                              (yyyymmddhhmm)
//! legacy-variant ::= [a-z0-9.-]+                            (full-gpu.jupyter)
//! ```
//!
//! A tag without `-rN` in one of the four documented repositories (`python`,
//! `cuda`, `torch`, `tensorflow`) is a standard alias. Other repositories
//! (`vllm:0.6.4`) use the same grammar, but VESSL documents no alias rule
//! for them, so none is claimed.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use nom::bytes::complete::tag;
use nom::Parser;

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{class, consumed, number, PErr, Res, Why};
use crate::reference::Reference;
use crate::scheme::{Facts, Field, Indexed, RevisionBase, Scheme, Tagged, Track};
use crate::version::{cmp_written, Version};

const SUBJECT: &str = "VESSL tag";

/// The order the parts of a tag must come in, for the error message.
const ORDER: &str =
    "parts out of order: expected version[-cudaX.Y][-cudnnN][-pyX.Y][-variant][-rN]";

/// A VESSL image name: its repository and what its tag says.
///
/// ```
/// use imagetag::scheme::vessl::VesslTag;
/// use imagetag::Tagged;
///
/// let r5: VesslTag = "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5".parse()?;
/// assert_eq!(r5.version().map(|v| v.to_string()), Some("2.3.0".into()));
/// assert_eq!(r5.cuda().map(|v| v.to_string()), Some("12.4".into()));
/// assert_eq!(r5.revision(), Some(5));
/// assert_eq!(r5.alias_tag().as_deref(), Some("2.3.0-cuda12.4"));
///
/// let r10: VesslTag = "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10".parse()?;
/// assert!(r5.compare(&r10).unwrap().is_lt());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Laws
///
/// - **Display** prints the canonical name with the registry lowercase
///   (`QUAY.io/vessl-ai/torch:2.3.0-cuda12.4-r5` prints as
///   `quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`), digest included, and `VesslTag::parse(&t.to_string()) == Ok(t)`.
/// - **Equality is by meaning**: the same canonical name and digest, the
///   registry compared without case. Equal tags hash alike.
/// - **Order** is the named, partial [`Tagged::compare`]; there is no
///   `PartialOrd` or `Ord`.
///
/// # Total ordering
///
/// There is none: [`Tagged::compare`] is a partial order. Tags compare only
/// on the same track (repository, CUDA, cuDNN, Python and variant); on a
/// track they order by version, then by revision:
/// `2.3.0-cuda12.4-r5 < 2.3.0-cuda12.4-r6 < 2.3.0-cuda12.4-r10 < 2.3.1-cuda12.4-r1`.
/// A standard alias (`2.3.0-cuda12.4`) is *incomparable* with the revisions
/// of its own base (it is whichever is newest), and orders by version
/// against everything else on its track: `2.2.0-cuda12.4-r9 < 2.3.0-cuda12.4
/// < 2.3.1-cuda12.4-r1`. Legacy tags order the same way by their build stamp.
/// `compare` answers `Equal` only for equal values.
///
/// # Errors
///
/// A name that is a valid reference but not a valid VESSL tag is an error of
/// kind [`ErrorKind::Scheme`] naming the broken part: `2.3.1-cuda-12.1-r5`
/// (no CUDA version after `cuda`), `2.3.0-r5-cuda12.4` (parts out of order),
/// `2.3.0-cuda12.4-r05` (a leading zero), a missing tag.
#[derive(Clone)]
pub struct VesslTag {
    /// `quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`, then `@` and the digest
    /// if the name has one ([`DIGEST`] in `present`): no
    /// spare capacity, and 8 bytes smaller than a `String` (a catalog holds
    /// many values, and their size is most of its memory).
    name: Box<str>,
    /// Where the `:` before the tag is in `name`.
    colon: u32,
    kind: Kind,
    /// The leading version (framework, Python or CUDA version), or an NGC
    /// release as numbers: the position on the track. Versions are kept as
    /// their place in the tag (2 bytes where an `Option<Version>` takes 20:
    /// a catalog holds many values, and their size is most of its memory),
    /// read when asked for, and compared as written
    /// ([`cmp_written`]).
    lead: Option<Span>,
    /// The framework of a legacy `hub` tag (`torch` of `torch2.1.0`); that
    /// of an `ngc-*-kernel` tag is read off the repository.
    framework: Option<Span>,
    /// The CUDA version after `cuda`.
    cuda: Option<Span>,
    /// The cuDNN version and the revision, 0 where absent: see `present`.
    /// Two `Option<u32>`s would take 8 bytes more (a catalog holds many
    /// values, and their size is most of its memory).
    cudnn: u32,
    revision: u32,
    /// Which of `cudnn` ([`CUDNN`]) and `revision` ([`REVISION`]) the tag
    /// has, and whether the name has a digest ([`DIGEST`]).
    present: u8,
    /// The Python version after `py` (a legacy `kernels` tag's digits
    /// `310`: see [`VesslTag::python`]).
    python: Option<Span>,
    /// The Python part as written, where it is not a version (`py3`).
    python_text: Option<Span>,
    variant: Option<Span>,
    build: Option<Span>,
    /// Where the leading version ends in the tag, and where `-rN` starts
    /// (the tag's length without one): the alias and the catalog's track
    /// key are slices, found without counting digits.
    lead_end: u8,
    rev_at: u8,
}

/// The bit of [`VesslTag::present`] that says there is a cuDNN version.
const CUDNN: u8 = 1;
/// The bit of [`VesslTag::present`] that says there is a revision.
const REVISION: u8 = 2;
/// The bit of [`VesslTag::present`] that says the name ends in a digest.
const DIGEST: u8 = 4;

/// Which grammar the repository uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// `python`: the leading version is the Python version.
    Python,
    /// `cuda`: the leading version is the CUDA version.
    Cuda,
    /// `torch` and `tensorflow` (documented), or another repository (`vllm`).
    Framework { documented: bool },
    /// Legacy `kernels:py37-cuda11.2.full-gpu`.
    Kernels,
    /// Legacy `ngc-pytorch-kernel:22.12-py3-202301160809`.
    NgcKernel,
    /// Legacy `hub:torch2.1.0-cuda12.2-202312070053`.
    Hub,
    /// A tag that automatic detection could not read with the repository's
    /// grammar: kept whole, as an opaque word, with no position.
    Opaque,
}

impl Kind {
    fn of(repo_name: &str) -> Kind {
        match repo_name {
            "python" => Kind::Python,
            "cuda" => Kind::Cuda,
            "torch" | "tensorflow" => Kind::Framework { documented: true },
            "kernels" => Kind::Kernels,
            "hub" => Kind::Hub,
            n if n.len() > "ngc--kernel".len()
                && n.starts_with("ngc-")
                && n.ends_with("-kernel") =>
            {
                Kind::NgcKernel
            }
            _ => Kind::Framework { documented: false },
        }
    }

    fn is_legacy(self) -> bool {
        matches!(self, Kind::Kernels | Kind::NgcKernel | Kind::Hub)
    }
}

/// A byte range in the tag (at most [`TAG_MAX`](crate::reference::TAG_MAX)
/// bytes long, so a byte each): a catalog holds many values, and their size
/// is most of its memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Span(u8, u8);

/// What the grammar read, borrowed from the tag.
#[derive(Default)]
struct Parts<'a> {
    /// The leading version's text.
    lead: Option<&'a str>,
    /// The length of the leading version, in the standard grammar.
    lead_len: usize,
    framework: Option<&'a str>,
    /// The CUDA version's text.
    cuda: Option<&'a str>,
    cudnn: Option<u32>,
    /// The Python version's text.
    python: Option<&'a str>,
    python_text: Option<&'a str>,
    variant: Option<&'a str>,
    revision: Option<u32>,
    build: Option<&'a str>,
}

/// Instantiation
impl VesslTag {
    /// Reads a full name (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`):
    /// the reference, normalized, then its tag.
    pub fn parse(s: &str) -> Result<VesslTag, Error> {
        let r = Reference::parse_normalized(s).map_err(|e| e.with_subject(SUBJECT))?;
        VesslTag::from_reference(&r, s)
    }
}

/// Access
impl VesslTag {
    /// The repository, without tag (`quay.io/vessl-ai/torch`).
    pub fn repository(&self) -> &str {
        &self.name[..self.colon as usize]
    }

    /// The tag (`2.3.0-cuda12.4-r5`).
    pub fn tag(&self) -> &str {
        &self.name[self.colon as usize + 1..self.tag_end()]
    }

    /// The digest, if the name has one (`sha256:…`).
    pub fn digest(&self) -> Option<&str> {
        let end = self.tag_end();
        (end < self.name.len()).then(|| &self.name[end + 1..])
    }

    /// Where the tag ends in `name`: at the `@` before a digest, or at the
    /// end. A tag has no `@`, so the last one is the digest's.
    fn tag_end(&self) -> usize {
        if self.present & DIGEST == 0 {
            return self.name.len();
        }
        self.name.rfind('@').unwrap_or(self.name.len())
    }

    /// The framework: the repository name (`torch`, `python`, `cuda`,
    /// `vllm`), the framework of a legacy `ngc-pytorch-kernel` or `hub` tag,
    /// `None` for a legacy `kernels` tag.
    pub fn framework(&self) -> Option<&str> {
        match self.kind {
            Kind::NgcKernel | Kind::Hub | Kind::Kernels => self.legacy_framework(),
            _ => Some(self.repo_name()),
        }
    }

    /// The framework version (`2.3.0` of `torch:2.3.0-cuda12.4-r5`); `None`
    /// for `python` and `cuda` images, whose leading version is the Python or
    /// CUDA version, and for legacy kernels.
    pub fn version(&self) -> Option<Version> {
        match self.kind {
            Kind::Framework { .. } | Kind::Hub => self.lead(),
            _ => None,
        }
    }

    /// The leading version of the tag, whatever it means (framework, Python
    /// or CUDA version, NGC release): the position on the track.
    pub fn lead(&self) -> Option<Version> {
        self.read_version(self.lead?)
    }

    /// The NGC release of a legacy `ngc-*-kernel` tag (`22.12`).
    pub fn release(&self) -> Option<&str> {
        match self.kind {
            Kind::NgcKernel => {
                let t = self.tag();
                Some(&t[..5])
            }
            // `ngc.pytorch.22.04-py3`: the release follows the framework.
            Kind::Kernels => {
                let fw = self.framework?;
                let at = usize::from(fw.1) + 1;
                self.tag().get(at..at + 5)
            }
            _ => None,
        }
    }

    /// The CUDA version (`12.4`; the leading version of a `cuda` image).
    pub fn cuda(&self) -> Option<Version> {
        match self.kind {
            Kind::Cuda => self.lead(),
            _ => self.read_version(self.cuda?),
        }
    }

    /// The cuDNN major version (`9` of `cudnn9`).
    pub fn cudnn(&self) -> Option<u32> {
        (self.present & CUDNN != 0).then_some(self.cudnn)
    }

    /// The Python version (`3.10`; the leading version of a `python` image;
    /// `3` of a legacy `py3`).
    pub fn python(&self) -> Option<Version> {
        match self.kind {
            Kind::Python => self.lead(),
            // `py310` is 3.10, `py3.7` 3.7: the grammar's own reading.
            Kind::Kernels => match py_version(self.at(self.python?)) {
                Ok(("", v)) => Some(v),
                _ => None,
            },
            _ => self.read_version(self.python?),
        }
    }

    /// The variant (`slim`, legacy `full-gpu.jupyter`).
    pub fn variant(&self) -> Option<&str> {
        self.variant.map(|s| self.at(s))
    }

    /// The revision (`5` of `-r5`).
    pub fn revision(&self) -> Option<u32> {
        (self.present & REVISION != 0).then_some(self.revision)
    }

    /// The build stamp of a legacy tag (`202301160809`).
    pub fn build(&self) -> Option<&str> {
        self.build.map(|s| self.at(s))
    }

    /// Whether this tag was read with no grammar (an opaque tag that
    /// automatic detection kept whole).
    pub fn is_opaque(&self) -> bool {
        self.kind == Kind::Opaque
    }

    /// Whether this is a pre-2024 name (`kernels`, `ngc-*-kernel`, `hub`).
    pub fn is_legacy(&self) -> bool {
        self.kind.is_legacy()
    }

    /// Whether this is a standard alias: a tag without `-rN` in one of the
    /// documented repositories (`python`, `cuda`, `torch`, `tensorflow`).
    pub fn is_standard_alias(&self) -> bool {
        self.documented() && self.present & REVISION == 0
    }

    /// The standard alias this tag belongs to, borrowed: the tag without
    /// `-rN` (see [`Tagged::alias_tag`]).
    pub fn alias(&self) -> Option<&str> {
        if !self.documented() {
            return None;
        }
        Some(&self.tag()[..usize::from(self.rev_at)])
    }

    /// The tag's text between the leading version and `-rN`
    /// (`-cuda12.4-py3.11` of `2.3.0-cuda12.4-py3.11-r5`): for a standard
    /// tag, it determines the track within a repository, and costs no
    /// formatting. `None` for legacy tags.
    pub(crate) fn track_key(&self) -> Option<&str> {
        if self.is_legacy() {
            return None;
        }
        self.lead?;
        self.tag()
            .get(usize::from(self.lead_end)..usize::from(self.rev_at))
    }

    /// Writes the track's text (see [`Tagged::track`]) to `out`, without
    /// allocating when `out` has room: the catalog's hot path.
    pub(crate) fn write_track(&self, out: &mut String) {
        use fmt::Write as _;
        out.push_str(self.repository());
        if let Some(fw) = self
            .framework
            .filter(|_| matches!(self.kind, Kind::Hub | Kind::Kernels))
        {
            out.push(' ');
            out.push_str(self.at(fw));
        }
        // A version after `cuda` or `py` is written as it reads (no
        // leading zero), but for a legacy `py310`. Writing to a String
        // cannot fail.
        if let Some(v) = self.cuda {
            out.push_str(" cuda");
            out.push_str(self.at(v));
        }
        if let Some(n) = self.cudnn() {
            let _ = write!(out, " cudnn{n}");
        }
        match (self.python_text, self.python) {
            (Some(s), _) => {
                out.push(' ');
                out.push_str(self.at(s));
            }
            (None, Some(_)) if self.kind == Kind::Kernels => {
                if let Some(v) = self.python() {
                    let _ = write!(out, " py{v}");
                }
            }
            (None, Some(v)) => {
                out.push_str(" py");
                out.push_str(self.at(v));
            }
            (None, None) => {}
        }
        if let Some(v) = self.variant() {
            out.push(' ');
            out.push_str(v);
        }
        if self.kind == Kind::Opaque {
            out.push_str(" tag=");
            out.push_str(self.tag());
        }
    }

    /// The full name (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`): an
    /// [`Image`](crate::Image) shares it as its reference's text.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    fn documented(&self) -> bool {
        matches!(
            self.kind,
            Kind::Python | Kind::Cuda | Kind::Framework { documented: true }
        )
    }

    fn at(&self, s: Span) -> &str {
        &self.tag()[usize::from(s.0)..usize::from(s.1)]
    }

    /// The leading version as written.
    fn lead_text(&self) -> Option<&str> {
        self.lead.map(|s| self.at(s))
    }

    /// The version at `s` in the tag, which the grammar read (an NGC
    /// release may have a leading zero: `22.04`).
    fn read_version(&self, s: Span) -> Option<Version> {
        Version::read_written(self.at(s))
    }

    /// The framework of a legacy `hub` or `ngc-*-kernel` tag.
    fn legacy_framework(&self) -> Option<&str> {
        match self.kind {
            Kind::NgcKernel => {
                let n = self.repo_name();
                Some(&n["ngc-".len()..n.len() - "-kernel".len()])
            }
            _ => self.framework.map(|s| self.at(s)),
        }
    }

    fn repo_name(&self) -> &str {
        let repo = self.repository();
        repo.rfind('/').map_or(repo, |i| &repo[i + 1..])
    }

    /// Whether the Python versions are the same: as written (without
    /// leading zeros, so the same text is the same version), but for a
    /// legacy `kernels` tag, whose `py37` and `py3.7` are one version.
    fn same_python(&self, o: &VesslTag) -> bool {
        if self.kind == Kind::Kernels {
            return self.python() == o.python();
        }
        self.python.map(|s| self.at(s)) == o.python.map(|s| o.at(s))
    }

    /// The pin on a position: the revision, or a legacy build stamp.
    fn pin(&self) -> Option<u64> {
        match (self.revision(), self.build()) {
            (Some(r), _) => Some(u64::from(r)),
            // 12 digits always fit.
            (None, Some(b)) => b.parse().ok(),
            (None, None) => None,
        }
    }
}

impl PartialEq for VesslTag {
    /// By meaning: the same canonical name (the registry without case),
    /// digest included; every other part is read from it.
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && crate::scheme::words::canonical_eq(&self.name, &other.name)
    }
}

impl Eq for VesslTag {}

impl std::hash::Hash for VesslTag {
    /// Agrees with `Eq`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
        crate::scheme::words::canonical_hash(&self.name, state);
    }
}

impl fmt::Display for VesslTag {
    /// The full name in canonical form (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`),
    /// with its digest if it has one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for VesslTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VesslTag({:?})", self.name)
    }
}

impl FromStr for VesslTag {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        VesslTag::parse(s)
    }
}

impl TryFrom<&str> for VesslTag {
    type Error = Error;

    fn try_from(s: &str) -> Result<Self, Error> {
        VesslTag::parse(s)
    }
}

impl VesslTag {
    /// The value of a tag `t` of `r` that the grammar of `kind` read as
    /// `parts`.
    ///
    /// `None` only for a repository of 4 GiB or more (see
    /// [`too_long`]): an `Option` rather than a `Result`, so that detection
    /// returns the value as it is built, without a copy into another type.
    #[inline]
    fn assemble(
        r: &Reference<'_>,
        input: &str,
        t: &str,
        kind: Kind,
        parts: &Parts<'_>,
    ) -> Option<VesslTag> {
        let digest = r.digest();
        // `t` is `r`'s tag: the `:` before it ends the repository. The
        // registry host comes out lowercase (a DNS name: one case for
        // display and tracks).
        let (name, colon, _) = r.canonical_name(input);
        // Only a domain of gigabytes makes a repository this long.
        let colon = u32::try_from(colon).ok()?;
        // Every borrowed part is a slice of `t`, at most `TAG_MAX` (128)
        // bytes long: its offsets fit in a byte.
        let span = |s: &str| {
            let at = offset(t, s);
            Span(at as u8, (at + s.len()) as u8)
        };
        Some(VesslTag {
            colon,
            kind,
            lead: parts.lead.map(span),
            framework: parts.framework.map(span),
            cuda: parts.cuda.map(span),
            cudnn: parts.cudnn.unwrap_or(0),
            revision: parts.revision.unwrap_or(0),
            present: if parts.cudnn.is_some() { CUDNN } else { 0 }
                | if parts.revision.is_some() {
                    REVISION
                } else {
                    0
                }
                | if digest.is_some() { DIGEST } else { 0 },
            python: parts.python.map(span),
            python_text: parts.python_text.map(span),
            variant: parts.variant.map(span),
            build: parts.build.map(span),
            lead_end: parts.lead_len as u8,
            // "-r" and the digits, written without leading zeros.
            rev_at: (t.len() - parts.revision.map_or(0, |n| 2 + digits(n))) as u8,
            name,
        })
    }

    /// The reading of `r` without building an error: `None` when it is not
    /// a VESSL tag (for detection, which tries the next reading).
    #[inline]
    pub(crate) fn read(r: &Reference<'_>, input: &str) -> Option<VesslTag> {
        let t = r.tag().filter(|t| t.len() <= crate::reference::TAG_MAX)?;
        let kind = Kind::of(r.name());
        // The parts are lent where the grammar left them: a value this
        // large costs a copy (and a stall reading it back) each move.
        match grammar(t, kind) {
            Ok((_, ref parts)) => VesslTag::assemble(r, input, t, kind, parts),
            Err(_) => None,
        }
    }

    /// The reading of a tag that does not fit the repository's grammar,
    /// for automatic detection: the repository, its framework and the tag
    /// as an opaque word, no position. `None` without a tag.
    pub(crate) fn lenient(r: &Reference<'_>, input: &str) -> Option<VesslTag> {
        let t = r.tag()?;
        VesslTag::assemble(r, input, t, Kind::Opaque, &Parts::default())
    }
}

impl Tagged for VesslTag {
    const SCHEME: Scheme = Scheme::Vessl;

    fn from_reference(r: &Reference<'_>, input: &str) -> Result<Self, Error> {
        let Some(t) = r.tag() else {
            return Err(Error::new(
                ErrorKind::Scheme,
                SUBJECT,
                input,
                input.find('@').unwrap_or(input.len()),
                "",
                Component::Tag,
                "expected a tag, as in :2.3.0-cuda12.4-r5",
            ));
        };
        if t.len() > crate::reference::TAG_MAX {
            // Only a tag set with `Reference::with_tag` can be this long.
            return Err(Error::new(
                ErrorKind::TooLong,
                SUBJECT,
                input,
                input.find(t).unwrap_or(0),
                t,
                Component::Tag,
                "tag must be at most 128 characters",
            ));
        }
        let kind = Kind::of(r.name());
        let parts = match grammar(t, kind) {
            Ok((_, p)) => p,
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                return Err(e.into_error(SUBJECT, input))
            }
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
        };
        VesslTag::assemble(r, input, t, kind, &parts).ok_or_else(|| too_long(input))
    }

    /// The repository, then each part that is not the position:
    /// `quay.io/vessl-ai/torch cuda12.4 cudnn9 py3.13 slim`.
    fn track(&self) -> Track {
        let mut s = String::with_capacity(self.colon as usize + 32);
        self.write_track(&mut s);
        Track::new([s.as_str()])
    }

    /// Everything but the position.
    fn same_track(&self, o: &Self) -> bool {
        self.repository() == o.repository()
            && self.kind == o.kind
            && self.legacy_framework() == o.legacy_framework()
            && self.cuda.map(|s| self.at(s)) == o.cuda.map(|s| o.at(s))
            && self.cudnn() == o.cudnn()
            && self.same_python(o)
            && self.python_text.map(|s| self.at(s)) == o.python_text.map(|s| o.at(s))
            && self.variant() == o.variant()
    }

    fn is_alias(&self) -> bool {
        self.is_standard_alias()
    }

    /// From the accessors: the version (or the leading version of a
    /// `python` or `cuda` image), CUDA, cuDNN, Python, variant, and the
    /// revision (or a legacy build stamp).
    fn facts(&self) -> Facts<'_> {
        Facts {
            version: self.version().or(self.lead()),
            cuda: self.cuda(),
            cudnn: self.cudnn(),
            python: self.python(),
            variant: self.variant().map(Cow::Borrowed),
            revision: self.pin(),
            opaque: self.is_opaque(),
            ..Facts::default()
        }
    }

    /// The standard alias: the tag without `-rN` (`2.3.0-cuda12.4` for
    /// `2.3.0-cuda12.4-r5`, and for itself). `None` for legacy tags and for
    /// repositories without a documented alias rule.
    fn alias_tag(&self) -> Option<String> {
        self.alias().map(str::to_owned)
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = Vec::with_capacity(10);
        let repo = self.repository();
        let (registry, path) = repo.split_once('/').unwrap_or(("", repo));
        f.push(Field::text("registry", registry));
        f.push(Field::text("repository", path));
        if let Some(fw) = self.framework() {
            f.push(Field::text("framework", fw));
        }
        if let Some(v) = self.version() {
            f.push(Field::text("version", v));
        }
        if let Some(r) = self.release() {
            f.push(Field::text("release", r));
        }
        if let Some(v) = self.cuda() {
            f.push(Field::text("cuda", v));
        }
        if let Some(n) = self.cudnn() {
            f.push(Field::number("cudnn", u64::from(n)));
        }
        match (self.python_text, self.python()) {
            (Some(s), _) => f.push(Field::text("python", self.at(s))),
            (None, Some(v)) => f.push(Field::text("python", v)),
            (None, None) => {}
        }
        if let Some(v) = self.variant() {
            f.push(Field::text("variant", v));
        }
        if let Some(n) = self.revision() {
            f.push(Field::number("revision", u64::from(n)));
        }
        if self.documented() {
            f.push(Field::flag("is_standard_alias", self.is_standard_alias()));
        }
        if self.is_legacy() {
            f.push(Field::flag("legacy", true));
        }
        if self.kind == Kind::Opaque {
            f.push(Field::text("tag", self.tag()));
        }
        if let Some(b) = self.build() {
            f.push(Field::text("build", b));
        }
        f
    }

    /// On one track, by the leading version, then by revision (or build
    /// stamp). A tag without a revision is incomparable with the revisions
    /// of the same version: for a standard alias, it *is* one of them.
    ///
    /// This is a partial order: `a < b` holds when `a.lead < b.lead`, or when
    /// the leads are equal and both have revisions with `a.rev < b.rev`.
    /// A chain `a < b < c` either has a strict lead step somewhere (so
    /// `a.lead < c.lead`) or equal leads throughout with revisions on all
    /// three (so `a.rev < c.rev`): transitive. `Equal` needs equal tracks,
    /// leads and pins, which determine the whole tag, so it agrees with `Eq`.
    fn compare(&self, other: &Self) -> Option<Ordering> {
        // Equal tags are on one track with one lead: the name is compared
        // last, only when nothing else tells them apart (a sort compares
        // millions of pairs, nearly all of them different).
        if !self.same_track(other) {
            return None;
        }
        self.compare_on_track(other)
    }
}

impl VesslTag {
    /// [`Tagged::compare`] of two tags known to be on one track: by the
    /// leading version, then the revision.
    fn compare_on_track(&self, other: &Self) -> Option<Ordering> {
        let by_lead = match (self.lead_text(), other.lead_text()) {
            (Some(a), Some(b)) => cmp_written(a, b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        };
        match by_lead {
            Ordering::Equal => match (self.pin(), other.pin()) {
                (Some(a), Some(b)) if a != b => Some(a.cmp(&b)),
                _ => (self == other).then_some(Ordering::Equal),
            },
            o => Some(o),
        }
    }
}

impl Indexed for VesslTag {
    /// [`Tagged::track`]'s text, written in place.
    fn push_track(&self, out: &mut String) {
        if !out.is_empty() {
            out.push(' ');
        }
        self.write_track(out);
    }

    /// A tag of a documented repository (one with standard aliases): its
    /// text between the version and `-rN` names the track, its version
    /// and that text the alias.
    /// `None` for a name pinned by digest: two digests of one revision
    /// are two images (the tag was pushed again), which numbers alone
    /// cannot tell apart; the catalog keeps them as any other image.
    fn revision_base(&self) -> Option<RevisionBase<'_>> {
        if self.present & DIGEST != 0 {
            return None;
        }
        self.alias()?;
        Some(RevisionBase {
            repository: self.repository(),
            track: self.track_key()?,
            lead: self.lead()?,
            revision: self.revision(),
        })
    }

    fn alias_key(&self) -> Option<Cow<'_, str>> {
        self.alias().map(Cow::Borrowed)
    }

    /// `compare` without asking whether the two are on one track, which a
    /// sort asks of tags of one track group: the catalog groups tags by
    /// their track's text, which tells their tracks apart (debug builds
    /// check it). `None` where `compare` has no answer either (two digests
    /// of one revision): the sort orders them by their text.
    fn linear_cmp(&self, other: &Self) -> Option<Ordering> {
        debug_assert!(self.same_track(other), "{self} and {other} on one track");
        self.compare_on_track(other)
    }

    /// The leading version in three bytes ([`crate::version::write_key`]),
    /// then the revision (or build stamp) up to 254: `compare_on_track`'s
    /// order. A tag with no pin (a standard alias, sorted apart) has none.
    fn sort_key(&self) -> Option<u32> {
        let pin = self.pin()?;
        let mut k = [0u8; 4];
        let exact = self
            .lead_text()
            .is_none_or(|lead| crate::version::write_key(lead, &mut k[..3]));
        k[3] = if exact {
            u8::try_from(pin).unwrap_or(u8::MAX)
        } else {
            u8::MAX
        };
        Some(u32::from_be_bytes(k))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for VesslTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for VesslTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = VesslTag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a VESSL image tag")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<VesslTag, E> {
                VesslTag::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// The error for a repository of 4 GiB or more, which `u32` offsets cannot
/// hold (only a domain of gigabytes makes one).
#[cold]
fn too_long(input: &str) -> Error {
    Error::new(
        ErrorKind::TooLong,
        SUBJECT,
        input,
        0,
        "",
        Component::Name,
        "repository must be shorter than 4 GiB",
    )
}

/// The number of decimal digits of `n`.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

fn offset(whole: &str, part: &str) -> usize {
    crate::parse::offset_in(whole, part)
}

/// An error of kind [`ErrorKind::Scheme`] at `at`.
fn fail<'a, T>(at: &'a str, component: Component, expected: &'static str) -> Res<'a, T> {
    PErr::err(
        at,
        Why {
            kind: ErrorKind::Scheme,
            component,
            expected,
        },
    )
}

/// Errors of shared grammar functions (versions, numbers) become errors of
/// this scheme.
fn rescheme(e: nom::Err<PErr<'_>>) -> nom::Err<PErr<'_>> {
    e.map(|mut e| {
        e.why.kind = ErrorKind::Scheme;
        e
    })
}

fn starts_with_digit(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

// version ::= number ( "." number ){0,3}      (Version::prefix; errors become scheme errors)
fn version(i: &str, component: Component) -> Res<'_, Version> {
    Version::prefix(i, component).map_err(rescheme)
}

// number ::= "0" | [1-9] [0-9]*
fn plain_number<'a>(i: &'a str, component: Component, leading_zero: &'static str) -> Res<'a, u32> {
    let (rest, n) = number(i, component).map_err(rescheme)?;
    if i.len() - rest.len() > 1 && i.starts_with('0') {
        let why = Why {
            kind: ErrorKind::Scheme,
            component,
            expected: leading_zero,
        };
        return Err(nom::Err::Error(
            PErr::new(i, why).spanning(i.len() - rest.len()),
        ));
    }
    Ok((rest, n))
}

/// The stages of the standard grammar, in the order the parts must come.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Lead,
    Cuda,
    Cudnn,
    Python,
    Variant,
    Revision,
}

impl Stage {
    fn component(self) -> Component {
        match self {
            Stage::Lead => Component::Version,
            Stage::Cuda => Component::Cuda,
            Stage::Cudnn => Component::Cudnn,
            Stage::Python => Component::Python,
            Stage::Variant => Component::Variant,
            Stage::Revision => Component::Revision,
        }
    }
}

// tag ::= lead cuda? cudnn? python? variant? revision?
fn standard(t: &str, kind: Kind) -> Res<'_, Parts<'_>> {
    let (lead_component, lead_expected) = match kind {
        Kind::Python => (
            Component::Python,
            "expected the Python version at the start of the tag, as in 3.10",
        ),
        Kind::Cuda => (
            Component::Cuda,
            "expected the CUDA version at the start of the tag, as in 12.4",
        ),
        _ => (
            Component::Version,
            "expected the version at the start of the tag, as in 2.3.0",
        ),
    };
    if !starts_with_digit(t) {
        return fail(t, lead_component, lead_expected);
    }
    let (mut rest, _) = version(t, lead_component)?;
    let lead_len = t.len() - rest.len();
    let mut p = Parts {
        lead: Some(&t[..lead_len]),
        lead_len,
        ..Parts::default()
    };
    let mut stage = Stage::Lead;
    let mut variant: Option<(&str, &str)> = None;
    while !rest.is_empty() {
        let Some(seg) = rest.strip_prefix('-') else {
            let c = match stage {
                Stage::Lead => lead_component,
                s => s.component(),
            };
            return fail(rest, c, "expected '-' or the end of the tag");
        };
        let (next, part) = segment(seg, kind)?;
        let s = part.stage();
        if s < stage || (s == stage && s != Stage::Variant) {
            let why = Why {
                kind: ErrorKind::Scheme,
                component: s.component(),
                expected: ORDER,
            };
            let len = seg.len() - next.len();
            return Err(nom::Err::Error(PErr::new(seg, why).spanning(len)));
        }
        stage = s;
        match part {
            Part::Cuda(v) => p.cuda = Some(v),
            Part::Cudnn(n) => p.cudnn = Some(n),
            Part::Python(v) => p.python = Some(v),
            Part::Variant => {
                let first = variant.map_or(seg, |(first, _)| first);
                variant = Some((first, next));
            }
            Part::Revision(n) => p.revision = Some(n),
        }
        rest = next;
    }
    p.variant = variant.map(|(first, end)| &first[..first.len() - end.len()]);
    Ok((rest, p))
}

/// One `-`-separated part after the leading version (a version as its
/// text).
enum Part<'a> {
    Cuda(&'a str),
    Cudnn(u32),
    Python(&'a str),
    Variant,
    Revision(u32),
}

impl Part<'_> {
    fn stage(&self) -> Stage {
        match self {
            Part::Cuda(_) => Stage::Cuda,
            Part::Cudnn(_) => Stage::Cudnn,
            Part::Python(_) => Stage::Python,
            Part::Variant => Stage::Variant,
            Part::Revision(_) => Stage::Revision,
        }
    }
}

/// Whether `s` is `keyword` followed by a digit (a part), or by nothing or
/// `-` (a part missing its number). Anything else (`cudagraph`,
/// `pytorch`, `runtime`) is a variant word.
/// The tag `t` read by the grammar of `kind`.
fn grammar(t: &str, kind: Kind) -> Res<'_, Parts<'_>> {
    match kind {
        Kind::Kernels => kernels(t),
        Kind::NgcKernel => ngc_kernel(t),
        Kind::Hub => hub(t),
        Kind::Opaque => Ok(("", Parts::default())),
        _ => standard(t, kind),
    }
}

fn keyword<'a>(s: &'a str, keyword: &str) -> Option<&'a str> {
    let after = s.strip_prefix(keyword)?;
    match after.bytes().next() {
        None | Some(b'-' | b'0'..=b'9') => Some(after),
        _ => None,
    }
}

/// The end of a part: `-` or the end of the tag.
fn part_end(i: &str, component: Component) -> Res<'_, ()> {
    if i.is_empty() || i.starts_with('-') {
        Ok((i, ()))
    } else {
        fail(i, component, "expected '-' or the end of the tag")
    }
}

/// The version of a `cudaX.Y[.Z]` or `pyX.Y` part, `(part, after keyword)`:
/// a version right after the keyword, then the end of the part. `leading`
/// says the image already gave this version first (`cuda:12.4-cuda12.4`),
/// which is the error `twice`.
fn keyword_version<'a>(
    (part, after): (&'a str, &'a str),
    leading: bool,
    component: Component,
    twice: &'static str,
    missing: &'static str,
) -> Res<'a, &'a str> {
    if leading {
        return fail(part, component, twice);
    }
    if !starts_with_digit(after) {
        return fail(after, component, missing);
    }
    let (rest, _) = version(after, component)?;
    let text = consumed(after, rest);
    let (rest, ()) = part_end(rest, component)?;
    Ok((rest, text))
}

// part     ::= "cuda" version | "cudnn" number | "py" version | "r" number | word
// word     ::= [a-z] [a-z0-9]*
fn segment(s: &str, kind: Kind) -> Res<'_, Part<'_>> {
    if let Some(after) = keyword(s, "cudnn") {
        if !starts_with_digit(after) {
            return fail(
                after,
                Component::Cudnn,
                "expected a cuDNN version right after 'cudnn', as in cudnn9",
            );
        }
        let (rest, n) = plain_number(
            after,
            Component::Cudnn,
            "a cuDNN version must not have a leading zero",
        )?;
        let (rest, ()) = part_end(rest, Component::Cudnn)?;
        return Ok((rest, Part::Cudnn(n)));
    }
    if let Some(after) = keyword(s, "cuda") {
        let (rest, v) = keyword_version(
            (s, after),
            kind == Kind::Cuda,
            Component::Cuda,
            "a cuda image gives its CUDA version first, not as a -cuda part",
            "expected a CUDA version right after 'cuda', as in cuda12.4",
        )?;
        return Ok((rest, Part::Cuda(v)));
    }
    if let Some(after) = keyword(s, "py") {
        let (rest, v) = keyword_version(
            (s, after),
            kind == Kind::Python,
            Component::Python,
            "a python image gives its Python version first, not as a -py part",
            "expected a Python version right after 'py', as in py3.11",
        )?;
        return Ok((rest, Part::Python(v)));
    }
    if let Some(after) = keyword(s, "r") {
        if !starts_with_digit(after) {
            return fail(
                after,
                Component::Revision,
                "expected a revision number right after 'r', as in r5",
            );
        }
        let (rest, n) = plain_number(
            after,
            Component::Revision,
            "a revision must not have a leading zero",
        )?;
        let (rest, ()) = part_end(rest, Component::Revision)?;
        return Ok((rest, Part::Revision(n)));
    }
    if !s.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return fail(
            s,
            Component::Tag,
            "expected cudaX.Y, cudnnN, pyX.Y, a lowercase variant or rN after '-'",
        );
    }
    let n = class::span(s, class::LOWER_ALNUM);
    let (rest, ()) = part_end(&s[n..], Component::Variant)?;
    Ok((rest, Part::Variant))
}

// py-digits ::= [1-9] ( "0" | [1-9] [0-9]* )?        (py310 is 3.10, py3 is 3)
fn py_digits(i: &str) -> Res<'_, Version> {
    let n = class::span(i, class::DIGIT);
    let d = i.as_bytes();
    if n == 0 || d[0] == b'0' {
        return fail(
            i,
            Component::Python,
            "expected the Python version right after 'py', as in py310",
        );
    }
    let major = u32::from(d[0] - b'0');
    if n == 1 {
        return Ok((&i[1..], Version::new(&[major])));
    }
    let (rest, minor) = plain_number(
        &i[1..n],
        Component::Python,
        "a Python minor version must not have a leading zero",
    )?;
    debug_assert!(rest.is_empty());
    Ok((&i[n..], Version::new(&[major, minor])))
}

// py-version ::= py-digits ( "." number )?
//   (`py3.12`: the Python version written with its dot; not after two
//   digits: `py37.1` is 3.7, then `.1`)
fn py_version(i: &str) -> Res<'_, Version> {
    let (i, python) = py_digits(i)?;
    if python.parts().len() == 1 && i.len() > 1 && i.starts_with('.') && starts_with_digit(&i[1..])
    {
        let (r, minor) = plain_number(
            &i[1..],
            Component::Python,
            "a Python minor version must not have a leading zero",
        )?;
        return Ok((r, Version::new(&[python.major(), minor])));
    }
    Ok((i, python))
}

// build ::= [0-9]{12}
fn build(i: &str) -> Res<'_, &str> {
    let n = class::span(i, class::DIGIT);
    if n != 12 {
        return fail(
            i,
            Component::Version,
            "expected a 12-digit build stamp (yyyymmddhhmm)",
        );
    }
    Ok((&i[n..], &i[..n]))
}

/// `"-cuda" version`, if present.
fn legacy_cuda(i: &str) -> Res<'_, Option<&str>> {
    match tag::<_, _, PErr<'_>>("-cuda").parse(i) {
        Ok((after, _)) => {
            if !starts_with_digit(after) {
                return fail(
                    after,
                    Component::Cuda,
                    "expected a CUDA version right after 'cuda', as in cuda12.4",
                );
            }
            let (rest, _) = version(after, Component::Cuda)?;
            Ok((rest, Some(consumed(after, rest))))
        }
        Err(_) => Ok((i, None)),
    }
}

/// `"-" build`, if present.
fn legacy_build(i: &str) -> Res<'_, Option<&str>> {
    match i.strip_prefix('-') {
        Some(after) => {
            let (rest, b) = build(after)?;
            Ok((rest, Some(b)))
        }
        None => Ok((i, None)),
    }
}

fn legacy_end(i: &str) -> Res<'_, ()> {
    if i.is_empty() {
        Ok((i, ()))
    } else {
        fail(i, Component::Tag, "expected the end of the legacy tag")
    }
}

// kernels-tag ::= "py" py-digits ( "-cuda" version )? ( "-" build )? ( "." legacy-variant )?
// legacy-variant ::= [a-z0-9.-]+
fn kernels(t: &str) -> Res<'_, Parts<'_>> {
    if let Some(ngc) = t.strip_prefix("ngc.") {
        // An NGC image's name: `ngc.pytorch.22.04-py3`.
        let n = ngc
            .bytes()
            .position(|b| !(class::is(b, class::LOWER_ALNUM) || b == b'-'))
            .unwrap_or(ngc.len());
        let Some(rest) = ngc[n..].strip_prefix('.').filter(|_| n > 0) else {
            return fail(
                &ngc[n..],
                Component::Framework,
                "expected an NGC framework and '.', as in ngc.pytorch.22.04-py3",
            );
        };
        let (i, mut p) = ngc_kernel(rest)?;
        p.framework = Some(&ngc[..n]);
        return Ok((i, p));
    }
    let Ok((i, _)) = tag::<_, _, PErr<'_>>("py").parse(t) else {
        return fail(
            t,
            Component::Python,
            "expected 'py' and the Python version, as in py310",
        );
    };
    let (rest, _) = py_version(i)?;
    let python = consumed(i, rest);
    let (i, cuda) = legacy_cuda(rest)?;
    let (i, build) = legacy_build(i)?;
    let (i, variant) = match i.strip_prefix('.') {
        Some(v) => {
            let n = v
                .bytes()
                .position(|b| !(class::is(b, class::LOWER_ALNUM) || b == b'.' || b == b'-'))
                .unwrap_or(v.len());
            if n == 0 {
                return fail(
                    v,
                    Component::Variant,
                    "expected a lowercase variant after '.', as in full-gpu",
                );
            }
            (&v[n..], Some(&v[..n]))
        }
        None => (i, None),
    };
    let (i, ()) = legacy_end(i)?;
    Ok((
        i,
        Parts {
            python: Some(python),
            cuda,
            build,
            variant,
            ..Parts::default()
        },
    ))
}

// ngc-kernel-tag ::= release "-py" [0-9]+ ( "-" build )?
// release        ::= [0-9]{2} "." [0-9]{2}
fn ngc_kernel(t: &str) -> Res<'_, Parts<'_>> {
    let b = t.as_bytes();
    let is_release = b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b'.'
        && b[3..5].iter().all(u8::is_ascii_digit)
        && !b.get(5).is_some_and(u8::is_ascii_digit);
    if !is_release {
        return fail(
            t,
            Component::Release,
            "expected an NGC release at the start of the tag, as in 22.12",
        );
    }
    let release = &t[..5];
    let mut i = &t[5..];
    // Variant words before Python (`22.12-tf1-py3`).
    // Byte offsets in `t` of the first variant word and of the end of the
    // last.
    let mut variant: Option<(usize, usize)> = None;
    while let Some(after) = i.strip_prefix('-') {
        let n = class::span(after, class::LOWER_ALNUM);
        let w = &after[..n];
        if n == 0 || keyword(w, "py").is_some_and(starts_with_digit) || starts_with_digit(w) {
            break;
        }
        let at = t.len() - after.len();
        variant = Some((variant.map_or(at, |(first, _)| first), at + n));
        i = &after[n..];
    }
    let variant = variant.map(|(a, b)| &t[a..b]);
    let Some(py) = i.strip_prefix("-py").filter(|p| starts_with_digit(p)) else {
        return fail(
            i,
            Component::Python,
            "expected '-py' and the Python major version, as in -py3",
        );
    };
    let n = class::span(py, class::DIGIT);
    let python_text = &i[1..3 + n];
    plain_number(
        &py[..n],
        Component::Python,
        "a Python version must not have a leading zero",
    )?;
    let (i, build) = legacy_build(&py[n..])?;
    let (i, ()) = legacy_end(i)?;
    Ok((
        i,
        Parts {
            lead: Some(release),
            python: Some(&py[..n]),
            python_text: Some(python_text),
            build,
            variant,
            ..Parts::default()
        },
    ))
}

// hub-tag ::= [a-z]+ version ( "-cuda" version )? ( "-" build )?
fn hub(t: &str) -> Res<'_, Parts<'_>> {
    let n = t
        .bytes()
        .position(|b| !b.is_ascii_lowercase())
        .unwrap_or(t.len());
    if n == 0 {
        return fail(
            t,
            Component::Framework,
            "expected a framework and its version, as in torch2.1.0",
        );
    }
    let framework = &t[..n];
    let i = &t[n..];
    if !starts_with_digit(i) {
        return fail(
            i,
            Component::Version,
            "expected the framework version right after the framework, as in torch2.1.0",
        );
    }
    let (rest, _) = version(i, Component::Version)?;
    let lead = consumed(i, rest);
    let (i, cuda) = legacy_cuda(rest)?;
    let (i, build) = legacy_build(i)?;
    let (i, ()) = legacy_end(i)?;
    Ok((
        i,
        Parts {
            lead: Some(lead),
            framework: Some(framework),
            cuda,
            build,
            ..Parts::default()
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_counts() {
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(u32::MAX), 10);
    }

    #[test]
    fn kinds() {
        assert_eq!(Kind::of("ngc-pytorch-kernel"), Kind::NgcKernel);
        assert_eq!(
            Kind::of("ngc--kernel"),
            Kind::Framework { documented: false }
        );
        assert_eq!(Kind::of("torch"), Kind::Framework { documented: true });
    }
}
