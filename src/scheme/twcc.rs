//! TWCC (Taiwan Computing Cloud) names: framework images named after the
//! NGC release they are built from.
//!
//! ```text
//! twcc-name  ::= [ registry "/" ] [ path "/" ] image [ ":" twcc-tag ] [ "@" digest ]
//! image      ::= framework "-" release tail          (tensorflow-20.11-tf2-py3)
//!              | framework "-" vendor-release        (matlab-r2019b)
//!              | framework "-v" number "." version tail
//!                                                    (clara-train-sdk-v4.0: NGC's v-version)
//!              | "cuda-" version cuda-tail           (cuda-9.0-cudnn7.1-devel-ubuntu16.04-v1)
//!              | framework [ "-v1" ]                 (only on registry.twcc.ai: ubuntu-v1)
//! cuda-tail  ::= [ "-cudnn" version ] ( "-" word )* [ "-" os ] [ "-v1" ]
//!              | framework                           (only on registry.twcc.ai:
//!                                                     registry.twcc.ai/ngc/nvidia/tensorflow)
//! framework  ::= word ( "-" word )*                  (everything before the release;
//!                                                     a word may join letters with `_`:
//!                                                     nchc_vtr_tensorflow)
//! tail       ::= ( "-" variant )* "-" python [ "-v1" ]
//!              | [ "-" package ] [ "-v1" ]
//! variant    ::= word                                (tf2, trtllm, python: none before 19.11)
//! python     ::= "py" version                        (py3)
//! package    ::= word                                (digits-19.08-tensorflow)
//! word       ::= [a-z0-9]+
//! twcc-tag   ::= "latest" | "v1" | custom-tag        (no tag means latest)
//! ```
//!
//! `release` and `vendor-release` are [`Release`] (`20.11`, `18.08.1`) and
//! [`VendorRelease`] (`r2019b`). `-v1` at the end of the image marks a build
//! TWCC optimised; a tag that merely contains `v1`
//! (`pytorch-21.06-py3:leo19941227-v1.0`) does not. Taiwania-2 HPC names
//! (`tensorflow_21.11-tf2-py3`) are not TWCC names.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{Component, Error};
use crate::parse::{consumed, offset_in, Res};
use crate::reference::{Reference, DEFAULT_TAG};
use crate::release::{Release, VendorRelease};
use crate::scheme::words::{self, as_scheme, fail, finish, is_plain, is_python, word};
use crate::scheme::{
    lenient_version, release_version, Facts, Field, Indexed, Scheme, Tagged, Track,
};
use crate::version::{cmp_written, Version};

const SUBJECT: &str = "TWCC name";
/// TWCC's registry.
pub const TWCC_REGISTRY: &str = "registry.twcc.ai";

/// Where a TWCC image sits on its track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TwccPosition {
    /// An NGC release (`tensorflow-20.11-tf2-py3`).
    Release(Release),
    /// A vendor release (`matlab-r2019b`).
    Vendor(VendorRelease),
    /// A product version written with `v`, as its NGC image's tag
    /// (`clara-train-sdk-v4.0`).
    Version(Version),
    /// The CUDA version of TWCC's CUDA images (`cuda-9.0-cudnn7.1-devel-ubuntu16.04-v1`).
    Cuda(Version),
    /// None: an image named without a release (`registry.twcc.ai/ngc/vtr`).
    None,
}

