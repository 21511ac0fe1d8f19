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

/// Kubeflow's notebook spawner UI config lists the images users pick from:
/// `image: {value: default, options: [...]}`, and the same under
/// `imageGroupOne`/`imageGroupTwo`
/// (`components/crud-web-apps/jupyter/manifests/base/configs/spawner_ui_config.yaml`).
/// Each is read when it is a valid reference; the sibling
/// `imagePullPolicy: {value: IfNotPresent}` and `cpu: {value: "0.5"}` name
/// no image.
#[test]
fn spawner_value_and_options() {
    let t = TempDir::new("real5-spawner");
    let d = t.path();
    fs::write(
        d.join("spawner_ui_config.yaml"),
        "spawnerFormDefaults:\n  allowCustomImage: true\n  imagePullPolicy:\n    readOnly: false\n    \
         value: IfNotPresent\n  image:\n    # the default container image\n    \
         value: ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:latest\n\n    \
         # the list of available container images in the dropdown\n    options:\n      \
         - ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:latest\n      \
         - docker.io/intel/intel-extension-for-pytorch:2.6.10-xpu-pip-jupyter\n  \
         imageGroupOne:\n    value: ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:latest\n    \
         options:\n      - ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:latest\n  \
         cpu:\n    readOnly: false\n    value: \"0.5\"\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        "spawner_ui_config.yaml:8:12 ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:latest\n\
         spawner_ui_config.yaml:12:9 ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:latest\n\
         spawner_ui_config.yaml:13:9 docker.io/intel/intel-extension-for-pytorch:2.6.10-xpu-pip-jupyter\n\
         spawner_ui_config.yaml:15:12 ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:latest\n\
         spawner_ui_config.yaml:17:9 ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:latest\n",
        "checked 5 references in 1 file: 0 errors\n",
    );
}

/// A Tekton bundle is an OCI image holding Tasks: the bundles resolver's
/// `params: [{name: bundle, value: ...}]`
/// (`examples/v1/taskruns/beta/bundles-resolver.yaml` in tektoncd/pipeline)
/// and the older `taskRef: {bundle: ...}`. Other resolver params (`name`,
/// `kind`, a git resolver's `url`) are no image.
#[test]
fn tekton_bundles() {
    let t = TempDir::new("real5-tekton");
    let d = t.path();
    fs::write(
        d.join("bundles-resolver.yaml"),
        "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  generateName: bundles-resolver-\nspec:\n  \
         taskRef:\n    resolver: bundles\n    params:\n      - name: bundle\n        \
         value: ghcr.io/tektoncd/catalog/upstream/tasks/git-clone@sha256:65e61544c5870c8828233406689d812391735fd4100cb444bbd81531cb958bb3 # 0.10 bundle\n      \
         - name: name\n        value: git-clone\n      - name: kind\n        value: task\n  \
         params:\n    - name: url\n      value: https://github.com/kelseyhightower/nocode\n",
    )
    .unwrap();
    fs::write(
        d.join("pipelinerun.yaml"),
        "apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nspec:\n  pipelineRef:\n    name: build\n    \
         bundle: docker.io/org/pipelines:v1.2\n  params:\n  - name: bundle\n    value: not-a-bundle\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        "bundles-resolver.yaml:10:16 ghcr.io/tektoncd/catalog/upstream/tasks/git-clone@sha256:65e61544c5870c8828233406689d812391735fd4100cb444bbd81531cb958bb3\n\
         pipelinerun.yaml:6:13 docker.io/org/pipelines:v1.2\n",
        "checked 2 references in 2 files: 0 errors\n",
    );
}
