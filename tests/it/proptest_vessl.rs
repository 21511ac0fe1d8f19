//! Properties of VESSL tags and the catalog on generated values: round trip,
//! the laws of a partial order, `resolve` against brute force, and `sorted`
//! against `compare`.

use std::cmp::Ordering;

use imagetag::scheme::vessl::VesslTag;
use imagetag::{Catalog, Image, Tagged};
use proptest::prelude::*;

/// A small space, so that generated tags share tracks and bases often.
fn version(max_parts: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u32..4, 1..=max_parts)
        .prop_map(|p| p.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
}

fn vessl_name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["python", "cuda", "torch", "tensorflow", "vllm"]),
        version(3),
        prop::option::of(prop::sample::select(vec![
            "11.8", "12.4", "12.4.1", "12.10",
        ])),
        prop::option::of(8u32..10),
        prop::option::of(prop::sample::select(vec!["3.10", "3.9"])),
        prop::option::of(prop::sample::select(vec!["slim", "slim-jupyter"])),
        // Revisions below 64 and from 64 up (kept apart by the catalog).
        prop::option::of(prop_oneof![0u32..12, 60u32..70, Just(u32::MAX)]),
    )
        .prop_map(|(repo, v, cuda, cudnn, py, variant, rev)| {
            let mut s = format!("quay.io/vessl-ai/{repo}:{v}");
            if let Some(c) = cuda.filter(|_| repo != "cuda") {
                s += &format!("-cuda{c}");
            }
            if let Some(n) = cudnn {
                s += &format!("-cudnn{n}");
            }
            if let Some(p) = py.filter(|_| repo != "python") {
                s += &format!("-py{p}");
            }
            if let Some(x) = variant {
                s += &format!("-{x}");
            }
            if let Some(r) = rev {
                s += &format!("-r{r}");
            }
            s
        })
}

/// Names on one track of one repository: only the version and revision vary.
fn same_track_name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["2.3", "2.3.0", "2.3.1", "2.10.0"]),
        prop::option::of(prop_oneof![0u32..12, 62u32..67]),
    )
        .prop_map(|(v, r)| match r {
            Some(r) => format!("quay.io/vessl-ai/torch:{v}-cuda12.4-r{r}"),
            None => format!("quay.io/vessl-ai/torch:{v}-cuda12.4"),
        })
}

fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![vessl_name(), same_track_name()]
}

fn tag(s: &str) -> VesslTag {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn round_trip(s in vessl_name()) {
        let t = tag(&s);
        prop_assert_eq!(t.to_string(), s.clone());
        prop_assert_eq!(tag(&t.to_string()), t.clone());
        let img = Image::parse(&s).unwrap();
        prop_assert_eq!(img.to_string(), s);
    }

    #[test]
    fn order_laws(a in any_name(), b in any_name(), c in any_name()) {
        let (a, b, c) = (tag(&a), tag(&b), tag(&c));
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
            // Antisymmetric.
            prop_assert_eq!(x.compare(y), y.compare(x).map(Ordering::reverse));
            // Consistent with Eq.
            prop_assert_eq!(x.compare(y) == Some(Ordering::Equal), x == y);
        }
        prop_assert_eq!(a.compare(&a), Some(Ordering::Equal));
        // Transitive, in every arrangement of the three.
        for (x, y, z) in [(&a, &b, &c), (&a, &c, &b), (&b, &a, &c), (&b, &c, &a), (&c, &a, &b), (&c, &b, &a)] {
            if x.compare(y) == Some(Ordering::Less) && y.compare(z) == Some(Ordering::Less) {
                prop_assert_eq!(x.compare(z), Some(Ordering::Less), "{} < {} < {}", x, y, z);
            }
        }
    }

    #[test]
    fn resolve_is_the_brute_force_maximum(
        names in prop::collection::vec(any_name(), 0..40),
        alias in any_name(),
    ) {
        let catalog = Catalog::from_names(&names).unwrap();
        let alias = tag(&alias);
        let Some(base) = alias.alias_tag() else { return Ok(()) };
        // The alias itself: the tag without -rN.
        let alias_name = format!("{}:{base}", alias.repository());
        let alias_img: Image = alias_name.parse().unwrap();
        let images: Vec<VesslTag> = names.iter().map(|n| tag(n)).collect();
        let same_base = images.iter().filter(|t| {
            t.repository() == alias.repository() && t.alias_tag().as_deref() == Some(base.as_str())
        });
        let newest = same_base.clone().filter(|t| t.revision().is_some()).max_by_key(|t| t.revision());
        let expected = newest
            .or_else(|| same_base.clone().find(|t| t.revision().is_none()))
            .map(|t| t.to_string());
        let got = catalog.resolve(&alias_img).ok().map(|i| i.to_string());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn sorted_agrees_with_compare(names in prop::collection::vec(any_name(), 0..40)) {
        let catalog = Catalog::from_names(&names).unwrap();
        for n in &names {
            let img: Image = n.parse().unwrap();
            prop_assert!(catalog.contains(&img), "{} is in the catalog", n);
            // A pinned name resolves to itself.
            if !img.is_alias() {
                prop_assert_eq!(catalog.resolve(&img).unwrap(), &img);
            }
        }
        let sorted = catalog.sorted();
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        prop_assert_eq!(sorted.len(), distinct.len());
        for i in 0..sorted.len() {
            for j in i + 1..sorted.len() {
                prop_assert_ne!(
                    sorted[i].compare(sorted[j]),
                    Some(Ordering::Greater),
                    "{} sorted before {}", sorted[i], sorted[j]
                );
            }
        }
    }
}