/// A TWCC name: `tensorflow-20.11-tf2-py3:latest`.
///
/// # Syntax
///
/// `framework-yy.mm[-variant...]-pyN[-v1][:tag]`, with an optional registry
/// and path (`registry.twcc.ai/ngc/nvidia/`), a package in place of Python
/// (`digits-19.08-tensorflow`), a vendor release in place of the NGC release
/// (`matlab-r2019b`). See the [module docs](self) for the grammar.
///
/// ```
/// use imagetag::scheme::twcc::TwccName;
///
/// let n: TwccName = "tensorflow-20.11-tf2-py3:latest".parse()?;
/// assert_eq!(n.framework(), Some("tensorflow"));
/// assert_eq!(n.release().map(|r| r.to_string()).as_deref(), Some("20.11"));
/// assert_eq!(n.variant(), Some("tf2"));
/// assert_eq!(n.python(), Some("py3"));
/// assert_eq!(n.tag(), "latest");
/// assert_eq!(n.to_ngc().unwrap().to_string(), "nvcr.io/nvidia/tensorflow:20.11-tf2-py3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Laws
///
/// - **Display** prints the name exactly as it was written, digest
///   included, and `TwccName::parse(&n.to_string()) == Ok(n)`.
/// - **Equality is by meaning**: the familiar and canonical spellings of one
///   name are equal (`tensorflow-20.11-tf2-py3` equals
///   `docker.io/library/tensorflow-20.11-tf2-py3`), a registry compares
///   without case (`Registry.TWCC.ai` is `registry.twcc.ai`), and a missing
///   tag means `latest` (`pytorch-24.01-py3` equals
///   `pytorch-24.01-py3:latest`), though each displays as written. Equal
///   names hash alike.
/// - **Order** is the named, partial [`Tagged::compare`]; there is no
///   `PartialOrd` or `Ord`.
///
/// # Total ordering
///
/// There is none: names compare ([`Tagged::compare`]) only on the same track
/// (registry, path, framework, variant, Python or package, `-v1`), by
/// release: `tensorflow-19.08-py3 < tensorflow-20.01-py3`. `latest` is a
/// moving alias, so with the same release `latest` and a custom tag are
/// incomparable.
///
/// # Errors
///
/// `tensorflow_21.11-tf2-py3` (a Taiwania-2 HPC name), `ubuntu:22.04` (no
/// release), `pytorch-24.13-py3` (no such month), `pytorch-24.01-tf2-foo`
/// (no Python part after the variant).
///
/// A catalog holds many of these: the value is one text and small offsets
/// into it (48 bytes), and the position is read back from its text when
/// asked for.
#[derive(Clone)]
pub struct TwccName {
    /// The name as written: every part below is a slice of it (one
    /// allocation, no spare capacity; see the [scheme docs](crate::scheme)).
    text: Box<str>,
    /// The registry, if written, as `text[a..b]`; empty if not (a
    /// registry is never empty). A registry has no length limit, so these
    /// are full offsets.
    registry: (u32, u32),
    /// Where the image name (the last path component) starts in `text`;
    /// the tag and digest follow it.
    name_at: u32,
    /// The path before the image, if written, as `back` bytes before
    /// `name_at` and `len` bytes long; `len` 0 if not. The repository path
    /// (path, `/`, image name) is at most 255 bytes, so both fit a `u8`.
    path: (u8, u8),
    /// The image name's length: at most 255 bytes, like the path, so the
    /// parts of the image name below are `u8` offsets into it.
    name_len: u8,
    framework: Span,
    variant: Span,
    python: Span,
    package: Span,
    /// The cuDNN version of a CUDA image (`7.1`).
    cudnn: Span,
    /// The OS of a CUDA image (`ubuntu16.04`).
    os: Span,
    /// What kind of position the image has, and its text in the image
    /// name (`20.11`, `r2019b`, `4.0` of `v4.0`, `9.0` of `cuda-9.0`): the
    /// value is read back from it by [`position`](TwccName::position).
    kind: Kind,
    position: Span,
    optimized: bool,
}

/// A part of the image name, as offsets into it; empty when the part is
/// absent (no part the grammar reads is empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span(u8, u8);

/// The kind of a [`TwccPosition`], without its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Release,
    Vendor,
    Version,
    Cuda,
    #[default]
    None,
}

/// The parts of the image, as slices of the input.
#[derive(Default)]
struct Parts<'a> {
    framework: Option<&'a str>,
    /// The kind of position and its text (see [`TwccName::position`]).
    position: Option<(Kind, &'a str)>,
    variant: Option<&'a str>,
    python: Option<&'a str>,
    package: Option<&'a str>,
    optimized: bool,
    cudnn: Option<&'a str>,
    os: Option<&'a str>,
}

/// Instantiation
impl TwccName {
    /// Reads a full name (a reference, normalized, then the TWCC scheme).
    pub fn parse(s: &str) -> Result<TwccName, Error> {
        let r = Reference::parse_normalized(s).map_err(|e| e.with_subject(SUBJECT))?;
        TwccName::from_reference(&r, s)
    }
}

/// Access
impl TwccName {
    /// The registry, if written (`registry.twcc.ai`).
    pub fn registry(&self) -> Option<&str> {
        let (a, b) = self.registry;
        (a != b).then(|| &self.text[a as usize..b as usize])
    }

    /// The path before the image, if written (`ngc/nvidia`).
    pub fn path(&self) -> Option<&str> {
        let (back, len) = self.path;
        let a = self.name_at as usize - usize::from(back);
        (len != 0).then(|| &self.text[a..a + usize::from(len)])
    }

    /// The image name (the last path component): `tensorflow-20.11-tf2-py3`.
    pub fn name(&self) -> &str {
        let at = self.name_at as usize;
        &self.text[at..at + usize::from(self.name_len)]
    }

    /// The framework (`tensorflow`, `tensorrtserver`, `matlab`). `None` for
    /// an internal image outside an `nvidia` path (`registry.twcc.ai/ngc/vtr`).
    pub fn framework(&self) -> Option<&str> {
        self.part(self.framework)
    }

