//! `imagetag check` on shapes that a tenth held-out round of real
//! repository files found (`/work/realfiles10`, REPORT.md there): each test
//! is built from a minimal snippet of the real file it names, run as the
//! real binary with exact output and exit code.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;

use support::TempDir;

use util::expect_in as expect;

/// An NVIDIA NIM chart's init container names its image in two parts
/// under a key that is not `image` (GoogleCloudPlatform/ai-on-gke
/// `tutorials-and-examples/nvidia-nim/values.yaml`: `ngcInit: {imageName:
/// nvcr.io/.../nemollm-inference-ms, imageTag: 23.12.a}`). The name alone
/// has no tag, so `--deny-alias` called it unpinned: one reference, joined
/// at the name, with its tag. A name that has its own tag stays as written,
/// and a part with a variable is not read (the key does not say for sure it
/// is an image).
#[test]
fn image_name_beside_image_tag() {
    let t = TempDir::new("real10-nim");
    let d = t.path();
    fs::write(
        d.join("values.yaml"),
        "initContainers:\n  ngcInit:\n    \
         imageName: nvcr.io/ohlfw0olaadg/ea-participants/nemollm-inference-ms\n    \
         imageTag: 23.12.a\n    secretName: ngc-api\n\nimage:\n  tag: 23.12.a\n",
    )
    .unwrap();
    fs::write(
        d.join("l4.yaml"),
        "initContainers:\n  ngcInit:\n    \
         imageName: ${REGION}-docker.pkg.dev/${PROJECT_ID}/nim-demo-repo/nemollm-inference-ms\n    \
         imageTag: 23.12.a\n  other:\n    imageName: nvcr.io/nvidia/pytorch:24.01-py3\n    \
         imageTag: ignored\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        "l4.yaml:6:16 nvcr.io/nvidia/pytorch:24.01-py3\n\
         values.yaml:3:16 nvcr.io/ohlfw0olaadg/ea-participants/nemollm-inference-ms:23.12.a\n",
        "checked 2 references in 2 files: 0 errors\n",
    );
    expect(
        d,
        &["check", "--no-config", "--deny-alias"],
        0,
        "",
        "checked 2 references in 2 files: 0 errors\n",
    );
}

/// A workflow's settings name parts of the image it builds
/// (neggles/tensorpods `.github/workflows/build-ngc-xformers.yaml`: `env:
/// {IMAGE_NAMESPACE: neggles/tensorpods, IMAGE_PLATFORMS: "linux/amd64"}`).
/// They read as valid references, so they were listed as images, and
/// `--deny-alias` called them unpinned. A key whose last word names a part
/// or a property of an image (namespace, platform, registry, ...) never
/// holds a whole reference; `BASE_IMAGE` still does.
#[test]
fn keys_that_name_a_part_of_an_image() {
    let t = TempDir::new("real10-parts");
    let d = t.path();
    fs::create_dir_all(d.join(".github/workflows")).unwrap();
    fs::write(
        d.join(".github/workflows/build.yaml"),
        "env:\n  IMAGE_REGISTRY: ghcr.io\n  IMAGE_NAME: xformers\n  \
         IMAGE_NAMESPACE: neggles/tensorpods\n  IMAGE_PLATFORMS: \"linux/amd64\"\n  \
         imageRegistry: localhost:5000\n  BASE_IMAGE: nvcr.io/nvidia/pytorch:23.08-py3\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        ".github/workflows/build.yaml:7:15 nvcr.io/nvidia/pytorch:23.08-py3\n",
        "checked 1 reference in 1 file: 0 errors\n",
    );
    expect(
        d,
        &["check", "--no-config", "--deny-alias"],
        0,
        "",
        "checked 1 reference in 1 file: 0 errors\n",
    );
}

/// CircleCI's `machine:` executor names a VM image (pytorch/ignite
/// `.circleci/config.yml`: `machine: {image: ubuntu-2004-cuda-11.2:202103-01,
/// resource_class: gpu.small}`, `image: windows-server-2019-nvidia:stable`),
/// not a container image: not listed, and not an alias for `--deny-alias`.
/// Its pipeline parameters that hold the container images (`parameters:
/// {pytorch_stable_image: {type: string, default: "pytorch/pytorch:..."}}`)
/// are read, as are lists of images under such a key (coreweave/ml-containers
/// `.github/configurations/vllm-tensorizer.yml`: `builder-base-image:
/// ['ghcr.io/...']`).
#[test]
fn circleci_machine_images_and_image_parameters() {
    let t = TempDir::new("real10-circleci");
    let d = t.path();
    fs::create_dir_all(d.join(".circleci")).unwrap();
    fs::write(
        d.join(".circleci/config.yml"),
        "version: 2.1\n\nparameters:\n  pytorch_stable_image:\n    type: string\n    \
         default: \"pytorch/pytorch:1.10.0-cuda11.3-cudnn8-runtime\"\n  workingdir:\n    \
         type: string\n    default: \"/tmp/ignite\"\n\none_gpu: &one_gpu\n  machine:\n    \
         image: ubuntu-2004-cuda-11.2:202103-01 # CUDA v11.2.1\n    docker_layer_caching: true\n  \
         resource_class: gpu.small\n\none_gpu_windows: &one_gpu_windows\n  machine:\n    \
         resource_class: windows.gpu.nvidia.medium\n    image: windows-server-2019-nvidia:stable\n    \
         shell: bash.exe\n",
    )
    .unwrap();
    fs::write(
        d.join("vllm-tensorizer.yml"),
        "vllm-commit:\n  - 'b6553be1bc75f046b00046a4ad7576364d03c835'\nbuilder-base-image:\n  \
         - 'ghcr.io/coreweave/ml-containers/torch-extras:es-cuda-12.9.1-74755e9-nccl'\n\
         image-platforms:\n  - linux/amd64\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--list", "--no-config"],
        0,
        ".circleci/config.yml:6:15 pytorch/pytorch:1.10.0-cuda11.3-cudnn8-runtime\n\
         vllm-tensorizer.yml:4:6 ghcr.io/coreweave/ml-containers/torch-extras:es-cuda-12.9.1-74755e9-nccl\n",
        "checked 2 references in 2 files: 0 errors\n",
    );
    expect(
        d,
        &["check", "--no-config", "--deny-alias"],
        0,
        "",
        "checked 2 references in 2 files: 0 errors\n",
    );
}
