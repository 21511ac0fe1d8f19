//! Generic tags: the ordering vectors of `tests/data/ordering/generic.txt`
//! (real Docker Hub, Quay and GHCR tag shapes), the fields a tag reads
//! into, `check --deny-alias` on moving tags, and TWCC releases as a track.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use imagetag::{Catalog, Image, Query, Value};

fn img(s: &str) -> Image {
    Image::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

struct Vectors {
    /// (line, kind, repository, rest)
    lines: Vec<(usize, String, String, String)>,
}

fn vectors() -> Vectors {
    let path = format!(
        "{}/tests/data/ordering/generic.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = line.split_once(' ').unwrap();
        let (repo, rest) = rest.split_once(": ").unwrap();
        lines.push((
            n + 1,
            kind.to_owned(),
            repo.to_owned(),
            rest.trim().to_owned(),
        ));
    }
    Vectors { lines }
}

fn name(repo: &str, tag: &str) -> String {
    format!("{repo}:{tag}")
}

#[test]
fn ordering_vectors() {
    let v = vectors();
    let mut checked = 0;
    for (n, kind, repo, rest) in &v.lines {
        match kind.as_str() {
            "order" => {
                let chain: Vec<Image> = rest.split(" < ").map(|t| img(&name(repo, t))).collect();
                assert!(chain.len() >= 2, "line {n}");
                for i in 0..chain.len() {
                    for j in i + 1..chain.len() {
                        let (a, b) = (&chain[i], &chain[j]);
                        assert_eq!(a.compare(b), Some(Ordering::Less), "line {n}: {a} < {b}");
                        assert_eq!(b.compare(a), Some(Ordering::Greater), "line {n}: {b} > {a}");
                        checked += 1;
                    }
                }
            }
            "incomparable" => {
                let (a, b) = rest.split_once(" | ").unwrap();
                let (a, b) = (img(&name(repo, a)), img(&name(repo, b)));
                assert_eq!(a.compare(&b), None, "line {n}: {a} ? {b}");
                assert_eq!(b.compare(&a), None, "line {n}: {b} ? {a}");
                checked += 1;
            }
            "equal" => {
                let (a, b) = rest.split_once(" = ").unwrap();
                let (a, b) = (img(&name(repo, a)), img(&name(repo, b)));
                assert_eq!(a.compare(&b), Some(Ordering::Equal), "line {n}");
                assert_eq!(a.value(), b.value(), "line {n}");
                checked += 1;
            }
            "moving" | "pinned" => {
                let a = img(&name(repo, rest));
                assert_eq!(a.is_alias(), kind == "moving", "line {n}: {a}");
                checked += 1;
            }
            "resolve" | "unresolved" => {}
            other => panic!("line {n}: unknown kind {other}"),
        }
    }
    assert!(checked > 150, "{checked} checks");
}

#[test]
fn resolve_vectors() {
    let v = vectors();
    // Every tag of a repository that the file names, as one catalog.
    let mut tags: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (_, kind, repo, rest) in &v.lines {
        let found: Vec<&str> = match kind.as_str() {
            "order" => rest.split(" < ").collect(),
            "incomparable" => rest.split(" | ").collect(),
            "equal" => rest.split(" = ").collect(),
            _ => continue,
        };
        tags.entry(repo)
            .or_default()
            .extend(found.into_iter().map(|t| name(repo, t)));
    }
    let mut resolved = 0;
    for (n, kind, repo, rest) in &v.lines {
        let catalog = Catalog::from_names(&tags[repo.as_str()]).unwrap();
        match kind.as_str() {
            "resolve" => {
                let (alias, target) = rest.split_once(" -> ").unwrap();
                let got = catalog
                    .resolve_name(&name(repo, alias))
                    .unwrap_or_else(|e| panic!("line {n}: {e}"));
                assert_eq!(got.to_string(), img(target).to_string(), "line {n}");
                resolved += 1;
            }
            "unresolved" => {
                assert!(catalog.resolve_name(&name(repo, rest)).is_err(), "line {n}");
            }
            _ => {}
        }
    }
    assert!(resolved >= 15);
}

#[test]
fn fields_of_a_tag() {
    let fields = |s: &str| -> Vec<(String, String)> {
        img(s)
            .fields()
            .into_iter()
            .map(|f| (f.key.to_owned(), f.value.to_string()))
            .collect()
    };
    let f = fields("bitnami/redis:7.2.4-debian-12-r7");
    assert_eq!(
        f,
        [
            ("repository", "docker.io/bitnami/redis"),
            ("tag", "7.2.4-debian-12-r7"),
            ("version", "7.2.4"),
            ("revision", "7"),
            ("flavour", "-debian-12"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let Value::Generic(g) = img("ghcr.io/x/y:v0.5.0-3-g1a2b3c4-alpine").value().clone() else {
        panic!()
    };
    assert_eq!(g.hash(), Some("g1a2b3c4"));
    assert_eq!(g.build(), Some(3));
    assert_eq!(g.flavour(), Some("-alpine"));
    let Value::Generic(g) = img("x:v2025-3-4").value().clone() else {
        panic!()
    };
    assert!(g.is_calendar());
    assert_eq!(g.version().unwrap().to_string(), "2025.3.4");
    assert_eq!(g.to_string(), "docker.io/library/x:v2025-3-4");
    // No position: the tag is its own track.
    let Value::Generic(g) = img("openjdk:8u422-b05-jdk").value().clone() else {
        panic!()
    };
    assert_eq!(g.version(), None);
    assert_eq!(
        img("openjdk:8u422-b05-jdk").track().as_str(),
        "generic docker.io/library/openjdk 8u422-b05-jdk"
    );
    assert_eq!(
        img("python:3.12.8-slim").track().as_str(),
        "generic docker.io/library/python -slim"
    );
    assert_eq!(
        img("x:2025-03-04").track().as_str(),
        "generic docker.io/library/x calendar"
    );
}

#[test]
fn newest_ranks_a_release_above_its_prereleases() {
    let c = Catalog::from_names([
        "python:3.13.0rc3",
        "python:3.13.0",
        "python:3.13.0b2",
        "python:3.12.8",
    ])
    .unwrap();
    let n = c.newest(&Query::new("python").unwrap()).unwrap();
    assert_eq!(n.image().to_string(), "docker.io/library/python:3.13.0");
    let c = Catalog::from_names([
        "bitnami/redis:7.2.4-debian-12-r12",
        "bitnami/redis:7.2.4-debian-12-r7",
    ])
    .unwrap();
    let n = c.newest(&Query::new("bitnami/redis").unwrap()).unwrap();
    assert_eq!(
        n.image().to_string(),
        "docker.io/bitnami/redis:7.2.4-debian-12-r12"
    );
}

#[test]
fn sorted_puts_a_moving_tag_after_its_target() {
    let c = Catalog::from_names([
        "python:3.12-slim",
        "python:3.12.8-slim",
        "python:3.11.9-slim",
        "python:3.12.7-slim",
        "python:3.13.0rc1-slim",
        "python:3.13.0-slim",
    ])
    .unwrap();
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "docker.io/library/python:3.11.9-slim",
            "docker.io/library/python:3.12.7-slim",
            "docker.io/library/python:3.12.8-slim",
            "docker.io/library/python:3.12-slim",
            "docker.io/library/python:3.13.0rc1-slim",
            "docker.io/library/python:3.13.0-slim",
        ]
    );
}

/// A moving tag goes after what it resolves to only where `compare` allows
/// it: `1.2.3` resolves to `1.2.3.123-de5678a`, the newest `1.2.3.x`, but
/// is older than `1.2.3.post1`, which sorts before that target. It goes
/// before the post-release (found by `cargo fuzz run catalog`: the sort put
/// it after).
#[test]
fn sorted_keeps_a_moving_tag_before_a_newer_tag_of_its_own_version() {
    let names = [
        "x:1.2.3-abc1234f",
        "x:1.2.3.123-de5678a",
        "x:1.2.3",
        "x:1.2.3.post1",
        "x:1.2.3-def5678a",
    ];
    let c = Catalog::from_names(names).unwrap();
    assert_eq!(
        c.resolve_name("x:1.2.3").unwrap().to_string(),
        "docker.io/library/x:1.2.3.123-de5678a"
    );
    let sorted = c.sorted();
    crate::util::assert_sorted_agrees_with_compare(&sorted);
    let got: Vec<String> = sorted.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "docker.io/library/x:1.2.3-abc1234f",
            "docker.io/library/x:1.2.3-def5678a",
            "docker.io/library/x:1.2.3",
            "docker.io/library/x:1.2.3.post1",
            "docker.io/library/x:1.2.3.123-de5678a",
        ]
    );
}