    /// The position: release, vendor release or none.
    pub fn position(&self) -> TwccPosition {
        // Read back from the text the grammar read it from, so it reads
        // again; `None` stands for a failure that cannot happen.
        let t = self.part(self.position).unwrap_or_default();
        match self.kind {
            Kind::Release => {
                Release::prefix(t).map_or(TwccPosition::None, |(_, r)| TwccPosition::Release(r))
            }
            Kind::Vendor => VendorRelease::prefix(t)
                .map_or(TwccPosition::None, |(_, v)| TwccPosition::Vendor(v)),
            Kind::Version => Version::prefix(t, Component::Version)
                .map_or(TwccPosition::None, |(_, v)| TwccPosition::Version(v)),
            Kind::Cuda => Version::prefix(t, Component::Cuda)
                .map_or(TwccPosition::None, |(_, v)| TwccPosition::Cuda(v)),
            Kind::None => TwccPosition::None,
        }
    }

    /// The NGC release the image is built from (`20.11`).
    pub fn release(&self) -> Option<Release> {
        match self.kind {
            Kind::Release => match self.position() {
                TwccPosition::Release(r) => Some(r),
                _ => None,
            },
            _ => None,
        }
    }

    /// The vendor's release (`r2019b` of `matlab-r2019b`).
    pub fn vendor_release(&self) -> Option<VendorRelease> {
        match self.kind {
            Kind::Vendor => match self.position() {
                TwccPosition::Vendor(v) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The variant words, joined by `-` (`tf2`, `trtllm-python`).
    pub fn variant(&self) -> Option<&str> {
        self.part(self.variant)
    }

    /// The Python part (`py3`).
    pub fn python(&self) -> Option<&str> {
        self.part(self.python)
    }

    /// The package in place of Python (`tensorflow` of `digits-19.08-tensorflow`).
    pub fn package(&self) -> Option<&str> {
        self.part(self.package)
    }

    /// The cuDNN version of a CUDA image (`7.1`).
    fn cudnn(&self) -> Option<&str> {
        self.part(self.cudnn)
    }

    /// The OS of a CUDA image (`ubuntu16.04`).
    fn os(&self) -> Option<&str> {
        self.part(self.os)
    }

    /// Whether the image is a TWCC-optimised build (`-v1`).
    pub fn is_optimized(&self) -> bool {
        self.optimized
    }

    /// The TWCC tag; `latest` when none was written.
    pub fn tag(&self) -> &str {
        self.written_tag().unwrap_or(DEFAULT_TAG)
    }

    /// The tag as written, if any.
    pub fn written_tag(&self) -> Option<&str> {
        let rest = self.after_name().strip_prefix(':')?;
        // A tag has no `@`: what follows one is the digest.
        Some(rest.split_once('@').map_or(rest, |(t, _)| t))
    }

    /// The digest, if written (`sha256:…`).
    pub fn digest(&self) -> Option<&str> {
        self.after_name().split_once('@').map(|(_, d)| d)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What follows the image name: `[":" tag] ["@" digest]`.
    fn after_name(&self) -> &str {
        &self.text[self.name_at as usize + usize::from(self.name_len)..]
    }

    fn part(&self, Span(a, b): Span) -> Option<&str> {
        (a != b).then(|| &self.name()[usize::from(a)..usize::from(b)])
    }
}

impl TwccName {
    /// The reading of a name on TWCC's registry that does not fit the
    /// grammar: the registry, path, name and tag, no framework and no
    /// position.
    pub(crate) fn lenient(r: &Reference<'_>, input: &str) -> TwccName {
        TwccName::build(r, input, &Parts::default(), None)
    }

    /// The value of `r`, read from `input`, whose image name the grammar
    /// read as `img`: the text copied once, every part an offset into it.
    fn build(r: &Reference<'_>, input: &str, img: &Parts<'_>, framework: Option<&str>) -> TwccName {
        let name = r.name();
        let span = |w: Option<&str>| {
            w.map_or(Span::default(), |w| {
                let a = offset_in(name, w);
                // Within the image name, at most 255 bytes long.
                Span(a as u8, (a + w.len()) as u8)
            })
        };
        // `check_len` bounds the input to `u32`.
        let at = |w: &str| offset_in(input, w) as u32;
        let name_at = at(name);
        let registry =
            words::written(input, r.domain()).map_or((0, 0), |w| (at(w), at(w) + w.len() as u32));
        // The path and `/` come before the image name, all within the
        // repository path's 255 bytes.
        let path = words::written(input, r.namespace())
            .map_or((0, 0), |w| ((name_at - at(w)) as u8, w.len() as u8));
        let (kind, position) = img.position.unwrap_or((Kind::None, ""));
        TwccName {
            text: Box::from(input),
            registry,
            name_at,
            path,
            name_len: name.len().min(usize::from(u8::MAX)) as u8,
            framework: span(framework),
            variant: span(img.variant),
            python: span(img.python),
            package: span(img.package),
            cudnn: span(img.cudnn),
            os: span(img.os),
            kind,
            position: span((kind != Kind::None).then_some(position)),
            optimized: img.optimized,
        }
    }

    /// The reading of `r` without building an error: `None` when it is not
    /// a TWCC name (for detection, which tries the next scheme).
    pub(crate) fn read(r: &Reference<'_>, input: &str) -> Option<TwccName> {
        let (registry, path, name) = (
            words::written(input, r.domain()),
            words::written(input, r.namespace()),
            r.name(),
        );
        let bare_ok = bare_ok(registry);
        // Every image but a bare one has a `-` before its position, which
        // starts with a digit (a release, a CUDA version), `r` (a vendor
        // release) or `v` (a product version): detection, which tries TWCC
        // on every name no other scheme took (`nginx`, `pytorch/pytorch`,
        // `text-generation-inference`), rejects the others at once.
        if !bare_ok && !may_have_position(name) {
            return None;
        }
        // The parts are filled in place and lent: a value this large costs
        // a copy (and a stall on reading it back) each time it is moved.
        let mut img = Parts::default();
        image(name, bare_ok, &mut img).ok()?;
        Some(TwccName::finish(r, input, path, &img))
    }

    /// The value of a name the grammar read as `img`.
    fn finish(r: &Reference<'_>, input: &str, path: Option<&str>, img: &Parts<'_>) -> TwccName {
        // An image without a release names a framework only in an `nvidia`
        // path (TWCC mirrors NGC's `nvidia/<framework>`); `ngc/vtr` is an
        // internal image, and its name is no framework.
        let framework = match img.position {
            Some(_) => img.framework,
            None => img
                .framework
                .filter(|_| path.is_some_and(|p| p.rsplit('/').next() == Some("nvidia"))),
        };
        TwccName::build(r, input, img, framework)
    }

    /// The path the name means (`library` for an unqualified name on
    /// Docker Hub), for equality.
    fn meant_path(&self) -> Option<&str> {
        words::path(self.registry(), self.path())
    }

    /// The repository as people read it, the same for every spelling of the
    /// name (see `words::familiar_repository`): registry, path and framework
    /// (or name).
    fn repository(&self) -> String {
        let (registry, path, name) = self.repository_parts();
        words::familiar_repository(registry, path, name)
    }

    /// The parts of [`repository`](Self::repository): registry, path, and
    /// framework (or name).
    fn repository_parts(&self) -> (Option<&str>, Option<&str>, &str) {
        (
            self.registry(),
            self.path(),
            self.framework().unwrap_or(self.name()),
        )
    }

    /// What [`Tagged::track`] writes after the repository, as values:
    /// the kind of position (and the tag, without one), the parts that are
    /// not the position, and `-v1`.
    fn track_shape(&self) -> (u8, Option<&str>, [Option<&str>; 5], bool) {
        let (kind, tag) = match self.kind {
            Kind::None => (self.kind as u8, Some(self.tag())),
            k => (k as u8, None),
        };
        let parts = [
            self.cudnn(),
            self.variant(),
            self.python(),
            self.package(),
            self.os(),
        ];
        (kind, tag, parts, self.optimized)
    }
}

impl PartialEq for TwccName {
    /// By meaning: the same registry (without case; none is Docker Hub),
    /// path (`library/` implied on Docker Hub), name, tag (none is
    /// `latest`) and digest.
    fn eq(&self, other: &Self) -> bool {
        words::host_eq(self.registry(), other.registry())
            && self.meant_path() == other.meant_path()
            && self.name() == other.name()
            && self.tag() == other.tag()
            && self.digest() == other.digest()
    }
}

impl Eq for TwccName {}

impl Hash for TwccName {
    /// Agrees with `Eq`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::reference::hash_host(Some(words::host(self.registry())), state);
        self.meant_path().hash(state);
        self.name().hash(state);
        self.tag().hash(state);
        self.digest().hash(state);
    }
}

impl fmt::Display for TwccName {
    /// The name exactly as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for TwccName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TwccName({:?})", self.text)
    }
}

impl FromStr for TwccName {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        TwccName::parse(s)
    }
}

impl Tagged for TwccName {
    const SCHEME: Scheme = Scheme::Twcc;

