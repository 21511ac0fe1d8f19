//! [`Catalog`]: the tags of one or more repositories, indexed by track, to
//! resolve aliases, find the newest image that fits, and sort.
//!
//! ```
//! use imagetag::{Catalog, Query};
//!
//! let catalog = Catalog::from_names([
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9",
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10",
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
//!     "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2",
//! ])?;
//! let pinned = catalog.resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")?;
//! assert_eq!(pinned.to_string(), "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10");
//!
//! let query = Query::new("quay.io/vessl-ai/torch")?.cuda("12.4".parse()?).pinned(true);
//! let newest = catalog.newest(&query)?;
//! assert_eq!(newest.image().to_string(), "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10");
//! assert_eq!(newest.track().as_str(), "vessl quay.io/vessl-ai/torch cuda12.4");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Where the tags come from
//!
//! A catalog is pure and in memory. Its source is any iterator: of names
//! ([`Catalog::from_names`], [`Catalog::from_names_lossy`]), of parsed
//! [`Image`]s ([`Catalog::from_images`]), or one image at a time
//! ([`Catalog::insert`]). A registry client (a later feature) feeds it the
//! same way, so the catalog knows nothing of where tags live.
//!
//! # Cost
//!
//! Building is one linear pass: each image is hashed into its repository, its
//! track and its alias base, and the newest revision of each base is kept up
//! to date as images arrive: a constant amount of work an image, however
//! many revisions a base holds (a base's first 64 revisions are told apart
//! by a bitmask, the rest by a hash table). [`Catalog::resolve`] is then a few hash
//! look-ups, without a scan; [`Catalog::newest`] scans one repository;
//! [`Catalog::sorted`] sorts each track.
//!
//! The catalog works through [`Image`] and [`Tagged`](crate::Tagged) only,
//! so TWCC, NGC and generic names are handled as VESSL names are: their
//! position and track come from their scheme's `compare` and `track`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};

use crate::error::{Component, Error, ErrorKind};
use crate::image::{Image, Value};
use crate::reference::Reference;
use crate::scheme::generic::GenericTag;
use crate::scheme::{FieldValue, Track};
use crate::version::Version;

/// A set of image names, grouped by repository and by track.
///
/// Duplicates are kept once. See the [module docs](self) for an example.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    images: Vec<Image>,
    repos: Vec<Repo>,
    repo_index: Map<String, usize>,
    /// The repository of the last image added: tag lists come a repository
    /// at a time.
    last_repo: Option<usize>,
    tracks: Vec<TrackGroup>,
    /// Image indices by the hash of their reference, to keep a set (all
    /// but standard VESSL tags, which their base keeps).
    seen: Map<u64, Bucket>,
    /// The bases of standard VESSL tags, by track group and version: the
    /// alias text is the version plus the track's text, so this is the
    /// alias, keyed without a string. Most bases hold one or two tags, and
    /// a catalog holds tens of thousands of them: entries are kept small
    /// (8 bytes of them a bitmask of the base's revisions), and the older
    /// revisions of a base live in `older`.
    ///
    /// The key is packed into a `u64` ([`pack_base`]) whenever its numbers
    /// are small, as they nearly always are: 32-byte entries rather than
    /// 48, so the table (one random access per insert, the build's main
    /// cache miss) is two thirds the size. Other keys live in
    /// `vessl_bases_wide`.
    vessl_bases: Map<u64, VesslBase>,
    /// The bases whose key does not pack into a `u64`.
    vessl_bases_wide: Map<(u32, Version), VesslBase>,
    /// The revisions below [`LOW_REVISIONS`] of VESSL bases, other than
    /// their newest, as linked lists through one vector: no allocation per
    /// base, and at most 63 entries a base, so a walk is short.
    older: Vec<Older>,
    /// The revisions of VESSL bases from [`LOW_REVISIONS`] up, newest
    /// included, by track group, version and revision: a base with
    /// thousands of revisions costs a hash look-up per insert, not a walk
    /// of all its older ones (quadratic: 100 000 revisions of one base
    /// took 16 s). Real bases rarely reach them, so the common case never
    /// touches this table.
    high_revisions: Map<(u32, Version, u32), u32>,
    /// How many images the caller announced, for `seen`, which only names
    /// other than standard VESSL tags use: reserved on first use.
    hint: usize,
    /// The same for `vessl_bases`, which holds half as many: most bases
    /// hold one to three revisions, and reserving spares the table the
    /// rehashes (and the fresh pages) of growing from empty.
    vessl_hint: usize,
    hasher: Seeded,
    /// Reused for look-ups by repository and track text, so that known
    /// repositories and tracks cost no allocation.
    scratch: String,
}

#[derive(Clone, Debug)]
struct Repo {
    name: String,
    tracks: Vec<usize>,
    /// Track group by the track's text ([`Image::track`]).
    track_index: Map<String, usize>,
    /// Track group of standard VESSL tags by the tag's text between the
    /// version and `-rN` (`-cuda12.4-py3.11`), which is the track's
    /// text in a form that needs no formatting.
    vessl_tracks: Map<String, usize>,
    /// The alias and the newest pinned image of each alias base, by alias
    /// tag.
    bases: Map<String, Base>,
}

type Map<K, V> = HashMap<K, V, Seeded>;

/// The catalog's hasher: a folded multiply over 8-byte words, seeded at
/// random per catalog. Several times faster than SipHash on the short keys
/// here (repositories, tracks, aliases), which the build benchmark shows
/// dominating; the random seed keeps collisions from being chosen in
/// advance by whoever names the tags.
#[derive(Clone, Debug)]
struct Seeded(u64);

impl Default for Seeded {
    fn default() -> Self {
        Seeded(RandomState::new().hash_one(0x5EED_u64) | 1)
    }
}

impl BuildHasher for Seeded {
    type Hasher = Fold;

    fn build_hasher(&self) -> Fold {
        Fold(self.0)
    }
}

#[derive(Debug)]
struct Fold(u64);

/// The high and low halves of a 128-bit product, folded together.
fn fold(x: u64, y: u64) -> u64 {
    let m = u128::from(x).wrapping_mul(u128::from(y));
    (m as u64) ^ ((m >> 64) as u64)
}

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h = fold(h ^ u64::from_le_bytes(b), MUL);
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        // The length keeps "a" and "a\0" apart.
        self.0 = fold(h ^ u64::from_le_bytes(b), MUL ^ (bytes.len() as u64));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = fold(self.0 ^ n, MUL);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn finish(&self) -> u64 {
        fold(self.0, MUL)
    }
}

