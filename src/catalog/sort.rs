//! Sorting: every image in order, and the natural order of names.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasher;

use super::hash::Seeded;
use super::index::{index32, TrackGroup, NONE};
use super::Catalog;
use crate::image::Image;
use crate::scheme::generic::CoverKey;
use crate::scheme::Track;

/// The members of one track of [`Catalog::sorted_iter`]'s plan: a track
/// group as filed, or the groups of one track merged across a TWCC
/// family's repositories.
enum Planned<'c> {
    Filed(&'c TrackGroup),
    Merged(Vec<u32>),
}

impl Catalog {
    /// Every image, in order: by repository, then by track (both in natural
    /// order, numbers as numbers), then along the track. A standard alias
    /// comes right after the revision it resolves to.
    ///
    /// [`sorted_iter`](Self::sorted_iter) gives the same order one track at
    /// a time, without a vector of every image.
    pub fn sorted(&self) -> Vec<&Image> {
        let mut out = Vec::with_capacity(self.images.len());
        out.extend(self.sorted_iter());
        out
    }

    /// [`sorted`](Self::sorted)'s order, sorting one track at a time as the
    /// iterator reaches it: the extra memory is that of the largest track
    /// (8 bytes a pinned image, about 40 an alias), not of the whole
    /// catalog.
    ///
    /// ```
    /// use imagetag::Catalog;
    ///
    /// let c = Catalog::from_names(["python:3.12.8", "python:3.12", "python:3.11.9"])?;
    /// let names: Vec<String> = c.sorted_iter().map(|i| i.to_string()).collect();
    /// // `3.12` moves over the `3.12.x` tags: it comes after the newest.
    /// assert_eq!(
    ///     names,
    ///     [
    ///         "docker.io/library/python:3.11.9",
    ///         "docker.io/library/python:3.12.8",
    ///         "docker.io/library/python:3.12",
    ///     ]
    /// );
    /// # Ok::<(), imagetag::Error>(())
    /// ```
    pub fn sorted_iter(&self) -> impl Iterator<Item = &Image> + '_ {
        let across = self.covering_across();
        if cfg!(debug_assertions) && across.len() <= 256 {
            self.check_targets(&across);
        }
        self.plan().into_iter().flat_map(move |p| match p {
            Planned::Filed(g) => self.sort_track(&g.members, &across),
            Planned::Merged(members) => self.sort_track(&members, &across),
        })
    }

    /// Debug builds: the targets found in one pass are what `resolve`
    /// answers (the tag itself where the covered tags do not order).
    fn check_targets(&self, targets: &HashMap<usize, Option<usize>>) {
        for (&k, &t) in targets {
            let img = &self.images[k];
            let r = self.resolve(img).ok().and_then(|r| self.find(r));
            debug_assert_eq!(r, Some(t.unwrap_or(k)), "{img}");
        }
    }

    /// The tracks in output order.
    fn plan(&self) -> Vec<Planned<'_>> {
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
        let mut plan = Vec::new();
        for u in order {
            let repos = &units[u].1;
            let tracks: Vec<(&Track, Planned<'_>)> = if repos.len() > 1 {
                let mut merged: Vec<(&Track, Vec<u32>)> = Vec::new();
                let mut by_track: HashMap<&Track, usize> = HashMap::new();
                for &r in repos {
                    for &t in &self.repos[r].tracks {
                        let g = &self.tracks[t];
                        match by_track.get(&g.track) {
                            Some(&m) => merged[m].1.extend_from_slice(&g.members),
                            None => {
                                by_track.insert(&g.track, merged.len());
                                merged.push((&g.track, g.members.clone()));
                            }
                        }
                    }
                }
                merged
                    .into_iter()
                    .map(|(t, m)| (t, Planned::Merged(m)))
                    .collect()
            } else {
                self.repos[repos[0]]
                    .tracks
                    .iter()
                    .map(|&t| (&self.tracks[t].track, Planned::Filed(&self.tracks[t])))
                    .collect()
            };
            let mut order: Vec<usize> = (0..tracks.len()).collect();
            merge_sort(&mut order, |&a, &b| {
                natural_cmp(tracks[a].0.as_str(), tracks[b].0.as_str())
            });
            let mut tracks: Vec<Option<Planned<'_>>> =
                tracks.into_iter().map(|(_, p)| Some(p)).collect();
            plan.extend(order.into_iter().filter_map(|t| tracks[t].take()));
        }
        plan
    }

    /// The members of one track in order: the pinned images sorted by
    /// `compare`, then each alias placed right after what it resolves to,
    /// or, with nothing to resolve to, where `compare` puts it.
    ///
    /// Linear in memory and time beyond the sort itself, whatever the
    /// track holds: the moving tags and what they cover are found in one
    /// pass ([`Catalog::covering`]), not by resolving each (a scan of the
    /// repository each: quadratic with many short versions).
    fn sort_track(
        &self,
        members: &[u32],
        across: &HashMap<usize, Option<usize>>,
    ) -> TrackOrder<'_> {
        // Images are kept as `u32` indices (4 bytes each, where a reference
        // takes 8: a track may hold a million), compared where they are in
        // `images`, and incomparable ones by their text, borrowed: a
        // comparison never allocates.
        let images = &self.images[..];
        let cmp = |a: &u32, b: &u32| images[*a as usize].sort_cmp(&images[*b as usize]);
        let covering = self.covering(members);
        // Debug builds check the one pass against `resolve` on small
        // tracks (every test catalog): the same newest covered tag, or, when
        // they do not order, the tag itself.
        if cfg!(debug_assertions) && members.len() <= 256 {
            self.check_targets(&covering.target);
        }
        let moving = &covering.moving;
        let aliases: Vec<u32> = (0..members.len())
            .filter(|&k| moving[k])
            .map(|k| members[k])
            .collect();
        let pinned = sort_pinned(images, members, moving);
        drop(covering.moving);
        if aliases.is_empty() {
            return TrackOrder::new(images, pinned, Vec::new());
        }
        // What each alias resolves to: the newest tag it covers in this
        // track, found by `covering`, or (an alias by itself, or a
        // major-only CUDA tag, which covers across tracks) `resolve`.
        // Image indices as `u32` (`NONE`: none) here and below: a track
        // may hold a million tags, and these live beside the sorted ones.
        let targets: Vec<u32> = aliases
            .iter()
            .map(|&a| {
                let a = a as usize;
                let t = match covering.target.get(&a).or(across.get(&a)) {
                    Some(&t) => t,
                    None => self.resolve(&images[a]).ok().and_then(|r| self.find(r)),
                };
                t.map_or(NONE, index32)
            })
            .collect();
        // Where each target sits among the pinned images (0: not there).
        let mut position: HashMap<u32, u32> = targets
            .iter()
            .filter(|&&t| t != NONE)
            .map(|&t| (t, 0))
            .collect();
        for (p, &i) in pinned.iter().enumerate() {
            if let Some(slot) = u32::try_from(i).ok().and_then(|i| position.get_mut(&i)) {
                *slot = index32(p + 1);
            }
        }
        // (slot, sub, image): pinned image p at (p, 1); an alias after its
        // target p at (p, 2); an alias before pinned image k at (k, 0).
        let mut keyed: Vec<(u32, u8, u32)> = aliases
            .into_iter()
            .zip(targets)
            .map(
                |(a, target)| match position.get(&target).filter(|&&p| p > 0) {
                    Some(&p) => {
                        let alias = &images[a as usize];
                        alias
                            .may_cover()
                            .then(|| before_newer(images, &pinned, p as usize - 1, alias))
                            .flatten()
                            .map_or((p - 1, 2, a), |k| (index32(k), 0, a))
                    }
                    None => {
                        let alias = &images[a as usize];
                        let at = pinned.partition_point(|&p| {
                            images[p as usize].compare(alias) == Some(Ordering::Less)
                        });
                        (index32(at), 0, a)
                    }
                },
            )
            .collect();
        drop(position);
        merge_sort(&mut keyed, |x, y| {
            (x.0, x.1).cmp(&(y.0, y.1)).then_with(|| cmp(&x.2, &y.2))
        });
        TrackOrder::new(images, pinned, keyed)
    }

    /// Which members of a track are moving in this catalog (aliases by
    /// themselves, and tags that cover another tag of the track: a generic
    /// `3.12` over `3.12.8`), and for each covering tag the newest tag it
    /// covers (`None`: they do not order, so it is unknown).
    ///
    /// One pass over the track: the members that may cover are kept by
    /// the hash of their own key (5 bytes a slot, the key read again from
    /// the image), and each member looks its covering keys up there.
    fn covering(&self, members: &[u32]) -> Covering {
        let mut may_cover = false;
        let mut moving: Vec<bool> = members
            .iter()
            .map(|&i| {
                let img = &self.images[i as usize];
                may_cover |= img.may_cover();
                img.is_moving()
            })
            .collect();
        // Only generic versions cover others: other tracks are done.
        if !may_cover {
            return Covering {
                moving,
                target: HashMap::new(),
            };
        }
        let seed = Seeded::default();
        let hash = |k: &CoverKey| seed.hash_one((k.0, k.1));
        // The positions of the members with own keys, by the hash of what
        // their two keys share (the `v` and the version).
        let mut owners: hashbrown::HashTable<u32> = hashbrown::HashTable::new();
        let own = |k: u32| self.images[members[k as usize] as usize].own_keys();
        let shared = |keys: &[Option<CoverKey>; 2]| keys.iter().flatten().next().map(hash);
        for (k, &i) in members.iter().enumerate() {
            if let Some(h) = shared(&self.images[i as usize].own_keys()) {
                owners.insert_unique(h, k as u32, |&k| shared(&own(k)).unwrap_or(0));
            }
        }
        let mut keys = Vec::new();
        let mut target = self.newest_of(|f| {
            for (j, &i) in members.iter().enumerate() {
                let img = &self.images[i as usize];
                keys.clear();
                img.covering_keys(&mut keys);
                for key in &keys {
                    for &k in owners.iter_hash(hash(key)) {
                        let k = k as usize;
                        if k != j
                            && own(k as u32).contains(&Some(*key))
                            && self.images[members[k] as usize].covers(img)
                        {
                            moving[k] = true;
                            f(members[k] as usize, i as usize);
                        }
                    }
                }
            }
        });
        // A major-only CUDA tag covers across tracks: `covering_across`.
        target.retain(|&k, _| !self.images[k].is_moving());
        Covering { moving, target }
    }

    /// What each major-only CUDA tag (`1.0-cuda12`, moving over the tags
    /// it covers: `1.0-cuda12.8`, `1.0.1-cuda12.4-runtime`, on other
    /// tracks) resolves to, by image index: one pass over the catalog, by
    /// the hash of each tag's repository and version (prefixes), where
    /// `resolve` would scan a repository for each.
    fn covering_across(&self) -> HashMap<usize, Option<usize>> {
        if !self.moving_covers {
            return HashMap::new();
        }
        let seed = Seeded::default();
        let hash = |r: usize, k: &CoverKey| seed.hash_one((r, k.0, k.1));
        let mut owners: hashbrown::HashTable<(u32, u32)> = hashbrown::HashTable::new();
        let members = |r: usize| {
            self.repos[r]
                .tracks
                .iter()
                .flat_map(|&t| &self.tracks[t].members)
                .map(|&i| i as usize)
        };
        let shared = |i: usize| {
            let img = &self.images[i];
            if !(img.is_moving() && img.may_cover()) {
                return None;
            }
            img.own_keys().into_iter().flatten().next()
        };
        for r in 0..self.repos.len() {
            for i in members(r) {
                if let Some(key) = shared(i) {
                    owners.insert_unique(hash(r, &key), (r as u32, i as u32), |&(r, i)| {
                        shared(i as usize).map_or(0, |k| hash(r as usize, &k))
                    });
                }
            }
        }
        if owners.is_empty() {
            return HashMap::new();
        }
        let mut keys = Vec::new();
        self.newest_of(|f| {
            for r in 0..self.repos.len() {
                for j in members(r) {
                    let img = &self.images[j];
                    keys.clear();
                    img.covering_keys(&mut keys);
                    keys.extend(img.own_keys().into_iter().flatten().take(1));
                    for key in &keys {
                        for &(_, k) in owners.iter_hash(hash(r, key)) {
                            let k = k as usize;
                            let alias = &self.images[k];
                            if shared(k).is_some_and(|o| (o.0, o.1) == (key.0, key.1))
                                && alias.covers(img)
                            {
                                f(k, j);
                            }
                        }
                    }
                }
            }
        })
    }

    /// The newest of the tags each tag covers, chosen as `resolve` chooses
    /// it: `pairs` calls its argument with each (coverer, covered) pair,
    /// as image indices, in the order `resolve` would meet them (it is
    /// called a second time when an incomparable pair needs the check
    /// `resolve` makes). `None`: the covered tags do not order. Tags that
    /// are aliases by themselves are left out: they resolve as aliases.
    fn newest_of(
        &self,
        mut pairs: impl FnMut(&mut dyn FnMut(usize, usize)),
    ) -> HashMap<usize, Option<usize>> {
        // The newest covered tag of each coverer so far, and whether an
        // incomparable one was seen since.
        let mut best: HashMap<usize, (usize, bool)> = HashMap::new();
        pairs(&mut |k, j| match best.get_mut(&k) {
            None => {
                best.insert(k, (j, false));
            }
            // As `resolve` does: a newer best clears the tie.
            Some((b, tie)) => match self.images[j].compare(&self.images[*b]) {
                Some(Ordering::Greater) => (*b, *tie) = (j, false),
                Some(_) => {}
                None => *tie = true,
            },
        });
        // An incomparable candidate may still be below the best: check it.
        let mut conflict: Vec<usize> = Vec::new();
        if best.values().any(|&(_, tie)| tie) {
            pairs(&mut |k, j| {
                if let Some(&(b, true)) = best.get(&k) {
                    if j != b && self.images[b].compare(&self.images[j]) != Some(Ordering::Greater)
                    {
                        conflict.push(k);
                    }
                }
            });
        }
        let mut target: HashMap<usize, Option<usize>> =
            best.into_iter().map(|(k, (b, _))| (k, Some(b))).collect();
        for k in conflict {
            target.insert(k, None);
        }
        target.retain(|&k, _| !self.images[k].is_alias());
        target
    }
}