    fn from_reference(r: &Reference<'_>, input: &str) -> Result<Self, Error> {
        words::check_len(input, SUBJECT)?;
        if !words::within(input, r.name()) {
            // `r` was not read from `input`, as this method asks: read its
            // own text, so that every offset is into the text kept.
            let text = r.to_string();
            let own = Reference::parse_normalized(&text).map_err(|e| e.with_subject(SUBJECT))?;
            return TwccName::from_reference(&own, &text);
        }
        let registry = words::written(input, r.domain());
        let path = words::written(input, r.namespace());
        let mut img = Parts::default();
        finish(image(r.name(), bare_ok(registry), &mut img), SUBJECT, input)?;
        Ok(TwccName::finish(r, input, path, &img))
    }

    fn track(&self) -> Track {
        let mut parts = vec![self.repository()];
        match self.kind {
            Kind::Release => parts.push("release".into()),
            Kind::Vendor => parts.push("vendor".into()),
            Kind::Version => parts.push("version".into()),
            Kind::Cuda => parts.push("cuda".into()),
            Kind::None => parts.push(format!("tag={}", self.tag())),
        }
        for (k, v) in [
            ("cudnn", self.cudnn()),
            ("variant", self.variant()),
            ("python", self.python()),
            ("package", self.package()),
            ("os", self.os()),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        if self.optimized {
            parts.push("v1".into());
        }
        Track::new(parts.iter().map(String::as_str))
    }

    fn is_alias(&self) -> bool {
        self.tag() == DEFAULT_TAG
    }

    fn alias_tag(&self) -> Option<String> {
        self.is_alias().then(|| DEFAULT_TAG.to_owned())
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = Vec::new();
        let mut text = |k, v: Option<&str>| {
            if let Some(v) = v {
                f.push(Field::text(k, v));
            }
        };
        text("registry", self.registry());
        text("path", self.path());
        text("framework", self.framework());
        match self.position() {
            TwccPosition::Release(r) => f.push(Field::text("release", r)),
            TwccPosition::Vendor(v) => f.push(Field::text("version", v)),
            TwccPosition::Version(v) => f.push(Field::text("version", format!("v{v}"))),
            TwccPosition::Cuda(v) => f.push(Field::text("cuda", v)),
            TwccPosition::None => {}
        }
        let mut text = |k, v: Option<&str>| {
            if let Some(v) = v {
                f.push(Field::text(k, v));
            }
        };
        text("cudnn", self.cudnn());
        text("variant", self.variant());
        text("python", self.python());
        text("package", self.package());
        text("os", self.os());
        if self.optimized {
            f.push(Field::flag("optimized", true));
        }
        if let Some(t) = self.written_tag() {
            f.push(Field::text("tag", t));
        }
        if let Some(d) = self.digest() {
            f.push(Field::text("digest", d));
        }
        f
    }

    /// The fields' facts, and the date of the release (or vendor release).
    ///
    /// Read from the typed parts, without building [`fields`](Tagged::fields)
    /// (a query ranks every candidate): the same facts the fields state.
    fn facts(&self) -> Facts<'_> {
        let (version, cuda) = match self.position() {
            TwccPosition::Release(r) => (Some(release_version(r)), None),
            TwccPosition::Version(v) => (Some(v), None),
            TwccPosition::Cuda(v) => (None, Some(v)),
            TwccPosition::Vendor(_) | TwccPosition::None => (None, None),
        };
        Facts {
            version,
            cuda,
            cudnn: self.cudnn().and_then(|n| n.parse().ok()),
            python: self.python().and_then(lenient_version),
            variant: self.variant().map(Cow::Borrowed),
            released: self
                .release()
                .map(|r| r.date())
                .or_else(|| self.vendor_release().map(|v| v.date())),
            ..Facts::default()
        }
    }

