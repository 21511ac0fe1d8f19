//! `imagetag check` and `imagetag pin` on Dockerfiles as people write them:
//! `ARG` chains, quotes, BuildKit's platform `ARG`s, stage names, `COPY
//! --from=` and `RUN --mount=...,from=` images, `# syntax=`, heredocs,
//! CRLF, the names Dockerfiles go by, templates, and real files from public
//! repositories. Run as the real binary on the fixture tree in
//! `tests/data/check/dockerfile/`, with exact output and exit codes.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;
use std::path::{Path, PathBuf};

use support::TempDir;

use util::{expect_in as expect, run_in};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check/dockerfile")
}

/// `--require-digest` turns every reference found into an error that names
/// it: the way to see all of them, with their text and position.
const NO_DIGEST: &str = "has no digest: pin it with imagetag pin --digest";

/// ARG chains (`BASE=python:${PY}-slim`), quotes, `${A:-x}` and `${A:+x}`,
/// a `FROM` whose expansion is a stage (in another case), BuildKit's
/// platform `ARG`s and an `ARG` without a default (notes, not errors),
/// stage `ARG`s for `COPY --from=` (inheriting the global default), `RUN
/// --mount=...,from=` past a comment in a continuation, `# Syntax =`, a
/// heredoc whose body reads `from pathlib import Path`, and CRLF.
#[test]
fn args_and_stages() {
    let e = |l: &str, r: &str| format!("args/{l}: error: \"{r}\" {NO_DIGEST}\n");
    let mut want = String::new();
    for (l, r) in [
        ("Dockerfile:1:12", "docker/dockerfile:1.4"),
        ("Dockerfile:13:6", "python:3.11-slim"),
        ("Dockerfile:18:32", "nvcr.io/nvidia/pytorch:24.01-py3"),
        ("Dockerfile:20:6", "nvidia/cuda:12.4.1-runtime-ubuntu22.04"),
    ] {
        want += &e(l, r);
    }
    want += "args/Dockerfile:21:6: note: skipped: \"nvidia/cuda:${CUDA}-devel\" uses ${CUDA}, which has no default in an ARG before the first FROM\n\
             args/Dockerfile:22:6: note: skipped: \"base-${TARGETARCH}\" uses ${TARGETARCH}, which BuildKit sets for each platform it builds for\n";
    for (l, r) in [
        ("Dockerfile:23:6", "ubuntu:22.04"),
        ("Dockerfile:24:6", "nvcr.io/nvidia/tritonserver:24.01-py3"),
        ("Dockerfile:29:13", "busybox:1.36"),
        ("Dockerfile:30:20", "nvcr.io/nvidia/pytorch:24.01-py3"),
        ("Dockerfile:33:28", "ghcr.io/astral-sh/uv:0.4.20"),
        ("crlf.Dockerfile:1:6", "ubuntu:22.04"),
        ("crlf.Dockerfile:5:13", "alpine:3.20"),
    ] {
        want += &e(l, r);
    }
    expect(
        &data(),
        &["check", "--require-digest", "args"],
        1,
        &want,
        "checked 11 references in 2 files: 11 errors, 2 references skipped\n",
    );
    // Without the digest policy: the variables are notes, nothing fails.
    let notes: String =
        want.lines()
            .filter(|l| l.contains(": note: "))
            .fold(String::new(), |mut s, l| {
                s += l;
                s.push('\n');
                s
            });
    expect(
        &data(),
        &["check", "--deny-alias", "args"],
        0,
        &notes,
        "checked 11 references in 2 files: 0 errors, 2 references skipped\n",
    );
}