/// Where a moving tag that covers others must go before its target, at
/// `target` among the sorted `pinned` images: before the first of them it
/// is older than, if that is not after the target. A generic `1.2.3`
/// resolves to the newest `1.2.3.x` it covers, but is older than
/// `1.2.3.post1`, which sorts before `1.2.3.5`: `compare`'s order wins.
///
/// Walks back from the target over what the tag does not come after (the
/// tags it covers, and those at its own version with a hash, a later stage
/// or build), up to the first it is newer than, and over at most 256 tags:
/// a list of many spellings of one version (`1.2.3`, `01.2.3`, ...) over
/// many builds of it would otherwise walk the builds once a spelling. Past
/// that the tag stays after its target.
fn before_newer(images: &[Image], pinned: &[u64], target: usize, alias: &Image) -> Option<usize> {
    const WALK: usize = 256;
    let mut first = None;
    for k in (0..=target).rev().take(WALK) {
        match images[pinned[k] as usize].compare(alias) {
            Some(Ordering::Less | Ordering::Equal) => break,
            Some(Ordering::Greater) => first = Some(k),
            None => {}
        }
    }
    first
}

/// The pinned members of a track (those not `moving`), sorted by
/// [`Image::sort_cmp`], as image indices.
///
/// Each is first given its scheme's sort key ([`Image::sort_key`]), in one
/// pass in the order the images lie in memory, and the sort compares the
/// keys, held with each member's position in one `u64` (8 bytes a member,
/// where the indices and the merge sort's buffer took 6): at a million tags
/// a track can be larger than the processor's caches, and comparing the
/// images themselves waited on memory for most of the sort. Only members
/// with equal keys are then compared as images, run by run, stably. A
/// track where some member has no key is sorted as one run.
fn sort_pinned(images: &[Image], members: &[u32], moving: &[bool]) -> Vec<u64> {
    const POSITION: u64 = u32::MAX as u64;
    // Room for exactly the pinned images: collecting a filter would grow
    // the vector by doubling, up to twice what a million tags need.
    let n = moving.iter().filter(|&&m| !m).count();
    let mut order: Vec<u64> = Vec::with_capacity(n);
    let mut keyed = true;
    for (k, &m) in members.iter().enumerate() {
        if !moving[k] {
            let key = images[m as usize].sort_key();
            keyed &= key.is_some();
            order.push((u64::from(key.unwrap_or(0)) << 32) | k as u64);
        }
    }
    if keyed {
        order.sort_unstable();
    } else {
        order.iter_mut().for_each(|o| *o &= POSITION);
    }
    let image = |o: &u64| &images[members[(o & POSITION) as usize] as usize];
    for run in order.chunk_by_mut(|a, b| a >> 32 == b >> 32) {
        merge_sort(run, |a, b| image(a).sort_cmp(image(b)));
    }
    if cfg!(debug_assertions) {
        for w in order.windows(2) {
            let (a, b) = (image(&w[0]), image(&w[1]));
            debug_assert_ne!(a.sort_cmp(b), Ordering::Greater, "{a} before {b}");
        }
    }
    order
        .iter_mut()
        .for_each(|o| *o = u64::from(members[(*o & POSITION) as usize]));
    order
}