    /// The framework, when the name has a release: its releases are
    /// repositories of their own (`pytorch-21.06-py3`, `pytorch-22.08-py3`).
    fn family(&self) -> Option<&str> {
        if !matches!(self.kind, Kind::Release | Kind::Vendor) {
            return None;
        }
        self.framework()
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
        // The same track has the same kind of position.
        let o = cmp_position(
            self.kind,
            self.part(self.position)?,
            other.part(other.position)?,
        );
        // The same release: `latest` against a custom tag (or two custom
        // tags) may be the same image or not.
        (o != Ordering::Equal).then_some(o)
    }
}

impl Indexed for TwccName {}

/// The order of two positions of kind `kind`, from their texts as the
/// grammar read them, without reading them (a sort compares each name many
/// times): exactly the order of their values, by calendar for releases
/// ([`Release::cmp_calendar`], [`VendorRelease::cmp_calendar`]) and by
/// [`Version`]'s order for versions.
fn cmp_position(kind: Kind, a: &str, b: &str) -> Ordering {
    match kind {
        Kind::Version | Kind::Cuda => cmp_written(a, b),
        // `yy.m[m][.point][dev]`: year, month and point compare as a
        // version's numbers (no point before `.0`, `24.5` equal to
        // `24.05`), then a `dev` build before its release.
        Kind::Release => {
            let (a, a_dev) = a.strip_suffix("dev").map_or((a, false), |a| (a, true));
            let (b, b_dev) = b.strip_suffix("dev").map_or((b, false), |b| (b, true));
            cmp_written(a, b).then(b_dev.cmp(&a_dev))
        }
        // `r` or `R`, four digits of year, `a` or `b`: the year, then the
        // half, compare as bytes after the `r`.
        Kind::Vendor => a.get(1..).cmp(&b.get(1..)),
        Kind::None => Ordering::Equal,
    }
}

#[cfg(feature = "serde")]
crate::release::string_serde!(TwccName, "a TWCC image name");

// ---------------------------------------------------------------------------
// The grammar

/// Whether `name` has a `-` that a position may follow (see
/// [`framework`]): a digit, `r` or `v` after it.
fn may_have_position(name: &str) -> bool {
    name.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'-' && (w[1].is_ascii_digit() || w[1] == b'r' || w[1] == b'v'))
}

