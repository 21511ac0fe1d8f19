//! `imagetag check` and `imagetag pin` on YAML as it is found in real
//! repositories, run as the real binary on `tests/data/check/yaml/`: Helm
//! templates and values, Kubernetes manifests (kustomize, ConfigMaps that
//! carry YAML, quoted keys, multi-line quotes), Compose interpolation,
//! GitHub Actions and GitLab CI. Most files are verbatim copies of public
//! ones (`tests/data/check/yaml/SOURCES.tsv`); the rest are written in
//! their shape.
#![cfg(feature = "cli")]

use crate::support::TempDir;
use crate::util;

use std::fs;
use std::path::{Path, PathBuf};

use util::expect_in as expect;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check")
}

/// Every YAML shape, each reference at its line and column with its joined
/// text: `--require-digest` makes each reference without a digest a finding.
#[test]
fn every_shape_is_read_at_its_place() {
    expect(
        &data(),
        &[
            "check",
            "--require-digest",
            "yaml/helm",
            "yaml/k8s",
            "yaml/compose",
            "yaml/gha",
            "yaml/gitlab",
            "yaml/action",
        ],
        1,
        r#"yaml/helm/app/templates/deployment.yaml:16:16: error: "busybox:1.36" has no digest: pin it with imagetag pin --digest
yaml/helm/app/templates/deployment.yaml:20:19: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}" uses variables or a template
yaml/helm/app/templates/deployment.yaml:23:18: note: skipped: "{{ .Values.sidecar.image | default \"nginx:1.27\" }}" uses variables or a template
yaml/helm/app/templates/deployment.yaml:31:18: error: "quay.io/prometheus/node-exporter:v1.8.2" has no digest: pin it with imagetag pin --digest
yaml/helm/app/values.yaml:3:15: error: "docker.io/bitnami/nginx:1.25.3-debian-11-r0" has no digest: pin it with imagetag pin --digest
yaml/helm/app/values.yaml:9:17: note: skipped: "bitnami/exporter" has no tag here: the chart's default tag (its appVersion) applies
yaml/helm/app/values.yaml:19:17: error: "alpine:3.20" has no digest: pin it with imagetag pin --digest
yaml/helm/app/values.yaml:21:14: error: "busybox:1.36" has no digest: pin it with imagetag pin --digest
yaml/helm/app/values.yaml:23:10: error: "org/app:2.0" has no digest: pin it with imagetag pin --digest
yaml/helm/dcgm-exporter/templates/daemonset.yaml:109:17: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/helm/dcgm-exporter/templates/daemonset.yaml:111:17: note: skipped: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}" uses variables or a template
yaml/helm/dcgm-exporter/values.yaml:16:15: error: "nvcr.io/nvidia/k8s/dcgm-exporter:2.2.9-2.4.1-ubuntu18.04" has no digest: pin it with imagetag pin --digest
yaml/helm/gpu-operator/values.yaml:33:10: note: skipped: "nvidia/gpu-operator" has no tag here: the chart's default tag (its appVersion) applies
yaml/helm/gpu-operator/values.yaml:63:10: error: "nvidia/driver:440.33.01" has no digest: pin it with imagetag pin --digest
yaml/helm/gpu-operator/values.yaml:68:10: error: "nvidia/container-toolkit:1.0.0-beta.0" has no digest: pin it with imagetag pin --digest
yaml/helm/gpu-operator/values.yaml:73:10: error: "nvidia/k8s-device-plugin:1.0.0-beta4" has no digest: pin it with imagetag pin --digest
yaml/helm/gpu-operator/values.yaml:78:10: error: "nvidia/dcgm-exporter:1.0.0-beta-ubuntu18.04" has no digest: pin it with imagetag pin --digest
yaml/helm/gpu-operator/values.yaml:83:10: error: "nvidia/pod-gpu-metrics-exporter:v1.0.0-alpha" has no digest: pin it with imagetag pin --digest
yaml/helm/nim-llm/templates/tests/test-models.yaml:12:14: error: "curlimages/curl:8.6.0" has no digest: pin it with imagetag pin --digest
yaml/helm/node-exporter/templates/daemonset.yaml:11:19: note: skipped: "{{ $.Values.global.imageRegistry | default .registry}}/{{ .repository }}:{{ .tag }}@sha256:{{ .sha }}" uses variables or a template
yaml/helm/node-exporter/templates/daemonset.yaml:13:19: note: skipped: "{{ $.Values.global.imageRegistry | default .registry}}/{{ .repository }}:{{ .tag }}" uses variables or a template
yaml/helm/node-exporter/templates/daemonset.yaml:27:18: note: skipped: "{{ include \"prometheus-node-exporter.image\" . }}" uses variables or a template
yaml/helm/node-exporter/templates/daemonset.yaml:42:18: error: "quay.io/brancz/kube-rbac-proxy:v0.18.0" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:2:15: error: "ghcr.io/lmcache/lmstack-router:v1" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:7:17: error: "registry.example.org:5000/lmcache/cache:v2" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:16:19: error: "vllm/vllm-openai:v3" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:27:16: error: "busybox:1.36" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:29:19: error: "localhost:5000/team/ray-vllm:v4" has no digest: pin it with imagetag pin --digest
yaml/helm/production-stack/image-registry.yaml:38:16: error: "docker.io/library/busybox:1.36" has no digest: pin it with imagetag pin --digest
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:30:9: note: skipped: a template that is YAML only once rendered (while parsing a block mapping, did not find expected key at line 30 column 9): read line by line, as kubectl and CI runners read it
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:60:20: note: skipped: "{{ .Values.head.image.repository }}:{{ .Values.head.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:63:20: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:160:20: note: skipped: "{{ $values.image.repository }}:{{ $values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:163:20: note: skipped: "{{ $.Values.image.repository }}:{{ $.Values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:258:20: note: skipped: "{{ .Values.worker.image.repository }}:{{ .Values.worker.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:261:20: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/values.yaml:6:15: error: "rayproject/ray:2.0.0" has no digest: pin it with imagetag pin --digest
yaml/helm/triton/values.yaml:40:15: error: "gcr.io/nvidia-ngc-public/tritonserver:23.10-py3" has no digest: pin it with imagetag pin --digest
yaml/k8s/configmap.yaml:10:17: error: "nginx:1.25" has no digest: pin it with imagetag pin --digest
yaml/k8s/configmap.yaml:11:16: error: "redis:7" has no digest: pin it with imagetag pin --digest
yaml/k8s/configmap.yaml:18:19: error: "ghcr.io/org/app:1.10" has no digest: pin it with imagetag pin --digest
yaml/k8s/kustomization.yaml:19:9: note: skipped: "kuberay/operator" is the image that kustomize replaces with "quay.io/kuberay/operator"
yaml/k8s/kustomization.yaml:20:12: error: "quay.io/kuberay/operator:nightly" has no digest: pin it with imagetag pin --digest
yaml/k8s/multiline-quote.yaml:4:12: error: "nginx:1.27" has no digest: pin it with imagetag pin --digest
yaml/k8s/multiline-quote.yaml:5:14: note: skipped: not strict YAML (invalid indentation in quoted scalar at line 5 column 14): read line by line, as kubectl and CI runners read it
yaml/k8s/multiline-quote.yaml:8:13: error: "redis:7" has no digest: pin it with imagetag pin --digest
yaml/k8s/quoted-keys.yaml:167:23: error: "google/cloud-sdk" has no digest: pin it with imagetag pin --digest
yaml/k8s/quoted-keys.yaml:246:23: error: "google/cloud-sdk" has no digest: pin it with imagetag pin --digest
yaml/compose/docker-compose.yml:15:12: error: "ghcr.io/immich-app/immich-server:release" has no digest: pin it with imagetag pin --digest
yaml/compose/docker-compose.yml:38:12: error: "ghcr.io/immich-app/immich-machine-learning:release" has no digest: pin it with imagetag pin --digest
yaml/compose/interpolation.yaml:3:12: error: "ghcr.io/org/app:1.4.2" has no digest: pin it with imagetag pin --digest
yaml/compose/interpolation.yaml:5:12: error: "docker.io/library/nginx:1.27" has no digest: pin it with imagetag pin --digest
yaml/compose/interpolation.yaml:7:13: error: invalid reference "registry.example.com/team/cost$:1": expected '/', ':', '@' or the end after a path component at byte 30 ("$")
yaml/compose/interpolation.yaml:9:12: note: skipped: "${APP_IMAGE}" uses variables or a template
yaml/compose/interpolation.yaml:11:12: note: skipped: "org/app:${TAG:?set TAG}" uses variables or a template
yaml/gha/.github/workflows/container.yml:5:16: error: "node:20-bookworm" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/container.yml:8:16: error: "redis:7.4" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/container.yml:10:16: note: skipped: "${{ matrix.db }}" uses variables or a template
yaml/gha/.github/workflows/container.yml:13:24: error: "alpine:3.20" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/container.yml:19:15: error: "nvcr.io/nvidia/pytorch:24.01-py3" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/integration.yml:26:14: error: "huggingface/accelerate-gpu:latest" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/integration.yml:35:9: note: skipped: not strict YAML (invalid indentation at line 35 column 9): read line by line, as kubectl and CI runners read it
yaml/gha/.github/workflows/integration.yml:88:14: error: "huggingface/accelerate-gpu:latest" has no digest: pin it with imagetag pin --digest
yaml/gha/.github/workflows/labeler.yml:12:24: error: "decathlon/pull-request-labeler-action:2.0.0" has no digest: pin it with imagetag pin --digest
yaml/gitlab/.gitlab-ci.yml:1:8: error: "python:3.11" has no digest: pin it with imagetag pin --digest
yaml/gitlab/.gitlab-ci.yml:3:5: error: "postgres:15" has no digest: pin it with imagetag pin --digest
yaml/gitlab/.gitlab-ci.yml:4:11: error: "redis:7" has no digest: pin it with imagetag pin --digest
yaml/gitlab/.gitlab-ci.yml:8:11: error: "gcr.io/kaniko-project/executor:v1.23.0-debug" has no digest: pin it with imagetag pin --digest
yaml/gitlab/.gitlab-ci.yml:11:7: error: "docker:24-dind" has no digest: pin it with imagetag pin --digest
yaml/action/action.yml:8:20: error: "debian:stretch-slim" has no digest: pin it with imagetag pin --digest
"#,
        r#"checked 51 references in 22 files: 48 errors, 22 references skipped
"#,
    );
}

/// Helm templates, odd indentation and multi-line quotes are notes, never
/// errors: exit 0.
#[test]
fn real_charts_and_workflows_raise_no_false_error() {
    expect(
        &data(),
        &[
            "check",
            "yaml/helm",
            "yaml/k8s",
            "yaml/compose/docker-compose.yml",
            "yaml/gha",
            "yaml/gitlab",
            "yaml/action",
        ],
        0,
        r#"yaml/helm/app/templates/deployment.yaml:20:19: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}" uses variables or a template
yaml/helm/app/templates/deployment.yaml:23:18: note: skipped: "{{ .Values.sidecar.image | default \"nginx:1.27\" }}" uses variables or a template
yaml/helm/app/values.yaml:9:17: note: skipped: "bitnami/exporter" has no tag here: the chart's default tag (its appVersion) applies
yaml/helm/dcgm-exporter/templates/daemonset.yaml:109:17: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/helm/dcgm-exporter/templates/daemonset.yaml:111:17: note: skipped: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}" uses variables or a template
yaml/helm/gpu-operator/values.yaml:33:10: note: skipped: "nvidia/gpu-operator" has no tag here: the chart's default tag (its appVersion) applies
yaml/helm/node-exporter/templates/daemonset.yaml:11:19: note: skipped: "{{ $.Values.global.imageRegistry | default .registry}}/{{ .repository }}:{{ .tag }}@sha256:{{ .sha }}" uses variables or a template
yaml/helm/node-exporter/templates/daemonset.yaml:13:19: note: skipped: "{{ $.Values.global.imageRegistry | default .registry}}/{{ .repository }}:{{ .tag }}" uses variables or a template
yaml/helm/node-exporter/templates/daemonset.yaml:27:18: note: skipped: "{{ include \"prometheus-node-exporter.image\" . }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:30:9: note: skipped: a template that is YAML only once rendered (while parsing a block mapping, did not find expected key at line 30 column 9): read line by line, as kubectl and CI runners read it
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:60:20: note: skipped: "{{ .Values.head.image.repository }}:{{ .Values.head.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:63:20: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:160:20: note: skipped: "{{ $values.image.repository }}:{{ $values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:163:20: note: skipped: "{{ $.Values.image.repository }}:{{ $.Values.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:258:20: note: skipped: "{{ .Values.worker.image.repository }}:{{ .Values.worker.image.tag }}" uses variables or a template
yaml/helm/ray-cluster/templates/raycluster-cluster.yaml:261:20: note: skipped: "{{ .Values.image.repository }}:{{ .Values.image.tag }}" uses variables or a template
yaml/k8s/kustomization.yaml:19:9: note: skipped: "kuberay/operator" is the image that kustomize replaces with "quay.io/kuberay/operator"
yaml/k8s/multiline-quote.yaml:5:14: note: skipped: not strict YAML (invalid indentation in quoted scalar at line 5 column 14): read line by line, as kubectl and CI runners read it
yaml/gha/.github/workflows/container.yml:10:16: note: skipped: "${{ matrix.db }}" uses variables or a template
yaml/gha/.github/workflows/integration.yml:35:9: note: skipped: not strict YAML (invalid indentation at line 35 column 9): read line by line, as kubectl and CI runners read it
"#,
        r#"checked 48 references in 21 files: 0 errors, 20 references skipped
"#,
    );
}

/// A file no reader makes sense of, and an invalid reference in a
/// literal, templated or leniently read file, are errors at their place.
#[test]
fn truly_broken_files_and_invalid_references_stay_errors() {
    expect(
        &data(),
        &["check", "yaml/broken"],
        1,
        r#"yaml/broken/invalid-references.yaml:5:10: error: invalid reference "ko://github.com/x/y": expected a port number of digits at byte 3 ("/")
yaml/broken/invalid-references.yaml:7:10: error: invalid reference "Quay.io/Vessl-AI/torch:2.3.0": repository path must be lowercase at byte 8 ("Vessl-AI")
yaml/broken/not-yaml.yaml:2:1: error: invalid YAML: did not find expected <document start>
yaml/broken/templated-invalid.yaml:5:14: error: invalid reference "Ubuntu:22.04": repository path must be lowercase at byte 0 ("Ubuntu")
yaml/broken/unclosed.yaml:4:6: error: invalid YAML: illegal placement of ':' indicator
"#,
        r#"checked 5 references in 4 files: 5 errors
"#,
    );
}

/// `pin` rewrites a Helm map's tag where it is written (block and flow
/// style, quotes kept) and a Compose default in place.
#[test]
fn pin_rewrites_helm_tags_and_compose_defaults() {
    let tmp = TempDir::new("yaml-pin");
    let dir = tmp.path();
    fs::write(
        dir.join("values.yaml"),
        "image:\n  registry: quay.io\n  repository: vessl-ai/torch\n  tag: 2.3.0-cuda12.4\n\
         worker:\n  image: {repository: quay.io/vessl-ai/python, tag: \"3.10\"}\n",
    )
    .unwrap();
    fs::write(
        dir.join("compose.yaml"),
        "services:\n  app:\n    image: quay.io/vessl-ai/python:${PY:-3.10}\n",
    )
    .unwrap();
    fs::copy(data().join("tags.txt"), dir.join("tags.txt")).unwrap();
    let args = ["pin", "--tags", "tags.txt", "values.yaml", "compose.yaml"];
    expect(
        dir,
        &args,
        0,
        "values.yaml: pinned 2\ncompose.yaml: pinned 1\n",
        "pinned 3 references in 2 of 2 files\n",
    );
    assert_eq!(
        fs::read_to_string(dir.join("values.yaml")).unwrap(),
        "image:\n  registry: quay.io\n  repository: vessl-ai/torch\n  tag: 2.3.0-cuda12.4-r10\n\
         worker:\n  image: {repository: quay.io/vessl-ai/python, tag: \"3.10-r10\"}\n"
    );
    assert_eq!(
        fs::read_to_string(dir.join("compose.yaml")).unwrap(),
        "services:\n  app:\n    image: quay.io/vessl-ai/python:${PY:-3.10-r10}\n"
    );
    // Pinned: nothing left to do.
    expect(
        dir,
        &[
            "pin",
            "--tags",
            "tags.txt",
            "--check",
            "values.yaml",
            "compose.yaml",
        ],
        0,
        "",
        "would pin 0 references in 0 of 2 files\n",
    );
}

/// `image:` keys that are not container images stay quiet: a site's
/// picture (`_config.yml`, `mkdocs.yml`), a web address; and a value that
/// another tool fills in (Tekton's `$(params.x)`, Kubernetes' `$(VAR)`) is a
/// variable, a note, as is a docs tool's `|version|`. A `ko://` value is
/// still an error.
#[test]
fn image_keys_that_hold_no_container_image() {
    let tmp = TempDir::new("yaml-nonimage");
    let dir = tmp.path();
    fs::write(
        dir.join("_config.yml"),
        "title: A site\nimage: /assets/img/social.png\nauthor:\n  image: https://example.com/me.jpg\nlogo:\n  image: images/logo.svg\n",
    )
    .unwrap();
    fs::write(
        dir.join("task.yaml"),
        "apiVersion: tekton.dev/v1beta1\nkind: Task\nspec:\n  steps:\n    - name: build\n      image: $(params.BUILDER_IMAGE)\n    - name: env\n      image: $(IMAGE)\n    - name: ko\n      image: ko://github.com/x/y\n    - name: docs\n      image: apache/airflow:|version|\n",
    )
    .unwrap();
    let out = util::run_in(dir, &["check"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(
        lines[0],
        "task.yaml:6:14: note: skipped: \"$(params.BUILDER_IMAGE)\" uses variables or a template"
    );
    assert_eq!(
        lines[1],
        "task.yaml:8:14: note: skipped: \"$(IMAGE)\" uses variables or a template"
    );
    assert!(
        lines[2].starts_with("task.yaml:10:14: error: invalid reference \"ko://github.com/x/y\""),
        "{stdout}"
    );
    // A Sphinx substitution in a docs example: filled in when the docs are built.
    assert_eq!(
        lines[3],
        "task.yaml:12:14: note: skipped: \"apache/airflow:|version|\" uses variables or a template"
    );
}

/// Google Cloud Build: each step's `name` is the image it runs, in files
/// named `cloudbuild*.yaml`; elsewhere a `steps[].name` is just a name.
#[test]
fn cloud_build_steps_name_their_images() {
    let tmp = TempDir::new("yaml-cloudbuild");
    let dir = tmp.path();
    fs::write(
        dir.join("cloudbuild.yaml"),
        "steps:\n- name: 'gcr.io/cloud-builders/docker'\n  args: ['build', '-t', 'gcr.io/$PROJECT_ID/app', '.']\n\
         - name: python:3.12\n  id: test\n- name: Python:3.12\nimages: ['gcr.io/$PROJECT_ID/app']\n",
    )
    .unwrap();
    fs::write(dir.join("workflow.yaml"), "steps:\n- name: Build It\n").unwrap();
    let out = util::run_in(dir, &["check", "--list"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stdout,
        "cloudbuild.yaml:2:10 gcr.io/cloud-builders/docker\n\
         cloudbuild.yaml:4:9 python:3.12\n\
         cloudbuild.yaml:6:9 Python:3.12\n"
    );
    assert!(
        stderr.starts_with("cloudbuild.yaml:6:9: error: invalid reference \"Python:3.12\""),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// More `image:` values that are no container image, from real files of
/// other tools: AppVeyor's build VM, a Kyverno policy's patterns; and
/// values other tools fill in: CircleCI's `<< parameters.tag >>`,
/// Concourse's `((registry))`. A GitLab CI file included from elsewhere
/// still names its `services:`.
#[test]
fn other_tools_image_keys() {
    let tmp = TempDir::new("yaml-tools");
    let dir = tmp.path();
    fs::create_dir_all(dir.join("ci")).unwrap();
    fs::write(
        dir.join("appveyor.yml"),
        "version: 1.0.{build}\nimage: Visual Studio 2022\n",
    )
    .unwrap();
    fs::write(
        dir.join("policy.yaml"),
        "spec:\n  rules:\n    - validate:\n        pattern:\n          spec:\n            containers:\n              - image: \"*:*\"\n              - image: \"!*:latest\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("executor.yml"),
        "docker:\n  - image: cimg/node:<<parameters.tag>>\n  - image: cimg/base:2024.01\n",
    )
    .unwrap();
    fs::write(
        dir.join("pipeline.yml"),
        "resources:\n- name: img\n  type: registry-image\n  source:\n    repository: ((registry))/app\n    tag: latest\njobs:\n- name: x\n  plan:\n  - task: t\n    config:\n      image_resource:\n        type: registry-image\n        source: {repository: busybox, tag: \"1.36\"}\n",
    )
    .unwrap();
    fs::write(
        dir.join("ci/containers.yaml"),
        ".build:\n  image: docker:24\n  services:\n    - docker:24-dind\n    - name: redis:7.2\n      alias: cache\n",
    )
    .unwrap();
    // A GitHub Actions matrix of containers.
    fs::write(
        dir.join("matrix.yml"),
        "jobs:\n  test:\n    strategy:\n      matrix:\n        container: [\"ubuntu:22.04\", rockylinux:9]\n        os: [linux]\n        include:\n          - container: debian:12\n    container: ${{ matrix.container }}\n",
    )
    .unwrap();
    // OLM's related images and a chart's set of default images.
    fs::write(
        dir.join("values.yaml"),
        "relatedImageManager: quay.io/op/manager:v1.2\ndefaultImages:\n  postgreSQL: postgres:14.10\n  note: keep it simple\nimagePullPolicy: Always\n",
    )
    .unwrap();
    let out = util::run_in(dir, &["check", "--list"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(": error:"), "{stderr}");
    for want in [
        "ci/containers.yaml:2:10 docker:24",
        "ci/containers.yaml:4:7 docker:24-dind",
        "ci/containers.yaml:5:13 redis:7.2",
        "values.yaml:1:22 quay.io/op/manager:v1.2",
        "matrix.yml:5:22 ubuntu:22.04",
        "matrix.yml:5:37 rockylinux:9",
        "matrix.yml:8:24 debian:12",
        "values.yaml:3:15 postgres:14.10",
        "executor.yml:3:12 cimg/base:2024.01",
        "pipeline.yml:14:30 busybox:1.36",
    ] {
        assert!(stdout.lines().any(|l| l == want), "{want} in:\n{stdout}");
    }
    assert!(
        !stdout.contains("Visual Studio") && !stdout.contains('*'),
        "{stdout}"
    );
    assert!(stderr.contains("<<parameters.tag>>"), "a note: {stderr}");
}

/// Three more places real manifests name images: a Kubernetes image volume
/// (`volumes[].image.reference`, Kubernetes 1.31+), Concourse
/// `registry-image` resources and task images (`source: {repository,
/// tag}`; no tag is `latest`, an alias), and a Crossplane package
/// (`spec.package`). The `source` of another resource type, and a
/// `package:` outside Crossplane, name no image.
#[test]
fn image_volumes_concourse_resources_and_crossplane_packages() {
    let tmp = TempDir::new("yaml-more");
    let dir = tmp.path();
    fs::write(
        dir.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: shell\n    image: debian:12.8\n  \
         volumes:\n  - name: volume\n    image:\n      reference: quay.io/crio/artifact:v2\n      \
         pullPolicy: IfNotPresent\n",
    )
    .unwrap();
    fs::write(
        dir.join("pipeline.yml"),
        "resources:\n- name: base\n  type: registry-image\n  source:\n    repository: python\n    \
         tag: \"3.12.8-slim\"\n- name: tool\n  type: docker-image\n  source: {repository: gcr.io/org/tool}\n\
         - name: repo\n  type: git\n  source: {uri: \"https://github.com/org/app.git\", branch: main}\njobs:\n- name: test\n  plan:\n  \
         - task: unit\n    config:\n      image_resource:\n        type: registry-image\n        \
         source: {repository: golang, tag: 1.22.5}\n",
    )
    .unwrap();
    fs::write(
        dir.join("provider.yaml"),
        "apiVersion: pkg.crossplane.io/v1\nkind: Provider\nspec:\n  \
         package: xpkg.upbound.io/upbound/provider-aws-s3:v1.1.0\n",
    )
    .unwrap();
    fs::write(dir.join("deps.yaml"), "package: numpy\nversion: 1.26\n").unwrap();
    let out = util::run_in(dir, &["check", "--list", "--no-config"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "pipeline.yml:5:17 python:3.12.8-slim\n\
         pipeline.yml:9:24 gcr.io/org/tool\n\
         pipeline.yml:20:30 golang:1.22.5\n\
         pod.yaml:6:12 debian:12.8\n\
         pod.yaml:10:18 quay.io/crio/artifact:v2\n\
         provider.yaml:4:12 xpkg.upbound.io/upbound/provider-aws-s3:v1.1.0\n"
    );
    assert_eq!(out.status.code(), Some(0));
    // The untagged Concourse image is an alias: `--deny-alias` says so.
    let out = util::run_in(dir, &["check", "--no-config", "--deny-alias"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "pipeline.yml:9:24: error: \"gcr.io/org/tool\" has neither tag nor digest: pin it to a tag\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// A ConfigMap's JSON settings in a block scalar name images under keys
/// such as `workerImage` (a space before the colon too), not only under
/// `image`.
#[test]
fn json_settings_in_a_block_scalar_name_images_under_image_like_keys() {
    let tmp = TempDir::new("yaml-cm");
    let dir = tmp.path();
    fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  settings.json: |-\n    \
         {\"workerImage\": \"ghcr.io/org/worker:2.0\", \"timeout\": 30}\n  job.json: |\n    \
         {\n      \"defaultJobImage\" : \"ghcr.io/org/job:1.2.3\"\n    }\n",
    )
    .unwrap();
    let out = util::run_in(dir, &["check", "--list", "--no-config"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "cm.yaml:5:22 ghcr.io/org/worker:2.0\ncm.yaml:8:28 ghcr.io/org/job:1.2.3\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Held-out round 7 (real files of tektoncd/catalog, apache/superset and
/// concourse/examples):
/// - a parameter whose name ends in `image` names one in its `default` or
///   `value` (Tekton's `gitInitImage`, Argo's `image`, an environment
///   variable `BASE_IMAGE`); other parameters (`IMAGE_REGISTRY`, a pull
///   policy) name none;
/// - Compose's `build.cache_from` lists images (a BuildKit `type=` entry is
///   not one);
/// - a Concourse task step's `image:` names an artifact of the plan, not a
///   registry image: with `--deny-alias` it was an error.
#[test]
fn parameter_defaults_cache_from_and_concourse_task_artifacts() {
    let tmp = TempDir::new("yaml-r7");
    let dir = tmp.path();
    fs::write(
        dir.join("git-clone.yaml"),
        "apiVersion: tekton.dev/v1beta1\nkind: Task\nspec:\n  params:\n    - name: verbose\n      \
         default: \"true\"\n    - name: gitInitImage\n      type: string\n      \
         default: \"gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2\"\n  \
         steps:\n    - name: clone\n      image: \"$(params.gitInitImage)\"\n      env:\n      \
         - name: BASE_IMAGE\n        value: ubuntu:22.04\n      - name: IMAGE_REGISTRY\n        \
         value: quay.io/org\n      - name: imagePullPolicy\n        value: Always\n",
    )
    .unwrap();
    fs::write(
        dir.join("docker-compose.yml"),
        "x-build: &build\n  context: .\n  cache_from:\n    - apache/superset-cache:3.10-slim-bookworm\n    \
         - type=local,src=/tmp/cache\nservices:\n  app:\n    build: *build\n",
    )
    .unwrap();
    fs::write(
        dir.join("pipeline.yml"),
        "resources:\n- name: golang-1.22.x-image\n  type: registry-image\n  \
         source: {repository: golang, tag: 1.22-stretch}\njobs:\n- name: test\n  plan:\n  \
         - get: golang-1.22.x-image\n  - task: run-tests\n    image: golang-1.22.x-image\n    \
         file: ci/test.yml\n",
    )
    .unwrap();
    let out = util::run_in(dir, &["check", "--list", "--no-config"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "docker-compose.yml:4:7 apache/superset-cache:3.10-slim-bookworm\n\
         git-clone.yaml:9:17 gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2\n\
         git-clone.yaml:15:16 ubuntu:22.04\n\
         pipeline.yml:4:24 golang:1.22-stretch\n"
    );
    assert_eq!(out.status.code(), Some(0));
    let out = util::run_in(dir, &["check", "--no-config", "--deny-alias"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
