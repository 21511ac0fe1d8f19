//! A deterministic corpus of realistic image references, shared by the parse
//! benchmark (`benches/parse.rs`) and the allocation test
//! (`tests/test_alloc.rs`), which include this file with `#[path]`, and by
//! the oracle test (`tests/it/oracle.rs`, as `util::corpus_gen`).
//!
//! The mix follows what schedulers and CI checks see: Docker Hub short names,
//! VESSL images on quay.io, NGC images on nvcr.io, TWCC images, private
//! registries with ports and digests, IPv6 registries, and the usual cloud
//! registries. Every entry is a valid reference in both the strict and the
//! normalized reading. No `rand`: a xorshift generator with a fixed seed, so
//! every run (and both users) sees the same 10 000 names.
#![allow(dead_code)]

/// The number of references in the corpus.
pub const SIZE: usize = 10_000;

/// The fixed seed; change it and every figure changes with it.
const SEED: u64 = 0x5EED_1A6E_7A65_2024;

/// Marsaglia's xorshift64.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        (0..n)
            .map(|_| HEX[self.below(16) as usize] as char)
            .collect()
    }
}

const OFFICIAL: &[&str] = &[
    "ubuntu",
    "debian",
    "alpine",
    "python",
    "node",
    "golang",
    "redis",
    "postgres",
    "nginx",
    "busybox",
    "rust",
    "openjdk",
    "mysql",
    "mongo",
    "httpd",
    "memcached",
    "fedora",
    "rockylinux",
    "eclipse-temurin",
    "hello-world",
];

const OFFICIAL_SUFFIXES: &[&str] = &[
    "",
    "-slim",
    "-alpine",
    "-slim-bookworm",
    "-bookworm",
    "-bullseye",
    "-alpine3.19",
    "-jammy",
];

const HUB_USER_REPOS: &[&str] = &[
    "bitnami/postgresql",
    "bitnami/redis",
    "pytorch/pytorch",
    "tensorflow/tensorflow",
    "huggingface/transformers-pytorch-gpu",
    "grafana/grafana-oss",
    "prom/prometheus",
    "jupyter/scipy-notebook",
    "continuumio/miniconda3",
    "nvidia/cuda",
    "rayproject/ray-ml",
    "vllm/vllm-openai",
    "ollama/ollama",
    "apache/airflow",
    "library/redis",
    "library/python",
];

const VESSL_IMAGES: &[&str] = &[
    "torch",
    "python",
    "cuda",
    "tensorflow",
    "kernels",
    "ngc-pytorch-kernel",
    "ngc-tensorflow-kernel",
    "jax",
];

const NGC_IMAGES: &[&str] = &[
    "nvidia/pytorch",
    "nvidia/tensorflow",
    "nvidia/tritonserver",
    "nvidia/nemo",
    "nvidia/cuda",
    "nvidia/jax",
    "nvidia/rapidsai/base",
    "nvidia/merlin/merlin-pytorch",
    "nvidia/merlin/merlin-tensorflow-training",
    "nvidia/clara-train-sdk",
    "nim/meta/llama-3.1-8b-instruct",
    "ea-linux4tegra/l4t-jetpack",
];

const NGC_VARIANTS: &[&str] = &[
    "-py3",
    "-tf2-py3",
    "-tf1-py3",
    "-trtllm-python-py3",
    "-py3-sdk",
    "-py3-igpu",
    "-vllm-python-py3",
    "-pyt-python-py3",
];

const TWCC_FRAMEWORKS: &[&str] = &[
    "tensorflow",
    "pytorch",
    "caffe",
    "mxnet",
    "cntk",
    "digits",
    "tensorrt",
    "triton-inference-server",
    "matlab",
];

const PRIVATE_HOSTS: &[&str] = &[
    "localhost",
    "registry.local",
    "registry.example.com",
    "harbor.corp.internal",
    "10.0.0.12",
    "192.168.1.10",
    "docker-registry.default.svc.cluster.local",
    "my-registry",
];

const PRIVATE_PATHS: &[&str] = &[
    "team/app",
    "ml/training/job-runner",
    "platform/base-images/cuda-runtime",
    "vessl",
    "project_x/worker",
    "a/b/c/d",
    "infra/api-gateway",
];

