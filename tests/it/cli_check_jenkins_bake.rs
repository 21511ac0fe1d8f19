//! `imagetag check` and `imagetag pin` on Jenkins pipelines (`Jenkinsfile`,
//! `Jenkinsfile.*`, `*.jenkinsfile`) and Docker Buildx Bake files
//! (`docker-bake.hcl`, `docker-bake.*.hcl`, `docker-bake.json`), run as the
//! real binary with exact output and exit codes. Each file is a shortened
//! snippet of the real one its comment names, keeping the shapes that
//! matter (agents, scripted steps, comments, variables, functions, matrix
//! targets, contexts, the JSON form).
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;
use std::path::Path;

use imagetag::check::{find_in, FileKind, Kind};
use proptest::prelude::*;
use support::TempDir;
use util::{expect_in as expect, run_in};

// ---- Jenkins pipelines ----

/// dmlc/dgl `Jenkinsfile`: a shebang, helper functions whose `sh` steps
/// interpolate, docker agents with a label (single- and double-quoted
/// images, trailing blanks), a Windows `label` agent, commented-out stages,
/// and a scripted `docker.image(...).inside(...)` in `post`.
const DGL: &str = r#"#!/usr/bin/env groovy

dgl_linux_libs = 'build/libdgl.so, build/runUnitTests'
// Currently DGL on Windows is not working with Cython yet
dgl_win64_libs = "build\\dgl.dll, build\\runUnitTests.exe"

def pack_lib(name, libs) {
  echo "Packing ${libs} into ${name}"
  stash includes: libs, name: name
}

pipeline {
  agent any
  stages {
    stage('Regression Test Trigger') {
      agent {
        docker {
            label 'linux-benchmark-node'
            image 'dgllib/dgl-ci-lint'
            alwaysPull true
        }
      }
      steps {
        // container('dgl-ci-lint') {
          checkout([$class: 'GitSCM', branches: [[name: '*/master']]])
      }
    }
    stage('GPU Build') {
      agent {
        docker {
          label "linux-cpu-node"
          image "dgllib/dgl-ci-gpu:cu101_v220217"  
          args "-u root"
          alwaysPull true
        }
      }
      steps {
        // sh "nvidia-smi"
        build_dgl_linux('gpu')
      }
    }
    stage('CPU Build (Win64)') {
      agent { label 'windows' }
      steps {
        build_dgl_win64('cpu')
      }
    }
    //stage("Tutorial test") {
    //  steps {
    //    tutorial_test_linux("mxnet")
    //  }
    //}
  }
  post {
    always {
      script {
        node("dglci-post-linux") {
          docker.image('dgllib/dgl-ci-awscli:v220418').inside("--pull always --entrypoint=''") {
            sh("curl -o cireport.log ${BUILD_URL}consoleText")
          }
        }
      }
    }
  }
}
"#;

/// mdnkrahi/yolov8 `Jenkinsfile`: a stage-level docker agent with an NVIDIA
/// CUDA image, tabs, and an `sh` step whose single-quoted command runs over
/// lines with `\` continuations.
const YOLOV8: &str = r#"pipeline {
    agent {
        node {
            label 'slave'
        }
    }
	
	stage('test') {
     agent {
          docker {
               image 'nvidia/cuda:12.0.0-runtime-ubuntu22.04'
          }
     }
     steps {
          sh 'apt-get update \
    && pip3 install ultralytics \
    && rm -rf /var/lib/apt/lists/*'
     }
	}
}
"#;

/// BCV-Uniandes/DMS `Jenkinsfile`: `agent none`, a docker agent with the
/// untagged `pytorch/pytorch` and NVIDIA runtime args.
const DMS: &str = r#"pipeline {
    agent none
    stages {
        stage('Build') {
            agent {
                docker {
                    image 'pytorch/pytorch'
                    args '--runtime=nvidia -u root'
                }
            }
            steps {
                sh 'nvidia-smi'
                sh 'flake8 --exclude=*/optimizers/*,*/dpn/* .'
            }
        }
    }
}
"#;

/// wellscrosby/MRGHoloOcean `Jenkinsfile`: a `dockerfile` agent (no image)
/// and `sh '''...'''` bodies.
const HOLOOCEAN: &str = r#"pipeline {
  agent { 
    dockerfile {
      args '--runtime=nvidia'
    }
  }
  stages {
    stage('build') {
      steps {
        sh '''
          pip install .
          docker run ubuntu:Bad
        '''
      }
    }
  }
}
"#;

/// rkum79/npm-test-demo `Jenkinsfile`: a scripted `docker.build` whose name
/// interpolates `$BUILD_NUMBER`.
const NPM_DEMO: &str = r#"pipeline {

  node (master) 
  stages {

	stage ('Docker_build - Build') {
 	 container = docker.build("npm-test-demo-image:v$BUILD_NUMBER", "-f $WORKSPACE/Dockerfile .")
	}
}
}
"#;

