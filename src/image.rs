//! [`Image`]: a reference plus what its naming scheme made of it.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::Error;
use crate::reference::{OwnedReference, Reference, Spans};
use crate::scheme::generic::CoverKey;
use crate::scheme::generic::GenericTag;
use crate::scheme::ngc::NgcTag;
use crate::scheme::twcc::TwccName;
use crate::scheme::vessl::VesslTag;
use crate::scheme::{Facts, Field, Indexed, RevisionBase, Scheme, Tagged, Track};

/// A scheme's reading of an image name.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A TWCC name.
    Twcc(TwccName),
    /// An NGC tag.
    Ngc(NgcTag),
    /// A VESSL tag.
    Vessl(VesslTag),
    /// Any other name.
    Generic(GenericTag),
}

/// Calls `$f` on the scheme value inside a [`Value`].
macro_rules! each {
    ($v:expr, $x:ident => $e:expr) => {
        match $v {
            Value::Twcc($x) => $e,
            Value::Ngc($x) => $e,
            Value::Vessl($x) => $e,
            Value::Generic($x) => $e,
        }
    };
}

/// Calls `$f` on the scheme values inside two [`Value`]s of one scheme;
/// `$none` for values of different schemes.
macro_rules! both {
    ($a:expr, $b:expr, ($x:ident, $y:ident) => $e:expr, _ => $none:expr) => {
        match ($a, $b) {
            (Value::Twcc($x), Value::Twcc($y)) => $e,
            (Value::Ngc($x), Value::Ngc($y)) => $e,
            (Value::Vessl($x), Value::Vessl($y)) => $e,
            (Value::Generic($x), Value::Generic($y)) => $e,
            _ => $none,
        }
    };
}

/// An image name: its reference, and what its naming scheme made of it.
/// The one type most users touch.
///
/// # Laws
///
/// - **Display** prints the reference in full normalized form, digest
///   included (`tensorflow-22.08-tf2-py3` prints as
///   `docker.io/library/tensorflow-22.08-tf2-py3`), and
///   `Image::parse(&img.to_string()) == Ok(img)`: the canonical form reads
///   back with the same scheme and reading.
/// - **Equality is by meaning**: the same reference (familiar and canonical
///   spellings are equal, a registry host compares without case) and the
///   same reading. Equal images hash alike.
/// - **Order** is the named, partial [`Image::compare`], `Some(Equal)` for
///   equal images; there is no `PartialOrd` or `Ord`.
///
/// The scheme is detected from the name (see [`detect`] for the rule): by
/// public registry (`nvcr.io`, `quay.io/vessl-ai/`, `registry.twcc.ai`),
/// then by the shape of the path and tag on mirrors
/// (`harbor.example.com/vessl-ai/torch`, `registry.local:5000/nvidia/pytorch`),
/// then by the shape of a TWCC name (`tensorflow-20.11-tf2-py3`); anything
/// else is [`Scheme::Generic`]. With detection, a valid reference is always
/// a valid image: a tag that does not fit its scheme is read leniently (no
/// position, the tag as an opaque `tag` field). [`Image::parse_as`]
/// overrides detection and makes such a tag an error.
///
/// ```
/// use imagetag::{ErrorKind, Image, Scheme};
///
/// let mirror: Image = "127.0.0.1:5000/vessl-ai/torch:2.3.0-cuda12.4".parse()?;
/// assert_eq!(mirror.scheme(), Scheme::Vessl);
/// assert!(mirror.is_alias());
///
/// let odd: Image = "quay.io/vessl-ai/torch:buildcache".parse()?;
/// assert!(!odd.is_alias());
/// let e = Image::parse_as("quay.io/vessl-ai/torch:buildcache", Scheme::Vessl).unwrap_err();
/// assert_eq!((e.kind(), e.offset()), (ErrorKind::Scheme, 23));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use imagetag::{Image, Scheme};
///
/// let img: Image = "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5".parse()?;
/// assert_eq!(img.scheme(), Scheme::Vessl);
/// assert_eq!(img.alias_tag().as_deref(), Some("2.3.0-cuda12.4"));
///
/// let ngc: Image = "nvcr.io/nvidia/pytorch:24.01-py3".parse()?;
/// let twcc: Image = "pytorch-24.01-py3:latest".parse()?;
/// assert_eq!((ngc.scheme(), twcc.scheme()), (Scheme::Ngc, Scheme::Twcc));
/// assert_eq!(ngc.compare(&twcc), None); // different schemes: incomparable
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Image {
    value: Value,
    /// Where the reference is read from.
    text: Text,
}