const IPV6_HOSTS: &[&str] = &[
    "[::1]",
    "[2001:db8::1]",
    "[fe80::1ff:fe23:4567:890a]",
    "[2001:DB8:0:0:8:800:200C:417A]",
    "[::ffff:c000:280]",
];

const CLOUD: &[&str] = &[
    "ghcr.io/vessl-ai/kernels",
    "ghcr.io/huggingface/text-generation-inference",
    "gcr.io/distroless/static-debian12",
    "gcr.io/kaniko-project/executor",
    "registry.k8s.io/kube-apiserver",
    "registry.k8s.io/pause",
    "public.ecr.aws/lambda/python",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app",
    "mcr.microsoft.com/dotnet/sdk",
    "registry.gitlab.com/group/sub-group/project",
    "us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1",
    "k8s.gcr.io/coredns/coredns",
];

fn semver(g: &mut XorShift) -> String {
    format!("{}.{}.{}", g.range(0, 12), g.range(0, 30), g.range(0, 20))
}

fn release(g: &mut XorShift) -> String {
    format!("{}.{:02}", g.range(17, 25), g.range(1, 12))
}

fn cuda(g: &mut XorShift) -> String {
    format!("cuda{}.{}", g.range(10, 12), g.range(0, 8))
}

fn digest(g: &mut XorShift) -> String {
    match g.below(20) {
        0 => format!("sha512:{}", g.hex(128)),
        1 => format!("sha384:{}", g.hex(96)),
        _ => format!("sha256:{}", g.hex(64)),
    }
}

/// `ubuntu`, `python:3.11-slim`, `library/redis:7`, `docker.io/library/nginx:1.25-alpine`.
fn official(g: &mut XorShift) -> String {
    let name = g.pick(OFFICIAL);
    let prefix = match g.below(10) {
        0 => "library/",
        1 => "docker.io/library/",
        2 => "docker.io/",
        _ => "",
    };
    let tag = match g.below(10) {
        0 | 1 => String::new(),
        2 => ":latest".to_owned(),
        3 => format!(":{}", g.range(1, 24)),
        4 => format!(
            ":{}.{}",
            g.range(18, 24),
            if g.chance(50) { "04" } else { "10" }
        ),
        5 => format!(
            ":{}",
            g.pick(&["bookworm", "jammy", "noble", "stable", "edge"])
        ),
        _ => format!(
            ":{}.{}{}",
            g.range(1, 3),
            g.range(0, 12),
            g.pick(OFFICIAL_SUFFIXES)
        ),
    };
    format!("{prefix}{name}{tag}")
}

/// `bitnami/postgresql:16.2.0-debian-12-r5`, `pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime`.
fn hub_user(g: &mut XorShift) -> String {
    let repo = g.pick(HUB_USER_REPOS);
    match g.below(5) {
        0 => repo.to_owned(),
        1 => format!("{repo}:{}-debian-12-r{}", semver(g), g.range(0, 30)),
        2 => format!(
            "{repo}:{}-{}-cudnn{}-{}",
            semver(g),
            cuda(g),
            g.range(7, 9),
            g.pick(&["runtime", "devel"])
        ),
        3 => format!("{repo}:{}-gpu-jupyter", semver(g)),
        _ => format!("{repo}:v{}", semver(g)),
    }
}

/// `quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`.
fn vessl(g: &mut XorShift) -> String {
    let image = g.pick(VESSL_IMAGES);
    let tag = match g.below(5) {
        0 => format!("{}-{}-r{}", semver(g), cuda(g), g.range(1, 20)),
        1 => format!("3.{}-r{}", g.range(8, 12), g.range(1, 20)),
        2 => format!("3.{}", g.range(8, 12)),
        3 => format!(
            "{}-{}-cudnn{}-py3{}",
            semver(g),
            cuda(g),
            g.range(7, 9),
            g.range(8, 12)
        ),
        _ => format!("{}.{}", g.range(11, 12), g.range(0, 8)),
    };
    format!("quay.io/vessl-ai/{image}:{tag}")
}