/// DucHoang1102/cu-service `Jenkinsfile`: `docker.build(name_image)` with a
/// variable (not a string: nothing to read) and `withRun` on the result.
const CU_SERVICE: &str = r#"node('master') {
    def name_image = 'cu-service-test'
    def dddd = ''

    try {
        checkout scm
        stage('Build') {
            dddd = docker.build(name_image)
        }
        stage('Test') {
            dddd.withRun('') { container ->
                sh "docker exec ${container.id} npm run test"
            }
        }
    }
    catch(e) {
        throw e
    }
}"#;

/// ejavier2018/com-edwardjavier `Jenkinsfile`: the Jenkins handbook's first
/// example, pasted with its caption line and a block comment, the agent on
/// one line.
const HANDBOOK: &str = r#"Jenkinsfile (Declarative Pipeline)
/* Requires the Docker Pipeline plugin */
pipeline {
    agent { docker { image 'node:latest' } }
    stages {
        stage('build') {
            steps {
                sh 'node --version'
            }
        }
    }
}
"#;

fn write_all(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn jenkins_tree(dir: &Path) {
    write_all(
        dir,
        &[
            ("dgl/Jenkinsfile", DGL),
            ("yolov8/Jenkinsfile", YOLOV8),
            ("dms/Jenkinsfile", DMS),
            ("holoocean/Jenkinsfile", HOLOOCEAN),
            ("npm-demo/Jenkinsfile", NPM_DEMO),
            ("cu-service/ci/build.jenkinsfile", CU_SERVICE),
            ("handbook/Jenkinsfile.node", HANDBOOK),
            // Documentation about a pipeline, not one.
            (
                "docs/Jenkinsfile.md",
                "agent { docker { image 'Not:Read' } }\n",
            ),
        ],
    );
}

/// The inventory of real pipelines: each docker agent's image and each
/// `docker.image(...)`, at its line and column; nothing from `dockerfile`
/// and `label` agents, `sh` steps, comments or a variable; one note for an
/// interpolated `docker.build` name; no error.
#[test]
fn jenkins_inventory() {
    let t = TempDir::new("jenkins-real");
    let d = t.path();
    jenkins_tree(d);
    expect(
        d,
        &["check", "--no-config", "--list"],
        0,
        "dgl/Jenkinsfile:19:20 dgllib/dgl-ci-lint\n\
         dgl/Jenkinsfile:32:18 dgllib/dgl-ci-gpu:cu101_v220217\n\
         dgl/Jenkinsfile:58:25 dgllib/dgl-ci-awscli:v220418\n\
         dms/Jenkinsfile:7:28 pytorch/pytorch\n\
         handbook/Jenkinsfile.node:4:29 node:latest\n\
         yolov8/Jenkinsfile:11:23 nvidia/cuda:12.0.0-runtime-ubuntu22.04\n",
        "npm-demo/Jenkinsfile:7:30: note: skipped: \"npm-test-demo-image:v$BUILD_NUMBER\" uses variables\n\
         checked 6 references in 7 files: 0 errors, 1 reference skipped\n",
    );
}

/// With `--deny-alias`, the untagged and `latest` images are errors at
/// their line and column (exit 1).
#[test]
fn jenkins_deny_alias() {
    let t = TempDir::new("jenkins-alias");
    let d = t.path();
    jenkins_tree(d);
    expect(
        d,
        &["check", "--no-config", "--deny-alias"],
        1,
        "dgl/Jenkinsfile:19:20: error: \"dgllib/dgl-ci-lint\" has neither tag nor digest: pin it to a tag\n\
         dms/Jenkinsfile:7:28: error: \"pytorch/pytorch\" has neither tag nor digest: pin it to a tag\n\
         handbook/Jenkinsfile.node:4:29: error: \"node:latest\" is an alias: pin it to a revision\n\
         npm-demo/Jenkinsfile:7:30: note: skipped: \"npm-test-demo-image:v$BUILD_NUMBER\" uses variables\n",
        "checked 6 references in 7 files: 3 errors, 1 reference skipped\n",
    );
}

/// An invalid literal image is an error with its line and column; a
/// pipeline the scanner cannot read (a string left open) is one note and
/// nothing else; `--kind jenkins` reads a file of any name as a pipeline.
#[test]
fn jenkins_errors_and_notes() {
    let t = TempDir::new("jenkins-errors");
    let d = t.path();
    write_all(
        d,
        &[
            (
                "Jenkinsfile",
                "pipeline {\n  agent { docker { image 'nvidia/CUDA:12.4' } }\n}\n",
            ),
            (
                "Jenkinsfile.broken",
                "pipeline {\n  agent { docker { image 'Bad:Name' } }\n  steps { sh 'x }\n}\n",
            ),
            (
                "ci/pipeline.groovy",
                "docker.image(\"ubuntu:22.04\").pull()\n",
            ),
        ],
    );
    expect(
        d,
        &["check", "--no-config", "Jenkinsfile", "Jenkinsfile.broken"],
        1,
        "Jenkinsfile:2:27: error: invalid reference \"nvidia/CUDA:12.4\": repository path must be lowercase at byte 7 (\"CUDA\")\n\
         Jenkinsfile.broken:3:14: note: skipped: not a pipeline the scanner can read (expected a quote to close the string on its line, found '''): nothing read\n",
        "checked 1 reference in 2 files: 1 error, 1 reference skipped\n",
    );
    expect(
        d,
        &[
            "check",
            "--no-config",
            "--list",
            "--kind",
            "jenkins",
            "ci/pipeline.groovy",
        ],
        0,
        "ci/pipeline.groovy:1:15 ubuntu:22.04\n",
        "checked 1 reference in 1 file: 0 errors\n",
    );
}

/// A `$` in a single-quoted agent image: Groovy leaves it, but the Docker
/// Pipeline plugin runs `docker pull` with the name in a shell command,
/// which fills it in. A note, not an error (a false alarm before). From the
/// held-out round's `gros-data-analysis` prediction `Jenkinsfile`
/// (/work/realfiles11, find_string id 32275504639), shortened.
#[test]
fn jenkins_dollar_in_single_quotes_is_a_note() {
    let t = TempDir::new("jenkins-dollar");
    let d = t.path();
    write_all(
        d,
        &[(
            "Jenkinsfile",
            "pipeline {\n    agent { label 'docker' }\n    stages {\n        stage('Collect') {\n            agent {\n                docker {\n                    image '$DOCKER_REGISTRY/gros-data-analysis-dashboard'\n                    reuseNode true\n                }\n            }\n        }\n        stage('Predict') {\n            agent {\n                docker {\n                    image 'tensorflow/tensorflow:1.12.0-py3'\n                    reuseNode true\n                }\n            }\n        }\n    }\n}\n",
        )],
    );
    expect(
        d,
        &["check", "--no-config", "--list"],
        0,
        "Jenkinsfile:15:28 tensorflow/tensorflow:1.12.0-py3\n",
        "Jenkinsfile:7:28: note: skipped: \"$DOCKER_REGISTRY/gros-data-analysis-dashboard\" uses variables\n\
         checked 1 reference in 1 file: 0 errors, 1 reference skipped\n",
    );
}

/// A `kubernetes` agent's pod YAML (`yaml """..."""`) and a scripted
/// `podTemplate(yaml: '''...''')` name their containers' images: each
/// `image:` is read at its line and column (quoted or not, a `- image:`
/// item too), an interpolated one is a note, an invalid one an error; a
/// `yamlFile` names a file, an `sh '''...'''` body holds commands, and a
/// folded `image: >-` is YAML this reader leaves (no false error): not read. They were missed before. From ihsanul14/JenkinsTest `Jenkinsfile`
/// (its kubernetes-agent version, in /work/realfiles11), shortened, with
/// the search corpus' agent whose jnlp image is
/// `"${params.JENKINS_AGENT_IMAGE}"`.
#[test]
fn jenkins_kubernetes_pod_yaml() {
    let t = TempDir::new("jenkins-k8s");
    let d = t.path();
    write_all(
        d,
        &[
            (
                "Jenkinsfile",
                "pipeline {\n  agent {\n    kubernetes {\n      label 'jnlp-slave'\n      defaultContainer 'jnlp'\n      yaml \"\"\"\n        spec:\n          containers:\n          - name: node\n            image: node:12.6.0\n            command:\n            - cat\n          - name: gcloud\n            image: \"google/cloud-sdk:latest\"  # the SDK\n          - name: jnlp\n            image: \"${params.JENKINS_AGENT_IMAGE}\"\n          - image: alpine/helm:2.14.0:v1\n        \"\"\"\n    }\n  }\n  stages {\n    stage('x') {\n      agent { kubernetes { yamlFile 'jenkins-agent.yaml' } }\n      steps { sh '''\n        image: not/read:1\n      ''' }\n    }\n  }\n}\n",
            ),
            (
                "ci/gpu.jenkinsfile",
                "podTemplate(yaml: '''\nspec:\n  containers:\n  - name: cuda\n    image: 'nvcr.io/nvidia/pytorch:24.01-py3'\n  - name: folded\n    image: >-\n      busybox:1.36\n''') {\n  node(POD_LABEL) { container('cuda') { sh 'nvidia-smi' } }\n}\n",
            ),
        ],
    );
    expect(
        d,
        &["check", "--no-config", "--list"],
        1,
        "Jenkinsfile:10:20 node:12.6.0\n\
         Jenkinsfile:14:21 google/cloud-sdk:latest\n\
         Jenkinsfile:17:20 alpine/helm:2.14.0:v1\n\
         ci/gpu.jenkinsfile:5:13 nvcr.io/nvidia/pytorch:24.01-py3\n",
        "Jenkinsfile:16:21: note: skipped: \"${params.JENKINS_AGENT_IMAGE}\" uses variables\n\
         Jenkinsfile:17:20: error: invalid reference \"alpine/helm:2.14.0:v1\": expected a letter, digit, '_', '.' or '-' in the tag at byte 18 (\":\")\n\
         checked 4 references in 2 files: 1 error, 1 reference skipped\n",
    );
}

/// `pin` rewrites a single-quoted agent image and a double-quoted
/// `docker.image` in place, every other byte kept; an interpolated name is
/// left alone (a note from check, nothing to pin).
#[test]
fn jenkins_pin_rewrites_in_place() {
    let t = TempDir::new("jenkins-pin");
    let d = t.path();
    let before = "pipeline {\n  agent {\n    docker {\n      image 'quay.io/vessl-ai/torch:2.3.0-cuda12.4' // GPU\n      args '--gpus all'\n    }\n  }\n\
                  stages { stage('t') { steps { script {\n    docker.image(\"quay.io/vessl-ai/python:3.10\").inside { sh 'pytest' }\n\
                  docker.image(\"quay.io/vessl-ai/python:${PY}\").pull()\n  } } } }\n}\n";
    write_all(
        d,
        &[
            ("Jenkinsfile.gpu", before),
            (
                "tags.txt",
                "2.3.0-cuda12.4\n2.3.0-cuda12.4-r9\n2.3.0-cuda12.4-r10\n3.10\n3.10-r10\n",
            ),
        ],
    );
    expect(
        d,
        &[
            "pin",
            "--no-config",
            "--tags",
            "tags.txt",
            "Jenkinsfile.gpu",
        ],
        0,
        "Jenkinsfile.gpu: pinned 2\n",
        "pinned 2 references in 1 of 1 file\n",
    );
    assert_eq!(
        fs::read_to_string(d.join("Jenkinsfile.gpu")).unwrap(),
        before
            .replace("2.3.0-cuda12.4'", "2.3.0-cuda12.4-r10'")
            .replace("python:3.10\"", "python:3.10-r10\"")
    );
    expect(
        d,
        &["check", "--no-config", "--deny-alias", "Jenkinsfile.gpu"],
        0,
        "Jenkinsfile.gpu:10:15: note: skipped: \"quay.io/vessl-ai/python:${PY}\" uses variables\n",
        "checked 2 references in 1 file: 0 errors, 1 reference skipped\n",
    );
}

// ---- Bake files ----

/// runpod-workers/worker-comfyui `docker-bake.hcl` (the 02ashes fork):
/// variables with literal defaults, `args` that pass `${BASE_IMAGE}` on,
/// tags assembled from three variables, a target with its base image
/// written out.
const COMFYUI: &str = r#"variable "DOCKERHUB_REPO" {
  default = "runpod"
}