/// Where an [`Image`]'s reference is read from. Nearly always the value's
/// own text: a VESSL or generic value keeps its full canonical name, which
/// is the reference's text whenever the registry is written in lowercase;
/// a TWCC or NGC value keeps the name as written, which holds every part of
/// the reference but an implied `docker.io`. A catalog holds many images,
/// so the text is kept (and allocated) once, and the rare image whose
/// reference is spelled otherwise (`Registry.Example.com/app:1`) keeps its
/// own copy behind one pointer: 16 bytes either way.
#[derive(Clone)]
enum Text {
    /// Where the reference's parts are in the value's text.
    Lent(Spans),
    /// The reference's own text, for the rare spelling the value's text
    /// does not hold.
    Own(Box<OwnedReference>),
}

impl Image {
    /// Reads a name and detects its scheme.
    pub fn parse(s: &str) -> Result<Image, Error> {
        // The reference is read in place and lent, never moved: moving it
        // copies it, and reading back the fields just written as a whole
        // stalls (store forwarding), which cost more than any check below.
        match Reference::parse_normalized(s) {
            Ok(ref r) => {
                crate::scheme::words::check_len(s, "image name")?;
                Image::detect_scheme(r, s)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads a name as a name of `scheme`: an error if it is a valid
    /// reference but not a valid name of that scheme.
    pub fn parse_as(s: &str, scheme: Scheme) -> Result<Image, Error> {
        let r = Reference::parse_normalized(s)?;
        Image::with_scheme(&r, s, scheme)
    }

    /// Reads the scheme's part of `r`, a reference read from `input` in any
    /// mode; `None` detects the scheme.
    ///
    /// With detection (`None`), a valid reference is always a valid image:
    /// a tag that does not fit its scheme's grammar is read leniently (the
    /// repository, the framework and the tag as written, no position; see
    /// [`detect`]). With an explicit scheme, it is an error of kind
    /// [`ErrorKind::Scheme`](crate::ErrorKind::Scheme) naming the part that
    /// broke it.
    pub fn from_reference(
        r: Reference<'_>,
        input: &str,
        scheme: Option<Scheme>,
    ) -> Result<Image, Error> {
        crate::scheme::words::check_len(input, "image name")?;
        if !crate::scheme::words::within(input, r.name()) {
            // `r` was not read from `input`, as this method asks: read its
            // own text, so that every value keeps offsets into its own text.
            let text = r.to_string();
            return Image::from_reference(Reference::parse_normalized(&text)?, &text, scheme);
        }
        match scheme {
            Some(scheme) => Image::with_scheme(&r, input, scheme),
            None => Image::detect_scheme(&r, input),
        }
    }

    /// Detection (see [`detect`]) of `r`, read from `input` (a text shorter
    /// than 4 GiB): an error only for a canonical name of 4 GiB or more.
    /// Each reading is tried without building errors: a reading that fails
    /// costs no allocation, and the next one is tried.
    fn detect_scheme(r: &Reference<'_>, input: &str) -> Result<Image, Error> {
        if let Some(scheme) = by_registry(r).or_else(|| vessl_path(r).then_some(Scheme::Vessl)) {
            let value = match scheme {
                Scheme::Twcc => TwccName::read(r, input).map(Value::Twcc),
                Scheme::Ngc => NgcTag::read(r, input).map(Value::Ngc),
                Scheme::Vessl => VesslTag::read(r, input).map(Value::Vessl),
                Scheme::Generic => None,
            };
            return match value {
                Some(v) => Ok(Image::store(r, v, input)),
                None => Image::lenient(r, input, scheme),
            };
        }
        // By the shape of the path and tag: VESSL's older homes, a mirror of NGC.
        if legacy_vessl_path(r) {
            if let Some(v) = VesslTag::read(r, input) {
                return Ok(Image::store(r, Value::Vessl(v), input));
            }
        }
        if ngc_path(r) {
            if let Some(v) = NgcTag::read(r, input) {
                if v.has_position() {
                    return Ok(Image::store(r, Value::Ngc(v), input));
                }
            }
        }
        // Detection by shape reads the name as TWCC: keep what it read
        // rather than reading it twice.
        match TwccName::read(r, input) {
            Some(v) => Ok(Image::store(r, Value::Twcc(v), input)),
            None => match GenericTag::read(r, input) {
                Some(g) => Ok(Image::store(r, Value::Generic(g), input)),
                None => Image::with_scheme(r, input, Scheme::Generic),
            },
        }
    }

    /// The reading of a name whose registry chose `scheme` but whose tag does
    /// not fit the scheme's grammar: every field the scheme is sure of, and
    /// no position.
    fn lenient(r: &Reference<'_>, input: &str, scheme: Scheme) -> Result<Image, Error> {
        let value = match scheme {
            Scheme::Ngc => Value::Ngc(NgcTag::lenient(r, input)),
            Scheme::Vessl => match VesslTag::lenient(r, input) {
                Some(v) => Value::Vessl(v),
                None => return Image::with_scheme(r, input, Scheme::Generic),
            },
            Scheme::Twcc => Value::Twcc(TwccName::lenient(r, input)),
            Scheme::Generic => return Image::with_scheme(r, input, Scheme::Generic),
        };
        Ok(Image::store(r, value, input))
    }

    fn with_scheme(r: &Reference<'_>, s: &str, scheme: Scheme) -> Result<Image, Error> {
        let value = match scheme {
            Scheme::Twcc => Value::Twcc(TwccName::from_reference(r, s)?),
            Scheme::Ngc => Value::Ngc(NgcTag::from_reference(r, s)?),
            Scheme::Vessl => Value::Vessl(VesslTag::from_reference(r, s)?),
            Scheme::Generic => Value::Generic(GenericTag::from_reference(r, s)?),
        };
        Ok(Image::store(r, value, s))
    }

    /// An image of `r` (read from `input`) and its scheme's reading, with
    /// no text of its own when the value holds one the reference can be
    /// read from: a VESSL or generic value's name when it is the
    /// reference's `Display` text byte for byte (its canonical repository,
    /// tag and digest, a lowercase registry), a TWCC or NGC value's text,
    /// which starts with the name as written (an implied `docker.io` is a
    /// flag of the positions). Otherwise the image keeps its own copy of
    /// the reference's text.
    fn store(r: &Reference<'_>, value: Value, input: &str) -> Image {
        let lent = match &value {
            Value::Vessl(v) => canonical_spans(r, v.name()),
            Value::Generic(g) => canonical_spans(r, g.name()),
            // `r` was read from `input`, which the value's text starts
            // with: positions in the one are positions in the other.
            Value::Twcc(t) if t.as_str().starts_with(input) => Spans::written(r, input),
            Value::Ngc(n) if n.as_str().starts_with(input) => Spans::written(r, input),
            _ => None,
        };
        if let Some(spans) = lent {
            let image = Image {
                value,
                text: Text::Lent(spans),
            };
            debug_assert!(image.reference().same_text(r));
            return image;
        }
        Image {
            value,
            text: Text::Own(Box::new((*r).into_owned())),
        }
    }

    /// The text the reference is read from, wherever it is kept: its
    /// `Display` text, or a TWCC or NGC name as written (see
    /// [`displays_text`](Self::displays_text)).
    fn text(&self) -> &str {
        match (&self.text, &self.value) {
            (Text::Own(r), _) => r.as_str(),
            (Text::Lent(_), Value::Vessl(v)) => v.name(),
            (Text::Lent(_), Value::Generic(g)) => g.name(),
            (Text::Lent(_), Value::Twcc(t)) => t.as_str(),
            (Text::Lent(_), Value::Ngc(n)) => n.as_str(),
        }
    }

    /// Whether [`text`](Self::text) is the reference's `Display` text (not
    /// a name as written).
    fn displays_text(&self) -> bool {
        matches!(self.text, Text::Own(_))
            || matches!(self.value, Value::Vessl(_) | Value::Generic(_))
    }

    /// The reference.
    pub fn reference(&self) -> Reference<'_> {
        match &self.text {
            Text::Lent(spans) => spans.view(self.text()),
            Text::Own(r) => r.as_reference(),
        }
    }

    /// The scheme's reading.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        match self.value {
            Value::Twcc(_) => Scheme::Twcc,
            Value::Ngc(_) => Scheme::Ngc,
            Value::Vessl(_) => Scheme::Vessl,
            Value::Generic(_) => Scheme::Generic,
        }
    }

