//! The catalog's index: repositories, tracks, alias bases, and the set of
//! images, kept up to date one image at a time.
//!
//! Two paths file an image, both asked of the scheme through
//! [`Image`]'s crate-private hooks (the scheme's `Indexed` trait):
//!
//! - a value with numbered revisions under an alias
//!   ([`Image::revision_base`]: a VESSL standard alias and its `-rN`
//!   tags) is filed by numbers, without a string key: its track by the
//!   borrowed text that names it, its base by the packed leading version
//!   ([`pack_base`]), its revision in a bitmask ([`NumberedBase`]). The
//!   base also keeps the set: no hash of the name is needed;
//! - every other image is kept once by the hash of its reference
//!   (`seen`), grouped by the text of its track, and, when it has an
//!   alias ([`Image::alias_key`]), under that alias in its repository's
//!   `bases`, which keeps the newest by [`Image::compare`].

use std::cmp::Ordering;
use std::hash::BuildHasher;

use super::hash::{Map, Seeded};
use super::Catalog;
use crate::image::Image;
use crate::reference::Reference;
use crate::scheme::{RevisionBase, Track};
use crate::version::Version;

#[derive(Clone, Debug)]
pub(super) struct Repo {
    pub(super) name: String,
    pub(super) tracks: Vec<usize>,
    /// Track group by the track's text ([`Image::track`]).
    pub(super) track_index: Map<String, usize>,
    /// Track group of numbered bases by the text that names their track
    /// ([`RevisionBase::track`]: `-cuda12.4-py3.11` of a VESSL tag), which
    /// needs no formatting.
    pub(super) numbered_tracks: Map<String, usize>,
    /// The alias and the newest pinned image of each other alias, by the
    /// alias's tag.
    pub(super) bases: Map<String, Base>,
}