variable "DOCKERHUB_IMG" {
  default = "worker-comfyui"
}

variable "RELEASE_VERSION" {
  default = "latest"
}

# Global defaults for standard CUDA 12.6.3 images
variable "BASE_IMAGE" {
  default = "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04"
}

variable "HUGGINGFACE_ACCESS_TOKEN" {
  default = ""
}

group "default" {
  targets = ["base", "sdxl", "base-cuda12-8-1"]
}

target "base" {
  context = "."
  dockerfile = "Dockerfile"
  platforms = ["linux/amd64"]
  args = {
    BASE_IMAGE = "${BASE_IMAGE}"
    MODEL_TYPE = "base"
  }
  tags = ["${DOCKERHUB_REPO}/${DOCKERHUB_IMG}:${RELEASE_VERSION}-base"]
}

target "sdxl" {
  args = {
    BASE_IMAGE = "${BASE_IMAGE}"
    HUGGINGFACE_ACCESS_TOKEN = "${HUGGINGFACE_ACCESS_TOKEN}"
  }
  tags = ["${DOCKERHUB_REPO}/${DOCKERHUB_IMG}:${RELEASE_VERSION}-sdxl"]
  inherits = ["base"]
}

target "base-cuda12-8-1" {
  args = {
    BASE_IMAGE = "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04"
    PYTORCH_INDEX_URL = "https://download.pytorch.org/whl/cu128"
  }
  tags = ["${DOCKERHUB_REPO}/${DOCKERHUB_IMG}:${RELEASE_VERSION}-base-cuda12.8.1"]
}
"#;