    /// The track (see [`Tagged::track`]), prefixed with the scheme.
    pub fn track(&self) -> Track {
        let t = each!(&self.value, v => v.track());
        Track::new([self.scheme().as_str(), t.as_str()])
    }

    /// Whether the tag is a moving alias (`latest`, a VESSL standard
    /// alias, a generic moving word such as `stable-alpine`): by its shape
    /// alone, with nothing else known. A generic `3.12` or `1.0-cuda12`
    /// moves only over the tags it covers, which a [`Catalog`](crate::Catalog)
    /// sees; on its own it is not an alias. The tag alone decides: a name pinned by a
    /// digest still has its alias tag (`pytorch-24.01-py3@sha256:…` is
    /// `latest` by its tag), and [`Reference::digest`] says whether it is
    /// pinned, as `check`'s rules read it.
    pub fn is_alias(&self) -> bool {
        each!(&self.value, v => v.is_alias())
    }

    /// The alias this image belongs to, as a tag (see [`Tagged::alias_tag`]).
    pub fn alias_tag(&self) -> Option<String> {
        each!(&self.value, v => v.alias_tag())
    }

    /// The scheme's fields.
    pub fn fields(&self) -> Vec<Field> {
        each!(&self.value, v => v.fields())
    }

    /// The order of two images: `None` when incomparable (different schemes
    /// or tracks, or an alias against what it may point at).
    pub fn compare(&self, other: &Image) -> Option<Ordering> {
        both!(&self.value, &other.value, (a, b) => a.compare(b), _ => None)
    }

