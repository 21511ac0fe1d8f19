//! The catalog: resolving aliases, the newest match, sorting.

use crate::util;

use imagetag::{Catalog, ErrorKind, Image, Query};
use util::assert_to_string;

const TORCH: &[&str] = &[
    "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9",
    "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10",
    "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
    "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r1",
    "quay.io/vessl-ai/torch:2.3.1-cuda12.1",
    "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r5",
    "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2",
    "quay.io/vessl-ai/torch:2.2.0-cuda12.3-r4",
    "quay.io/vessl-ai/torch:2.2.0-cuda12.3",
    "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9-r3",
    "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9",
    "quay.io/vessl-ai/torch:2.1.0-cuda11.8",
    "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim",
    "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1-r2",
];

fn torch() -> Catalog {
    Catalog::from_names(TORCH).unwrap()
}

fn resolved(c: &Catalog, name: &str) -> String {
    c.resolve_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .to_string()
}

#[test]
fn resolve_aliases() {
    let c = torch();
    assert_eq!(c.len(), TORCH.len());
    // r10 is newer than r9 (numbers, not strings).
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.3.0-cuda12.4"),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10"
    );
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.3.1-cuda12.1"),
        "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r5"
    );
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9"),
        "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9-r3"
    );
    // No revisions, but the alias exists: the alias itself.
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.1.0-cuda11.8"),
        "quay.io/vessl-ai/torch:2.1.0-cuda11.8"
    );
    // Revisions, but the alias is not listed: still the newest revision.
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1"),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1-r2"
    );
    // A pinned name resolves to itself.
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9"),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9"
    );
}

