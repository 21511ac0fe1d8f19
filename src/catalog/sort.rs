//! Sorting: every image in order, and the natural order of names.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::index::TrackGroup;
use super::Catalog;
use crate::image::Image;
use crate::scheme::Track;

impl Catalog {
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
        let cmp = |a: &&Image, b: &&Image| a.sort_cmp(b);
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

    /// Which members of a track are moving in this catalog: aliases by
    /// themselves, and tags that cover another tag of the track (a generic
    /// `3.12` over `3.12.8`).
    /// One pass over the track, with a set of the keys that cover a tag.
    fn moving_members(&self, members: &[usize]) -> Vec<bool> {
        let mut keys = Vec::new();
        for &i in members {
            self.images[i].covering_keys(&mut keys);
        }
        let keys: std::collections::HashSet<_> = keys.into_iter().collect();
        members
            .iter()
            .map(|&i| {
                let img = &self.images[i];
                img.is_moving() || img.own_keys().iter().flatten().any(|k| keys.contains(k))
            })
            .collect()
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
}