#[derive(Clone, Debug)]
pub(super) struct TrackGroup {
    pub(super) track: Track,
    /// Image indices (`u32`, as everywhere in the index: 4 bytes a tag
    /// less than `usize`).
    pub(super) members: Vec<u32>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Base {
    pub(super) alias: Option<usize>,
    pub(super) newest: Option<usize>,
}

/// The key of a numbered base (its track group and leading version) packed
/// into a `u64`, when the track group is below 2^20 and the version has
/// parts below 1024: the group in bits 43..63, the number of parts in bits
/// 40..43, and each part in 10 bits from bit 0. Two keys that pack are
/// equal exactly when their packings are.
pub(super) fn pack_base(track: u32, lead: Version) -> Option<u64> {
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

/// No image (for the `u32` indices of [`NumberedBase`] and [`Older`]).
pub(super) const NONE: u32 = u32::MAX;

/// The tags of one numbered alias base, as image indices (`NONE` for none).
#[derive(Clone, Copy, Debug)]
pub(super) struct NumberedBase {
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

/// The revisions a [`NumberedBase`] notes in its bitmask and keeps in
/// [`Catalog::older`]; higher ones live in [`Catalog::high_revisions`].
const LOW_REVISIONS: u32 = 64;

impl NumberedBase {
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

    pub(super) fn alias(&self) -> Option<usize> {
        (self.alias != NONE).then_some(self.alias as usize)
    }

    pub(super) fn newest(&self) -> Option<usize> {
        (self.newest != NONE).then_some(self.newest as usize)
    }
}

impl Default for NumberedBase {
    fn default() -> Self {
        NumberedBase {
            alias: NONE,
            newest: NONE,
            newest_revision: 0,
            older: NONE,
            revisions: [0; 2],
        }
    }
}

/// A revision of a numbered base other than its newest. Packed: 9 bytes,
/// where alignment made 12 (most tags of a long-lived base are older
/// revisions; fields are only ever copied out, never borrowed).
#[derive(Clone, Copy, Debug)]
#[repr(C, packed)]
pub(super) struct Older {
    image: u32,
    /// The next one of the same base, or `NONE`.
    next: u32,
    /// Below [`LOW_REVISIONS`].
    revision: u8,
}

/// The index of the next image, as a `u32`.
///
/// # Panics
///
/// When the catalog already holds `u32::MAX` images.
pub(super) fn index32(idx: usize) -> u32 {
    u32::try_from(idx)
        .ok()
        .filter(|&i| i != NONE)
        .expect("a catalog holds fewer than 2^32 - 1 images")
}

/// The hash a revision of a numbered base is filed under in
/// `high_revisions`: its track group, lead and revision (numbers, cheap to
/// hash; the table recomputes them from the image when it grows).
fn revision_hash(hasher: &Seeded, track: u32, lead: Version, revision: u32) -> u64 {
    hasher.hash_one((track, lead, revision))
}

/// Whether `image` is the revision `k` names.
fn same_revision(image: &Image, k: &RevisionBase<'_>) -> bool {
    image.revision_base().is_some_and(|i| {
        (i.repository, i.track, i.lead, i.revision) == (k.repository, k.track, k.lead, k.revision)
    })
}

/// Up to this many repositories, `Catalog::repo_id` compares a name
/// with each instead of hashing it.
const FEW_REPOS: usize = 8;

impl Catalog {
    /// Adds an image; `false` if it was there already.
    pub fn insert(&mut self, image: Image) -> bool {
        if let Some(key) = image.revision_base() {
            let repo = self.repo_id_named(key.repository);
            let track = match self.repos[repo].numbered_tracks.get(key.track) {
                Some(&t) => {
                    debug_assert_eq!(self.tracks[t].track, image.track(), "{image}");
                    t
                }
                None => {
                    // The same group as the track's images filed by their
                    // track's text (a revision pinned by digest).
                    let t = self.track_id(repo, &image);
                    self.repos[repo]
                        .numbered_tracks
                        .insert(key.track.to_owned(), t);
                    t
                }
            };
            // A high revision: one hash look-up, whatever the number of
            // revisions its base has.
            let mut high = None;
            if let Some(r) = key.revision.filter(|&r| r >= LOW_REVISIONS) {
                let hash = revision_hash(&self.hasher, track as u32, key.lead, r);
                let images = &self.images;
                if self
                    .high_revisions
                    .find(hash, |&i| same_revision(&images[i as usize], &key))
                    .is_some()
                {
                    return false;
                }
                high = Some(hash);
            }
            let (lead, revision) = (key.lead, key.revision);
            return self.insert_numbered(image, track, lead, revision, high);
        }
        // Equal images have equal references: hash the reference only.
        let hash = self.hasher.hash_one(image.reference());
        let idx = self.images.len();
        let (images, hasher) = (&self.images, &self.hasher);
        let rehash = |&i: &u32| hasher.hash_one(images[i as usize].reference());
        if self.hint > 0 {
            self.seen.reserve(std::mem::take(&mut self.hint), rehash);
        }
        if self
            .seen
            .find(hash, |&i| images[i as usize] == image)
            .is_some()
        {
            return false;
        }
        self.seen.insert_unique(hash, index32(idx), rehash);

        let repo = self.repo_id(&image.reference());
        let track = self.track_id(repo, &image);
        self.tracks[track].members.push(index32(idx));
        self.moving_covers |= image.is_moving() && image.may_cover();

        if let Some(alias) = image.alias_key() {
            let bases = &mut self.repos[repo].bases;
            let base = match bases.get_mut(alias.as_ref()) {
                Some(b) => b,
                None => bases.entry(alias.into_owned()).or_default(),
            };
            if image.is_moving() {
                base.alias = Some(idx);
            } else if base
                .newest
                .is_none_or(|n| image.compare(&self.images[n]) == Some(Ordering::Greater))
            {
                base.newest = Some(idx);
            }
        }
        self.images.push(image);
        true
    }

    /// [`insert`](Self::insert) for a value with numbered revisions: its
    /// base is found by numbers, and keeps the set of its revisions.
    /// `high`: the hash of a revision from 64 up, which the caller looked
    /// up in `high_revisions` and did not find.
    fn insert_numbered(
        &mut self,
        image: Image,
        track: usize,
        lead: Version,
        revision: Option<u32>,
        high: Option<u64>,
    ) -> bool {
        let idx = index32(self.images.len());
        self.reserve_numbered();
        // Track groups are far fewer than images.
        let base = match pack_base(track as u32, lead) {
            Some(k) => self.numbered.entry(k).or_default(),
            None => self.numbered_wide.entry((track as u32, lead)).or_default(),
        };
        match revision {
            None if base.alias != NONE => return false,
            None => base.alias = idx,
            Some(r) => {
                match base.has_revision(r) {
                    Some(true) => return false,
                    Some(false) => base.mark_revision(r),
                    None => {
                        // A high revision, new (the caller looked it up):
                        // filed by its hash.
                        if let Some(hash) = high {
                            let (images, hasher) = (&self.images, &self.hasher);
                            let (repos, repo_index) = (&self.repos, &self.repo_index);
                            // The track group of an image filed here, from
                            // its text (rare: the table is reserved once).
                            let rehash = |&i: &u32| {
                                let Some(k) = images[i as usize].revision_base() else {
                                    return 0;
                                };
                                let track = repo_index
                                    .get(k.repository)
                                    .and_then(|&repo| repos[repo].numbered_tracks.get(k.track));
                                match (track, k.revision) {
                                    (Some(&t), Some(r)) => {
                                        revision_hash(hasher, t as u32, k.lead, r)
                                    }
                                    _ => 0,
                                }
                            };
                            // A list with high revisions has many: room
                            // for half the announced images at once, as for
                            // `numbered`, rather than rehashing as it grows.
                            if self.high_revisions.capacity() == 0 {
                                self.high_revisions.reserve(self.high_hint, rehash);
                            }
                            self.high_revisions.insert_unique(hash, idx, rehash);
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
                        revision: old_revision as u8,
                        image: old_image,
                        next: base.older,
                    });
                    base.older = index32(self.older.len() - 1);
                }
            }
        }
        self.tracks[track].members.push(idx);
        self.images.push(image);
        true
    }

    /// Reserves `numbered` once, for as many bases as the announced images
    /// will make at the rate the first [`SAMPLE`] numbered images made them:
    /// a list of one alias and one revision a base needs room for half its
    /// images, one of ten revisions a base a tenth. (Reserved for half of
    /// them from the start, the table of 32-byte entries took 35 bytes a
    /// tag of the second kind of list; grown from empty, it rehashes and
    /// holds two tables at once near the end.) Entries stay in the table,
    /// one random access per insert.
    fn reserve_numbered(&mut self) {
        const SAMPLE: usize = 1024;
        self.numbered_seen += 1;
        if self.numbered_hint == 0 || self.numbered_seen < SAMPLE {
            return;
        }
        let hint = std::mem::take(&mut self.numbered_hint);
        let bases = self.numbered.len() + self.numbered_wide.len();
        // A quarter more than the rate says, and no more than the hint.
        let expected = (hint * 2).saturating_mul(bases) / self.numbered_seen;
        let room = (expected + expected / 4).min(hint);
        self.numbered
            .reserve(room.saturating_sub(self.numbered.len()));
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
    /// a numbered value has written already: repositories of different
    /// lengths (`quay.io/vessl-ai/torch`, `…/python`) differ at the first
    /// compare, where the reference's parts take several.
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
            numbered_tracks: Map::default(),
            bases: Map::default(),
        });
        self.repo_index.insert(name.to_owned(), id);
        id
    }

    /// The track group of `image` in repository `repo`, made if new.
    /// The track's text is written into the reused `scratch`, so that a
    /// known track costs no allocation.
    fn track_id(&mut self, repo: usize, image: &Image) -> usize {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        image.write_track(&mut text);
        let t = match self.repos[repo].track_index.get(text.as_str()) {
            Some(&t) => t,
            None => {
                let t = self.new_track(repo, Track::from_text(text.clone()));
                self.repos[repo].track_index.insert(text.clone(), t);
                t
            }
        };
        self.scratch = text;
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

    /// Where the catalog holds `image`, if it does.
    pub(super) fn find(&self, image: &Image) -> Option<usize> {
        if let Some(key) = image.revision_base() {
            let (track, base) = self.numbered_base(image, &key)?;
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
                            if u32::from(o.revision) == r {
                                return Some(o.image as usize);
                            }
                            at = o.next;
                        }
                        None
                    }
                    None => self
                        .high_revisions
                        .find(revision_hash(&self.hasher, track, key.lead, r), |&i| {
                            same_revision(&self.images[i as usize], &key)
                        })
                        .map(|&i| i as usize),
                },
            };
        }
        let hash = self.hasher.hash_one(image.reference());
        self.seen
            .find(hash, |&i| self.images[i as usize] == *image)
            .map(|&i| i as usize)
    }

    /// The track group and base of a value with numbered revisions, if the
    /// catalog has any of its base.
    pub(super) fn numbered_base(
        &self,
        image: &Image,
        key: &RevisionBase<'_>,
    ) -> Option<(u32, &NumberedBase)> {
        let repo = self.repo_of(&image.reference())?;
        let track = *self.repos[repo].numbered_tracks.get(key.track)? as u32;
        let base = match pack_base(track, key.lead) {
            Some(k) => self.numbered.get(&k),
            None => self.numbered_wide.get(&(track, key.lead)),
        };
        Some((track, base?))
    }

    /// The newest image (or else the alias) of `alias`'s base, by the
    /// alias's key: numbers for a numbered base, else its tag.
    pub(super) fn base_target(&self, alias: &Image) -> Option<usize> {
        let key = alias.alias_key()?;
        let filed = self
            .repo_of(&alias.reference())
            .and_then(|repo| self.repos[repo].bases.get(key.as_ref()));
        match alias.revision_base() {
            Some(key) => {
                let numbered = self.numbered_base(alias, &key);
                let numbered = numbered.map(|(_, b)| b);
                let newest = numbered.and_then(NumberedBase::newest);
                // Revisions pinned by digest are filed by the alias's tag:
                // the newer of the two answers.
                let pinned = filed.and_then(|b| b.newest);
                let newest = match (newest, pinned) {
                    (Some(n), Some(p))
                        if self.images[p].compare(&self.images[n]) == Some(Ordering::Greater) =>
                    {
                        Some(p)
                    }
                    (n, p) => n.or(p),
                };
                newest.or_else(|| numbered.and_then(NumberedBase::alias))
            }
            None => filed.and_then(|b| b.newest.or(b.alias)),
        }
    }

    pub(super) fn repo_of(&self, r: &Reference<'_>) -> Option<usize> {
        let mut name = String::new();
        r.push_canonical_repository(&mut name, 0);
        self.repo_index.get(&name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_keys_pack_exactly_when_small() {
        let v = |p: &[u32]| Version::new(p);
        assert_ne!(pack_base(1, v(&[2, 3])), pack_base(1, v(&[2, 3, 0])));
        assert_ne!(pack_base(1, v(&[2, 3])), pack_base(2, v(&[2, 3])));
        assert!(pack_base(1, v(&[1023, 1023, 1023, 1023])).is_some());
        assert_eq!(pack_base(1, v(&[1024])), None);
        assert_eq!(pack_base(1 << 20, v(&[1])), None);
    }
}