/// One track's images in order: its pinned images, sorted, with its
/// aliases merged in at their slots (`(slot, sub, image)`, sorted: before
/// pinned image `slot` for `sub` 0, after it for 2), as they are asked for.
struct TrackOrder<'c> {
    images: &'c [Image],
    /// Image indices, from [`sort_pinned`].
    pinned: std::vec::IntoIter<u64>,
    /// The position of the next pinned image.
    at: u32,
    aliases: std::iter::Peekable<std::vec::IntoIter<(u32, u8, u32)>>,
}

impl<'c> TrackOrder<'c> {
    fn new(images: &'c [Image], pinned: Vec<u64>, aliases: Vec<(u32, u8, u32)>) -> Self {
        TrackOrder {
            images,
            pinned: pinned.into_iter(),
            at: 0,
            aliases: aliases.into_iter().peekable(),
        }
    }
}

impl<'c> Iterator for TrackOrder<'c> {
    type Item = &'c Image;

    fn next(&mut self) -> Option<&'c Image> {
        let at = self.at;
        let i = if let Some((_, _, a)) = self.aliases.next_if(|x| (x.0, x.1) < (at, 1)) {
            a as usize
        } else if let Some(p) = self.pinned.next() {
            self.at += 1;
            p as usize
        } else {
            self.aliases.next()?.2 as usize
        };
        Some(&self.images[i])
    }
}

/// What [`Catalog::covering`] found in one track.
struct Covering {
    /// Whether each member is moving.
    moving: Vec<bool>,
    /// The newest member each covering member covers (`None`: unknown), by
    /// image index.
    target: HashMap<usize, Option<usize>>,
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
        // The left half is copied out and merged back with the right one
        // in place: the write position never passes the next right
        // element, and a buffer of half the slice is enough.
        buf.clear();
        buf.extend_from_slice(&v[..mid]);
        let (mut i, mut j, mut k) = (0, mid, 0);
        while i < buf.len() && j < n {
            if cmp(&v[j], &buf[i]) == Ordering::Less {
                v[k] = v[j];
                j += 1;
            } else {
                v[k] = buf[i];
                i += 1;
            }
            k += 1;
        }
        v[k..k + buf.len() - i].copy_from_slice(&buf[i..]);
    }
    let mut buf = Vec::with_capacity(v.len() / 2);
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
}