/// 220qm/sdnext-docker `docker-bake.hcl`: four-space indents, a tag whose
/// defaults fill in to a name Docker refuses (`MisterTeee`, `SD.next`:
/// uppercase), and a `BASE_IMAGE` argument that fills in to an invalid name
/// too (an argument is read only when it is a valid name).
const SDNEXT: &str = r#"variable "REGISTRY" {
    default = "docker.io"
}

variable "REGISTRY_USER" {
    default = "MisterTeee"
}

variable "APP" {
    default = "SD.next"
}

variable "RELEASE" {
    default = "1.0.0"
}

variable "BASE_IMAGE_REPOSITORY" {
    default = "MisterTeee/runpod-base"
}

target "default" {
    dockerfile = "Dockerfile"
    tags = ["${REGISTRY}/${REGISTRY_USER}/${APP}:${RELEASE}"]
    args = {
        RELEASE = "${RELEASE}"
        BASE_IMAGE = "${BASE_IMAGE_REPOSITORY}:1.3.0"
        XFORMERS_VERSION = "0.0.26.post1"
    }
}
"#;

/// 2i2c-org/example-image-stack `docker-bake.hcl`: a user function that
/// makes the tags (with `formattimestamp` and `substr`), a matrix target,
/// and a `target:` context.
const IMAGE_STACK: &str = r#"variable "image_name_prefix" {
  type = string
  default = "Prefix to prepend to each image name"
}