/// Whether a name on `registry` may be an image without a release
/// (`registry.twcc.ai/ubuntu-v1`): only on TWCC's own registry.
fn bare_ok(registry: Option<&str>) -> bool {
    registry.is_some_and(|r| r.eq_ignore_ascii_case(TWCC_REGISTRY))
}

// image ::= framework "-" release tail | framework "-" vendor-release | framework
/// Reads `name` into `img`, which starts empty.
fn image<'a>(name: &'a str, bare_ok: bool, img: &mut Parts<'a>) -> Res<'a, ()> {
    let (rest, (framework, position)) = framework(name)?;
    img.framework = Some(framework);
    match position {
        Some(p @ (Kind::Release | Kind::Version, _)) => {
            img.position = Some(p);
            tail(rest, img)?;
        }
        Some(c @ (Kind::Cuda, _)) => {
            img.position = Some(c);
            cuda_tail(rest, img)?;
        }
        Some(v @ (Kind::Vendor, _)) => {
            if !rest.is_empty() {
                return fail(
                    rest,
                    0,
                    Component::Version,
                    "expected the end of the name after the vendor release",
                );
            }
            img.position = Some(v);
        }
        _ if bare_ok => {
            // `ubuntu-v1`: TWCC's optimised build of an image named
            // without a release.
            if let Some(fw) = name.strip_suffix("-v1").filter(|f| !f.is_empty()) {
                img.framework = Some(fw);
                img.optimized = true;
            }
        }
        _ => {
            return fail(
                name,
                name.len(),
                Component::Release,
                "expected a release (yy.mm) or a vendor release (r2019b) after the framework",
            )
        }
    }
    Ok(("", ()))
}

// framework ::= word ( "-" word )*      up to the first "-" followed by a
//                                       release or a vendor release
// Returns the framework and the position that ends it, as its kind and text
// (none at the end of the name).
fn framework(i: &str) -> Res<'_, (&str, Option<(Kind, &str)>)> {
    let mut at = 0;
    loop {
        let w = words::span_plain(&i[at..]);
        if w == 0 {
            return fail(
                &i[at..],
                0,
                Component::Framework,
                "expected a lowercase letter or digit in the framework",
            );
        }
        at += w;
        // Letters joined by `_` (`nchc_vtr_tensorflow`); `_` before a number
        // is Taiwania-2's HPC naming (`tensorflow_21.11-tf2-py3`), not TWCC's.
        while i[at..].starts_with('_')
            && i.as_bytes().get(at + 1).is_some_and(u8::is_ascii_lowercase)
        {
            at += 1 + words::span_plain(&i[at + 1..]);
        }
        let rest = &i[at..];
        let Some(after) = rest.strip_prefix('-') else {
            if rest.is_empty() {
                return Ok((rest, (i, None)));
            }
            return fail(
                rest,
                0,
                Component::Framework,
                "expected '-' between the framework and the release",
            );
        };
        let fw = &i[..at];
        if fw == "cuda" && after.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            // TWCC's CUDA images: `cuda-10.0-cudnn7-devel-ubuntu16.04-v1`.
            let (r, _) = Version::prefix(after, Component::Cuda).map_err(as_scheme)?;
            if !(r.is_empty() || r.starts_with('-')) {
                return fail(r, 0, Component::Cuda, "expected '-' after the CUDA version");
            }
            return Ok((r, (fw, Some((Kind::Cuda, consumed(after, r))))));
        }
        if after.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            let looks_like_release = after.as_bytes().get(2) == Some(&b'.')
                && after.as_bytes()[..2].iter().all(u8::is_ascii_digit);
            match Release::prefix(after) {
                Ok((r, _)) if r.is_empty() || r.starts_with('-') => {
                    return Ok((r, (fw, Some((Kind::Release, consumed(after, r))))));
                }
                Ok((r, _)) => {
                    return fail(r, 0, Component::Release, "expected '-' after the release")
                }
                Err(e) if looks_like_release => return Err(as_scheme(e)),
                Err(_) => {}
            }
        } else if after.starts_with('r') {
            if let Ok((r, _)) = VendorRelease::prefix(after) {
                if r.is_empty() || r.starts_with('-') {
                    return Ok((r, (fw, Some((Kind::Vendor, consumed(after, r))))));
                }
            }
        } else if let Some(v) = after.strip_prefix('v') {
            // NGC's `v`-version (`clara-train-sdk-v4.0`); `-v1` alone is
            // TWCC's optimised mark, not a version.
            if let Ok((r, ver)) = Version::prefix(v, Component::Version) {
                if ver.parts().len() >= 2 && (r.is_empty() || r.starts_with('-')) {
                    return Ok((r, (fw, Some((Kind::Version, consumed(v, r))))));
                }
            }
        }
        at += 1;
    }
}