    /// The typed facts a query filters and ranks by (see [`Tagged::facts`]).
    pub fn facts(&self) -> Facts<'_> {
        each!(&self.value, v => v.facts())
    }
}

/// What the catalog asks (see [`Indexed`]): each answer comes from the
/// scheme, so the catalog names no scheme.
impl Image {
    /// The repository this image's repository is one release of (see
    /// [`Tagged::family`]): its canonical parent path and the family's
    /// name (`registry.twcc.ai/ngc/nvidia/pytorch` for
    /// `…/pytorch-21.06-py3`).
    pub(crate) fn family(&self) -> Option<String> {
        let name = each!(&self.value, v => v.family())?;
        let mut s = String::new();
        self.reference().push_canonical_repository(&mut s, 0);
        s.truncate(s.rfind('/').map_or(0, |i| i + 1));
        s.push_str(name);
        Some(s)
    }

    pub(crate) fn revision_base(&self) -> Option<RevisionBase<'_>> {
        each!(&self.value, v => v.revision_base())
    }

    pub(crate) fn alias_key(&self) -> Option<Cow<'_, str>> {
        each!(&self.value, v => v.alias_key())
    }

    /// Appends [`track`](Self::track)'s text to the empty `out`, without
    /// allocating for a scheme that writes its track in parts.
    pub(crate) fn write_track(&self, out: &mut String) {
        out.push_str(self.scheme().as_str());
        each!(&self.value, v => Indexed::push_track(v, out));
        debug_assert_eq!(out.as_str(), self.track().as_str());
    }

    pub(crate) fn may_cover(&self) -> bool {
        each!(&self.value, v => v.may_cover())
    }

    /// Whether a catalog treats this image as moving (see `Indexed::moves`):
    /// [`is_alias`](Self::is_alias), or a generic major-only CUDA tag.
    pub(crate) fn is_moving(&self) -> bool {
        each!(&self.value, v => v.moves())
    }

    pub(crate) fn covers(&self, other: &Image) -> bool {
        both!(&self.value, &other.value, (a, b) => Indexed::covers(a, b), _ => false)
    }

    pub(crate) fn covering_keys(&self, out: &mut Vec<CoverKey>) {
        each!(&self.value, v => Indexed::covering_keys(v, out));
    }

    pub(crate) fn own_keys(&self) -> [Option<CoverKey>; 2] {
        each!(&self.value, v => Indexed::own_keys(v))
    }

    /// The scheme's sort key ([`Indexed::sort_key`]).
    pub(crate) fn sort_key(&self) -> Option<u32> {
        each!(&self.value, v => Indexed::sort_key(v))
    }

    /// A total order for sorting: the scheme's own where it has one, else
    /// [`compare`](Self::compare), and for incomparable images the
    /// normalized name part by part (registry, repository, tag, digest;
    /// numbers as numbers). Borrows both: a comparison never allocates.
    pub(crate) fn sort_cmp(&self, other: &Image) -> Ordering {
        both!(&self.value, &other.value, (a, b) => Indexed::linear_cmp(a, b), _ => None)
            .or_else(|| self.compare(other))
            .unwrap_or_else(|| {
                let (a, b) = (self.reference(), other.reference());
                let natural = crate::catalog::natural_cmp;
                natural(a.domain().unwrap_or(""), b.domain().unwrap_or(""))
                    .then_with(|| natural(a.namespace().unwrap_or(""), b.namespace().unwrap_or("")))
                    .then_with(|| natural(a.name(), b.name()))
                    .then_with(|| natural(a.tag().unwrap_or(""), b.tag().unwrap_or("")))
                    .then_with(|| {
                        let (x, y) = (a.digest(), b.digest());
                        natural(x.map_or("", |d| d.hex()), y.map_or("", |d| d.hex()))
                    })
            })
    }
}