#[derive(Clone, Debug)]
struct TrackGroup {
    track: Track,
    members: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
struct Base {
    alias: Option<usize>,
    newest: Option<usize>,
    /// The revision of `newest`, for VESSL tags: comparing numbers here
    /// spares a look at the (cold) image.
    newest_revision: Option<u32>,
}

/// What places a standard VESSL tag in the catalog without a string key:
/// the text that stands for its track, its version, and its revision.
struct VesslKey<'i> {
    /// The canonical repository, as the value spells it.
    repository: &'i str,
    middle: &'i str,
    lead: Version,
    revision: Option<u32>,
}

impl<'i> VesslKey<'i> {
    /// The key of a tag of a documented VESSL repository (one with aliases).
    fn of(image: &'i Image) -> Option<VesslKey<'i>> {
        let Value::Vessl(v) = image.value() else {
            return None;
        };
        v.alias()?;
        Some(VesslKey {
            repository: v.repository(),
            middle: v.track_key()?,
            lead: v.lead()?,
            revision: v.revision(),
        })
    }
}

/// The key of a VESSL base (its track group and leading version) packed
/// into a `u64`, when the track group is below 2^20 and the version has
/// parts below 1024: the group in bits 43..63, the number of parts in bits
/// 40..43, and each part in 10 bits from bit 0. Two keys that pack are
/// equal exactly when their packings are.
fn pack_base(track: u32, lead: Version) -> Option<u64> {
    let parts = lead.parts();
    if track >= 1 << 20 || parts.len() > 4 {
        return None;
    }
    let mut k = (u64::from(track) << 43) | ((parts.len() as u64) << 40);
    for (i, &p) in parts.iter().enumerate() {
        if p >= 1 << 10 {
            return None;
        }
        k |= u64::from(p) << (10 * i);
    }
    Some(k)
}

/// No image (for the `u32` indices of [`VesslBase`] and [`Older`]).
const NONE: u32 = u32::MAX;

/// The tags of one standard VESSL alias base, as image indices (`NONE` for
/// none).
#[derive(Clone, Copy, Debug)]
struct VesslBase {
    alias: u32,
    newest: u32,
    /// The revision of `newest` (meaningless when `newest` is `NONE`):
    /// comparing numbers here spares a look at the (cold) image.
    newest_revision: u32,
    /// The first of the other revisions below [`LOW_REVISIONS`], in
    /// [`Catalog::older`].
    older: u32,
    /// Which revisions below 64 the base holds (bit `r` for `-rN`): a
    /// duplicate, or a new revision, is told without walking `older`,
    /// whose entries lie all over the vector (a cache miss each; a base of
    /// a `python` or `cuda` image holds dozens of revisions).
    revisions: [u32; 2],
}

/// The revisions a [`VesslBase`] notes in its bitmask and keeps in
/// [`Catalog::older`]; higher ones live in [`Catalog::high_revisions`].
const LOW_REVISIONS: u32 = 64;

impl VesslBase {
    /// Whether the base holds revision `r`, when `r` is below 64: `None`
    /// for higher revisions, which the caller looks up in `high_revisions`.
    fn has_revision(&self, r: u32) -> Option<bool> {
        let word = self.revisions.get((r / 32) as usize)?;
        Some(word & (1 << (r % 32)) != 0)
    }

    /// Notes revision `r` in `revisions`, when it is below 64.
    fn mark_revision(&mut self, r: u32) {
        if let Some(word) = self.revisions.get_mut((r / 32) as usize) {
            *word |= 1 << (r % 32);
        }
    }
}

impl Default for VesslBase {
    fn default() -> Self {
        VesslBase {
            alias: NONE,
            newest: NONE,
            newest_revision: 0,
            older: NONE,
            revisions: [0; 2],
        }
    }
}

impl VesslBase {
    fn alias(&self) -> Option<usize> {
        (self.alias != NONE).then_some(self.alias as usize)
    }

    fn newest(&self) -> Option<usize> {
        (self.newest != NONE).then_some(self.newest as usize)
    }
}

/// A revision of a VESSL base other than its newest.
#[derive(Clone, Copy, Debug)]
struct Older {
    revision: u32,
    image: u32,
    /// The next one of the same base, or `NONE`.
    next: u32,
}

/// The index of the next image, as a `u32`.
///
/// # Panics
///
/// When the catalog already holds `u32::MAX` images.
fn index32(idx: usize) -> u32 {
    u32::try_from(idx)
        .ok()
        .filter(|&i| i != NONE)
        .expect("a catalog holds fewer than 2^32 - 1 images")
}

#[derive(Clone, Debug)]
enum Bucket {
    One(usize),
    Many(Vec<usize>),
}

const SUBJECT: &str = "alias";

/// Instantiation
impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// An empty catalog with room for `n` images.
    pub fn with_capacity(n: usize) -> Catalog {
        let mut c = Catalog::default();
        c.images.reserve(n);
        c.hint = n;
        c.vessl_hint = n / 2;
        c
    }

    /// A catalog of full names (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`),
    /// each read with [`Image::parse`]: the first invalid name is an error.
    pub fn from_names<I>(names: I) -> Result<Catalog, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let names = names.into_iter();
        let mut c = Catalog::with_capacity(names.size_hint().0);
        for n in names {
            c.insert(Image::parse(n.as_ref())?);
        }
        Ok(c)
    }

    /// A catalog of the valid names among `names`, and the errors of the
    /// others (a registry's tag list holds tags of no scheme, too).
    pub fn from_names_lossy<I>(names: I) -> (Catalog, Vec<Error>)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let names = names.into_iter();
        let mut c = Catalog::with_capacity(names.size_hint().0);
        let mut errors = Vec::new();
        for n in names {
            match Image::parse(n.as_ref()) {
                Ok(img) => {
                    c.insert(img);
                }
                Err(e) => errors.push(e),
            }
        }
        (c, errors)
    }

    /// A catalog of images.
    pub fn from_images(images: impl IntoIterator<Item = Image>) -> Catalog {
        let images = images.into_iter();
        let mut c = Catalog::with_capacity(images.size_hint().0);
        for img in images {
            c.insert(img);
        }
        c
    }

    /// A line of a tag list as a full name: a line with `/`, `:` or `@` is a
    /// full name already; any other line is a tag of `repository`
    /// (`3.10-r14` → `quay.io/vessl-ai/python:3.10-r14`).
    pub fn qualify<'a>(repository: &str, line: &'a str) -> Cow<'a, str> {
        if line.contains(['/', ':', '@']) {
            Cow::Borrowed(line)
        } else {
            Cow::Owned(format!("{repository}:{line}"))
        }
    }
}

