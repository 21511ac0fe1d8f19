//! `imagetag outdated`, `imagetag update` and `pin --latest`, run as the
//! real binary on the fixture tree `tests/data/outdated/` (a Dockerfile
//! with an `ARG`-built reference, Compose, a Kubernetes manifest, Helm
//! values) with its tag list `tags.txt`: tags of several repositories on
//! several tracks, with moving tags, pre-releases and other flavours
//! beside them.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;
use std::path::{Path, PathBuf};

use support::TempDir;
use util::{expect_in as expect, run_in};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/outdated")
}

/// A copy of the fixture tree, to rewrite.
fn copy() -> TempDir {
    let t = TempDir::new("outdated");
    for f in [
        "Dockerfile",
        "compose.yaml",
        "k8s/deploy.yaml",
        "chart/values.yaml",
        "tags.txt",
    ] {
        let to = t.path().join(f);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(data().join(f), to).unwrap();
    }
    t
}

fn read(dir: &Path, f: &str) -> String {
    fs::read_to_string(dir.join(f)).unwrap()
}

/// 12 references: 5 in the Dockerfile (the `# syntax=` image and the
/// moving `python:3.12-slim` among them), 3 in Compose, 3 in the manifest,
/// 1 in the chart.
#[test]
fn outdated_lists_the_newest_on_each_track() {
    // - nvidia/cuda: 12.6.3 with the same flavour (cudnn-runtime-ubuntu22.04),
    //   not ubuntu24.04 or devel;
    // - torch: a newer release on the same CUDA line (2.4.0-cuda12.4), not
    //   cuda12.1, not the alias 2.3.0-cuda12.4;
    // - python -slim: 3.13.1-slim, not the moving 3.13-slim, not 3.13.1
    //   (no flavour), not the pre-release 3.14.0rc1-slim;
    // - VESSL python: the image's version is its Python (3.11-r3);
    // - postgres: 17.2 on alpine3.20, not alpine3.21;
    // - redis: 7.4.1-bookworm, not -alpine; nginx is the newest already;
    // - NGC: 24.10-py3, not 24.03-py3-igpu;
    // - bitnami: the newest version on debian-12 (its -r0), not debian-11;
    // - the pre-release reference gets the newest pre-release.
    expect(
        &data(),
        &["outdated", "--tags", "tags.txt"],
        1,
        "Dockerfile:3:6: nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 -> nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04\n\
         Dockerfile:4:6: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r4 -> quay.io/vessl-ai/torch:2.4.0-cuda12.4-r1\n\
         Dockerfile:5:6: python:3.12.7-slim -> python:3.13.1-slim\n\
         chart/values.yaml:2:15: quay.io/vessl-ai/python:3.10-r9 -> quay.io/vessl-ai/python:3.11-r3\n\
         compose.yaml:3:13: postgres:16.4-alpine3.20 -> postgres:17.2-alpine3.20\n\
         compose.yaml:5:12: redis:7.2.4-bookworm -> redis:7.4.1-bookworm\n\
         k8s/deploy.yaml:8:18: nvcr.io/nvidia/pytorch:24.01-py3 -> nvcr.io/nvidia/pytorch:24.10-py3\n\
         k8s/deploy.yaml:10:18: bitnami/redis:7.2.4-debian-12-r7 -> bitnami/redis:7.4.1-debian-12-r0\n\
         k8s/deploy.yaml:12:18: python:3.13.0rc1-slim -> python:3.14.0rc1-slim\n",
        "9 outdated of 12 references in 4 files\n",
    );
}

