//! Properties of generic tags on generated values: the laws of a partial
//! order, moving tags never ordered against what they stand for, `resolve`
//! against a brute-force maximum, and `sorted` against `compare`.

use std::cmp::Ordering;

use imagetag::scheme::generic::GenericTag;
use imagetag::{Catalog, Image, Tagged, Value};
use proptest::prelude::*;

/// A small space, so that generated tags share tracks and positions often.
fn version_tag() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "", "v"]),
        prop::collection::vec(0u32..3, 1..=3),
        prop::sample::select(vec![
            "", "", "", "rc1", "-rc.1", "b2", "a1", ".post1", ".dev0", "-beta",
        ]),
        prop::sample::select(vec!["", "", "-r1", "-r2", "-r10", "-1", "-2", "_3"]),
        prop::sample::select(vec!["", "", "", "-abc1234", "-g0fe9d21"]),
        prop::sample::select(vec![
            "",
            "",
            "-slim",
            "-cuda12-runtime",
            "-cuda12.4-runtime",
            "-debian-12",
        ]),
    )
        .prop_map(|(v, parts, stage, build, hash, flavour)| {
            let parts: Vec<String> = parts.iter().map(u32::to_string).collect();
            format!("{v}{}{stage}{build}{hash}{flavour}", parts.join("."))
        })
}

fn other_tag() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "latest",
        "stable-slim",
        "nightly",
        "2025-03-04",
        "2025-3-4",
        "v2025-03-04",
        "v2025-3-4",
        "20250304",
        "20250304-07",
        "20250304-12",
        "250401",
        "8u422-b05",
        "slim",
        "main-1a2b3c4",
    ])
    .prop_map(str::to_owned)
}

fn tag() -> impl Strategy<Value = String> {
    prop_oneof![4 => version_tag(), 1 => other_tag()]
}

fn name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["ghcr.io/x/app", "ghcr.io/x/app", "ghcr.io/x/lib"]),
        tag(),
    )
        .prop_map(|(r, t)| format!("{r}:{t}"))
}

fn generic(s: &str) -> GenericTag {
    match Image::parse(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .value()
    {
        Value::Generic(g) => g.clone(),
        other => panic!("{s}: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn round_trip(s in name()) {
        let g = generic(&s);
        prop_assert_eq!(g.to_string(), s.clone());
        prop_assert_eq!(generic(&g.to_string()), g);
    }

    #[test]
    fn order_laws(a in name(), b in name(), c in name()) {
        let (a, b, c) = (generic(&a), generic(&b), generic(&c));
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c), (&a, &a)] {
            // Antisymmetric.
            prop_assert_eq!(x.compare(y), y.compare(x).map(Ordering::reverse), "{} {}", x, y);
            // Consistent with Eq.
            prop_assert_eq!(x.compare(y) == Some(Ordering::Equal), x == y, "{} {}", x, y);
            // A moving tag is never ordered against what it stands for, nor
            // against anything but itself when it moves by itself.
            if x.covers(y) || y.covers(x) || (x != y && (x.is_alias() || y.is_alias())) {
                prop_assert_eq!(x.compare(y), None, "{} {}", x, y);
            }
            // Different tracks never compare.
            if x.track() != y.track() {
                prop_assert!(x.compare(y).is_none() || x == y, "{} {}", x, y);
            }
        }
        // Transitive, in every arrangement of the three.
        for (x, y, z) in [(&a, &b, &c), (&a, &c, &b), (&b, &a, &c), (&b, &c, &a), (&c, &a, &b), (&c, &b, &a)] {
            if x.compare(y) == Some(Ordering::Less) && y.compare(z) == Some(Ordering::Less) {
                prop_assert_eq!(x.compare(z), Some(Ordering::Less), "{} < {} < {}", x, y, z);
            }
        }
    }

    #[test]
    fn resolve_is_the_brute_force_maximum(
        names in prop::collection::vec(name(), 0..40),
        alias in name(),
    ) {
        let catalog = Catalog::from_names(&names).unwrap();
        let a = generic(&alias);
        let mut held: Vec<GenericTag> = names.iter().map(|n| generic(n)).collect();
        held.sort_by_key(|g| g.to_string());
        held.dedup();
        let covered: Vec<&GenericTag> = held.iter().filter(|g| a.covers(g)).collect();
        // The one covered tag above every other covered tag, if there is one.
        let max = covered.iter().find(|m| {
            covered.iter().all(|o| *o == **m || m.compare(o) == Some(Ordering::Greater))
        });
        let expected = match max {
            Some(m) => Some(m.to_string()),
            // A tag that covers nothing resolves to itself when the list
            // holds that very name.
            None if !a.is_alias() && names.contains(&alias) => Some(alias.clone()),
            None => None,
        };
        let got = catalog.resolve_name(&alias).ok().map(|i| i.to_string());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn sorted_agrees_with_compare(names in prop::collection::vec(name(), 0..40)) {
        let catalog = Catalog::from_names(&names).unwrap();
        let sorted = catalog.sorted();
        prop_assert_eq!(sorted.len(), catalog.len());
        // One track at a time, the same order.
        let each: Vec<&Image> = catalog.sorted_iter().collect();
        prop_assert!(each.iter().zip(&sorted).all(|(a, b)| std::ptr::eq(*a, *b)));
        prop_assert_eq!(each.len(), sorted.len());
        // A moving tag comes after what it resolves to in its track.
        for (i, img) in sorted.iter().enumerate() {
            let Ok(target) = catalog.resolve(img) else { continue };
            if std::ptr::eq(target, *img) || target.track() != img.track() {
                continue;
            }
            let at = sorted.iter().position(|x| std::ptr::eq(*x, target)).unwrap();
            prop_assert!(
                at < i,
                "{} sorted before {}, which it resolves to", img, target
            );
        }
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