/// What a grammar function read from `i`, leaving `rest`.
// tail    ::= ( "-" variant )* "-" python [ "-v1" ] | [ "-" package ] [ "-v1" ]
// variant ::= word      python ::= "py" version      package ::= word
fn tail<'a>(whole: &'a str, img: &mut Parts<'a>) -> Res<'a, ()> {
    let mut rest = whole;
    // Up to four words before `-v1`: variant words, then Python or a package.
    let mut ws: [&str; 8] = [""; 8];
    let mut n = 0;
    while let Some(after) = rest.strip_prefix('-') {
        let (w, r) = word(after);
        if w.is_empty() {
            return fail(after, 0, Component::Name, "expected a word after '-'");
        }
        if n == ws.len() {
            return fail(
                after,
                w.len(),
                Component::Variant,
                "too many words in the name",
            );
        }
        ws[n] = w;
        n += 1;
        rest = r;
    }
    let mut ws = &ws[..n];
    if let [before @ .., "v1"] = ws {
        img.optimized = true;
        ws = before;
    }
    match ws {
        [] => {}
        [variants @ .., py] if is_python(py) => {
            img.python = Some(py);
            for v in variants {
                if is_python(v) {
                    return fail(
                        v,
                        v.len(),
                        Component::Python,
                        "expected one python part, at the end of the name",
                    );
                }
                plain(v, Component::Variant)?;
            }
            if let (Some(first), Some(last)) = (variants.first(), variants.last()) {
                let (a, b) = (offset_in(whole, first), offset_in(whole, last) + last.len());
                img.variant = Some(&whole[a..b]);
            }
        }
        [package] => {
            plain(package, Component::Package)?;
            img.package = Some(package);
        }
        [.., last] => {
            return fail(
                last,
                last.len(),
                Component::Python,
                "expected a python part (pyN) at the end of the variant",
            )
        }
    }
    Ok(("", ()))
}

