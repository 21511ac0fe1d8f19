//! `imagetag resolve`, `latest` and `sort`, run as the real binary on the
//! tag lists in `tests/data/tags/`.
#![cfg(feature = "cli")]

use crate::util;

use std::process::Output;

fn data(name: &str) -> String {
    format!("{}/tests/data/tags/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    util::imagetag(args, stdin.unwrap_or_default().as_bytes())
}

#[track_caller]
fn check(args: &[&str], stdin: Option<&str>, code: i32, stdout: &str) -> String {
    let out = run(args, stdin);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        stdout,
        "{args:?}; stderr: {err}"
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}; stderr: {err}");
    err
}

#[test]
fn resolve() {
    let torch = data("torch.txt");
    let err = check(
        &[
            "resolve",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
            "--tags",
            &torch,
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n",
    );
    // The one line that is not a VESSL tag is a valid reference: detection
    // keeps it as an opaque tag, on a track of its own, with no warning.
    assert_eq!(err, "");
    // With `--scheme vessl` it does not fit: skipped, with the broken part.
    let err = check(
        &[
            "resolve",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
            "--tags",
            &torch,
            "--scheme",
            "vessl",
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n",
    );
    assert_eq!(
        err,
        "imagetag resolve: skipping: invalid VESSL tag \"quay.io/vessl-ai/torch:buildcache\": expected the version at the start of the tag, as in 2.3.0 at byte 23 (\"b\")\n"
    );
    check(
        &[
            "resolve",
            "quay.io/vessl-ai/torch:2.1.0-cuda11.8",
            "--tags",
            &torch,
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.1.0-cuda11.8\n",
    );
    let err = check(
        &[
            "resolve",
            "quay.io/vessl-ai/torch:2.5.0-cuda12.4",
            "--tags",
            &torch,
        ],
        None,
        1,
        "",
    );
    assert!(err.ends_with(
        "imagetag resolve: cannot resolve quay.io/vessl-ai/torch:2.5.0-cuda12.4: no match for alias \"quay.io/vessl-ai/torch:2.5.0-cuda12.4\": expected the alias or a -rN revision of it in the tag list\n"
    ));
    // Full names from stdin.
    check(
        &["resolve", "quay.io/vessl-ai/python:3.10", "--tags", "-"],
        Some("quay.io/vessl-ai/python:3.10-r9\n# comment\n\nquay.io/vessl-ai/python:3.10-r10  # newest\n"),
        0,
        "quay.io/vessl-ai/python:3.10-r10\n",
    );
    check(
        &[
            "resolve",
            "quay.io/vessl-ai/python:3.10",
            "--tags",
            &data("python.txt"),
        ],
        None,
        0,
        "quay.io/vessl-ai/python:3.10-r10\n",
    );
    // An unreadable list is a usage error; an invalid name exits 1.
    check(
        &[
            "resolve",
            "quay.io/vessl-ai/python:3.10",
            "--tags",
            &data("missing.txt"),
        ],
        None,
        2,
        "",
    );
    check(
        &["resolve", "quay.io/vessl-ai/python:x", "--tags", &torch],
        None,
        1,
        "",
    );
}

#[test]
fn latest() {
    let torch = data("torch.txt");
    let err = check(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--pinned",
            "--cuda",
            "12",
            "--version",
            ">=2.2, <2.4",
            "--tags",
            &torch,
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r5\n",
    );
    assert!(
        err.ends_with("track: vessl quay.io/vessl-ai/torch cuda12.1\n"),
        "{err}"
    );
    check(
        &["latest", "quay.io/vessl-ai/torch", "--tags", &torch],
        None,
        0,
        "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim\n",
    );
    check(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--cuda",
            "12.4",
            "--tags",
            &torch,
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4\n",
    );
    check(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--cuda",
            "12.4",
            "--pinned",
            "--tags",
            &torch,
        ],
        None,
        0,
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n",
    );
    check(
        &[
            "latest",
            "quay.io/vessl-ai/python",
            "--version",
            "<3.11",
            "--tags",
            &data("python.txt"),
        ],
        None,
        0,
        "quay.io/vessl-ai/python:3.10\n",
    );
    let err = check(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--cuda",
            "11",
            "--pinned",
            "--tags",
            &torch,
        ],
        None,
        1,
        "",
    );
    assert!(err.ends_with("imagetag latest: no match for query \"quay.io/vessl-ai/torch --cuda 11 --pinned\": expected a tag in the tag list that meets every condition\n"), "{err}");
    // Usage errors.
    check(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--cuda",
            "x",
            "--tags",
            &torch,
        ],
        None,
        2,
        "",
    );
    check(
        &["latest", "quay.io/vessl-ai/torch:1", "--tags", &torch],
        None,
        2,
        "",
    );
}

