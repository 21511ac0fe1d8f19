//! The reference grammar: `distribution/reference`'s own test cases, then
//! every rule of the grammar and reading modes with exact messages.

use crate::util;

use imagetag::{AnyReference, ErrorKind, Mode, OwnedReference, Reference};
use util::{assert_to_string, table};

/// The error kind a Go sentinel error corresponds to.
fn kind_of(go: &str) -> Option<ErrorKind> {
    match go {
        "ErrNameEmpty" => Some(ErrorKind::Empty),
        "ErrNameContainsUppercase" => Some(ErrorKind::Uppercase),
        "ErrNameTooLong" => Some(ErrorKind::TooLong),
        "ErrDigestUnsupported" => Some(ErrorKind::UnsupportedDigest),
        _ => None, // ErrReferenceInvalidFormat and friends: any syntax error
    }
}

#[track_caller]
fn check_parts(r: &Reference<'_>, row: &util::Row) {
    let ctx = format!("line {}: {:?}", row.line, row.get("input"));
    assert_eq!(r.domain(), row.get("domain"), "{ctx}");
    assert_eq!(r.path(), row.req("path"), "{ctx}");
    assert_eq!(r.tag(), row.get("tag"), "{ctx}");
    assert_eq!(
        r.digest().map(|d| d.to_string()).as_deref(),
        row.get("digest"),
        "{ctx}"
    );
}

#[test]
fn distribution_reference_parse() {
    for row in table("distribution_reference.tsv") {
        let input = row.get("input").unwrap_or("");
        let got = Reference::parse(input);
        if row.req("ok") == "true" {
            let r = got.unwrap_or_else(|e| panic!("line {}: {e}", row.line));
            check_parts(&r, &row);
            assert_eq!(r.to_string(), input, "strict display is the input");
            assert_eq!(Reference::parse(&r.to_string()).unwrap(), r);
        } else {
            let e = got.expect_err(input);
            if let Some(kind) = kind_of(row.req("error")) {
                assert_eq!(e.kind(), kind, "line {}: {e}", row.line);
            }
            assert!(e.offset() <= input.len());
        }
    }
}

#[test]
fn distribution_normalize() {
    let mut seen = 0;
    for row in table("distribution_normalize.tsv") {
        let input = row.get("input").unwrap_or("");
        let ok = row.req("ok") == "true";
        let ctx = format!("line {} ({}): {input:?}", row.line, row.req("function"));
        let got: Result<String, imagetag::Error> = match row.req("function") {
            "ParseNormalizedNamed" => Reference::parse_normalized(input).map(|r| {
                if let Some(d) = row.get("domain") {
                    assert_eq!(r.domain(), Some(d), "{ctx}");
                }
                if let Some(p) = row.get("path") {
                    assert_eq!(r.path(), p, "{ctx}");
                }
                r.to_string()
            }),
            "FamiliarString" => Reference::parse_normalized(input).map(|r| {
                let familiar = r.familiar().to_string();
                assert_eq!(Reference::parse_normalized(&familiar).unwrap(), r, "{ctx}");
                familiar
            }),
            "ParseAnyReference" => AnyReference::parse(input).map(|r| r.to_string()),
            "ParseDockerRef" => Reference::parse_pull(input).map(|r| r.to_string()),
            "ParseNamed" => Reference::parse_canonical(input).map(|r| r.to_string()),
            f => panic!("unknown function {f}"),
        };
        match (ok, got) {
            (true, Ok(s)) => {
                if let Some(expected) = row.get("expected") {
                    assert_eq!(s, expected, "{ctx}");
                }
            }
            (true, Err(e)) => panic!("{ctx}: {e}"),
            (false, Ok(s)) => panic!("{ctx}: accepted as {s}"),
            (false, Err(e)) => assert!(e.offset() <= input.len(), "{ctx}"),
        }
        seen += 1;
    }
    assert!(seen > 100);
}