// cuda-tail ::= [ "-cudnn" version ] ( "-" word )* [ "-" os ] [ "-v1" ]
fn cuda_tail<'a>(whole: &'a str, img: &mut Parts<'a>) -> Res<'a, ()> {
    let mut rest = whole;
    let mut variant: Option<(&str, &str)> = None;
    while let Some(after) = rest.strip_prefix('-') {
        let (w, r) = word(after);
        if w.is_empty() {
            return fail(after, 0, Component::Name, "expected a word after '-'");
        }
        if w == "v1" && r.is_empty() {
            img.optimized = true;
        } else if let Some(v) = words::versioned(w, "cudnn") {
            img.cudnn = Some(v);
        } else if ["ubuntu", "centos", "ubi", "rockylinux"].iter().any(|os| {
            w.strip_prefix(os).is_some_and(|v| {
                v.split('.')
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
        }) {
            img.os = Some(w);
        } else {
            plain(w, Component::Variant)?;
            let first = variant.map_or(after, |(f, _)| f);
            variant = Some((first, r));
        }
        rest = r;
    }
    img.variant = variant.map(|(first, end)| &first[..first.len() - end.len()]);
    Ok(("", ()))
}

/// Checks that `w` is a plain word (`[a-z0-9]+`).
fn plain(w: &str, component: Component) -> Res<'_, ()> {
    if is_plain(w) {
        return Ok(("", ()));
    }
    let expected = match component {
        Component::Package => "expected a lowercase letter or digit in the package",
        _ => "expected a lowercase letter or digit in the variant",
    };
    fail(words::first_bad(w), 0, component, expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog is mostly images: a TWCC name is one text and offsets.
    #[test]
    fn a_name_is_small() {
        let size = std::mem::size_of::<TwccName>();
        assert!(size <= 56, "{size}");
    }

    /// The position, read back from its text, is the value its text reads
    /// as, and the other parts stay where they were written.
    #[test]
    fn the_position_reads_back_from_the_text() {
        let v = |s: &str| Version::parse(s).unwrap();
        let cases = [
            (
                "tensorflow-20.11-tf2-py3",
                TwccPosition::Release(Release::parse("20.11").unwrap()),
            ),
            (
                "registry.twcc.ai/ngc/nvidia/pytorch-18.08.1-py3-v1:latest",
                TwccPosition::Release(Release::parse("18.08.1").unwrap()),
            ),
            (
                "matlab-r2019b",
                TwccPosition::Vendor(VendorRelease::parse("r2019b").unwrap()),
            ),
            ("clara-train-sdk-v4.0", TwccPosition::Version(v("4.0"))),
            (
                "cuda-10.0.130-cudnn7-devel-ubuntu16.04-v1",
                TwccPosition::Cuda(v("10.0.130")),
            ),
            ("registry.twcc.ai/ngc/vtr", TwccPosition::None),
        ];
        for (s, want) in cases {
            let n = TwccName::parse(s).unwrap();
            assert_eq!(n.position(), want, "{s}");
            assert_eq!(n.to_string(), s);
        }
        let digest = format!("sha256:{}", "0".repeat(64));
        let s = format!("Registry.TWCC.ai/ngc/nvidia/pytorch-18.08.1-py3-v1:x@{digest}");
        let n = TwccName::parse(&s).unwrap();
        assert_eq!(n.registry(), Some("Registry.TWCC.ai"));
        assert_eq!(n.path(), Some("ngc/nvidia"));
        assert_eq!(n.name(), "pytorch-18.08.1-py3-v1");
        assert_eq!(n.written_tag(), Some("x"));
        assert_eq!(n.digest(), Some(digest.as_str()));
        assert!(n.is_optimized());
        let n = TwccName::parse("tensorflow-20.11-tf2-py3").unwrap();
        assert_eq!((n.registry(), n.path()), (None, None));
    }

    /// Positions compare on their texts exactly as their values compare.
    #[test]
    fn positions_compare_on_text_as_their_values() {
        let releases = [
            "17.01",
            "18.08",
            "18.8",
            "18.08.0",
            "18.08.1",
            "18.08.01",
            "18.08.10",
            "18.08.9",
            "18.08dev",
            "18.08.1dev",
            "18.8dev",
            "19.12",
            "20.01",
            "24.5",
            "24.05",
            "24.10",
            "26.08dev",
            "26.08",
            "99.12.4294967295",
        ];
        for a in releases {
            for b in releases {
                let (ra, rb) = (Release::parse(a).unwrap(), Release::parse(b).unwrap());
                let o = cmp_position(Kind::Release, a, b);
                assert_eq!(o, ra.cmp_calendar(&rb), "{a} vs {b}");
            }
        }
        let vendors = [
            "r2019a", "R2019a", "r2019b", "R2019b", "r2020a", "r1999b", "r9999a",
        ];
        for a in vendors {
            for b in vendors {
                let (va, vb) = (
                    VendorRelease::parse(a).unwrap(),
                    VendorRelease::parse(b).unwrap(),
                );
                let o = cmp_position(Kind::Vendor, a, b);
                assert_eq!(o, va.cmp_calendar(&vb), "{a} vs {b}");
            }
        }
        let versions = [
            "1.0", "1.0.0", "1.0.0.0", "3.9", "3.10", "3.10.1", "12.4", "12.10",
        ];
        for kind in [Kind::Version, Kind::Cuda] {
            for a in versions {
                for b in versions {
                    let (va, vb) = (Version::parse(a).unwrap(), Version::parse(b).unwrap());
                    assert_eq!(cmp_position(kind, a, b), va.cmp(&vb), "{a} vs {b}");
                }
            }
        }
    }

    /// Versions compare as numbers, though their texts are compared.
    #[test]
    fn versions_compare_as_numbers() {
        let n = |s: &str| TwccName::parse(s).unwrap();
        for [a, b] in [
            ["cuda-9.0-devel", "cuda-10.0-devel"],
            ["cuda-10.0-devel", "cuda-10.0.130-devel"],
            ["cuda-10.2-devel", "cuda-10.10-devel"],
            ["clara-train-sdk-v4.0", "clara-train-sdk-v4.0.1"],
            ["clara-train-sdk-v4.9", "clara-train-sdk-v4.10"],
            ["matlab-r2019b", "matlab-r2020a"],
            ["pytorch-18.08-py3", "pytorch-18.08.1-py3"],
            ["pytorch-26.08dev-py3", "pytorch-26.08-py3"],
        ] {
            assert_eq!(n(a).compare(&n(b)), Some(Ordering::Less), "{a} < {b}");
            assert_eq!(n(b).compare(&n(a)), Some(Ordering::Greater), "{b} > {a}");
        }
    }

    proptest::proptest! {
        /// The quick rejection in `TwccName::read` never turns away a name
        /// the grammar reads.
        #[test]
        fn names_without_a_position_start_are_no_images(
            words in proptest::collection::vec(proptest::sample::select(&[
                "tensorflow", "pytorch", "digits", "matlab", "cuda", "tf2", "py3", "v1", "-",
                "_", ".", "20.11", "19.08", "r2019b", "v4.0", "10.0", "cudnn7", "devel", "x",
                "7", "rc", "r", "v",
            ][..]), 1..8)
        ) {
            let name: String = words.concat();
            let mut img = Parts::default();
            if image(&name, false, &mut img).is_ok() {
                proptest::prop_assert!(may_have_position(&name), "{}", name);
            }
        }
    }
}