/// Modification
impl Catalog {
    /// Adds an image; `false` if it was there already.
    pub fn insert(&mut self, image: Image) -> bool {
        if let Some(key) = VesslKey::of(&image) {
            let repo = self.repo_id_named(key.repository);
            let track = match self.repos[repo].vessl_tracks.get(key.middle) {
                Some(&t) => {
                    debug_assert_eq!(self.tracks[t].track, image.track(), "{image}");
                    t
                }
                None => {
                    let t = self.new_track(repo, image.track());
                    self.repos[repo]
                        .vessl_tracks
                        .insert(key.middle.to_owned(), t);
                    t
                }
            };
            let (lead, revision) = (key.lead, key.revision);
            return self.insert_vessl(image, track, lead, revision);
        }
        // Equal images have equal references: hash the reference only.
        let hash = self.hasher.hash_one(image.reference());
        let idx = self.images.len();
        if self.hint > 0 {
            self.seen.reserve(std::mem::take(&mut self.hint));
        }
        match self.seen.get_mut(&hash) {
            None => {
                self.seen.insert(hash, Bucket::One(idx));
            }
            Some(bucket) => {
                let images = &self.images;
                match bucket {
                    Bucket::One(i) if images[*i] == image => return false,
                    Bucket::One(i) => *bucket = Bucket::Many(vec![*i, idx]),
                    Bucket::Many(v) if v.iter().any(|&i| images[i] == image) => return false,
                    Bucket::Many(v) => v.push(idx),
                }
            }
        }

        let repo = self.repo_id(&image.reference());
        let track = self.track_id(repo, &image);
        self.tracks[track].members.push(idx);

        let (alias, revision) = match image.value() {
            Value::Vessl(v) => (v.alias().map(Cow::Borrowed), v.revision()),
            _ => (image.alias_tag().map(Cow::Owned), None),
        };
        if let Some(alias) = alias {
            let bases = &mut self.repos[repo].bases;
            let base = match bases.get_mut(alias.as_ref()) {
                Some(b) => b,
                None => bases.entry(alias.into_owned()).or_default(),
            };
            if image.is_alias() {
                base.alias = Some(idx);
            } else {
                let newer = match (base.newest, base.newest_revision, revision) {
                    (None, _, _) => true,
                    // Two revisions of one VESSL base: their numbers decide.
                    (Some(_), Some(old), Some(new)) => new > old,
                    (Some(n), _, _) => image.compare(&self.images[n]) == Some(Ordering::Greater),
                };
                if newer {
                    base.newest = Some(idx);
                    base.newest_revision = revision;
                }
            }
        }
        self.images.push(image);
        true
    }

    /// [`insert`](Self::insert) for a standard VESSL tag: its base is
    /// found by numbers, and keeps the set of its revisions.
    fn insert_vessl(
        &mut self,
        image: Image,
        track: usize,
        lead: Version,
        revision: Option<u32>,
    ) -> bool {
        let idx = index32(self.images.len());
        if self.vessl_hint > 0 {
            self.vessl_bases
                .reserve(std::mem::take(&mut self.vessl_hint));
        }
        // Track groups are far fewer than images.
        let base = match pack_base(track as u32, lead) {
            Some(k) => self.vessl_bases.entry(k).or_default(),
            None => self
                .vessl_bases_wide
                .entry((track as u32, lead))
                .or_default(),
        };
        match revision {
            None if base.alias != NONE => return false,
            None => base.alias = idx,
            Some(r) => {
                match base.has_revision(r) {
                    Some(true) => return false,
                    Some(false) => base.mark_revision(r),
                    None => {
                        // A high revision: one hash look-up, whatever the
                        // number of revisions the base has.
                        match self.high_revisions.entry((track as u32, lead, r)) {
                            std::collections::hash_map::Entry::Occupied(_) => return false,
                            std::collections::hash_map::Entry::Vacant(v) => {
                                v.insert(idx);
                            }
                        }
                    }
                }
                // The revision that is not (or no longer) the newest goes
                // to `older`, when it is a low one.
                let (old_revision, old_image) = if base.newest == NONE {
                    (LOW_REVISIONS, NONE)
                } else if r > base.newest_revision {
                    (base.newest_revision, base.newest)
                } else {
                    (r, idx)
                };
                if base.newest == NONE || r > base.newest_revision {
                    base.newest = idx;
                    base.newest_revision = r;
                }
                if old_revision < LOW_REVISIONS {
                    self.older.push(Older {
                        revision: old_revision,
                        image: old_image,
                        next: base.older,
                    });
                    base.older = index32(self.older.len() - 1);
                }
            }
        }
        self.tracks[track].members.push(idx as usize);
        self.images.push(image);
        true
    }

    fn repo_id(&mut self, r: &Reference<'_>) -> usize {
        if let Some(last) = self.last_repo {
            if r.is_canonical_repository(&self.repos[last].name) {
                return last;
            }
        }
        // A tag list of a few repositories may interleave them: comparing
        // with each is cheaper than formatting and hashing the name.
        if self.repos.len() <= FEW_REPOS {
            if let Some(id) = self
                .repos
                .iter()
                .position(|x| r.is_canonical_repository(&x.name))
            {
                self.last_repo = Some(id);
                return id;
            }
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        r.push_canonical_repository(&mut scratch, 0);
        let id = self.repo_index_id(&scratch);
        self.scratch = scratch;
        self.last_repo = Some(id);
        id
    }

    /// [`repo_id`](Self::repo_id) by the canonical repository's text, which
    /// a VESSL value has written already: repositories of different lengths
    /// (`quay.io/vessl-ai/torch`, `…/python`) differ at the first compare,
    /// where the reference's parts take several.
    fn repo_id_named(&mut self, name: &str) -> usize {
        if let Some(last) = self.last_repo {
            if self.repos[last].name == name {
                return last;
            }
        }
        let id = if self.repos.len() <= FEW_REPOS {
            self.repos.iter().position(|x| x.name == name)
        } else {
            None
        };
        let id = id.unwrap_or_else(|| self.repo_index_id(name));
        self.last_repo = Some(id);
        id
    }

    /// The repository named `name` in `repo_index`, made if new.
    fn repo_index_id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.repo_index.get(name) {
            return id;
        }
        let id = self.repos.len();
        self.repos.push(Repo {
            name: name.to_owned(),
            tracks: Vec::new(),
            track_index: Map::default(),
            vessl_tracks: Map::default(),
            bases: Map::default(),
        });
        self.repo_index.insert(name.to_owned(), id);
        id
    }