function "image_tags" {
  params = [image_name]
  result = ["${image_name}:latest", "${image_name}:${formattimestamp("YYYY-MM-DD", timestamp())}"]
}

target "base" {
  context = "base/"
  tags = image_tags("${image_name_prefix}base")
}

target "project" {
  name = "project-${dir}"
  matrix = {
    dir = ["project1", "project2"]
  }
  context = "${dir}"
  contexts = {
    base_image = "target:base"
  }
  args = {
    BASE_IMAGE = "${image_name_prefix}base:latest"
  }

  tags = image_tags("${image_name_prefix}${dir}")
}
"#;

/// Alfresco/alfresco-dockerfiles-bakery `docker-bake.hcl`: a default made by
/// a function (`formatdate`), labels, a tag assembled from four variables, a
/// matrix variable in a tag.
const ALFRESCO: &str = r#"group "default" {
  targets = ["content_service"]
}

variable "CREATED" {
  default = formatdate("YYYY'-'MM'-'DD'T'hh':'mm':'ss'Z'", timestamp())
}

variable "REVISION" {
  default = "$GITHUB_RUN_NUMBER"
}

variable "DISTRIB_NAME" {
  default = "rockylinux"
}

variable "DISTRIB_MAJOR" {
  default = "9"
}

variable "JDIST" {
  default = "jre"
}

variable "JAVA_MAJOR" {
  default = "17"
}

variable "IMAGE_BASE_LOCATION" {
  default = "docker.io/rockylinux:9"
}

target "java_base" {
  dockerfile = "./java/Dockerfile"
  args = {
    IMAGE_BASE_LOCATION = "${IMAGE_BASE_LOCATION}"
    CREATED = "${CREATED}"
  }
  labels = {
    "org.label-schema.build-date" = "${CREATED}"
    "org.opencontainers.image.url" = "$LABEL_SOURCE"
  }
  tags = ["alfresco-base-java:${JDIST}${JAVA_MAJOR}-${DISTRIB_NAME}${DISTRIB_MAJOR}"]
  output = ["type=cacheonly"]
}

target "search_liveindexing" {
  matrix = {
    liveindexing = ["alfresco-elasticsearch-live-indexing-metadata", "alfresco-elasticsearch-live-indexing"]
  }
  name = "${liveindexing}"
  inherits = ["java_base"]
  contexts = {
    java_base = "target:java_base"
  }
  tags = ["${liveindexing}:latest"]
}
"#;

/// nebari-dev/nebari-docker-images `docker-bake.json`: the JSON form, one
/// `TAG` variable used by nine tags.
const NEBARI: &str = r#"{
  "variable": {
    "TAG": {
      "default": "latest"
    }
  },
  "group": {
    "default": {
      "targets": ["dask-worker", "jupyterhub"]
    }
  },
  "target": {
    "dask-worker": {
      "context": "./",
      "dockerfile": "Dockerfile.dask-worker",
      "tags": [
        "docker.io/quansight/qhub-dask-worker:${TAG}",
        "ghcr.io/quansight/qhub-dask-worker:${TAG}"
      ]
    },
    "jupyterhub": {
      "context": "./",
      "dockerfile": "Dockerfile.jupyterhub",
      "tags": [
        "quay.io/quansight/qhub-jupyterhub:${TAG}"
      ]
    }
  }
}
"#;

/// xrelkd/clipcat `docker-bake.hcl` (by its labels): `docker-image://`
/// contexts that replace the Dockerfile's `FROM rust` and `FROM alpine`, and
/// `null` arguments.
const CLIPCAT: &str = r#"group "default" {
  targets = ["clipcat"]
}

target "clipcat" {
  dockerfile = "dev-support/containers/alpine/Containerfile"
  platforms  = ["linux/amd64"]
  target     = "clipcat"
  contexts = {
    rust   = "docker-image://docker.io/library/rust:1.75.0-alpine3.19"
    alpine = "docker-image://docker.io/library/alpine:3.19"
  }
  args = {
    RUSTC_WRAPPER         = "/usr/bin/sccache"
    ACTIONS_CACHE_URL     = null
  }
  labels = {
    "image.type"                      = "final"
    "org.opencontainers.image.source" = "https://github.com/xrelkd/clipcat"
  }
}
"#;

/// ttionya/vaultwarden-backup `docker-bake.hcl` (by its tags): a
/// `docker-metadata-action` target, tags with `${VERSION}` and `latest`, a
/// local-registry context.
const VAULTWARDEN: &str = r#"variable "VERSION" {
  default = "latest"
}

target "docker-metadata-action" {}