/// The names Dockerfiles go by are read while walking and when named; a
/// Markdown file named like one is not, unless `--kind` says so.
#[test]
fn names() {
    let names = [
        "Containerfile.ubi9",
        "Dockerfile-triton",
        "Dockerfile.cuda12.4",
        "Dockerfile.rocm",
        "Dockerfile_gpu",
        "cuda.Dockerfile",
        "dockerfile",
        "gpu.containerfile",
    ];
    let want: String = names
        .iter()
        .map(|n| format!("names/{n}:1:6: error: \"ubuntu:22.04\" {NO_DIGEST}\n"))
        .collect();
    expect(
        &data(),
        &["check", "--require-digest", "names"],
        1,
        &want,
        "checked 8 references in 8 files: 8 errors\n",
    );
    let mut args = vec!["check".to_owned()];
    args.extend(names.iter().map(|n| format!("names/{n}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    expect(
        &data(),
        &args,
        0,
        "",
        "checked 8 references in 8 files: 0 errors\n",
    );
    expect(
        &data(),
        &["check", "names/Dockerfile.md"],
        2,
        "",
        "imagetag check: names/Dockerfile.md: not a Dockerfile, a YAML file, a devcontainer.json, a Jenkinsfile, a Bake file or a name list (*.txt) by its name (--kind dockerfile, yaml, devcontainer, jenkins, bake or list reads it as one)\n\
         checked 0 references in 0 files: 0 errors\n",
    );
    expect(
        &data(),
        &["check", "--kind", "dockerfile", "names/images.conf", "names/Dockerfile.md"],
        1,
        "names/images.conf:1:6: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n\
         names/Dockerfile.md:3:6: error: invalid reference \"Not-An-Image\": repository path must be lowercase at byte 0 (\"Not-An-Image\")\n",
        "checked 2 references in 2 files: 2 errors\n",
    );
    // Read as a name list instead: each line a name.
    expect(
        &data(),
        &["check", "--kind", "list", "names/images.conf"],
        1,
        "names/images.conf:1:1: error: invalid reference \"FROM Bad:Name\": repository path must be lowercase at byte 0 (\"FROM Bad\")\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    let out = run_in(&data(), &["check", "--kind", "xml", "names/images.conf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains(
        "expected a kind of file: dockerfile, yaml, devcontainer, jenkins, bake or list, found \"xml\""
    ));
}

/// A template's expressions (`{{ }}`, `{% %}`, `@NAME@`, `%%NAME%%`, and
/// in a template file anything a reference cannot hold) are notes, never
/// errors; its literal images are still checked.
#[test]
fn template() {
    let note = |l: usize, r: &str| {
        format!(
            "template/Dockerfile.j2:{l}:6: note: skipped: \"{}\" is a template expression\n",
            r.replace('"', "\\\"")
        )
    };
    let mut want = String::new();
    for (l, r) in [
        (2, "nvidia/cuda:{{ cuda_version }}-runtime-ubuntu22.04"),
        (4, "{{ base_image }}"),
        (6, "@BASE_IMAGE@"),
        (7, "%%BASE%%:latest"),
        (8, "<your-image>"),
    ] {
        want += &note(l, r);
    }
    want += &format!("template/Dockerfile.j2:9:6: error: \"python:3.11-slim\" {NO_DIGEST}\n");
    expect(
        &data(),
        &["check", "--require-digest", "template"],
        1,
        &want,
        "checked 1 reference in 1 file: 1 error, 5 references skipped\n",
    );
}

/// Truly broken references stay errors at their position: a scheme's
/// invalid tag (under `--scheme vessl`), `ko://`, an uppercase repository,
/// a broken tag filled in from an `ARG`, a `COPY --from=` that names no
/// stage and no valid image.
#[test]
fn broken() {
    let rest = "broken/Dockerfile:3:6: error: invalid reference \"ko://github.com/x/y\": expected a port number of digits at byte 3 (\"/\")\n\
                broken/Dockerfile:4:6: error: invalid reference \"Ubuntu:22.04\": repository path must be lowercase at byte 0 (\"Ubuntu\")\n\
                broken/Dockerfile:5:6: error: invalid reference \"nginx:Latest!\": expected a letter, digit, '_', '.' or '-' in the tag at byte 12 (\"!\")\n\
                broken/Dockerfile:6:13: error: invalid reference \"Alpine\": repository path must be lowercase at byte 0 (\"Alpine\")\n";
    expect(
        &data(),
        &["check", "broken"],
        1,
        rest,
        "checked 5 references in 1 file: 4 errors\n",
    );
    expect(
        &data(),
        &["check", "--scheme", "vessl", "broken/Dockerfile"],
        1,
        &format!("broken/Dockerfile:2:6: error: invalid VESSL tag \"quay.io/vessl-ai/torch:2.3.1-cuda-12.1-r5\": expected a CUDA version right after 'cuda', as in cuda12.4 at byte 33 (\"-\")\n{rest}"),
        "checked 5 references in 1 file: 5 errors\n",
    );
}

/// Real files from public repositories (see the README beside them): every
/// image a reviewer points at, at its line, with its `ARG`s filled in, and
/// no false error (stages, `RUN --mount=...,from=wheel`, a heredoc's
/// `from pathlib import Path` are not images).
#[test]
fn real_files() {
    let e = |l: &str, r: &str| format!("real/{l}: error: \"{r}\" {NO_DIGEST}\n");
    let mut want = String::new();
    for (l, r) in [
        (
            "Containerfile:4:6",
            "vault.habana.ai/gaudi-docker/1.16.1/rhel9.2/habanalabs/pytorch-installer-2.2.2",
        ),
        ("Dockerfile.multi:8:6", "nvcr.io/nvidia/pytorch:25.08-py3"),
        (
            "Dockerfile.multi:118:6",
            "nvcr.io/nvidia/tritonserver:25.08-py3",
        ),
        ("Dockerfile.ray-llm:1:10", "docker/dockerfile:1.3-labs"),
    ] {
        want += &e(l, r);
    }
    want += "real/Dockerfile.ray-llm:4:6: note: skipped: \"$BASE_IMAGE\" uses ${BASE_IMAGE}, which has no default in an ARG before the first FROM\n";
    for (l, r) in [
        (
            "Dockerfile.tpu:4:6",
            "us-central1-docker.pkg.dev/tpu-pytorch-releases/docker/xla:nightly_3.10_tpuvm_20250124",
        ),
        ("cuda.Dockerfile:9:6", "nvidia/cuda:12.8.1-devel-ubuntu24.04"),
        ("cuda.Dockerfile:65:6", "nvidia/cuda:12.8.1-runtime-ubuntu24.04"),
    ] {
        want += &e(l, r);
    }
    expect(
        &data(),
        &["check", "--require-digest", "real"],
        1,
        &want,
        "checked 7 references in 5 files: 7 errors, 1 reference skipped\n",
    );
    expect(
        &data(),
        &["check", "real"],
        0,
        "real/Dockerfile.ray-llm:4:6: note: skipped: \"$BASE_IMAGE\" uses ${BASE_IMAGE}, which has no default in an ARG before the first FROM\n",
        "checked 7 references in 5 files: 0 errors, 1 reference skipped\n",
    );
}

/// `pin` rewrites an alias where its tag is written: in the `ARG` default
/// that a `FROM` reads (once, though two `FROM`s read it), inside quotes,
/// byte for byte; a tag assembled from several pieces is left in place
/// with a note, and `pin --check` fails on it, before and after.
#[test]
fn pin_in_arg_defaults() {
    let t = TempDir::new("pin-args");
    let file = t.path().join("Dockerfile");
    let before = fs::read_to_string(data().join("pin/Dockerfile")).unwrap();
    fs::write(&file, &before).unwrap();
    let tags = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check/tags.txt");
    let tags = tags.to_str().unwrap();
    let note = "Dockerfile:10:6: note: \"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is written with variables or across lines: not rewritten (pin where it is defined)\n";
    expect(
        t.path(),
        &["pin", "--tags", tags, "--check", "Dockerfile"],
        1,
        "--- a/Dockerfile\n+++ b/Dockerfile\n\
         @@ -2 +2 @@\n\
         -ARG TORCH_IMAGE=quay.io/vessl-ai/torch:2.3.0-cuda12.4\n\
         +ARG TORCH_IMAGE=quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n\
         @@ -3 +3 @@\n\
         -ARG PY_TAG=\"3.10\"\n\
         +ARG PY_TAG=\"3.10-r10\"\n",
        &format!("{note}would pin 2 references in 1 of 1 file, 1 alias left in place\n"),
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), before, "--check wrote");
    expect(
        t.path(),
        &["pin", "--tags", tags, "Dockerfile"],
        0,
        "Dockerfile: pinned 2\n",
        &format!("{note}pinned 2 references in 1 of 1 file, 1 alias left in place\n"),
    );
    let after = before
        .replacen("torch:2.3.0-cuda12.4\n", "torch:2.3.0-cuda12.4-r10\n", 1)
        .replacen("\"3.10\"", "\"3.10-r10\"", 1);
    assert_ne!(after, before);
    assert_eq!(fs::read_to_string(&file).unwrap(), after);
    // The assembled alias is still there: not a pass.
    expect(
        t.path(),
        &["pin", "--tags", tags, "--check", "Dockerfile"],
        1,
        "",
        &format!("{note}would pin 0 references in 0 of 1 file, 1 alias left in place\n"),
    );
    // And what was pinned reads as pinned.
    expect(
        t.path(),
        &["check", "--deny-alias", "Dockerfile"],
        1,
        "Dockerfile:10:6: error: \"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision\n",
        "checked 5 references in 1 file: 1 error\n",
    );
}

/// A word the expansion drops is not read for its variables, as BuildKit
/// drops it: `${NS:+$NS/}` with `NS` unset is nothing, and `${SET:-$NOPE}`
/// with `SET` set is `SET` (LabNow-ai/lab-media's `vllm-cuda.Dockerfile`,
/// round 8 of real files, was a note).
#[test]
fn dropped_words_use_no_variable() {
    let tmp = TempDir::new("df-dropped");
    let dir = tmp.path();
    std::fs::write(
        dir.join("Dockerfile"),
        "ARG NS\nARG IMG=\"torch-cuda128\"\nARG SET=org\n\
         FROM ${NS:+$NS/}${IMG}\nFROM ${SET:-$NOPE}/app:1.0\nFROM ${NS:+${NS}/}base:2.0\n\
         FROM ${NS}/other:3.0\n",
    )
    .unwrap();
    let out = util::run_in(dir, &["check", "--list", "--no-config"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Dockerfile:4:6 torch-cuda128\nDockerfile:5:6 org/app:1.0\nDockerfile:6:19 base:2.0\n"
    );
    // A variable the expansion does use still has no value: a note.
    let out = util::run_in(dir, &["check", "--no-config"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Dockerfile:7:6: note: skipped"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}