    /// The track group of `image` in repository `repo`, made if new.
    fn track_id(&mut self, repo: usize, image: &Image) -> usize {
        let key = match image.value() {
            Value::Vessl(v) => v.track_key(),
            _ => None,
        };
        if let Some(key) = key {
            if let Some(&t) = self.repos[repo].vessl_tracks.get(key) {
                debug_assert_eq!(self.tracks[t].track, image.track(), "{image}");
                return t;
            }
            let t = self.new_track(repo, image.track());
            self.repos[repo].vessl_tracks.insert(key.to_owned(), t);
            return t;
        }
        let track = image.track();
        if let Some(&t) = self.repos[repo].track_index.get(track.as_str()) {
            return t;
        }
        let text = track.as_str().to_owned();
        let t = self.new_track(repo, track);
        self.repos[repo].track_index.insert(text, t);
        t
    }

    fn new_track(&mut self, repo: usize, track: Track) -> usize {
        let t = self.tracks.len();
        self.tracks.push(TrackGroup {
            track,
            members: Vec::new(),
        });
        self.repos[repo].tracks.push(t);
        t
    }
}

/// Up to this many repositories, `Catalog::repo_id` compares a name
/// with each instead of hashing it.
const FEW_REPOS: usize = 8;

/// Access
impl Catalog {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// The images, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Image> {
        self.images.iter()
    }

    /// The repositories, in canonical form, in the order first seen.
    pub fn repositories(&self) -> impl Iterator<Item = &str> {
        self.repos.iter().map(|r| r.name.as_str())
    }

    /// Whether the catalog holds `image`.
    pub fn contains(&self, image: &Image) -> bool {
        self.find(image).is_some()
    }

    fn find(&self, image: &Image) -> Option<usize> {
        if let Some(key) = VesslKey::of(image) {
            let (track, base) = self.vessl_base(image, &key)?;
            return match key.revision {
                None => base.alias(),
                Some(r) if base.newest != NONE && base.newest_revision == r => base.newest(),
                Some(r) => match base.has_revision(r) {
                    Some(false) => None,
                    // At most 63 entries.
                    Some(true) => {
                        let mut at = base.older;
                        while at != NONE {
                            let o = self.older[at as usize];
                            if o.revision == r {
                                return Some(o.image as usize);
                            }
                            at = o.next;
                        }
                        None
                    }
                    None => self
                        .high_revisions
                        .get(&(track, key.lead, r))
                        .map(|&i| i as usize),
                },
            };
        }
        match self.seen.get(&self.hasher.hash_one(image.reference()))? {
            Bucket::One(i) => (self.images[*i] == *image).then_some(*i),
            Bucket::Many(v) => v.iter().copied().find(|&i| self.images[i] == *image),
        }
    }

    /// The track group and base of a standard VESSL tag, if the catalog
    /// has any of it.
    fn vessl_base(&self, image: &Image, key: &VesslKey<'_>) -> Option<(u32, &VesslBase)> {
        let repo = self.repo_of(&image.reference())?;
        let track = *self.repos[repo].vessl_tracks.get(key.middle)? as u32;
        let base = match pack_base(track, key.lead) {
            Some(k) => self.vessl_bases.get(&k),
            None => self.vessl_bases_wide.get(&(track, key.lead)),
        };
        Some((track, base?))
    }

    fn repo_of(&self, r: &Reference<'_>) -> Option<usize> {
        let mut name = String::new();
        r.push_canonical_repository(&mut name, 0);
        self.repo_index.get(&name).copied()
    }
}

/// Queries
impl Catalog {
    /// The pinned image an alias stands for: the newest revision of its
    /// base (`torch:2.3.0-cuda12.4` → `torch:2.3.0-cuda12.4-r10`); the alias
    /// itself when the catalog has no revision of it but has the alias. A
    /// pinned image resolves to itself when the catalog holds it.
    ///
    /// A few hash look-ups: no scan of the catalog.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] when the catalog has neither the alias nor a
    /// revision of it (or, for a pinned image, does not have it).
    pub fn resolve(&self, alias: &Image) -> Result<&Image, Error> {
        // Whether the tags a generic alias covers do not order: if nothing
        // else answers, that is the error, not "not found".
        let mut conflict = false;
        if let Value::Generic(g) = alias.value() {
            match self.resolve_generic(alias, g) {
                Ok(Some(found)) => return Ok(found),
                Ok(None) => {}
                Err(()) => conflict = true,
            }
        }
        if !alias.is_alias() {
            return match self.find(alias) {
                Some(i) => Ok(&self.images[i]),
                None if conflict => Err(conflicting(alias)),
                None => Err(not_found(alias, "expected this tag in the tag list")),
            };
        }
        let Some(tag) = alias.alias_tag() else {
            return Err(not_found(
                alias,
                "expected an alias whose scheme names its revisions",
            ));
        };
        let found = match VesslKey::of(alias) {
            Some(key) => self
                .vessl_base(alias, &key)
                .and_then(|(_, b)| b.newest().or(b.alias())),
            None => self
                .repo_of(&alias.reference())
                .and_then(|repo| self.repos[repo].bases.get(&tag))
                .and_then(|b| b.newest.or(b.alias)),
        };
        match found {
            Some(i) => Ok(&self.images[i]),
            None if conflict => Err(conflicting(alias)),
            None => Err(not_found(
                alias,
                "expected the alias or a -rN revision of it in the tag list",
            )),
        }
    }