#[test]
fn outdated_stays_within_a_line_or_a_requirement() {
    // --patch: the same major.minor; postgres 16.4 and NGC 24.01 have
    // nothing newer in theirs; the release candidate goes to its release.
    expect(
        &data(),
        &["outdated", "--tags", "tags.txt", "--patch"],
        1,
        "Dockerfile:4:6: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r4 -> quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5\n\
         Dockerfile:5:6: python:3.12.7-slim -> python:3.12.8-slim\n\
         chart/values.yaml:2:15: quay.io/vessl-ai/python:3.10-r9 -> quay.io/vessl-ai/python:3.10-r10\n\
         compose.yaml:5:12: redis:7.2.4-bookworm -> redis:7.2.6-bookworm\n\
         k8s/deploy.yaml:10:18: bitnami/redis:7.2.4-debian-12-r7 -> bitnami/redis:7.2.5-debian-12-r1\n\
         k8s/deploy.yaml:12:18: python:3.13.0rc1-slim -> python:3.13.1-slim\n",
        "6 outdated of 12 references in 4 files\n",
    );
    // --minor: the same major; postgres stays on 16.
    let out = run_in(&data(), &["outdated", "--tags", "tags.txt", "--minor"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout
        .contains("compose.yaml:3:13: postgres:16.4-alpine3.20 -> postgres:16.6-alpine3.20\n"));
    assert!(stdout
        .contains("k8s/deploy.yaml:8:18: nvcr.io/nvidia/pytorch:24.01-py3 -> nvcr.io/nvidia/pytorch:24.10-py3\n"));
    assert_eq!(stdout.lines().count(), 9, "{stdout}");
    // --version: a semver requirement on the newer image's version; an
    // image with no version (none here) would not match.
    expect(
        &data().join("k8s"),
        &[
            "outdated",
            "--tags",
            "../tags.txt",
            "--version",
            "<24.5",
            "deploy.yaml",
        ],
        1,
        "deploy.yaml:8:18: nvcr.io/nvidia/pytorch:24.01-py3 -> nvcr.io/nvidia/pytorch:24.03-py3\n\
         deploy.yaml:10:18: bitnami/redis:7.2.4-debian-12-r7 -> bitnami/redis:7.4.1-debian-12-r0\n\
         deploy.yaml:12:18: python:3.13.0rc1-slim -> python:3.14.0rc1-slim\n",
        "3 outdated of 3 references in 1 file\n",
    );
    expect(
        &data().join("k8s"),
        &[
            "outdated",
            "--tags",
            "../tags.txt",
            "--version",
            ">=7.3, <8",
            "deploy.yaml",
        ],
        1,
        "deploy.yaml:10:18: bitnami/redis:7.2.4-debian-12-r7 -> bitnami/redis:7.4.1-debian-12-r0\n",
        "1 outdated of 3 references in 1 file\n",
    );
    expect(
        &data(),
        &["outdated", "--tags", "tags.txt", "--patch", "--minor"],
        2,
        "",
        "error: the argument '--patch' cannot be used with '--minor'\n\n\
         Usage: imagetag outdated --tags <FILE> --patch [PATHS]...\n\n\
         For more information, try '--help'.\n",
    );
}

#[test]
fn outdated_formats() {
    let k8s = data().join("k8s");
    let args = [
        "outdated",
        "--tags",
        "../tags.txt",
        "--patch",
        "deploy.yaml",
    ];
    expect(
        &k8s,
        &[&args[..], &["--format", "json"]].concat(),
        1,
        "{\"file\":\"deploy.yaml\",\"line\":10,\"column\":18,\"current\":\"bitnami/redis:7.2.4-debian-12-r7\",\"newest\":\"bitnami/redis:7.2.5-debian-12-r1\",\"newest_name\":\"docker.io/bitnami/redis:7.2.5-debian-12-r1\",\"track\":\"generic docker.io/bitnami/redis -debian-12\"}\n\
         {\"file\":\"deploy.yaml\",\"line\":12,\"column\":18,\"current\":\"python:3.13.0rc1-slim\",\"newest\":\"python:3.13.1-slim\",\"newest_name\":\"docker.io/library/python:3.13.1-slim\",\"track\":\"generic docker.io/library/python -slim\"}\n",
        "2 outdated of 3 references in 1 file\n",
    );
    expect(
        &k8s,
        &[&args[..], &["--format", "github"]].concat(),
        1,
        "::warning file=deploy.yaml,line=10,col=18::bitnami/redis:7.2.4-debian-12-r7 is outdated: bitnami/redis:7.2.5-debian-12-r1 is the newest on its track\n\
         ::warning file=deploy.yaml,line=12,col=18::python:3.13.0rc1-slim is outdated: python:3.13.1-slim is the newest on its track\n",
        "2 outdated of 3 references in 1 file\n",
    );
}

#[test]
fn nothing_outdated_exits_0_and_a_bad_tag_list_2() {
    let t = TempDir::new("outdated-clean");
    fs::write(t.path().join("Dockerfile"), "FROM nginx:1.27.3-alpine\n").unwrap();
    fs::write(
        t.path().join("tags.txt"),
        "1.27.3-alpine\n1.27.1-alpine\n1.28.0\n",
    )
    .unwrap();
    expect(
        t.path(),
        &["outdated", "--tags", "tags.txt", "Dockerfile"],
        0,
        "",
        "0 outdated of 1 reference in 1 file\n",
    );
    expect(
        t.path(),
        &["outdated", "--tags", "missing.txt", "Dockerfile"],
        2,
        "",
        "imagetag outdated: cannot read missing.txt: No such file or directory\n",
    );
}

/// Tags that do not compare (they differ by a commit hash only): there is
/// no single newest, and none is proposed (a note says so), but the
/// reference is out of date all the same: exit 1.
#[test]
fn no_single_newest_is_a_note_not_a_guess() {
    let t = TempDir::new("outdated-tie");
    fs::write(t.path().join("Dockerfile"), "FROM org/app:1.2.3-abc1234\n").unwrap();
    fs::write(
        t.path().join("tags.txt"),
        "1.2.3-abc1234\n1.2.4-def5678\n1.2.4-0a1b2c3\n",
    )
    .unwrap();
    expect(
        t.path(),
        &["outdated", "--tags", "tags.txt", "Dockerfile"],
        1,
        "",
        "Dockerfile:1:6: note: \"org/app:1.2.3-abc1234\" has newer images on its track, but none is the newest (they do not compare): left as it is\n\
         0 outdated of 1 reference in 1 file, 1 note\n",
    );
}

#[test]
fn update_rewrites_byte_exact() {
    let t = copy();
    let d = t.path();
    let before: Vec<String> = [
        "Dockerfile",
        "compose.yaml",
        "k8s/deploy.yaml",
        "chart/values.yaml",
    ]
    .iter()
    .map(|f| read(d, f))
    .collect();
    // --check: the diff, nothing written, exit 1.
    expect(
        d,
        &["update", "--check", "--tags", "tags.txt", "--patch", "compose.yaml", "k8s"],
        1,
        "--- a/compose.yaml\n+++ b/compose.yaml\n@@ -5 +5 @@\n-    image: redis:7.2.4-bookworm   # pinned on purpose\n+    image: redis:7.2.6-bookworm   # pinned on purpose\n\
         --- a/k8s/deploy.yaml\n+++ b/k8s/deploy.yaml\n\
         @@ -10 +10 @@\n-          image: bitnami/redis:7.2.4-debian-12-r7\n+          image: bitnami/redis:7.2.5-debian-12-r1\n\
         @@ -12 +12 @@\n-          image: python:3.13.0rc1-slim\n+          image: python:3.13.1-slim\n",
        "would update 3 references in 2 of 2 files\n",
    );
    assert_eq!(read(d, "compose.yaml"), before[1]);
    // The whole tree: only the references' bytes change; the ARG default
    // that builds a FROM, the quoted Compose value with its comment, the
    // Helm tag.
    expect(
        d,
        &["update", "--tags", "tags.txt"],
        0,
        "Dockerfile: updated 3\nchart/values.yaml: updated 1\ncompose.yaml: updated 2\nk8s/deploy.yaml: updated 3\n",
        "updated 9 references in 4 of 4 files\n",
    );
    assert_eq!(
        read(d, "Dockerfile"),
        "# syntax=docker/dockerfile:1\n\
         ARG CUDA_TAG=12.6.3-cudnn-runtime-ubuntu22.04\n\
         FROM nvidia/cuda:${CUDA_TAG} AS cuda\n\
         FROM quay.io/vessl-ai/torch:2.4.0-cuda12.4-r1 AS train\n\
         FROM python:3.13.1-slim\n\
         # a moving tag: pin's business, not update's\n\
         FROM python:3.12-slim\n"
    );
    assert_eq!(
        read(d, "compose.yaml"),
        before[1]
            .replace("postgres:16.4-alpine3.20", "postgres:17.2-alpine3.20")
            .replace("redis:7.2.4-bookworm", "redis:7.4.1-bookworm")
    );
    assert_eq!(
        read(d, "k8s/deploy.yaml"),
        before[2]
            .replace("pytorch:24.01-py3", "pytorch:24.10-py3")
            .replace("redis:7.2.4-debian-12-r7", "redis:7.4.1-debian-12-r0")
            .replace("python:3.13.0rc1-slim", "python:3.14.0rc1-slim")
    );
    assert_eq!(
        read(d, "chart/values.yaml"),
        "image:\n  repository: quay.io/vessl-ai/python\n  tag: \"3.11-r3\"\n"
    );
    assert_ne!(before[0], read(d, "Dockerfile"));
    // Nothing is left to do.
    expect(
        d,
        &["outdated", "--tags", "tags.txt"],
        0,
        "",
        "0 outdated of 12 references in 4 files\n",
    );
    expect(
        d,
        &["update", "--check", "--tags", "tags.txt"],
        0,
        "",
        "would update 0 references in 0 of 4 files\n",
    );
}

#[test]
fn pin_latest_is_update() {
    let t = copy();
    let d = t.path();
    expect(
        d,
        &[
            "pin",
            "--latest",
            "--minor",
            "--tags",
            "tags.txt",
            "compose.yaml",
        ],
        0,
        "compose.yaml: updated 2\n",
        "updated 2 references in 1 of 1 file\n",
    );
    assert_eq!(
        read(d, "compose.yaml"),
        "services:\n  db:\n    image: \"postgres:16.6-alpine3.20\"\n  cache:\n    image: redis:7.4.1-bookworm   # pinned on purpose\n  proxy:\n    image: nginx:1.27.3-alpine\n"
    );
}

/// A reference written with variables whose tag is not written whole in
/// one place is not rewritten: a note, and `--check` fails.
#[test]
fn update_leaves_assembled_tags_with_a_note() {
    let t = TempDir::new("outdated-assembled");
    let d = t.path();
    let text = "ARG V=7.2.4\nFROM redis:${V}-bookworm\n";
    fs::write(d.join("Dockerfile"), text).unwrap();
    fs::write(
        d.join("tags.txt"),
        "redis:7.2.4-bookworm\nredis:7.4.1-bookworm\n",
    )
    .unwrap();
    expect(
        d,
        &["update", "--check", "--tags", "tags.txt", "Dockerfile"],
        1,
        "",
        "Dockerfile:2:6: note: \"redis:7.2.4-bookworm\" is written with variables: not rewritten to redis:7.4.1-bookworm (update it where it is defined)\n\
         would update 0 references in 0 of 1 file, 1 left in place\n",
    );
    assert_eq!(read(d, "Dockerfile"), text);
}

/// `outdated` and `update` read the policy file as `check` and `pin` do:
/// its skip paths leave files out (a vendored manifest is not the team's
/// to update); `--no-config` reads none.
#[test]
fn outdated_and_update_honour_the_policy_files_skip_paths() {
    let t = copy();
    fs::write(t.path().join(".imagetag.toml"), "skip = [\"k8s/\"]\n").unwrap();
    let expected = "Dockerfile:3:6: nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 -> nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04\n\
         Dockerfile:4:6: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r4 -> quay.io/vessl-ai/torch:2.4.0-cuda12.4-r1\n\
         Dockerfile:5:6: python:3.12.7-slim -> python:3.13.1-slim\n\
         chart/values.yaml:2:15: quay.io/vessl-ai/python:3.10-r9 -> quay.io/vessl-ai/python:3.11-r3\n\
         compose.yaml:3:13: postgres:16.4-alpine3.20 -> postgres:17.2-alpine3.20\n\
         compose.yaml:5:12: redis:7.2.4-bookworm -> redis:7.4.1-bookworm\n";
    expect(
        t.path(),
        &["outdated", "--tags", "tags.txt"],
        1,
        expected,
        "6 outdated of 9 references in 3 files\n",
    );
    let out = run_in(t.path(), &["outdated", "--tags", "tags.txt", "--no-config"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "9 outdated of 12 references in 4 files\n"
    );
    let before = read(t.path(), "k8s/deploy.yaml");
    let out = run_in(t.path(), &["update", "--tags", "tags.txt"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(read(t.path(), "k8s/deploy.yaml"), before);
    assert!(read(t.path(), "compose.yaml").contains("redis:7.4.1-bookworm"));
    // A broken policy file is an error that names it.
    fs::write(t.path().join(".imagetag.toml"), "skip = 3\n").unwrap();
    let out = run_in(t.path(), &["outdated", "--tags", "tags.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("imagetag outdated: "), "{stderr}");
    assert!(stderr.contains(".imagetag.toml"), "{stderr}");
}