target "_common" {
  inherits = ["docker-metadata-action"]
  platforms = [
    "linux/amd64",
    "linux/arm/v7"
  ]
  tags = [
    "ttionya/vaultwarden-backup:latest",
    "ghcr.io/ttionya/vaultwarden-backup:${VERSION}"
  ]
}

target "image-test" {
  inherits = ["_common"]
  dockerfile = "./tests/Dockerfile"
  contexts = {
    base = "docker-image://localhost:5000/base:dev"
  }
  tags = [
    "ttionya/vaultwarden-backup:test"
  ]
}
"#;

fn bake_tree(dir: &Path) {
    write_all(
        dir,
        &[
            ("comfyui/docker-bake.hcl", COMFYUI),
            ("sdnext/docker-bake.hcl", SDNEXT),
            ("stack/docker-bake.hcl", IMAGE_STACK),
            ("alfresco/docker-bake.hcl", ALFRESCO),
            ("nebari/docker-bake.json", NEBARI),
            ("clipcat/docker-bake.hcl", CLIPCAT),
            ("vaultwarden/docker-bake.override.hcl", VAULTWARDEN),
            // Not a Bake file by its name: never read.
            ("infra/main.hcl", "target \"x\" { tags = [\"Not:Read\"] }\n"),
        ],
    );
}

/// The inventory of real Bake files: tags (filled in from literal
/// defaults), `docker-image://` contexts without their prefix, valid
/// `*IMAGE` arguments; notes for functions, matrix variables and a
/// variable without a literal default; the tag whose defaults fill in to an
/// invalid name is the one error.
#[test]
fn bake_inventory() {
    let t = TempDir::new("bake-real");
    let d = t.path();
    bake_tree(d);
    expect(
        d,
        &["check", "--no-config", "--list"],
        1,
        "alfresco/docker-bake.hcl:43:12 alfresco-base-java:jre17-rockylinux9\n\
         clipcat/docker-bake.hcl:10:30 docker.io/library/rust:1.75.0-alpine3.19\n\
         clipcat/docker-bake.hcl:11:30 docker.io/library/alpine:3.19\n\
         comfyui/docker-bake.hcl:31:19 nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04\n\
         comfyui/docker-bake.hcl:34:12 runpod/worker-comfyui:latest-base\n\
         comfyui/docker-bake.hcl:39:19 nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04\n\
         comfyui/docker-bake.hcl:42:12 runpod/worker-comfyui:latest-sdxl\n\
         comfyui/docker-bake.hcl:48:19 nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04\n\
         comfyui/docker-bake.hcl:51:12 runpod/worker-comfyui:latest-base-cuda12.8.1\n\
         nebari/docker-bake.json:17:10 docker.io/quansight/qhub-dask-worker:latest\n\
         nebari/docker-bake.json:18:10 ghcr.io/quansight/qhub-dask-worker:latest\n\
         nebari/docker-bake.json:25:10 quay.io/quansight/qhub-jupyterhub:latest\n\
         sdnext/docker-bake.hcl:23:14 docker.io/MisterTeee/SD.next:1.0.0\n\
         sdnext/docker-bake.hcl:26:23 MisterTeee/runpod-base:1.3.0\n\
         vaultwarden/docker-bake.override.hcl:14:6 ttionya/vaultwarden-backup:latest\n\
         vaultwarden/docker-bake.override.hcl:15:6 ghcr.io/ttionya/vaultwarden-backup:latest\n\
         vaultwarden/docker-bake.override.hcl:23:28 localhost:5000/base:dev\n\
         vaultwarden/docker-bake.override.hcl:26:6 ttionya/vaultwarden-backup:test\n",
        "alfresco/docker-bake.hcl:56:12: note: skipped: \"${liveindexing}:latest\" uses ${liveindexing}, which has no literal default in a variable block of this file\n\
         sdnext/docker-bake.hcl:23:14: error: invalid reference \"docker.io/MisterTeee/SD.next:1.0.0\": repository path must be lowercase at byte 10 (\"MisterTeee\")\n\
         stack/docker-bake.hcl:13:10: note: skipped: tags written as an HCL expression (image_tags(\"${image_name_prefix}base\")): not filled in here\n\
         stack/docker-bake.hcl:29:10: note: skipped: tags written as an HCL expression (image_tags(\"${image_name_prefix}${dir}\")): not filled in here\n\
         checked 18 references in 7 files: 1 error, 3 references skipped\n",
    );
}

/// SARIF: a finding in a Bake file has its file, line, column.
#[test]
fn bake_sarif_region() {
    let t = TempDir::new("bake-sarif");
    let d = t.path();
    write_all(d, &[("clipcat/docker-bake.hcl", CLIPCAT)]);
    let out = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--require-digest",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let loc = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "clipcat/docker-bake.hcl");
    assert_eq!(loc["region"]["startLine"], 11);
    assert_eq!(loc["region"]["startColumn"], 30);
    assert_eq!(
        loc["region"]["endColumn"],
        30 + "docker.io/library/alpine:3.19".len()
    );
}