/// The positions of `r`'s parts in `name`, a VESSL or generic value's
/// canonical name, when `name` is `r`'s `Display` text byte for byte. The
/// common shape (a registry, a tag, no digest) is told by flags; others by
/// comparing.
fn canonical_spans(r: &Reference<'_>, name: &str) -> Option<Spans> {
    let (spans, len) = Spans::of(r);
    if name.len() != len {
        return None;
    }
    (r.displays_as_canonical_name() || spans.view(name).same_text(r)).then_some(spans)
}

/// The scheme a name belongs to, as [`Image::parse`] detects it.
///
/// # Detection
///
/// In this order:
///
/// 1. **By public registry**: `nvcr.io` is NGC, `quay.io/vessl-ai/…` is
///    VESSL, `registry.twcc.ai` is TWCC, whatever the tag (a tag that does
///    not fit is read leniently, never rejected).
/// 2. **By the shape of the path and tag**, on any other registry (a mirror
///    or a private registry such as `harbor.example.com` or
///    `127.0.0.1:5000`): a repository whose namespace ends in `vessl-ai`
///    (`harbor.example.com/vessl-ai/torch`) is VESSL, as on `quay.io` (a tag
///    that does not fit is read leniently); a repository with an NGC
///    organisation (`nvidia`, `nvidian`,
///    `nim`, `ea-linux4tegra`) in its namespace
///    (`registry.local:5000/nvidia/pytorch`), on a registry other than
///    Docker Hub, is NGC when its tag reads as an NGC tag with a release or
///    a version (`24.01-py3`, `r36.2.0`, `v23.9.1`).
///    A legacy `kernels` repository of VESSL's older homes
///    (`public.ecr.aws/vessl/kernels`, `savvihub/kernels`) is VESSL when its
///    tag reads as a legacy VESSL tag (`py37-cuda11.2.full-gpu`).
/// 3. **By the shape of the repository name**: a TWCC name
///    (`tensorflow-20.11-tf2-py3`) on any registry.
/// 4. Anything else is [`Scheme::Generic`].
///
/// `--scheme NAME` on the command line, and [`Image::parse_as`] in the
/// library, override detection.
pub fn detect(r: &Reference<'_>, input: &str) -> Scheme {
    match Image::from_reference(*r, input, None) {
        Ok(img) => img.scheme(),
        Err(_) => Scheme::Generic,
    }
}

/// The scheme a registry (and namespace) says a name belongs to, if any.
fn by_registry(r: &Reference<'_>) -> Option<Scheme> {
    // A registry host is a DNS name: `NVCR.io` is `nvcr.io`.
    let d = r.domain()?;
    if d.eq_ignore_ascii_case("nvcr.io") {
        Some(Scheme::Ngc)
    } else if d.eq_ignore_ascii_case("quay.io") && r.namespace() == Some("vessl-ai") {
        Some(Scheme::Vessl)
    } else if d.eq_ignore_ascii_case("registry.twcc.ai") {
        Some(Scheme::Twcc)
    } else {
        None
    }
}