#[test]
fn resolve_errors() {
    let c = torch();
    let e = c
        .resolve_name("quay.io/vessl-ai/torch:2.5.0-cuda12.4")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_to_string(
        &e,
        r#"no match for alias "quay.io/vessl-ai/torch:2.5.0-cuda12.4": expected the alias or a -rN revision of it in the tag list"#,
    );
    let e = c
        .resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r11")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_to_string(
        &e,
        r#"no match for alias "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r11": expected this tag in the tag list"#,
    );
    // Another repository with the same tag is not the same base.
    let e = c
        .resolve_name("quay.io/vessl-ai/tensorflow:2.3.0-cuda12.4")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // A generic `latest` names no revisions.
    let c = Catalog::from_names(["nginx:latest", "nginx:1.27.1"]).unwrap();
    assert_to_string(
        c.resolve_name("nginx").unwrap_err(),
        r#"no match for alias "docker.io/library/nginx": expected an alias whose scheme names its revisions"#,
    );
    // An invalid reference is a parse error.
    assert_eq!(
        c.resolve_name("quay.io/vessl-ai/Torch:x")
            .unwrap_err()
            .kind(),
        ErrorKind::Uppercase
    );
    // A valid reference whose tag does not fit VESSL's grammar is a valid
    // image, but no alias: it stands for itself, and is not in the list.
    assert_eq!(
        c.resolve_name("quay.io/vessl-ai/torch:x")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

fn newest(c: &Catalog, q: Query) -> (String, String) {
    let choice = c.newest(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
    (choice.image().to_string(), choice.track().to_string())
}

fn q() -> Query {
    Query::new("quay.io/vessl-ai/torch").unwrap()
}

#[test]
fn newest_matches() {
    let c = torch();
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        newest(&c, q()),
        pair(
            "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim",
            "vessl quay.io/vessl-ai/torch cuda13.0.1 py3.13 slim"
        )
    );
    assert_eq!(
        newest(&c, q().version(">=2.2, <2.4".parse().unwrap()).pinned(true)),
        pair(
            "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r5",
            "vessl quay.io/vessl-ai/torch cuda12.1"
        )
    );
    // CUDA is a prefix: 12.4 matches 12.4 and 12.4.1, the higher CUDA wins a tie.
    assert_eq!(
        newest(&c, q().cuda("12.4".parse().unwrap()).pinned(true)),
        pair(
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1-r2",
            "vessl quay.io/vessl-ai/torch cuda12.4.1"
        )
    );
    // Without --pinned, the standard alias counts above its revisions.
    assert_eq!(
        newest(
            &c,
            q().cuda("12.4".parse().unwrap())
                .version("=2.3.0".parse().unwrap())
        )
        .0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1-r2"
    );
    // 12.4.0 is not a prefix of 12.4 or 12.4.1.
    assert!(c.newest(&q().cuda("12.4.0".parse().unwrap())).is_err());
    let alias_first = Catalog::from_names(&TORCH[..4]).unwrap();
    assert_eq!(
        newest(&alias_first, q()).0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4"
    );
    assert_eq!(
        newest(&alias_first, q().pinned(true)).0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10"
    );
    assert_eq!(
        newest(&c, q().cuda("12.1".parse().unwrap())).0,
        "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9"
    );
    assert_eq!(
        newest(&c, q().cuda("12.1".parse().unwrap()).pinned(true).cudnn(9)).0,
        "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9-r3"
    );
    assert_eq!(
        newest(&c, q().python("3".parse().unwrap())).0,
        "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim"
    );
    assert_eq!(
        newest(&c, q().variant("slim")).0,
        "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim"
    );
    assert_eq!(
        newest(&c, q().cuda("11".parse().unwrap())).0,
        "quay.io/vessl-ai/torch:2.1.0-cuda11.8"
    );
    // The version requirement reads 2.3 as 2.3.0.
    let py = Catalog::from_names([
        "quay.io/vessl-ai/python:3.9",
        "quay.io/vessl-ai/python:3.10-r9",
        "quay.io/vessl-ai/python:3.10-r10",
        "quay.io/vessl-ai/python:3.11-r1",
    ])
    .unwrap();
    let pq = Query::new("quay.io/vessl-ai/python").unwrap();
    assert_eq!(
        newest(&py, pq.clone().version("<3.11".parse().unwrap())),
        pair(
            "quay.io/vessl-ai/python:3.10-r10",
            "vessl quay.io/vessl-ai/python"
        )
    );
    assert_eq!(
        newest(&py, pq.clone().python("3.11".parse().unwrap())).0,
        "quay.io/vessl-ai/python:3.11-r1"
    );
}

#[test]
fn newest_errors() {
    let c = torch();
    let e = c
        .newest(&q().cuda("11".parse().unwrap()).pinned(true))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_to_string(
        e,
        r#"no match for query "quay.io/vessl-ai/torch --cuda 11 --pinned": expected a tag in the tag list that meets every condition"#,
    );
    let e = c
        .newest(&Query::new("quay.io/vessl-ai/python").unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(Query::new("quay.io/vessl-ai/torch:2.3.0").is_err());
}

/// A not-found, a conflict and an unknown word each read as what happened,
/// with their own kind; a syntax error keeps its byte and component
/// (issue 14).
#[test]
fn errors_read_as_what_happened() {
    // Tags that differ only by their commit hash do not order: which one
    // `1.2` stands for is unknown, and the error says so.
    let c = Catalog::from_names([
        "ghcr.io/org/app:1.2.3-abc1234",
        "ghcr.io/org/app:1.2.3-def5678",
    ])
    .unwrap();
    let e = c.resolve_name("ghcr.io/org/app:1.2").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_to_string(
        &e,
        r#"conflict for alias "ghcr.io/org/app:1.2": the tags it covers do not order (they differ only by a commit hash or a build kind), so the newest is unknown"#,
    );
    // Words of an enum: the crate's error, listing only the library's words.
    let e = "bogus".parse::<imagetag::Scheme>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unknown);
    assert_to_string(
        &e,
        r#"unknown scheme "bogus": expected one of twcc, ngc, vessl, generic"#,
    );
    assert!("auto".parse::<imagetag::Scheme>().is_err());
    assert_eq!(
        "vessl".parse::<imagetag::Scheme>().unwrap(),
        imagetag::Scheme::Vessl
    );
    let e = "loose".parse::<imagetag::Mode>().unwrap_err();
    assert_to_string(
        &e,
        r#"unknown mode "loose": expected one of strict, normalized, canonical, name, any, pull"#,
    );
    for m in imagetag::Mode::ALL {
        assert_eq!(m.as_str().parse::<imagetag::Mode>().unwrap(), m);
    }
    let e = "md5".parse::<imagetag::Algorithm>().unwrap_err();
    assert_to_string(
        &e,
        r#"unknown digest algorithm "md5": expected one of sha256, sha384, sha512"#,
    );
    assert_eq!(
        "sha512".parse::<imagetag::Algorithm>().unwrap(),
        imagetag::Algorithm::Sha512
    );
    assert_eq!(
        "not_found".parse::<ErrorKind>().unwrap(),
        ErrorKind::NotFound
    );
    assert_eq!(
        "tag".parse::<imagetag::Component>().unwrap(),
        imagetag::Component::Tag
    );
    assert_eq!(
        "wheel".parse::<imagetag::Component>().unwrap_err().kind(),
        ErrorKind::Unknown
    );
    // A syntax error keeps its byte and component.
    let e = Catalog::from_names(["quay.io/vessl-ai/torch:2.3.0!"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert_eq!((e.offset(), e.component()), (28, imagetag::Component::Tag));
    assert!(e.to_string().ends_with(r#"at byte 28 ("!")"#), "{e}");
}

#[test]
fn sorted_by_track() {
    let c = torch();
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "quay.io/vessl-ai/torch:2.1.0-cuda11.8",
            "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2",
            "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r5",
            "quay.io/vessl-ai/torch:2.3.1-cuda12.1",
            "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9-r3",
            "quay.io/vessl-ai/torch:2.4.1-cuda12.1-cudnn9",
            "quay.io/vessl-ai/torch:2.2.0-cuda12.3-r4",
            "quay.io/vessl-ai/torch:2.2.0-cuda12.3",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r1",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4.1-r2",
            "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim",
        ]
    );
}

/// The sort compares packed keys before images: a byte a leading number
/// and one for the revision, exact below 254. Past those edges (numbers
/// and revisions from 253 up, four-number versions, a revision pinned by
/// digest) the order is still `compare`'s, and sorting the same tags in
/// another order gives the same list.
#[test]
fn sorted_agrees_with_compare_past_the_sort_keys_edges() {
    let mut names = Vec::new();
    for lead in [
        "1.2.3", "1.2.3.4", "1.2.3.0", "1.2.4", "1.253.0", "1.254.0", "1.300.1", "253.0.0",
        "254.1.0", "1.2",
    ] {
        for r in [1, 2, 9, 10, 63, 64, 253, 254, 255, 256, 300, 1000] {
            names.push(format!("quay.io/vessl-ai/torch:{lead}-cuda12.4-r{r}"));
        }
        names.push(format!("quay.io/vessl-ai/torch:{lead}-cuda12.4"));
    }
    names.push(format!(
        "quay.io/vessl-ai/torch:1.2.3-cuda12.4-r9@sha256:{}",
        "a".repeat(64)
    ));
    names.push(format!(
        "quay.io/vessl-ai/torch:1.2.3-cuda12.4-r9@sha256:{}",
        "b".repeat(64)
    ));
    for v in [
        "3.12.253", "3.12.254", "3.12.300", "3.12", "3.12.0", "3.12.0.1", "3.254.1", "300.1",
    ] {
        names.push(format!("docker.io/library/python:{v}"));
        names.push(format!("docker.io/library/python:{v}-slim"));
    }
    let sorted = |names: &[String]| -> Vec<String> {
        let c = Catalog::from_names(names).unwrap();
        let sorted = c.sorted();
        util::assert_sorted_agrees_with_compare(&sorted);
        sorted.iter().map(|i| i.to_string()).collect()
    };
    let forward = sorted(&names);
    assert_eq!(forward.len(), names.len());
    names.reverse();
    assert_eq!(sorted(&names), forward);
    // The revisions of one base in number order, past 255.
    let base: Vec<&String> = forward
        .iter()
        .filter(|n| n.starts_with("quay.io/vessl-ai/torch:1.300.1-cuda12.4-r"))
        .collect();
    let revisions: Vec<u32> = base
        .iter()
        .map(|n| n.rsplit("-r").next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        revisions,
        [1, 2, 9, 10, 63, 64, 253, 254, 255, 256, 300, 1000]
    );
}

/// A host spelled as a case variant of Docker Hub's is another registry,
/// as to Docker (no `library/`), and a first component with capitals is a
/// host: each repository is listed so that it reads back as itself, not as
/// a Docker Hub repository, and asking for the newest of each listing
/// answers that repository's image.
#[test]
fn repositories_read_back_as_themselves() {
    let c = Catalog::from_names([
        "docKer.io/foo:1.0",
        "Index.docker.io/foo:2.0",
        "docker.io/foo:3.0",
        "DOCKER.IO/foo:4.0",
        "docKer.io/team/app:1.0",
        "docker.io/team/app:2.0",
        // A host only for its capitals (as to Docker); lowercase, it would
        // be a Docker Hub namespace.
        "MyHost/app:1.0",
        "myhost/app:2.0",
        "Myhost:5000/app:3.0",
    ])
    .unwrap();
    let listed: Vec<&str> = c.repositories().collect();
    assert_eq!(
        listed,
        [
            "DOCKER.IO/foo",
            "INDEX.DOCKER.IO/foo",
            "docker.io/library/foo",
            "docker.io/team/app",
            "MYHOST/app",
            "docker.io/myhost/app",
            "myhost:5000/app",
        ]
    );
    for repo in listed {
        let r = imagetag::Reference::parse_normalized(repo).unwrap();
        assert_eq!(r.canonical().to_string(), repo);
        let newest = c.newest(&Query::new(repo).unwrap()).unwrap();
        let image = newest
            .image()
            .reference()
            .without_tag_or_digest()
            .canonical()
            .to_string();
        assert!(image.eq_ignore_ascii_case(repo), "{image} for {repo}");
    }
    // `docKer.io` and `DOCKER.IO` are one host; a path of two components is
    // the same repository under either spelling.
    let newest = |repo: &str| {
        c.newest(&Query::new(repo).unwrap())
            .unwrap()
            .image()
            .to_string()
    };
    assert_eq!(newest("DOCKER.IO/foo"), "DOCKER.IO/foo:4.0");
    assert_eq!(newest("docker.io/foo"), "docker.io/library/foo:3.0");
    assert_eq!(newest("docker.io/team/app"), "docker.io/team/app:2.0");
    assert_eq!(newest("MYHOST/app"), "MyHost/app:1.0");
    assert_eq!(newest("myhost/app"), "docker.io/myhost/app:2.0");
}

#[test]
fn sorted_places_aliases_without_revisions_by_version() {
    let c = Catalog::from_names([
        "quay.io/vessl-ai/python:3.11",
        "quay.io/vessl-ai/python:3.10-r10",
        "quay.io/vessl-ai/python:3.9",
        "quay.io/vessl-ai/python:3.10-r9",
        "quay.io/vessl-ai/python:3.12",
        "quay.io/vessl-ai/python:3.11-r1",
        "quay.io/vessl-ai/python:3.10-r9", // a duplicate, kept once
    ])
    .unwrap();
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "quay.io/vessl-ai/python:3.9",
            "quay.io/vessl-ai/python:3.10-r9",
            "quay.io/vessl-ai/python:3.10-r10",
            "quay.io/vessl-ai/python:3.11-r1",
            "quay.io/vessl-ai/python:3.11",
            "quay.io/vessl-ai/python:3.12",
        ]
    );
}

#[test]
fn mixed_repositories_and_schemes() {
    let c = Catalog::from_names([
        "quay.io/vessl-ai/python:3.10-r10",
        "nginx:1.27.1-alpine",
        "quay.io/vessl-ai/cuda:12.4-r4",
        "quay.io/vessl-ai/python:3.10-r9",
        "nginx:1.9.0-alpine",
        "quay.io/vessl-ai/cuda:12.4-r3",
        "quay.io/vessl-ai/cuda:12.10",
        "quay.io/vessl-ai/cuda:12.4",
        "nginx:1.27.1",
    ])
    .unwrap();
    assert_eq!(
        c.repositories().collect::<Vec<_>>(),
        [
            "quay.io/vessl-ai/python",
            "docker.io/library/nginx",
            "quay.io/vessl-ai/cuda"
        ]
    );
    let got: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        [
            "docker.io/library/nginx:1.27.1",
            "docker.io/library/nginx:1.9.0-alpine",
            "docker.io/library/nginx:1.27.1-alpine",
            "quay.io/vessl-ai/cuda:12.4-r3",
            "quay.io/vessl-ai/cuda:12.4-r4",
            "quay.io/vessl-ai/cuda:12.4",
            "quay.io/vessl-ai/cuda:12.10",
            "quay.io/vessl-ai/python:3.10-r9",
            "quay.io/vessl-ai/python:3.10-r10",
        ]
    );
    assert_eq!(
        resolved(&c, "quay.io/vessl-ai/cuda:12.4"),
        "quay.io/vessl-ai/cuda:12.4-r4"
    );
    // Generic values: newest by version through their fields.
    let n = c
        .newest(&Query::new("nginx").unwrap().variant("alpine"))
        .map(|ch| ch.image().to_string());
    assert!(n.is_err(), "generic tags have no variant field: {n:?}");
    let n = c.newest(&Query::new("nginx").unwrap()).unwrap();
    assert_eq!(
        n.image().to_string(),
        "docker.io/library/nginx:1.27.1-alpine"
    );
}