/// Variables: a tag with `${VAR}` is filled in from the variable's literal
/// default (checked as that name: an invalid default is an error at the
/// use); without a default, or with an expression, it is a note; a file
/// that does not parse is one note; `--kind bake` reads any file.
#[test]
fn bake_variables_and_notes() {
    let t = TempDir::new("bake-vars");
    let d = t.path();
    write_all(
        d,
        &[
            (
                "docker-bake.hcl",
                "variable \"TAG\" {\n  default = \"24.01-py3\"\n}\nvariable \"REGISTRY\" {}\n\
                 target \"train\" {\n  tags = [\n    \"nvcr.io/nvidia/pytorch:${TAG}\",\n    \"${REGISTRY}/train:${TAG}\",\n\
                 \"train:${notequal(TAG, \"\") ? TAG : \"dev\"}\",\n  ]\n}\n",
            ),
            (
                "docker-bake.override.hcl",
                "<<<<<<< HEAD\ntarget \"train\" {\n  tags = [\"Bad:Name\"]\n}\n=======\n>>>>>>> main\n",
            ),
            ("ci/images.hcl", "target \"x\" { tags = [\"ubuntu:22.04\"] }\n"),
        ],
    );
    expect(
        d,
        &["check", "--no-config", "--list", "docker-bake.hcl", "docker-bake.override.hcl"],
        0,
        "docker-bake.hcl:7:6 nvcr.io/nvidia/pytorch:24.01-py3\n",
        "docker-bake.hcl:8:6: note: skipped: \"${REGISTRY}/train:${TAG}\" uses ${REGISTRY}, which has no literal default in a variable block of this file\n\
         docker-bake.hcl:9:2: note: skipped: \"train:${notequal(TAG, \\\"\\\") ? TAG : \\\"dev\\\"}\" uses an HCL expression\n\
         docker-bake.override.hcl:1:3: note: skipped: not a Bake file the scanner can read (expected a heredoc's delimiter after '<<', found '<'): nothing read\n\
         checked 1 reference in 2 files: 0 errors, 3 references skipped\n",
    );
    expect(
        d,
        &[
            "check",
            "--no-config",
            "--list",
            "--kind",
            "bake",
            "ci/images.hcl",
        ],
        0,
        "ci/images.hcl:1:23 ubuntu:22.04\n",
        "checked 1 reference in 1 file: 0 errors\n",
    );
}

/// `pin` rewrites a moving tag where it is written whole: a variable's
/// default that an argument fills in, and a `docker-image://` context;
/// every other byte kept. A default shared by two different names is left
/// alone (rewriting it for one would change the other).
#[test]
fn bake_pin_rewrites_in_place() {
    let t = TempDir::new("bake-pin");
    let d = t.path();
    let before = "# GPU images\nvariable \"TORCH_TAG\" {\n  default = \"2.3.0-cuda12.4\" # moving\n}\n\n\
                  target \"train\" {\n  args = {\n    BASE_IMAGE = \"quay.io/vessl-ai/torch:${TORCH_TAG}\"\n  }\n\
                  contexts = {\n    py = \"docker-image://quay.io/vessl-ai/python:3.10\"\n  }\n\
                  tags = [\"registry.example.com/train:1\"]\n}\n";
    write_all(
        d,
        &[
            ("docker-bake.hcl", before),
            (
                "tags.txt",
                "2.3.0-cuda12.4\n2.3.0-cuda12.4-r9\n2.3.0-cuda12.4-r10\n3.10\n3.10-r10\n1\n",
            ),
        ],
    );
    expect(
        d,
        &[
            "pin",
            "--no-config",
            "--tags",
            "tags.txt",
            "docker-bake.hcl",
        ],
        0,
        "docker-bake.hcl: pinned 2\n",
        "pinned 2 references in 1 of 1 file\n",
    );
    assert_eq!(
        fs::read_to_string(d.join("docker-bake.hcl")).unwrap(),
        before
            .replace("\"2.3.0-cuda12.4\"", "\"2.3.0-cuda12.4-r10\"")
            .replace("python:3.10\"", "python:3.10-r10\"")
    );
    expect(
        d,
        &[
            "check",
            "--no-config",
            "--deny-alias",
            "--list",
            "docker-bake.hcl",
        ],
        0,
        "docker-bake.hcl:8:19 quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n\
         docker-bake.hcl:11:26 quay.io/vessl-ai/python:3.10-r10\n\
         docker-bake.hcl:13:10 registry.example.com/train:1\n",
        "checked 3 references in 1 file: 0 errors\n",
    );
}

// ---- properties ----

/// Pieces of Groovy a pipeline is made of, hostile ones included.
fn groovy_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "pipeline {",
        "agent {",
        "docker {",
        "image ",
        "docker ",
        "docker.image(",
        "docker.build(",
        ")",
        "}",
        "{",
        "'x:1'",
        "\"y:${v}\"",
        "\"z\"",
        "'''",
        "\"\"\"",
        "//",
        "/*",
        "*/",
        "\n",
        " ",
        "/",
        "$/",
        "/$",
        "\\",
        "'",
        "\"",
        "${",
        "é",
        "sh ",
    ])
}