/// `nvcr.io/nvidia/pytorch:24.01-py3`, `nvcr.io/nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04`.
fn ngc(g: &mut XorShift) -> String {
    let image = g.pick(NGC_IMAGES);
    let tag = match g.below(6) {
        0 => format!(
            "{}.{}.{}-cudnn-{}-ubuntu{}.04",
            g.range(11, 12),
            g.range(0, 8),
            g.range(0, 2),
            g.pick(&["devel", "runtime"]),
            g.pick(&["20", "22", "24"])
        ),
        1 => format!("r{}.{}.{}", g.range(32, 36), g.range(0, 4), g.range(0, 3)),
        2 => format!("v{}.{}", g.range(1, 4), g.range(0, 9)),
        3 => "latest".to_owned(),
        _ => format!("{}{}", release(g), g.pick(NGC_VARIANTS)),
    };
    let digest = if g.chance(5) {
        format!("@{}", digest(g))
    } else {
        String::new()
    };
    format!("nvcr.io/{image}:{tag}{digest}")
}

/// `registry.twcc.ai/ngc/nvidia/tensorflow-18.10-py2-v1:latest`.
fn twcc(g: &mut XorShift) -> String {
    let fw = g.pick(TWCC_FRAMEWORKS);
    let py = g.pick(&["py2", "py3"]);
    let name = match g.below(3) {
        0 => format!("{fw}-{}-{py}-v{}", release(g), g.range(1, 3)),
        1 => format!("{fw}-{}-tf{}-{py}", release(g), g.range(1, 2)),
        _ => format!("{fw}-{}-{py}", release(g)),
    };
    let tag = if g.chance(80) { ":latest" } else { "" };
    format!("registry.twcc.ai/ngc/nvidia/{name}{tag}")
}

/// `host:port/path@sha256:…`, sometimes with a tag before the digest.
fn private_digest(g: &mut XorShift) -> String {
    let host = g.pick(PRIVATE_HOSTS);
    let port = match g.below(4) {
        0 => String::new(),
        1 => ":5000".to_owned(),
        2 => ":443".to_owned(),
        _ => format!(":{}", g.range(1024, 65535)),
    };
    let path = g.pick(PRIVATE_PATHS);
    let tag = if g.chance(30) {
        format!(":{}", semver(g))
    } else {
        String::new()
    };
    format!("{host}{port}/{path}{tag}@{}", digest(g))
}

/// `[::1]:5000/team/app:1.2.3`.
fn ipv6(g: &mut XorShift) -> String {
    let host = g.pick(IPV6_HOSTS);
    let port = if g.chance(80) {
        format!(":{}", g.range(1024, 65535))
    } else {
        String::new()
    };
    let path = g.pick(PRIVATE_PATHS);
    let rest = match g.below(3) {
        0 => String::new(),
        1 => format!(":{}", semver(g)),
        _ => format!("@{}", digest(g)),
    };
    format!("{host}{port}/{path}{rest}")
}

/// `ghcr.io/…`, `gcr.io/…`, ECR, MCR, GitLab, Artifact Registry.
fn cloud(g: &mut XorShift) -> String {
    let repo = g.pick(CLOUD);
    let tag = match g.below(5) {
        0 => format!("v{}", semver(g)),
        1 => format!("sha-{}", g.hex(7)),
        2 => g
            .pick(&["nonroot", "main", "debug", "latest", "8.0"])
            .to_owned(),
        3 => format!(
            "{}-{}",
            semver(g),
            g.pick(&["alpine", "gpu", "cu121", "rc1"])
        ),
        _ => semver(g),
    };
    let digest = if g.chance(10) {
        format!("@{}", digest(g))
    } else {
        String::new()
    };
    format!("{repo}:{tag}{digest}")
}

/// The corpus: `SIZE` references, the same on every run.
pub fn corpus() -> Vec<String> {
    let mut g = XorShift::new(SEED);
    (0..SIZE)
        .map(|_| match g.below(100) {
            0..=21 => official(&mut g),
            22..=31 => hub_user(&mut g),
            32..=46 => vessl(&mut g),
            47..=61 => ngc(&mut g),
            62..=69 => twcc(&mut g),
            70..=81 => private_digest(&mut g),
            82..=86 => ipv6(&mut g),
            _ => cloud(&mut g),
        })
        .collect()
}