#[test]
fn sources() {
    let (c, errors) = Catalog::from_names_lossy([
        "quay.io/vessl-ai/torch:2.3.0-r5",
        "quay.io/vessl-ai/Torch:bad",
        "quay.io/vessl-ai/torch:bad",
    ]);
    // The invalid reference is the one error; the tag that does not fit
    // VESSL's grammar is kept as an opaque tag.
    assert_eq!(c.len(), 2);
    assert_eq!(errors.len(), 1);
    assert!(Catalog::from_names(["quay.io/vessl-ai/Torch:bad"]).is_err());
    let imgs: Vec<Image> = TORCH.iter().map(|s| s.parse().unwrap()).collect();
    let c = Catalog::from_images(imgs.clone());
    for img in &imgs {
        assert!(c.contains(img), "{img}");
    }
    assert!(!c.contains(&"quay.io/vessl-ai/torch:2.3.0-cuda12.4-r2".parse().unwrap()));
    assert!(!c.contains(&"quay.io/vessl-ai/torch:2.3.3-cuda12.4".parse().unwrap()));
    let mut c2 = Catalog::new();
    assert!(c2.is_empty());
    assert!(c2.insert(imgs[0].clone()));
    assert!(!c2.insert(imgs[0].clone()));
    assert_eq!(
        Catalog::qualify("quay.io/vessl-ai/python", "3.10-r14"),
        "quay.io/vessl-ai/python:3.10-r14"
    );
    assert_eq!(
        Catalog::qualify("quay.io/vessl-ai/python", "nginx:1"),
        "nginx:1"
    );
}