/// Whether the namespace ends in `vessl-ai` (a mirror of `quay.io/vessl-ai`).
fn vessl_path(r: &Reference<'_>) -> bool {
    r.namespace()
        .is_some_and(|n| last_component_is(n, "vessl-ai"))
}

/// Whether this is a `kernels` repository of VESSL's older homes
/// (`public.ecr.aws/vessl/kernels`, Docker Hub's `savvihub/kernels`).
fn legacy_vessl_path(r: &Reference<'_>) -> bool {
    r.name() == "kernels"
        && r.namespace()
            .is_some_and(|n| last_component_is(n, "vessl") || last_component_is(n, "savvihub"))
}

/// Whether the last `/`-separated component of `path` is `c`, without a
/// search.
fn last_component_is(path: &str, c: &str) -> bool {
    path.strip_suffix(c)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
}

/// NGC's organisations, as the first component of an NGC repository.
const NGC_ORGS: [&str; 4] = ["nvidia", "nvidian", "nim", "ea-linux4tegra"];

/// Whether the namespace holds an NGC organisation, on a registry other
/// than Docker Hub (whose `nvidia/…` images are not NGC's).
fn ngc_path(r: &Reference<'_>) -> bool {
    !matches!(r.domain(), None | Some("docker.io"))
        && r.namespace()
            .is_some_and(|n| n.split('/').any(|c| NGC_ORGS.contains(&c)))
}

impl fmt::Display for Image {
    /// The reference, in full normalized form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.displays_text() {
            f.write_str(self.text())
        } else {
            fmt::Display::fmt(&self.reference(), f)
        }
    }
}

impl fmt::Debug for Image {
    /// As a derived `Debug` of the reference and the value would print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Owned<'a>(&'a str);
        impl fmt::Debug for Owned<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "OwnedReference({:?})", self.0)
            }
        }
        f.debug_struct("Image")
            .field("reference", &Owned(&self.to_string()))
            .field("value", &self.value)
            .finish()
    }
}

impl PartialEq for Image {
    fn eq(&self, other: &Image) -> bool {
        self.reference() == other.reference() && self.value == other.value
    }
}

impl Eq for Image {}

impl Hash for Image {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.reference().hash(state);
        self.value.hash(state);
    }
}

impl FromStr for Image {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Image::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OwnedReference;

    /// A catalog holds many images, and their size is most of its memory
    /// (issue 12: `sort` of a million tags in 128 bytes a tag beyond their
    /// text): every scheme value is at most 56 bytes, the value 64, the
    /// reference's positions 16.
    #[test]
    fn an_image_is_small() {
        assert!(
            std::mem::size_of::<Image>() <= 80,
            "Image is {} bytes",
            std::mem::size_of::<Image>()
        );
    }

    /// Whatever text an image keeps (its own copy, a VESSL or generic
    /// value's canonical name, a TWCC or NGC name as written with an
    /// implied `docker.io`), it displays the normalized reference and reads
    /// it back whole.
    #[test]
    fn every_kept_text_displays_the_normalized_reference() {
        let hex = "a".repeat(64);
        for name in [
            "tensorflow-22.08-tf2-py3".to_owned(),
            "docker.io/tensorflow-22.08-tf2-py3:dup1".to_owned(),
            format!("index.docker.io/library/tensorflow-22.08-tf2-py3@sha256:{hex}"),
            "Registry.TWCC.ai/ngc/nvidia/pytorch-21.06-py3:latest".to_owned(),
            "NVCR.io/nvidia/pytorch:24.01-py3".to_owned(),
            "nvcr.io/nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04".to_owned(),
            format!("localhost:5000/nvidia/pytorch:24.01-py3@sha256:{hex}"),
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5".to_owned(),
            format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4@sha256:{hex}"),
            "python:3.12-slim".to_owned(),
            "ubuntu".to_owned(),
        ] {
            let img = Image::parse(&name).unwrap();
            let want = OwnedReference::parse(&name).unwrap().to_string();
            assert_eq!(img.to_string(), want, "{name}");
            assert_eq!(
                img.reference(),
                Reference::parse_normalized(&name).unwrap(),
                "{name}"
            );
            assert_eq!(Image::parse(&img.to_string()).unwrap(), img, "{name}");
        }
    }
}
