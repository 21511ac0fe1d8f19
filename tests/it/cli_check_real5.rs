//! `imagetag check` on shapes that a fifth held-out round of real
//! repository files found (`/work/realfiles5`, REPORT.md there): each test
//! is built from a minimal snippet of the real file it names, run as the
//! real binary with exact output and exit code.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;

use support::TempDir;

use util::expect_in as expect;

/// A placeholder in angle brackets (`<jupyter>`, `<IMAGE>`) is filled in
/// by whoever builds or deploys: a note, never an error. Kubeflow's
/// notebook-server Dockerfiles default their base to one
/// (`components/example-notebook-servers/jupyter-pytorch-cuda/Dockerfile`:
/// `ARG BASE_IMG=<jupyter>` / `FROM $BASE_IMG`; the Makefile passes the real
/// one), and pipeline examples write `image: <IMAGE>`. A name that is really
/// wrong is still an error.
#[test]
fn angle_bracket_placeholders_are_notes() {
    let t = TempDir::new("real5-placeholder");
    let d = t.path();
    fs::create_dir_all(d.join("cuda")).unwrap();
    fs::write(
        d.join("cuda/Dockerfile"),
        "#\n# NOTE: Use the Makefiles to build this image correctly.\n#\n\n\
         ARG BASE_IMG=<jupyter>\nFROM $BASE_IMG\n\n\
         ARG PYTORCH_VERSION=2.3.0\n",
    )
    .unwrap();
    fs::write(
        d.join("Dockerfile"),
        "FROM <base-image>:<tag> AS build\nFROM Bad:Name\n",
    )
    .unwrap();
    fs::write(
        d.join("pipeline.yml"),
        "steps:\n  - command: make test\n    plugins:\n      - docker#v5.9.0:\n          \
         image: <IMAGE>\n  - command: make lint\n    plugins:\n      - docker#v5.9.0:\n          \
         image: \"node:18\"\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--no-config"],
        1,
        "Dockerfile:1:6: note: skipped: \"<base-image>:<tag>\" is a placeholder (<base-image>) to fill in\n\
         Dockerfile:2:6: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n\
         cuda/Dockerfile:6:6: note: skipped: \"$BASE_IMG\" is a placeholder (<jupyter>) to fill in\n\
         pipeline.yml:5:18: note: skipped: \"<IMAGE>\" is a placeholder (<IMAGE>) to fill in\n",
        "checked 2 references in 3 files: 1 error, 3 references skipped\n",
    );
}
