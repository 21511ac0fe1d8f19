//! The catalog on fuzz-generated tag lists: no panic; `sorted()` never puts
//! an image after one it is less than (so no `a < b < a` cycle); `resolve`
//! answers with an image of the alias's own base; `newest` answers with an
//! image that matches.
#![no_main]

use std::cmp::Ordering;

use imagetag::{Catalog, Image, Query};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines: Vec<&str> = text.lines().take(64).collect();
    // The first line may be a query: `?cuda python pinned`.
    let query = lines
        .first()
        .and_then(|l| l.strip_prefix('?'))
        .map(str::to_owned);
    if query.is_some() {
        lines.remove(0);
    }
    // Bare tags are tags of the torch repository, as the CLI reads them.
    let names: Vec<String> = lines
        .iter()
        .map(|l| Catalog::qualify("quay.io/vessl-ai/torch", l.trim()).into_owned())
        .collect();
    let (catalog, _errors) = Catalog::from_names_lossy(&names);

    let sorted = catalog.sorted();
    assert_eq!(sorted.len(), catalog.len());
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            assert_ne!(
                sorted[i].compare(sorted[j]),
                Some(Ordering::Greater),
                "{} sorted before {}",
                sorted[i],
                sorted[j]
            );
        }
    }

    for img in catalog.iter() {
        let resolved = catalog.resolve(img);
        if let Some(base) = img.alias_tag() {
            let r = resolved.unwrap_or_else(|e| panic!("{img} is in the catalog: {e}"));
            if img.is_alias() {
                assert_eq!(r.alias_tag().as_deref(), Some(base.as_str()), "{img} -> {r}");
                assert_eq!(
                    r.reference().without_tag_or_digest(),
                    img.reference().without_tag_or_digest()
                );
                assert_ne!(r.compare(img), Some(Ordering::Less), "{img} -> {r}");
            } else {
                assert_eq!(r, img);
            }
        }
    }

    if let Some(q) = query {
        let words: Vec<&str> = q.split_whitespace().collect();
        let cuda = words.first().and_then(|w| w.parse().ok());
        let python = words.get(1).and_then(|w| w.parse().ok());
        let pinned = words.len() > 2;
        for repo in catalog.repositories() {
            let mut query = Query::new(repo).unwrap().pinned(pinned);
            if let Some(c) = cuda {
                query = query.cuda(c);
            }
            if let Some(p) = python {
                query = query.python(p);
            }
            if let Ok(choice) = catalog.newest(&query) {
                let img: &Image = choice.image();
                assert!(catalog.contains(img));
                assert!(!(pinned && img.is_alias()), "{query}: {img}");
                // The same repository, its registry host without case: the
                // image keeps `docker.Ro` as written, the catalog lists its
                // repository in canonical form, the host lowercase (or, for
                // a case variant of Docker Hub's host before a one-component
                // path, in capitals, which reads back as itself). A listing
                // reads back as the repository it names.
                let listed = imagetag::Reference::parse_normalized(repo)
                    .map(|r| r.canonical().to_string());
                assert_eq!(listed.as_deref(), Ok(repo));
                // A TWCC repository is one release of its framework: its
                // newest is asked of the whole family (`pytorch-24.02-py3`
                // and `pytorch-28.01-py3` are one track).
                if img.scheme() == imagetag::Scheme::Twcc {
                    continue;
                }
                let canonical = img.reference().without_tag_or_digest().canonical().to_string();
                assert!(canonical.eq_ignore_ascii_case(repo), "{canonical} in {repo}");
            }
        }
    }
});