    /// The newest generic tag of `alias`'s repository that `g` covers
    /// ([`GenericTag::covers`]): `python:3.12-slim` → `python:3.12.8-slim`,
    /// `bitnami/redis:7.2.4-debian-12` → its newest `-rN`. `None` when the
    /// catalog holds none; `Err` when the tags it covers do not order (the
    /// newest is then unknown: never a guess). Scans one repository.
    fn resolve_generic(&self, alias: &Image, g: &GenericTag) -> Result<Option<&Image>, ()> {
        let Some(repo) = self.repo_of(&alias.reference()) else {
            return Ok(None);
        };
        let mut covered = self.repos[repo]
            .tracks
            .iter()
            .flat_map(|&t| &self.tracks[t].members)
            .map(|&i| &self.images[i])
            .filter(|img| matches!(img.value(), Value::Generic(o) if g.covers(o)));
        let Some(mut best) = covered.next() else {
            return Ok(None);
        };
        let mut tie = false;
        for img in covered {
            match img.compare(best) {
                Some(Ordering::Greater) => {
                    best = img;
                    tie = false;
                }
                Some(_) => {}
                None => tie = true,
            }
        }
        // An incomparable candidate may still be below `best`: check it.
        if tie {
            let all_below = self.repos[repo]
                .tracks
                .iter()
                .flat_map(|&t| &self.tracks[t].members)
                .map(|&i| &self.images[i])
                .filter(|img| matches!(img.value(), Value::Generic(o) if g.covers(o)))
                .all(|img| img == best || best.compare(img) == Some(Ordering::Greater));
            if !all_below {
                return Err(());
            }
        }
        Ok(Some(best))
    }

    /// Which members of a track are moving in this catalog: aliases by
    /// themselves, and generic tags that cover another tag of the track.
    /// One pass over the track, with a set of the keys that cover a tag.
    fn moving_members(&self, members: &[usize]) -> Vec<bool> {
        let mut keys = Vec::new();
        for &i in members {
            if let Value::Generic(g) = self.images[i].value() {
                g.covering_keys(&mut keys);
            }
        }
        let keys: std::collections::HashSet<_> = keys.into_iter().collect();
        members
            .iter()
            .map(|&i| {
                let img = &self.images[i];
                img.is_alias()
                    || matches!(img.value(), Value::Generic(g)
                        if g.own_keys().iter().flatten().any(|k| keys.contains(k)))
            })
            .collect()
    }

    /// [`resolve`](Self::resolve) for a name (`quay.io/vessl-ai/python:3.10`).
    pub fn resolve_name(&self, name: &str) -> Result<&Image, Error> {
        self.resolve(&Image::parse(name)?)
    }

    /// The newest image that matches `query`.
    ///
    /// Where the query leaves the track open, the answer is the one with the
    /// highest version, then the highest CUDA version, then the highest
    /// revision (a standard alias counts above every revision of its base,
    /// since it is the newest one: ask for [`Query::pinned`] to get the
    /// revision); remaining ties go to the highest Python and cuDNN, then to
    /// no variant, then to the greater name. The answer says which track it
    /// chose.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] when no image of the repository matches.
    pub fn newest(&self, query: &Query) -> Result<Choice<'_>, Error> {
        let (repos, family_track) = self.query_repos(query);
        let members = repos
            .into_iter()
            .flat_map(|r| &self.repos[r].tracks)
            .filter(|&&t| {
                family_track
                    .as_ref()
                    .is_none_or(|ft| self.tracks[t].track == *ft)
            })
            .flat_map(|&t| self.tracks[t].members.iter().map(move |&i| (t, i)));
        let mut best: Option<(Rank, usize, usize)> = None;
        for (t, i) in members {
            let img = &self.images[i];
            // A tag that detection kept only as an opaque word has no
            // position: it is never the newest of anything.
            if matches!(img.value(), Value::Vessl(v) if v.is_opaque()) {
                continue;
            }
            let facts = Facts::of(img);
            if !query.matches(img, &facts) {
                continue;
            }
            let rank = Rank::of(img, facts);
            if best.as_ref().is_none_or(|(b, _, _)| rank > *b) {
                best = Some((rank, t, i));
            }
        }
        match best {
            Some((_, t, i)) => Ok(Choice {
                image: &self.images[i],
                track: &self.tracks[t].track,
            }),
            None => {
                let input = query.to_string();
                Err(Error::new(
                    ErrorKind::NotFound,
                    "query",
                    &input,
                    0,
                    &input,
                    Component::Query,
                    "expected a tag in the tag list that meets every condition",
                ))
            }
        }
    }

    /// The repositories a query looks at: its own and, for a TWCC name,
    /// every repository of the same framework (`pytorch-21.06-py3` and
    /// `pytorch-22.08-py3` under one path), whose release is the position.
    /// With them, the track a TWCC release name asks for (the same
    /// variant, Python or package, and `-v1`).
    fn query_repos(&self, query: &Query) -> (Vec<usize>, Option<Track>) {
        let own = self.repo_index.get(&query.repository).copied();
        let named = Image::parse(&query.repository).ok();
        let family = named.as_ref().and_then(twcc_family);
        let Some(family) = family else {
            return (own.into_iter().collect(), None);
        };
        let repos = (0..self.repos.len())
            .filter(|&r| Some(r) == own || self.repo_family(r).as_ref() == Some(&family))
            .collect();
        (repos, named.map(|n| n.track()))
    }

    /// The TWCC framework of a repository's images, if they are TWCC names.
    fn repo_family(&self, repo: usize) -> Option<String> {
        let t = *self.repos[repo].tracks.first()?;
        let i = *self.tracks[t].members.first()?;
        twcc_family(&self.images[i])
    }

    /// Every image, in order: by repository, then by track (both in natural
    /// order, numbers as numbers), then along the track. A standard alias
    /// comes right after the revision it resolves to.
    pub fn sorted(&self) -> Vec<&Image> {
        // A TWCC framework's repositories (one per release) sort as one:
        // its releases are positions on its tracks.
        let mut units: Vec<(String, Vec<usize>)> = Vec::new();
        let mut unit_of: HashMap<String, usize> = HashMap::new();
        for (r, repo) in self.repos.iter().enumerate() {
            let key = self.repo_family(r).unwrap_or_else(|| repo.name.clone());
            match unit_of.get(&key) {
                Some(&u) => units[u].1.push(r),
                None => {
                    unit_of.insert(key.clone(), units.len());
                    units.push((key, vec![r]));
                }
            }
        }
        let mut order: Vec<usize> = (0..units.len()).collect();
        merge_sort(&mut order, |&a, &b| natural_cmp(&units[a].0, &units[b].0));
        let mut out = Vec::with_capacity(self.images.len());
        for u in order {
            let repos = &units[u].1;
            let mut merged: Vec<TrackGroup> = Vec::new();
            if repos.len() > 1 {
                let mut by_track: HashMap<&Track, usize> = HashMap::new();
                for &r in repos {
                    for &t in &self.repos[r].tracks {
                        let g = &self.tracks[t];
                        match by_track.get(&g.track) {
                            Some(&m) => merged[m].members.extend_from_slice(&g.members),
                            None => {
                                by_track.insert(&g.track, merged.len());
                                merged.push(g.clone());
                            }
                        }
                    }
                }
            }
            let mut tracks: Vec<&TrackGroup> = if repos.len() > 1 {
                merged.iter().collect()
            } else {
                self.repos[repos[0]]
                    .tracks
                    .iter()
                    .map(|&t| &self.tracks[t])
                    .collect()
            };
            merge_sort(&mut tracks, |a, b| {
                natural_cmp(a.track.as_str(), b.track.as_str())
            });
            for t in tracks {
                out.extend(self.sort_track(t));
            }
        }
        out
    }

    /// The members of one track in order: the pinned images sorted by
    /// `compare`, then each alias placed right after what it resolves to,
    /// or, with nothing to resolve to, where `compare` puts it.
    fn sort_track(&self, t: &TrackGroup) -> Vec<&Image> {
        // The images are compared where they are (no index to look up on
        // each comparison), and incomparable ones by their text, borrowed:
        // a comparison never allocates.
        let cmp = |a: &&Image, b: &&Image| match (a.value(), b.value()) {
            (Value::Generic(x), Value::Generic(y)) => x.linear_cmp(y),
            _ => a
                .compare(b)
                .unwrap_or_else(|| natural_cmp(a.text(), b.text())),
        };
        let moving = self.moving_members(&t.members);
        let image = |k: usize| &self.images[t.members[k]];
        let aliases: Vec<&Image> = (0..t.members.len())
            .filter(|&k| moving[k])
            .map(image)
            .collect();
        // Room for exactly the pinned images: collecting a filter would grow
        // the vector by doubling, up to twice what a million tags need.
        let mut pinned: Vec<&Image> = Vec::with_capacity(t.members.len() - aliases.len());
        pinned.extend((0..t.members.len()).filter(|&k| !moving[k]).map(image));
        merge_sort(&mut pinned, cmp);
        if aliases.is_empty() {
            return pinned;
        }
        // Where each pinned image sits, by its address in `images` (which
        // is what `resolve` returns a reference into).
        let address = |img: &Image| std::ptr::from_ref(img) as usize;
        let position: HashMap<usize, usize> = pinned
            .iter()
            .enumerate()
            .map(|(p, &img)| (address(img), p))
            .collect();
        // (slot, sub, image): pinned image p at (p, 1); an alias after its
        // target p at (p, 2); an alias before pinned image k at (k, 0).
        let mut keyed: Vec<(usize, u8, &Image)> = pinned
            .iter()
            .enumerate()
            .map(|(p, &img)| (p, 1, img))
            .collect();
        for a in aliases {
            let target = self
                .resolve(a)
                .ok()
                .and_then(|r| self.find(r))
                .and_then(|r| position.get(&address(&self.images[r])).copied());
            keyed.push(match target {
                Some(p) => (p, 2, a),
                None => {
                    let k = pinned.partition_point(|p| p.compare(a) == Some(Ordering::Less));
                    (k, 0, a)
                }
            });
        }
        merge_sort(&mut keyed, |x, y| {
            (x.0, x.1).cmp(&(y.0, y.1)).then_with(|| cmp(&x.2, &y.2))
        });
        keyed.into_iter().map(|(_, _, img)| img).collect()
    }
}