/// A moving tag over a tag that is itself moving (`7.2.4-debian-12` over
/// its `-rN`): both come after the newest revision, which `resolve`
/// answers for both. The one-pass placement once called this a conflict
/// (an incomparable candidate seen before the newest one).
#[test]
fn sorted_puts_nested_moving_tags_after_the_newest() {
    let c = Catalog::from_names([
        "bitnami/redis:7.2.4-debian-12-r7",
        "bitnami/redis:7.2.4-debian-12",
        "bitnami/redis:7.2-debian-12",
        "bitnami/redis:7.2.4-debian-12-r9",
    ])
    .unwrap();
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "docker.io/bitnami/redis:7.2.4-debian-12-r7",
            "docker.io/bitnami/redis:7.2.4-debian-12-r9",
            "docker.io/bitnami/redis:7.2-debian-12",
            "docker.io/bitnami/redis:7.2.4-debian-12",
        ]
    );
}

#[test]
fn twcc_releases_are_one_track() {
    let names = [
        "registry.twcc.ai/ngc/nvidia/pytorch-22.08-py3:latest",
        "registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3:latest",
        "registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest",
        "registry.twcc.ai/ngc/nvidia/tensorflow-23.11-tf2-py3:latest",
        "registry.twcc.ai/ngc/nvidia/pytorch-24.01-py3-v1:latest",
    ];
    let c = Catalog::from_names(names).unwrap();
    // Asked by one release's repository, latest answers the framework's
    // newest release on the same track (not -v1, not TensorFlow).
    let n = c
        .newest(&Query::new("registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3").unwrap())
        .unwrap();
    assert_eq!(
        n.image().to_string(),
        "registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest"
    );
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3:latest",
            "registry.twcc.ai/ngc/nvidia/pytorch-22.08-py3:latest",
            "registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest",
            "registry.twcc.ai/ngc/nvidia/pytorch-24.01-py3-v1:latest",
            "registry.twcc.ai/ngc/nvidia/tensorflow-23.11-tf2-py3:latest",
        ]
    );
}
