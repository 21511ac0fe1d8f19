//! Resolution: an alias or a moving tag to the image it stands for.

use std::cmp::Ordering;

use super::Catalog;
use crate::error::{Component, Error, ErrorKind};
use crate::image::Image;

const SUBJECT: &str = "alias";

impl Catalog {
    /// The pinned image an alias stands for: the newest revision of its
    /// base (`torch:2.3.0-cuda12.4` → `torch:2.3.0-cuda12.4-r10`); the alias
    /// itself when the catalog has no revision of it but has the alias. A
    /// moving tag resolves to the newest tag it covers
    /// (`python:3.12-slim` → `python:3.12.8-slim`). A pinned image
    /// resolves to itself when the catalog holds it.
    ///
    /// An alias with numbered revisions takes a few hash look-ups, without
    /// a scan; a moving tag scans its repository.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] when the catalog has neither the alias nor a
    /// revision of it (or, for a pinned image, does not have it);
    /// [`ErrorKind::Conflict`] when the tags a moving tag covers do not
    /// order, so that the newest is unknown.
    pub fn resolve(&self, alias: &Image) -> Result<&Image, Error> {
        // Whether the tags a moving tag covers do not order: if nothing
        // else answers, that is the error, not "not found".
        let mut conflict = false;
        if alias.may_cover() {
            match self.newest_covered(alias) {
                Ok(Some(found)) => return Ok(found),
                Ok(None) => {}
                Err(()) => conflict = true,
            }
        }
        // A tag that moves only over what it covers (a generic `3.12` or
        // `1.0-cuda12`) and covers nothing here stands for itself.
        if !alias.is_alias() {
            return match self.find(alias) {
                Some(i) => Ok(&self.images[i]),
                None if conflict => Err(conflicting(alias)),
                None => Err(not_found(alias, "expected this tag in the tag list")),
            };
        }
        if alias.alias_key().is_none() {
            return Err(not_found(
                alias,
                "expected an alias whose scheme names its revisions",
            ));
        }
        match self.base_target(alias) {
            Some(i) => Ok(&self.images[i]),
            None if conflict => Err(conflicting(alias)),
            None => Err(not_found(
                alias,
                "expected the alias or a -rN revision of it in the tag list",
            )),
        }
    }

    /// [`resolve`](Self::resolve) for a name (`quay.io/vessl-ai/python:3.10`).
    pub fn resolve_name(&self, name: &str) -> Result<&Image, Error> {
        self.resolve(&Image::parse(name)?)
    }

    /// The newest image of `alias`'s repository that it covers
    /// (`python:3.12-slim` → `python:3.12.8-slim`,
    /// `bitnami/redis:7.2.4-debian-12` → its newest `-rN`). `None` when the
    /// catalog holds none; `Err` when the images it covers do not order
    /// (the newest is then unknown: never a guess). Scans one repository.
    fn newest_covered(&self, alias: &Image) -> Result<Option<&Image>, ()> {
        let Some(repo) = self.repo_of(&alias.reference()) else {
            return Ok(None);
        };
        let covered = || {
            self.repos[repo]
                .tracks
                .iter()
                .flat_map(|&t| &self.tracks[t].members)
                .map(|&i| &self.images[i as usize])
                .filter(|img| alias.covers(img))
        };
        let mut candidates = covered();
        let Some(mut best) = candidates.next() else {
            return Ok(None);
        };
        let mut tie = false;
        for img in candidates {
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
        if tie && !covered().all(|img| img == best || best.compare(img) == Some(Ordering::Greater))
        {
            return Err(());
        }
        Ok(Some(best))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