/// The tags an alias covers do not order: the newest is unknown.
#[cold]
fn conflicting(image: &Image) -> Error {
    let e = not_found(
        image,
        "the tags it covers do not order (they differ only by a commit hash or a build kind), so the newest is unknown",
    );
    Error::new(
        ErrorKind::Conflict,
        SUBJECT,
        e.input(),
        e.offset(),
        e.found(),
        Component::Tag,
        e.expected(),
    )
}

#[cold]
fn not_found(image: &Image, expected: &'static str) -> Error {
    let input = image.to_string();
    let tag = image.reference().tag().unwrap_or("");
    let at = input
        .rfind(':')
        .filter(|&c| !input[c..].contains('/'))
        .map_or(input.len(), |c| c + 1);
    Error::new(
        ErrorKind::NotFound,
        SUBJECT,
        &input,
        at,
        tag,
        Component::Tag,
        expected,
    )
}

/// The answer of [`Catalog::newest`]: an image and the track it is on.
#[derive(Clone, Copy, Debug)]
pub struct Choice<'c> {
    image: &'c Image,
    track: &'c Track,
}

impl<'c> Choice<'c> {
    /// The image.
    pub fn image(&self) -> &'c Image {
        self.image
    }

    /// The track chosen.
    pub fn track(&self) -> &'c Track {
        self.track
    }
}

/// What [`Catalog::newest`] looks for: a repository, and optionally a
/// version requirement, a CUDA, cuDNN or Python version, a variant, and
/// whether only pinned images count.
///
/// ```
/// use imagetag::Query;
///
/// let q = Query::new("quay.io/vessl-ai/torch")?
///     .version(">=2.2, <3".parse()?)
///     .cuda("12".parse()?)
///     .pinned(true);
/// assert_eq!(q.to_string(), "quay.io/vessl-ai/torch --version '>=2.2, <3' --cuda 12 --pinned");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    repository: String,
    version: Option<semver::VersionReq>,
    cuda: Option<Version>,
    cudnn: Option<u32>,
    python: Option<Version>,
    variant: Option<String>,
    pinned: bool,
    released_after: Option<chrono::NaiveDate>,
}

impl Query {
    /// A query for the newest image of a repository
    /// (`quay.io/vessl-ai/torch`, normalized; no tag or digest).
    pub fn new(repository: &str) -> Result<Query, Error> {
        let r = Reference::parse_name(repository)?;
        let mut name = String::new();
        r.push_canonical_repository(&mut name, 0);
        Ok(Query {
            // The registry lowercase, as the catalog keys repositories.
            repository: name,
            version: None,
            cuda: None,
            cudnn: None,
            python: None,
            variant: None,
            pinned: false,
            released_after: None,
        })
    }