/// NGC and TWCC values sit in the same catalog: their position is the
/// release, and the plain image wins a tie over a suffixed one.
#[test]
fn ngc_and_twcc_in_one_catalog() {
    let c = Catalog::from_names([
        "nvcr.io/nvidia/pytorch:23.10-py3",
        "nvcr.io/nvidia/pytorch:24.02-py3-igpu",
        "nvcr.io/nvidia/pytorch:24.02-py3",
        "nvcr.io/nvidia/pytorch:24.01-py3",
        "pytorch-19.11-py3:latest",
        "pytorch-18.08-py3-v1",
        "pytorch-21.06-py3",
    ])
    .unwrap();
    let newest = |q: Query| c.newest(&q).unwrap().image().to_string();
    let ngc = Query::new("nvcr.io/nvidia/pytorch").unwrap();
    assert_eq!(newest(ngc.clone()), "nvcr.io/nvidia/pytorch:24.02-py3");
    assert_eq!(
        newest(ngc.clone().variant("igpu")),
        "nvcr.io/nvidia/pytorch:24.02-py3-igpu"
    );
    assert_eq!(
        newest(ngc.version(semver::VersionReq::parse("<24").unwrap())),
        "nvcr.io/nvidia/pytorch:23.10-py3"
    );
    let sorted: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    let pos = |s: &str| sorted.iter().position(|x| x == s).unwrap();
    assert!(pos("nvcr.io/nvidia/pytorch:23.10-py3") < pos("nvcr.io/nvidia/pytorch:24.01-py3"));
    assert!(pos("nvcr.io/nvidia/pytorch:24.01-py3") < pos("nvcr.io/nvidia/pytorch:24.02-py3"));
}

