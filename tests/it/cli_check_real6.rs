//! `imagetag check` on shapes that a sixth held-out round of real
//! repository files found (`/work/realfiles6`, REPORT.md there): each test
//! is built from a minimal snippet of the real file it names, run as the
//! real binary with exact output and exit code.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;

use support::TempDir;

use util::expect_in as expect;

/// A SkyPilot task names its container as `resources.image_id:
/// docker:<image>` (skypilot-org/skypilot `llm/kimi-k2/kimi-k2.yaml`:
/// `image_id: docker:vllm/vllm-openai:latest`), also inside `any_of`
/// candidates. Any other `image_id` is a VM image (an AMI, a GCP image path
/// that happens to read as a reference) and is not listed. A `docker:` name
/// that is wrong is an error like any image.
#[test]
fn skypilot_docker_image_id() {
    let t = TempDir::new("real6-skypilot");
    let d = t.path();
    fs::write(
        d.join("kimi-k2.yaml"),
        "envs:\n  MODEL_NAME: moonshotai/Kimi-K2-Instruct\n\n\
         resources:\n  image_id: docker:vllm/vllm-openai:latest\n  network_tier: best\n  \
         accelerators: H100:8\n\nnum_nodes: 2\n",
    )
    .unwrap();
    fs::write(
        d.join("task.yaml"),
        "resources:\n  any_of:\n    - infra: aws/us-east-1\n      \
         image_id: \"docker:nvcr.io/nvidia/pytorch:24.01-py3\"\n    - infra: gcp\n      \
         image_id: projects/deeplearning-platform-release/global/images/common-cu121\n    \
         - infra: aws\n      image_id: ami-0a1b2c3d4e5f\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        "kimi-k2.yaml:5:20 vllm/vllm-openai:latest\n\
         task.yaml:4:25 nvcr.io/nvidia/pytorch:24.01-py3\n",
        "checked 2 references in 2 files: 0 errors\n",
    );
    fs::write(
        d.join("bad.yaml"),
        "resources:\n  image_id: docker:vllm/vllm-openai:latest:v1\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--no-config"],
        1,
        "bad.yaml:2:20: error: invalid reference \"vllm/vllm-openai:latest:v1\": expected a letter, digit, '_', '.' or '-' in the tag at byte 23 (\":\")\n",
        "checked 3 references in 3 files: 1 error\n",
    );
}

/// ClearML's server compose file names the agent's default base image in an
/// environment variable (allegroai/clearml-server `docker/docker-compose.yml`:
/// `CLEARML_AGENT_DEFAULT_BASE_DOCKER: "ubuntu:18.04"`). A key that ends in
/// `docker` is read when its value is a valid reference, and only then: a
/// daemon address, a flag or a path under such a key, or a `dockerfile:`
/// key, is not an image.
#[test]
fn keys_ending_in_docker_name_images_when_valid() {
    let t = TempDir::new("real6-docker-key");
    let d = t.path();
    fs::write(
        d.join("docker-compose.yml"),
        "services:\n  agent-services:\n    image: allegroai/clearml-agent-services:latest\n    \
         environment:\n      CLEARML_API_HOST: http://apiserver:8008\n      \
         CLEARML_AGENT_DEFAULT_BASE_DOCKER: \"ubuntu:18.04\"\n      DOCKER_HOST: tcp://docker:2375\n      \
         USE_DOCKER: \"true\"\n      CACHE_DOCKER: /var/cache/docker\n    \
         build:\n      context: .\n      dockerfile: docker/dockerfile\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        "docker-compose.yml:3:12 allegroai/clearml-agent-services:latest\n\
         docker-compose.yml:6:43 ubuntu:18.04\n",
        "checked 2 references in 1 file: 0 errors\n",
    );
}