#[test]
fn distribution_regexp() {
    for row in table("distribution_regexp.tsv") {
        let input = row.get("input").unwrap_or("");
        let want = row.req("match") == "true";
        let ctx = format!("line {}: {input:?}", row.line);
        let got = match row.req("regexp") {
            "domain" => {
                let s = format!("{input}/x");
                Reference::parse(&s)
                    .ok()
                    .and_then(|r| r.domain().map(str::to_owned))
                    .as_deref()
                    == Some(input)
            }
            "name" => {
                Reference::parse(input).is_ok_and(|r| r.tag().is_none() && r.digest().is_none())
            }
            "reference" => Reference::parse(input).is_ok(),
            "identifier" => matches!(
                AnyReference::parse(input),
                Ok(AnyReference::Digest(d)) if d.hex() == input
            ),
            r => panic!("unknown regexp {r}"),
        };
        assert_eq!(got, want, "{ctx}");
    }
}

/// Each row: mode, input, then the expected display (or `ERR` and message).
const CASES: &[(Mode, &str, &str)] = &[
    (Mode::Normalized, "ubuntu", "docker.io/library/ubuntu"),
    (Mode::Normalized, "ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
    (Mode::Normalized, "index.docker.io/ubuntu", "docker.io/library/ubuntu"),
    (Mode::Normalized, "docker.io/ubuntu", "docker.io/library/ubuntu"),
    (Mode::Normalized, "vessl-ai/torch", "docker.io/vessl-ai/torch"),
    (Mode::Normalized, "localhost/torch", "localhost/torch"),
    (Mode::Normalized, "localhost:5000/a/b:t", "localhost:5000/a/b:t"),
    (Mode::Normalized, "[::1]:5000/a/b:t", "[::1]:5000/a/b:t"),
    (Mode::Normalized, "[2001:db8::1]/a", "[2001:db8::1]/a"),
    (Mode::Normalized, "192.168.1.1:5000/a", "192.168.1.1:5000/a"),
    (Mode::Normalized, "Foo/bar", "Foo/bar"),
    (Mode::Normalized, "a__b/c---d/e_f.g:T.1-x", "docker.io/a__b/c---d/e_f.g:T.1-x"),
    // A first component with a '.' is a domain, but '_' is not allowed in
    // one: Docker then reads the whole name as a path with no domain.
    (Mode::Normalized, "a__b.c/d", "a__b.c/d"),
    (Mode::Normalized, "x_y.io/app:1", "x_y.io/app:1"),
    (Mode::Canonical, "x_y.io/app:1", "x_y.io/app:1"),
    (Mode::Pull, "x_y.io/app", "x_y.io/app:latest"),
    (Mode::Normalized, "x_y.io:5000/app", r#"ERR invalid reference "x_y.io:5000/app": expected a letter, digit, '-', '.', ':' or '/' in the domain at byte 1 ("_")"#),
    (Mode::Normalized, "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5", "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5"),
    (Mode::Strict, "ubuntu", "ubuntu"),
    (Mode::Strict, "foo/bar", "foo/bar"),
    (Mode::Strict, "docker.io/ubuntu", "docker.io/ubuntu"),
    (Mode::Canonical, "docker.io/library/ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
    (Mode::Name, "ubuntu", "docker.io/library/ubuntu"),
    (Mode::Pull, "ubuntu", "docker.io/library/ubuntu:latest"),
    (Mode::Pull, "ubuntu:22.04", "docker.io/library/ubuntu:22.04"),
    (
        Mode::Pull,
        "ubuntu:22.04@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
        "docker.io/library/ubuntu@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
    ),
    (
        Mode::Any,
        "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
        "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
    ),
    (Mode::Any, "ubuntu", "docker.io/library/ubuntu"),
    // Errors, with their exact messages.
    (Mode::Normalized, "Quay.io/Vessl-AI/torch", r#"ERR invalid reference "Quay.io/Vessl-AI/torch": repository path must be lowercase at byte 8 ("Vessl-AI")"#),
    (Mode::Normalized, "", r#"ERR invalid reference "": expected a repository name at byte 0 (end of input)"#),
    (Mode::Normalized, "vessl-ai/Torch:1", r#"ERR invalid reference "vessl-ai/Torch:1": repository path must be lowercase at byte 9 ("Torch")"#),
    (Mode::Normalized, "torcH", r#"ERR invalid reference "torcH": repository path must be lowercase at byte 0 ("torcH")"#),
    (Mode::Normalized, "ubuntu:22.04!", r#"ERR invalid reference "ubuntu:22.04!": expected a letter, digit, '_', '.' or '-' in the tag at byte 12 ("!")"#),
    (Mode::Normalized, "ubuntu:-1", r#"ERR invalid reference "ubuntu:-1": expected a letter, digit or '_' to start the tag at byte 7 ("-")"#),
    (Mode::Normalized, "ubuntu:", r#"ERR invalid reference "ubuntu:": expected a letter, digit or '_' to start the tag at byte 7 (end of input)"#),
    (Mode::Normalized, "a-/b", r#"ERR invalid reference "a-/b": expected a lowercase letter or digit after a separator in the repository path at byte 2 ("/")"#),
    (Mode::Normalized, "a//b", r#"ERR invalid reference "a//b": expected a lowercase letter or digit in the repository path at byte 2 ("/")"#),
    (Mode::Normalized, "a/b/", r#"ERR invalid reference "a/b/": expected a lowercase letter or digit in the repository path at byte 4 (end of input)"#),
    (Mode::Normalized, "a___b", r#"ERR invalid reference "a___b": expected a lowercase letter or digit after a separator in the repository path at byte 3 ("_")"#),
    (Mode::Normalized, "ab-.com/x", r#"ERR invalid reference "ab-.com/x": a domain component cannot end with '-' at byte 2 ("-")"#),
    (Mode::Normalized, "host:http/x", r#"ERR invalid reference "host:http/x": expected a port number of digits at byte 5 ("h")"#),
    (Mode::Normalized, "[fe80::1%eth0]:5000/x", r#"ERR invalid reference "[fe80::1%eth0]:5000/x": expected ']' to close the IPv6 address at byte 8 ("%")"#),
    (Mode::Normalized, "ubuntu@sha256:abc", r#"ERR invalid reference "ubuntu@sha256:abc": expected 64 hexadecimal digits in a sha256 digest at byte 14 ("abc")"#),
    (Mode::Normalized, "ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e", r#"ERR invalid reference "ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e": expected a digest algorithm sha256, sha384 or sha512 at byte 7 ("md5")"#),
    (Mode::Normalized, "ubuntu@sha256:86E0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa", r#"ERR invalid reference "ubuntu@sha256:86E0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa": expected a lowercase hexadecimal digit in the digest at byte 16 ("E")"#),
    (Mode::Normalized, "ubuntu@sha256", r#"ERR invalid reference "ubuntu@sha256": expected a digest algorithm (sha256, sha384 or sha512) and ':' at byte 13 (end of input)"#),
    (Mode::Normalized, "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa", r#"ERR invalid reference "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa": expected a repository name, not a 64-character hexadecimal image ID at byte 0 ("86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa")"#),
    (Mode::Normalized, "héllo", r#"ERR invalid reference "héllo": expected '/', ':', '@' or the end after a path component at byte 1 ("é")"#),
    (Mode::Canonical, "ubuntu", r#"ERR invalid reference "ubuntu": expected the canonical form "docker.io/library/ubuntu" at byte 0 ("ubuntu")"#),
    (Mode::Canonical, "docker.io/ubuntu:1", r#"ERR invalid reference "docker.io/ubuntu:1": expected the canonical form "docker.io/library/ubuntu:1" at byte 10 ("ubuntu:1")"#),
    (Mode::Name, "ubuntu:22.04", r#"ERR invalid reference "ubuntu:22.04": expected a repository name without a tag or digest at byte 6 (":22.04")"#),
    // Of the two readings of a first component that is no domain, the
    // error of the one that got further (found by the oracle test).
    (Mode::Strict, "x_y/Upper", r#"ERR invalid reference "x_y/Upper": repository path must be lowercase at byte 4 ("Upper")"#),
    (Mode::Strict, "x_y.io/app@md5:d41d8cd98f00b204e9800998ecf8427e", r#"ERR invalid reference "x_y.io/app@md5:d41d8cd98f00b204e9800998ecf8427e": expected a digest algorithm sha256, sha384 or sha512 at byte 11 ("md5")"#),
    (Mode::Normalized, "x_y.io/app@md5:d41d8cd98f00b204e9800998ecf8427e", r#"ERR invalid reference "x_y.io/app@md5:d41d8cd98f00b204e9800998ecf8427e": expected a digest algorithm sha256, sha384 or sha512 at byte 11 ("md5")"#),
    (Mode::Strict, "Uppercase:tag", r#"ERR invalid reference "Uppercase:tag": repository path must be lowercase at byte 0 ("Uppercase")"#),
];

#[test]
fn modes_and_messages() {
    for &(mode, input, expected) in CASES {
        match (mode.parse(input), expected.strip_prefix("ERR ")) {
            (Ok(r), None) => {
                assert_eq!(r.to_string(), expected, "{mode} {input:?}");
                // Display round-trips in the same mode.
                assert_eq!(mode.parse(&r.to_string()).unwrap(), r, "{mode} {input:?}");
            }
            (Err(e), Some(msg)) => {
                assert_to_string(&e, msg);
                assert_eq!(e.input(), input);
            }
            (Ok(r), Some(_)) => panic!("{mode} {input:?} accepted as {r}"),
            (Err(e), None) => panic!("{mode} {input:?}: {e}"),
        }
    }
}

#[test]
fn tag_and_path_limits() {
    let tag128 = format!("a:{}", "t".repeat(128));
    assert!(Reference::parse(&tag128).is_ok());
    let tag129 = format!("a:{}", "t".repeat(129));
    let e = Reference::parse(&tag129).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert_eq!(e.offset(), 2 + 128);
    let path255 = "a".repeat(255);
    assert!(Reference::parse(&path255).is_ok());
    let e = Reference::parse(&"a".repeat(256)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert_eq!(e.offset(), 255);
    // Normalized: `library/` counts towards the limit, as in Docker.
    let e = Reference::parse_normalized(&"a".repeat(250)).unwrap_err();
    assert_to_string(
        &e,
        &format!(
            "invalid reference {:?}: repository path must be at most 255 characters at byte 247 (\"aaa\")",
            "a".repeat(250)
        ),
    );
}

#[test]
fn digests() {
    for (algo, len) in [("sha256", 64), ("sha384", 96), ("sha512", 128)] {
        let ok = format!("a@{algo}:{}", "0".repeat(len));
        let r = Reference::parse(&ok).unwrap();
        assert_eq!(r.digest().unwrap().algorithm().as_str(), algo);
        assert_eq!(r.digest().unwrap().hex().len(), len);
        assert!(Reference::parse(&format!("a@{algo}:{}", "0".repeat(len + 1))).is_err());
        assert!(Reference::parse(&format!("a@{algo}:{}", "0".repeat(len - 1))).is_err());
    }
}

#[test]
fn no_tag_is_not_latest() {
    let a = Reference::parse_normalized("ubuntu").unwrap();
    let b = Reference::parse_normalized("ubuntu:latest").unwrap();
    assert_ne!(a, b);
    assert_eq!(Reference::parse_pull("ubuntu").unwrap(), b);
}

#[test]
fn equal_names_compare_equal() {
    let forms = [
        "ubuntu",
        "library/ubuntu",
        "docker.io/ubuntu",
        "docker.io/library/ubuntu",
        "index.docker.io/library/ubuntu",
    ];
    let first = Reference::parse_normalized(forms[0]).unwrap();
    for f in forms {
        assert_eq!(Reference::parse_normalized(f).unwrap(), first, "{f}");
    }
    assert_eq!(Reference::parse("docker.io/library/ubuntu").unwrap(), first);
    let hash = |r: &Reference<'_>| {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(r)
    };
    let _ = hash(&first);
}

#[test]
fn familiar_forms_round_trip() {
    for (input, familiar) in [
        ("ubuntu", "ubuntu"),
        ("docker.io/library/ubuntu:22.04", "ubuntu:22.04"),
        ("vessl-ai/torch:2.3.0", "vessl-ai/torch:2.3.0"),
        ("docker.io/library/foo/bar", "library/foo/bar"),
        ("quay.io/vessl-ai/torch", "quay.io/vessl-ai/torch"),
        // Docker's own FamiliarString would drop the domain here, and the
        // result would read back as a reference to host `localhost`.
        ("docker.io/localhost/x", "docker.io/localhost/x"),
        ("docker.io/a.b/x", "docker.io/a.b/x"),
        // Found by proptest: a bare 64-hex name reads back as an image ID.
        (
            "docker.io/0aaa00a0aaa0aaa0a00a000a000a0a0aa0000000a0a00aa00aa0a000a000aa0a",
            "docker.io/library/0aaa00a0aaa0aaa0a00a000a000a0a0aa0000000a0a00aa00aa0a000a000aa0a",
        ),
    ] {
        let r = Reference::parse_normalized(input).unwrap();
        assert_eq!(r.familiar().to_string(), familiar, "{input}");
        assert_eq!(Reference::parse_normalized(familiar).unwrap(), r, "{input}");
        assert_eq!(
            Reference::parse_normalized(&r.canonical().to_string()).unwrap(),
            r
        );
    }
}

/// The three forms of a reading, as Docker prints them (checked against
/// `distribution/reference` by `tests/it/oracle.rs`): `Display` is Docker's
/// `String()` of the same reading, `familiar` its `FamiliarString`, and
/// `canonical` the `String()` of Docker's normalized reading.
#[test]
fn display_canonical_familiar() {
    for (mode, input, display, canonical, familiar) in [
        // Docker: Parse gives `docker.io/app`, FamiliarString `app`.
        (
            Mode::Strict,
            "docker.io/app",
            "docker.io/app",
            "docker.io/library/app",
            "app",
        ),
        (
            Mode::Strict,
            "docker.io/app:1",
            "docker.io/app:1",
            "docker.io/library/app:1",
            "app:1",
        ),
        (
            Mode::Strict,
            "docker.io/library/app",
            "docker.io/library/app",
            "docker.io/library/app",
            "app",
        ),
        (
            Mode::Strict,
            "docker.io/org/app",
            "docker.io/org/app",
            "docker.io/org/app",
            "org/app",
        ),
        // Docker's Parse does not know the legacy host: its familiar form
        // keeps it, with or without a namespace.
        (
            Mode::Strict,
            "index.docker.io/org/app",
            "index.docker.io/org/app",
            "docker.io/org/app",
            "index.docker.io/org/app",
        ),
        (
            Mode::Strict,
            "index.docker.io/app",
            "index.docker.io/app",
            "docker.io/library/app",
            "index.docker.io/app",
        ),
        (
            Mode::Strict,
            "ubuntu",
            "ubuntu",
            "docker.io/library/ubuntu",
            "ubuntu",
        ),
        (
            Mode::Strict,
            "x_y.io/app:1",
            "x_y.io/app:1",
            "x_y.io/app:1",
            "x_y.io/app:1",
        ),
        (
            Mode::Strict,
            "x_y/app",
            "x_y/app",
            "docker.io/x_y/app",
            "x_y/app",
        ),
        // Normalized: a first component with '.' and '_' is no domain, and
        // Docker keeps the name as it is in every form.
        (
            Mode::Normalized,
            "x_y.io/app:1",
            "x_y.io/app:1",
            "x_y.io/app:1",
            "x_y.io/app:1",
        ),
        (
            Mode::Normalized,
            "a__b.c/d/e",
            "a__b.c/d/e",
            "a__b.c/d/e",
            "a__b.c/d/e",
        ),
        (
            Mode::Normalized,
            "index.docker.io/org/app",
            "docker.io/org/app",
            "docker.io/org/app",
            "org/app",
        ),
        (
            Mode::Normalized,
            "index.docker.io/app",
            "docker.io/library/app",
            "docker.io/library/app",
            "app",
        ),
    ] {
        let ctx = format!("{mode} {input:?}");
        let r = mode.parse(input).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let AnyReference::Name(r) = r else {
            panic!("{ctx}: not a name")
        };
        assert_eq!(r.to_string(), display, "{ctx}: display");
        assert_eq!(r.canonical().to_string(), canonical, "{ctx}: canonical");
        assert_eq!(r.familiar().to_string(), familiar, "{ctx}: familiar");
        // The familiar form reads back (normalized) as the canonical one, and
        // the canonical form is accepted as canonical.
        let back = Reference::parse_normalized(familiar).unwrap();
        assert_eq!(back.to_string(), canonical, "{ctx}: familiar read back");
        assert!(Reference::parse_canonical(canonical).is_ok(), "{ctx}");
    }
    let r = Reference::parse_normalized("x_y.io/app:1").unwrap();
    assert_eq!(r.domain(), None);
    assert_eq!(r.path(), "x_y.io/app");
}

#[test]
fn accessors() {
    let r = Reference::parse_normalized("nvcr.io/nvidia/merlin/merlin-tensorflow-training:22.03")
        .unwrap();
    assert_eq!(r.namespace(), Some("nvidia/merlin"));
    assert_eq!(r.name(), "merlin-tensorflow-training");
    let r = Reference::parse_normalized("ubuntu").unwrap();
    assert_eq!(r.namespace(), Some("library"));
    assert_eq!(r.name(), "ubuntu");
    assert_eq!(r.path(), "library/ubuntu");
    let r = Reference::parse("ubuntu").unwrap();
    assert_eq!(r.namespace(), None);
    assert_eq!(r.domain(), None);
    assert_eq!(r.canonical().to_string(), "docker.io/library/ubuntu");
}

#[test]
fn owned_twin() {
    for s in [
        "ubuntu",
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5",
        "localhost:5000/a/b:t@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
    ] {
        let b = Reference::parse_normalized(s).unwrap();
        let o: OwnedReference = s.parse().unwrap();
        assert_eq!(o.as_reference(), b);
        assert_eq!(o.to_string(), b.to_string());
        assert_eq!(b.into_owned(), o);
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(json, format!("{:?}", b.to_string()));
        assert_eq!(serde_json::from_str::<OwnedReference>(&json).unwrap(), o);
        assert_eq!(serde_json::to_string(&b).unwrap(), json);
    }
    let e = serde_json::from_str::<OwnedReference>("\"Bad/Name\"").unwrap_err();
    assert!(
        e.to_string().contains("repository path must be lowercase"),
        "{e}"
    );
}

#[test]
fn bytes_that_are_not_utf8() {
    let e = Mode::Normalized.parse_bytes(b"ubu\xffntu").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Utf8);
    assert_to_string(
        &e,
        "invalid reference \"ubu\u{fffd}ntu\": expected UTF-8 text at byte 3 (\"\\xff\")",
    );
}

/// An error in a part read on its own (the domain before the first `/`)
/// names what the whole input holds at its offset, not "end of input".
#[test]
fn an_error_names_what_the_whole_input_holds_there() {
    let e = imagetag::Reference::parse_normalized("ko://github.com/x/y").unwrap_err();
    assert_eq!((e.offset(), e.found()), (3, "/"));
    assert!(e.to_string().ends_with("at byte 3 (\"/\")"), "{e}");
    let e = imagetag::Reference::parse_normalized("ko:").unwrap_err();
    assert_eq!((e.offset(), e.found()), (3, ""));
}