    /// Only versions that satisfy `req` (`>=2.2, <3`), a version with fewer
    /// parts read as `.0` (`3.10` is `3.10.0`). The version is the framework
    /// version, or the leading version of a `python` or `cuda` image, or an
    /// NGC release.
    pub fn version(mut self, req: semver::VersionReq) -> Query {
        self.version = Some(req);
        self
    }

    /// Only CUDA versions that start with `cuda` (`12` matches `12.4.1`,
    /// `12.4` matches `12.4` and `12.4.1`, not `12.40`).
    pub fn cuda(mut self, cuda: Version) -> Query {
        self.cuda = Some(cuda);
        self
    }

    /// Only this cuDNN major version.
    pub fn cudnn(mut self, cudnn: u32) -> Query {
        self.cudnn = Some(cudnn);
        self
    }

    /// Only Python versions that start with `python` (`3` matches `3.11`).
    pub fn python(mut self, python: Version) -> Query {
        self.python = Some(python);
        self
    }

    /// Only this variant (`slim`); without it, any variant matches.
    pub fn variant(mut self, variant: &str) -> Query {
        self.variant = Some(variant.to_owned());
        self
    }

    /// Only pinned images (no standard alias).
    pub fn pinned(mut self, pinned: bool) -> Query {
        self.pinned = pinned;
        self
    }

    /// Only images released in a month after `date`'s month ("released
    /// after 2023-06": NGC `23.07` is, `23.06` is not). Only NGC and TWCC
    /// images carry a release date; others never match.
    pub fn released_after(mut self, date: chrono::NaiveDate) -> Query {
        self.released_after = Some(date);
        self
    }

    /// The repository, in canonical form.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    fn matches(&self, img: &Image, f: &Facts<'_>) -> bool {
        let prefix = |want: &Option<Version>, have: Option<Version>| match want {
            None => true,
            Some(w) => have.is_some_and(|h| h.has_prefix(w)),
        };
        (!self.pinned || !img.is_alias())
            && self
                .released_after
                .is_none_or(|date| released_after(img, date))
            && self
                .version
                .as_ref()
                .is_none_or(|req| f.version.is_some_and(|v| v.matches(req)))
            && prefix(&self.cuda, f.cuda)
            && prefix(&self.python, f.python)
            && self.cudnn.is_none_or(|n| f.cudnn == Some(n))
            && self
                .variant
                .as_deref()
                .is_none_or(|v| f.variant.as_deref() == Some(v))
    }
}

impl fmt::Display for Query {
    /// The query as `imagetag latest` arguments.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repository)?;
        if let Some(v) = &self.version {
            write!(f, " --version '{v}'")?;
        }
        if let Some(v) = &self.cuda {
            write!(f, " --cuda {v}")?;
        }
        if let Some(v) = &self.cudnn {
            write!(f, " --cudnn {v}")?;
        }
        if let Some(v) = &self.python {
            write!(f, " --python {v}")?;
        }
        if let Some(v) = &self.variant {
            write!(f, " --variant {v}")?;
        }
        if self.pinned {
            f.write_str(" --pinned")?;
        }
        if let Some(d) = self.released_after {
            write!(f, " --released-after {}", d.format("%Y-%m"))?;
        }
        Ok(())
    }
}

/// What a query looks at, from a VESSL value's accessors or, for other
/// schemes, from their fields (keys as in the shared corpus).
struct Facts<'i> {
    version: Option<Version>,
    cuda: Option<Version>,
    cudnn: Option<u32>,
    python: Option<Version>,
    variant: Option<Cow<'i, str>>,
    revision: Option<u64>,
    /// A generic pre-release (`3.13.0rc1`): below its release.
    prerelease: bool,
}