#[test]
fn sort() {
    check(
        &["sort", "--tags", &data("python.txt")],
        None,
        0,
        "quay.io/vessl-ai/python:3.9\n\
         quay.io/vessl-ai/python:3.10-r2\n\
         quay.io/vessl-ai/python:3.10-r9\n\
         quay.io/vessl-ai/python:3.10-r10\n\
         quay.io/vessl-ai/python:3.10\n\
         quay.io/vessl-ai/python:3.11-r1\n\
         quay.io/vessl-ai/python:3.11\n",
    );
    check(
        &["sort", "--tags", &data("mixed.txt")],
        None,
        0,
        "docker.io/library/nginx:1.27.1\n\
         docker.io/library/nginx:1.9.0-alpine\n\
         docker.io/library/nginx:1.27.1-alpine\n\
         quay.io/vessl-ai/cuda:12.4-r3\n\
         quay.io/vessl-ai/cuda:12.4-r4\n\
         quay.io/vessl-ai/cuda:12.4\n\
         quay.io/vessl-ai/cuda:12.10\n\
         quay.io/vessl-ai/python:3.10-r9\n\
         quay.io/vessl-ai/python:3.10-r10\n",
    );
    check(
        &[
            "sort",
            "quay.io/vessl-ai/python:3.10-r10",
            "quay.io/vessl-ai/python:3.10-r9",
        ],
        None,
        0,
        "quay.io/vessl-ai/python:3.10-r9\nquay.io/vessl-ai/python:3.10-r10\n",
    );
    // Detected, a tag that does not fit VESSL's grammar is still a valid
    // image (an opaque tag, on a track of its own)...
    check(
        &[
            "sort",
            "quay.io/vessl-ai/python:3.10-r10",
            "quay.io/vessl-ai/python:x",
        ],
        None,
        0,
        "quay.io/vessl-ai/python:3.10-r10\nquay.io/vessl-ai/python:x\n",
    );
    // ...and with `--scheme vessl`, an error.
    let err = check(
        &[
            "sort",
            "--scheme",
            "vessl",
            "quay.io/vessl-ai/python:3.10-r10",
            "quay.io/vessl-ai/python:x",
        ],
        None,
        1,
        "quay.io/vessl-ai/python:3.10-r10\n",
    );
    assert!(err.contains("skipping: invalid VESSL tag"), "{err}");
    check(
        &["sort", "--tags", "-"],
        Some("quay.io/vessl-ai/cuda:12.4-r10\nquay.io/vessl-ai/cuda:12.4-r9\n"),
        0,
        "quay.io/vessl-ai/cuda:12.4-r9\nquay.io/vessl-ai/cuda:12.4-r10\n",
    );
}

#[test]
fn help_has_examples() {
    for cmd in ["resolve", "latest", "sort"] {
        let out = run(&[cmd, "--help"], None);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example: imagetag"), "{cmd}: {text}");
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn latest_released_after_a_month() {
    let tags = "23.05-py3\n23.06-py3\n23.07-py3\n";
    let repo = "nvcr.io/nvidia/pytorch";
    let err = check(
        &["latest", repo, "--released-after", "2023-06", "--tags", "-"],
        Some(tags),
        0,
        "nvcr.io/nvidia/pytorch:23.07-py3\n",
    );
    assert_eq!(
        err,
        "track: ngc nvcr.io/nvidia/pytorch release python=py3\n"
    );
    check(
        &["latest", repo, "--released-after", "2023-07", "--tags", "-"],
        Some(tags),
        1,
        "",
    );
    let err = check(
        &["latest", repo, "--released-after", "june", "--tags", "-"],
        Some(tags),
        2,
        "",
    );
    assert!(
        err.contains("expected a month as YYYY-MM (2023-06), found \"june\""),
        "{err}"
    );
}