/// Pieces of HCL a Bake file is made of, hostile ones included.
fn hcl_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "target \"t\" {",
        "variable \"V\" {",
        "default = ",
        "tags = [",
        "contexts = {",
        "args = {",
        "X_IMAGE = ",
        "b = ",
        "\"docker-image://a:1\"",
        "\"${V}\"",
        "\"x:${V}\"",
        "\"${f(\"a\")}\"",
        "]",
        "}",
        "[",
        "{",
        ",",
        "\n",
        "#",
        "//",
        "/*",
        "*/",
        "<<EOT\n",
        "EOT\n",
        "\"",
        "$${",
        "%{",
        "\\",
        "é",
        "=",
        ":",
        "(",
        ")",
    ])
}

proptest! {
    /// Whatever the text, neither scanner panics, and every span lies in
    /// the text, an image's holding exactly its text.
    #[test]
    fn never_panics(
        g in prop::collection::vec(groovy_piece(), 0..60),
        h in prop::collection::vec(hcl_piece(), 0..60),
        u in any::<String>(),
    ) {
        let g = g.concat();
        let h = h.concat();
        for (kind, text) in [
            (FileKind::Jenkins, &g), (FileKind::Jenkins, &u),
            (FileKind::Bake, &h), (FileKind::Bake, &u),
        ] {
            for f in find_in(kind, Path::new("f"), text) {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
                prop_assert!(f.line >= 1 && f.column >= 1);
                if f.kind == Kind::Image {
                    prop_assert_eq!(&text[f.span.clone()], f.text.as_str());
                }
                if let Some(t) = &f.tag_span {
                    prop_assert!(t.start <= t.end && t.end <= text.len());
                }
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A valid pipeline repeated `n` times holds `n` times its images, each
    /// where it is written: the scanner reads each piece once, whatever
    /// came before (`n` up to 2 000 copies of the hostile shapes: many
    /// open blocks, strings and comments).
    #[test]
    fn jenkins_scales_with_the_text(n in 1usize..2000, deep in 0usize..50) {
        let unit = format!(
            "{}node {{ agent {{ docker {{ image 'a:1' }} }} /* c */ docker.image(\"b:${{x}}\").inside {{ sh '''q''' }} }}{}\n",
            "x {".repeat(deep),
            "}".repeat(deep),
        );
        let text = unit.repeat(n);
        let found = find_in(FileKind::Jenkins, Path::new("Jenkinsfile"), &text);
        prop_assert_eq!(found.len(), 2 * n);
        prop_assert_eq!(found.iter().filter(|f| f.kind == Kind::Image).count(), n);
        prop_assert_eq!(found[2 * n - 1].line, n);
    }

    /// The same for Bake files: `n` targets that each fill in a variable
    /// and read a context.
    #[test]
    fn bake_scales_with_the_text(n in 1usize..2000) {
        let mut text = String::from("variable \"T\" {\n  default = \"1.0\"\n}\n");
        for _ in 0..n {
            text.push_str("target \"t\" {\n  tags = [\"app:${T}\"] # c\n  contexts = { b = \"docker-image://b:2\" }\n}\n");
        }
        let found = find_in(FileKind::Bake, Path::new("docker-bake.hcl"), &text);
        prop_assert_eq!(found.len(), 2 * n);
        prop_assert_eq!(found.iter().filter(|f| f.kind == Kind::Expanded).count(), n);
        prop_assert_eq!(found[2 * n - 1].line, 3 + 4 * n - 1);
    }
}

/// Hostile shapes that make a careless scanner quadratic, at a size where
/// quadratic work would not finish: unclosed strings and comments at every
/// byte, thousands of open templates, heredocs that never close, blocks
/// nested deeper than the limit. Each ends in a note, never a panic or a
/// stack overflow.
#[test]
fn hostile_shapes_end_in_notes() {
    let n = 200_000;
    for (kind, text) in [
        (FileKind::Jenkins, "{".repeat(n)),
        (
            FileKind::Jenkins,
            format!("{}'", "docker.image(".repeat(n / 10)),
        ),
        (FileKind::Jenkins, "/* ".repeat(n)),
        (FileKind::Jenkins, "\"${".repeat(n)),
        (FileKind::Bake, "{".repeat(n)),
        (FileKind::Bake, format!("x = {}", "[".repeat(n))),
        (FileKind::Bake, "target \"a\" {".repeat(n / 10)),
        (FileKind::Bake, "x = \"${".repeat(n / 5)),
        (FileKind::Bake, "x = <<EOT\n".repeat(n / 5)),
        (FileKind::Bake, "/* ".repeat(n)),
    ] {
        let found = find_in(kind, Path::new("f"), &text);
        assert_eq!(found.len(), 1, "{kind:?} {:?}", &text[..20]);
        assert!(matches!(found[0].kind, Kind::Skipped(_)), "{found:?}");
    }
}