#[test]
fn released_after_a_month() {
    let c = Catalog::from_names([
        "nvcr.io/nvidia/pytorch:23.05-py3",
        "nvcr.io/nvidia/pytorch:23.06-py3",
        "nvcr.io/nvidia/pytorch:23.07-py3",
    ])
    .unwrap();
    let june = chrono::NaiveDate::from_ymd_opt(2023, 6, 15).unwrap();
    let q = Query::new("nvcr.io/nvidia/pytorch")
        .unwrap()
        .released_after(june);
    assert_eq!(
        q.to_string(),
        "nvcr.io/nvidia/pytorch --released-after 2023-06"
    );
    assert_eq!(
        c.newest(&q).unwrap().image().to_string(),
        "nvcr.io/nvidia/pytorch:23.07-py3"
    );
    let later = chrono::NaiveDate::from_ymd_opt(2023, 7, 1).unwrap();
    let q = Query::new("nvcr.io/nvidia/pytorch")
        .unwrap()
        .released_after(later);
    assert_eq!(c.newest(&q).unwrap_err().kind(), ErrorKind::NotFound);
}

/// `Newest`, one image at a time, answers what `Catalog::newest` answers
/// over the same images: every repository of the corpus files (all four
/// schemes, TWCC releases as one framework), with queries that leave the
/// track open, pin, and ask for CUDA or Python.
#[test]
fn newest_one_at_a_time_agrees_with_the_catalog() {
    use imagetag::Newest;
    let mut names = Vec::new();
    for file in [
        "vessl.tsv",
        "ngc.tsv",
        "twcc.tsv",
        "mined_vessl.tsv",
        "mined_ngc.tsv",
        "mined_twcc.tsv",
        "mined_generic.tsv",
    ] {
        names.extend(
            util::corpus(file)
                .into_iter()
                .map(|r| r.req("full_name").to_owned()),
        );
    }
    names.extend(TORCH.iter().map(|s| s.to_string()));
    let images: Vec<Image> = names.iter().filter_map(|n| Image::parse(n).ok()).collect();
    let catalog = Catalog::from_images(images.clone());
    let mut repositories: Vec<String> = catalog.repositories().map(str::to_owned).collect();
    // A TWCC release name asks for its framework's releases.
    repositories.push("registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3".to_owned());
    let (mut asked, mut answered) = (0, 0);
    for repository in &repositories {
        let base = Query::new(repository).unwrap();
        let queries = [
            base.clone(),
            base.clone().pinned(true),
            base.clone().cuda("12".parse().unwrap()),
            base.clone().python("3".parse().unwrap()),
        ];
        for q in &queries {
            let mut newest = Newest::new(q);
            for img in &images {
                newest.offer(img.clone());
            }
            let streamed = newest.finish();
            let indexed = catalog.newest(q);
            asked += 1;
            match (&streamed, &indexed) {
                (Ok((img, track)), Ok(choice)) => {
                    answered += 1;
                    assert_eq!(img, choice.image(), "{q}");
                    assert_eq!(track, choice.track(), "{q}");
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!("{q}: {streamed:?} against {indexed:?}"),
            }
        }
    }
    assert!(answered > 300 && answered < asked, "{answered} of {asked}");
}

/// NGC product versions written with their letter (`v4.0`, L4T's
/// `r36.2.0`) are versions to a query: `v10.0` is newer than `v9.0` (their
/// names would say otherwise), and a requirement applies to them.
#[test]
fn newest_reads_product_versions_with_their_letter() {
    let c = Catalog::from_names([
        "nvcr.io/nvidia/clara-train-sdk:v9.0",
        "nvcr.io/nvidia/clara-train-sdk:v10.0",
        "nvcr.io/nvidia/clara-train-sdk:v4.1",
        "nvcr.io/nvidia/l4t-base:r35.4.1",
        "nvcr.io/nvidia/l4t-base:r36.2.0",
    ])
    .unwrap();
    let newest = |q: Query| c.newest(&q).map(|c| c.image().to_string());
    let clara = Query::new("nvcr.io/nvidia/clara-train-sdk").unwrap();
    assert_eq!(
        newest(clara.clone()).unwrap(),
        "nvcr.io/nvidia/clara-train-sdk:v10.0"
    );
    assert_eq!(
        newest(clara.version("<10".parse().unwrap())).unwrap(),
        "nvcr.io/nvidia/clara-train-sdk:v9.0"
    );
    let l4t = Query::new("nvcr.io/nvidia/l4t-base").unwrap();
    assert_eq!(
        newest(l4t.version("<36".parse().unwrap())).unwrap(),
        "nvcr.io/nvidia/l4t-base:r35.4.1"
    );
}

/// A release is preferred to any pre-release: `latest python` is the
/// newest release, not the next release's candidate; a pre-release is the
/// answer only where no release matches. NGC's release candidates
/// (`25.01.rc0-py3`) and product pre-releases (`1.4.0rc2`) count too.
#[test]
fn newest_prefers_a_release_to_any_pre_release() {
    let newest = |names: &[&str], repository: &str| {
        let c = Catalog::from_names(names).unwrap();
        let q = Query::new(repository).unwrap();
        c.newest(&q).unwrap().image().to_string()
    };
    assert_eq!(
        newest(
            &["python:3.13.1", "python:3.14.0rc1", "python:3.12.8"],
            "python"
        ),
        "docker.io/library/python:3.13.1"
    );
    assert_eq!(
        newest(&["python:3.14.0rc1", "python:3.14.0a3"], "python"),
        "docker.io/library/python:3.14.0rc1"
    );
    assert_eq!(
        newest(
            &[
                "nvcr.io/nvidia/pytorch:24.10-py3",
                "nvcr.io/nvidia/pytorch:25.01.rc0-py3"
            ],
            "nvcr.io/nvidia/pytorch"
        ),
        "nvcr.io/nvidia/pytorch:24.10-py3"
    );
    assert_eq!(
        newest(
            &["nvcr.io/nvidia/nemo:1.3.0", "nvcr.io/nvidia/nemo:1.4.0rc2"],
            "nvcr.io/nvidia/nemo"
        ),
        "nvcr.io/nvidia/nemo:1.3.0"
    );
    // The version without its marker is what a requirement reads.
    let c =
        Catalog::from_names(["nvcr.io/nvidia/nemo:1.4.0rc2", "nvcr.io/nvidia/nemo:1.2.0"]).unwrap();
    let q = Query::new("nvcr.io/nvidia/nemo")
        .unwrap()
        .version(">=1.3".parse().unwrap());
    assert_eq!(
        c.newest(&q).unwrap().image().to_string(),
        "nvcr.io/nvidia/nemo:1.4.0rc2"
    );
}

/// Two digests of one VESSL revision are two images (the tag was pushed
/// again): the catalog keeps both, `contains` tells them apart, and the
/// alias resolves to the newest revision whichever way it is written. The
/// numbered index once filed them by tag alone, so the second was dropped
/// and `contains` answered yes for a digest it had never seen.
#[test]
fn digests_of_one_revision_are_two_images() {
    let d = |c: char| c.to_string().repeat(64);
    let a = format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@sha256:{}", d('a'));
    let b = format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@sha256:{}", d('b'));
    let one = Catalog::from_names([&a]).unwrap();
    assert!(one.contains(&Image::parse(&a).unwrap()));
    assert!(!one.contains(&Image::parse(&b).unwrap()));
    assert!(!one.contains(&Image::parse("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5").unwrap()));
    let names = [
        a.clone(),
        b.clone(),
        a.clone(),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r3".to_owned(),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4".to_owned(),
    ];
    let c = Catalog::from_names(&names).unwrap();
    assert_eq!(c.len(), 4);
    // The newest revision is r5, held only with digests.
    let r = c
        .resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")
        .unwrap();
    assert!(r.to_string().contains("-r5@sha256:"), "{r}");
    // One track: r3, the digests of r5, and the alias right after the one
    // it resolves to.
    let sorted: Vec<String> = c.sorted().iter().map(|i| i.to_string()).collect();
    assert_eq!(sorted.len(), 4);
    assert!(sorted[0].ends_with("-r3"), "{sorted:?}");
    let at = sorted.iter().position(|s| *s == r.to_string()).unwrap();
    assert!(sorted[at + 1].ends_with(":2.3.0-cuda12.4"), "{sorted:?}");
    assert_eq!(
        sorted.iter().filter(|s| s.contains("-r5@sha256:")).count(),
        2
    );
}

/// Revisions from 64 up live in a table of image indices that recomputes
/// each entry's key from its image as it grows: a catalog built without a
/// size hint grows it many times, and still knows every revision once.
#[test]
fn high_revisions_survive_growth() {
    let mut c = Catalog::new();
    let name = |r: u32| format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r{r}");
    let other = |r: u32| format!("quay.io/vessl-ai/torch:2.3.0-cuda12.1-r{r}");
    for r in (60..1060).rev() {
        assert!(c.insert(Image::parse(&name(r)).unwrap()));
        assert!(c.insert(Image::parse(&other(r)).unwrap()));
    }
    for r in 60..1060 {
        assert!(!c.insert(Image::parse(&name(r)).unwrap()), "r{r} twice");
        assert!(c.contains(&Image::parse(&other(r)).unwrap()));
    }
    assert!(!c.contains(&Image::parse(&name(1060)).unwrap()));
    assert_eq!(c.len(), 2000);
    assert_eq!(
        c.resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")
            .unwrap()
            .to_string(),
        name(1059)
    );
}

/// Docker Hub's CUDA tags answer `--cuda` and `--cudnn` (round 8 of real
/// tags: `latest pytorch/pytorch --cuda 12.4` found nothing): a `cuda12.4`
/// word of the flavour, or the version of a repository named `cuda`.
#[test]
fn generic_cuda_tags_answer_cuda_queries() {
    let pytorch = Catalog::from_names([
        "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
        "pytorch/pytorch:2.5.1-cuda12.1-cudnn9-runtime",
        "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
        "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-devel",
        "pytorch/pytorch:2.6.0-cuda12.6-cudnn9-runtime",
        "pytorch/pytorch:1.13.1-cuda11.6-cudnn8-runtime",
    ])
    .unwrap();
    let q = || Query::new("pytorch/pytorch").unwrap();
    let cuda = |v: &str| v.parse().unwrap();
    assert_eq!(
        newest(&pytorch, q().cuda(cuda("12.4"))).0,
        "docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime"
    );
    assert_eq!(
        newest(&pytorch, q().cuda(cuda("11"))).0,
        "docker.io/pytorch/pytorch:1.13.1-cuda11.6-cudnn8-runtime"
    );
    assert_eq!(
        newest(&pytorch, q().cudnn(8)).0,
        "docker.io/pytorch/pytorch:1.13.1-cuda11.6-cudnn8-runtime"
    );
    assert_eq!(
        pytorch.newest(&q().cuda(cuda("13"))).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let nvidia = Catalog::from_names([
        "nvidia/cuda:12.4.1-runtime-ubuntu22.04",
        "nvidia/cuda:12.6.3-runtime-ubuntu22.04",
        "nvidia/cuda:11.8.0-runtime-ubuntu22.04",
    ])
    .unwrap();
    assert_eq!(
        newest(
            &nvidia,
            Query::new("nvidia/cuda").unwrap().cuda(cuda("12.4"))
        )
        .0,
        "docker.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04"
    );
}