impl<'i> Facts<'i> {
    fn of(img: &'i Image) -> Facts<'i> {
        if let Value::Vessl(v) = img.value() {
            return Facts {
                version: v.version().or(v.lead()),
                cuda: v.cuda(),
                cudnn: v.cudnn(),
                python: v.python(),
                variant: v.variant().map(Cow::Borrowed),
                revision: v
                    .revision()
                    .map(u64::from)
                    .or_else(|| v.build().and_then(|b| b.parse().ok())),
                prerelease: false,
            };
        }
        if let Value::Generic(g) = img.value() {
            return Facts {
                version: g.version(),
                cuda: None,
                cudnn: None,
                python: None,
                variant: None,
                revision: g.build(),
                prerelease: g.is_prerelease(),
            };
        }
        let mut f = Facts {
            version: None,
            cuda: None,
            cudnn: None,
            python: None,
            variant: None,
            revision: None,
            prerelease: false,
        };
        let mut release = None;
        for field in img.fields() {
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

/// The framework a TWCC image's repository belongs to: the canonical
/// repository without its last component, and the framework
/// (`registry.twcc.ai/ngc/nvidia/pytorch` for `…/pytorch-21.06-py3`).
/// `None` for other images and for TWCC names without a release.
fn twcc_family(img: &Image) -> Option<String> {
    let Value::Twcc(t) = img.value() else {
        return None;
    };
    if t.release().is_none() && t.vendor_release().is_none() {
        return None;
    }
    let framework = t.framework()?;
    let mut s = String::new();
    img.reference().push_canonical_repository(&mut s, 0);
    let parent = s.rfind('/').map_or("", |i| &s[..=i]);
    Some(format!("{parent}{framework}"))
}

/// Whether an NGC or TWCC image was released in a month after `date`'s.
fn released_after(img: &Image, date: chrono::NaiveDate) -> bool {
    match img.value() {
        Value::Ngc(n) => n.release().is_some_and(|r| r.released_after(date)),
        Value::Twcc(t) => {
            t.release().is_some_and(|r| r.released_after(date))
                || t.vendor_release().is_some_and(|r| r.released_after(date))
        }
        _ => false,
    }
}

/// A version as other schemes write it in their fields: `24.01`, `py3`,
/// `3.10`; leading zeros and a `py` prefix are allowed here.
fn lenient_version(s: &str) -> Option<Version> {
    let s = s.strip_prefix("py").unwrap_or(s);
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

/// How [`Catalog::newest`] ranks matches: greater is newer.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    version: Option<Version>,
    /// A release above its pre-releases.
    released: bool,
    cuda: Option<Version>,
    /// An alias above every revision.
    revision: (bool, Option<u64>),
    python: Option<Version>,
    cudnn: Option<u32>,
    no_variant: bool,
    name: String,
}

impl Rank {
    fn of(img: &Image, f: Facts<'_>) -> Rank {
        Rank {
            version: f.version,
            released: !f.prerelease,
            cuda: f.cuda,
            revision: (img.is_alias(), f.revision),
            python: f.python,
            cudnn: f.cudnn,
            no_variant: f.variant.is_none(),
            name: img.to_string(),
        }
    }
}

/// Compares text with runs of digits as numbers (`cuda12.4 < cuda12.10`).
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(a.len());
                let nb = b
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(b.len());
                let (da, db) = (&a[..na], &b[..nb]);
                // Without leading zeros, the longer run is the greater number.
                let ta = &da[da.iter().position(|&c| c != b'0').unwrap_or(da.len())..];
                let tb = &db[db.iter().position(|&c| c != b'0').unwrap_or(db.len())..];
                let o = ta.len().cmp(&tb.len()).then(ta.cmp(tb)).then(na.cmp(&nb));
                if o != Ordering::Equal {
                    return o;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// A stable merge sort that only calls `cmp`: unlike `slice::sort_by`, it
/// neither panics nor loops whatever `cmp` answers, which matters for
/// orders that schemes define.
fn merge_sort<T: Copy>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    fn go<T: Copy>(v: &mut [T], buf: &mut Vec<T>, cmp: &mut impl FnMut(&T, &T) -> Ordering) {
        let n = v.len();
        if n <= 1 {
            return;
        }
        let mid = n / 2;
        go(&mut v[..mid], buf, cmp);
        go(&mut v[mid..], buf, cmp);
        if cmp(&v[mid - 1], &v[mid]) != Ordering::Greater {
            return;
        }
        buf.clear();
        let (mut i, mut j) = (0, mid);
        while i < mid && j < n {
            if cmp(&v[j], &v[i]) == Ordering::Less {
                buf.push(v[j]);
                j += 1;
            } else {
                buf.push(v[i]);
                i += 1;
            }
        }
        buf.extend_from_slice(&v[i..mid]);
        buf.extend_from_slice(&v[j..n]);
        v.copy_from_slice(buf);
    }
    let mut buf = Vec::with_capacity(v.len());
    go(v, &mut buf, &mut cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural() {
        assert_eq!(natural_cmp("r9", "r10"), Ordering::Less);
        assert_eq!(natural_cmp("cuda12.4", "cuda12.10"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Greater);
        assert_eq!(natural_cmp("a", "ab"), Ordering::Less);
    }

    #[test]
    fn merge_sort_is_stable_and_sorts() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        merge_sort(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut w = [5, 4, 3, 2, 1];
        merge_sort(&mut w, |_, _| Ordering::Less); // nonsense, no panic
    }

    #[test]
    fn base_keys_pack_exactly_when_small() {
        let v = |p: &[u32]| Version::new(p);
        assert_ne!(pack_base(1, v(&[2, 3])), pack_base(1, v(&[2, 3, 0])));
        assert_ne!(pack_base(1, v(&[2, 3])), pack_base(2, v(&[2, 3])));
        assert!(pack_base(1, v(&[1023, 1023, 1023, 1023])).is_some());
        assert_eq!(pack_base(1, v(&[1024])), None);
        assert_eq!(pack_base(1 << 20, v(&[1])), None);
    }

    #[test]
    fn bases_with_large_versions_resolve() {
        let c = Catalog::from_names([
            "quay.io/vessl-ai/torch:2024.1.0-cuda12.4-r3",
            "quay.io/vessl-ai/torch:2024.1.0-cuda12.4-r7",
            "quay.io/vessl-ai/torch:2024.1.0-cuda12.4-r7",
            "quay.io/vessl-ai/torch:2.1.0-cuda12.4-r1",
        ])
        .expect("valid tags");
        assert_eq!(c.len(), 3);
        let r = c
            .resolve_name("quay.io/vessl-ai/torch:2024.1.0-cuda12.4")
            .expect("resolves");
        assert_eq!(r.to_string(), "quay.io/vessl-ai/torch:2024.1.0-cuda12.4-r7");
        assert!(c.contains(&Image::parse("quay.io/vessl-ai/torch:2024.1.0-cuda12.4-r3").unwrap()));
    }

    /// 100 000 revisions of one base, in a scrambled order and each twice,
    /// with the alias: the newest is found, duplicates are kept once, and
    /// each revision, low or high, is found again. (Before the high
    /// revisions had a table of their own, every insert walked all the
    /// older ones: quadratic.)
    #[test]
    fn many_revisions_of_one_base() {
        const N: u64 = 100_000;
        let name = |r: u64| format!("quay.io/vessl-ai/python:3.11-r{r}");
        // r -> r * 7919 mod N is a permutation of 0..N (7919 is a prime
        // that does not divide N); revisions run from 1 to N.
        let order = (0..N).map(|i| 1 + (i * 7919) % N);
        let names = order
            .clone()
            .chain(order.rev().step_by(3))
            .map(name)
            .chain(["quay.io/vessl-ai/python:3.11".to_owned()]);
        let (c, errors) = Catalog::from_names_lossy(names);
        assert!(errors.is_empty());
        assert_eq!(c.len(), N as usize + 1);
        let newest = c
            .resolve_name("quay.io/vessl-ai/python:3.11")
            .expect("resolves");
        assert_eq!(newest.to_string(), name(N));
        for r in [1, 2, 63, 64, 65, 1000, N - 1, N] {
            let img = Image::parse(&name(r)).expect("valid");
            let found = c.resolve(&img).expect("holds it");
            assert_eq!(found.to_string(), name(r));
        }
        let absent = Image::parse(&name(N + 1)).expect("valid");
        assert!(!c.contains(&absent));
        assert!(!c.contains(&Image::parse(&name(0)).expect("valid")));
    }

    #[test]
    fn lenient() {
        assert_eq!(lenient_version("24.01"), Some(Version::new(&[24, 1])));
        assert_eq!(lenient_version("py3"), Some(Version::new(&[3])));
        assert_eq!(lenient_version("x"), None);
        assert_eq!(lenient_version("1.2.3.4.5"), None);
    }
}
