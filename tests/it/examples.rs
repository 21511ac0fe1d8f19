//! The programs in `examples/` run, and print what they should: `cargo
//! test` builds them (into `target/<profile>/examples/`, beside the
//! `deps/` directory this test runs from), and these tests run the built
//! binaries. The registry example runs against a real `docker-registry` on
//! loopback.

use crate::support;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The built example `name`.
fn example(name: &str) -> Command {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/it-HASH -> target/<profile>/examples
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    let path: PathBuf = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} not built: run `cargo test --all-features` (which builds the examples) \
         or `cargo build --examples --all-features` first",
        path.display()
    );
    let mut cmd = Command::new(path);
    cmd.env_remove("IMAGETAG_REGISTRY_USER")
        .env_remove("IMAGETAG_REGISTRY_PASSWORD")
        .env_remove("IMAGETAG_REGISTRY_HOST")
        .env("DOCKER_CONFIG", "/nonexistent-imagetag-test");
    cmd
}

fn run(mut cmd: Command) -> (String, String, Option<i32>) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run example");
    (
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
        status.code(),
    )
}

#[test]
fn explain_prints_each_names_reading() {
    let mut cmd = example("explain");
    cmd.args([
        "nvcr.io/nvidia/pytorch:24.01-py3",
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
    ]);
    let (out, err, code) = run(cmd);
    assert_eq!(
        out,
        "\
nvcr.io/nvidia/pytorch:24.01-py3
  scheme:     ngc
  registry:   nvcr.io
  repository: nvidia/pytorch
  framework:  pytorch
  release:    24.01
  python:     py3
  track:      ngc nvcr.io/nvidia/pytorch release python=py3
  kind:       pinned
quay.io/vessl-ai/torch:2.3.0-cuda12.4
  scheme:     vessl
  registry:   quay.io
  repository: vessl-ai/torch
  framework:  torch
  version:    2.3.0
  cuda:       12.4
  is_standard_alias: true
  track:      vessl quay.io/vessl-ai/torch cuda12.4
  kind:       alias
"
    );
    assert_eq!((err.as_str(), code), ("", Some(0)));
}

#[test]
fn explain_reports_a_bad_name_with_its_byte() {
    let mut cmd = example("explain");
    cmd.args(["ubuntu:@@"]);
    let (out, err, code) = run(cmd);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "ubuntu:@@: invalid reference \"ubuntu:@@\": expected a letter, digit or '_' to start the tag at byte 7 (\"@\")\n"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn resolve_pins_an_alias_from_a_tag_file() {
    let dir = support::TempDir::new("example-resolve");
    let tags = dir.path().join("tags.txt");
    std::fs::write(
        &tags,
        "# tags of the repository\n3.11-r2\n3.11-r14  # newest\n3.11\nnot a tag\n3.10-r20\n",
    )
    .unwrap();
    let mut cmd = example("resolve");
    cmd.arg("quay.io/vessl-ai/python:3.11").arg(&tags);
    let (out, err, code) = run(cmd);
    assert_eq!(
        out,
        "\
quay.io/vessl-ai/python:3.11 -> quay.io/vessl-ai/python:3.11-r14
4 tags, in order:
  pinned 3.10-r20
  pinned 3.11-r2
  pinned 3.11-r14
  alias  3.11
"
    );
    assert!(err.starts_with("skipping: "), "{err}");
    assert!(
        err.contains("\"quay.io/vessl-ai/python:not a tag\""),
        "{err}"
    );
    assert_eq!(code, Some(0));
}

#[cfg(feature = "registry")]
#[test]
fn registry_catalog_lists_resolves_and_reads_the_digest() {
    use support::{push, Auth, Registry};

    let reg = Registry::start(Auth::None);
    let digests = push(
        &reg.base(),
        "vessl-ai/torch",
        &[
            "2.3.0-cuda12.4-r4=r4",
            "2.3.0-cuda12.4-r5=r5",
            "2.3.0-cuda12.4=r5",
            "2.3.1-cuda12.1-r10=r10",
        ],
        None,
    );
    let name = format!("{}/vessl-ai/torch:2.3.0-cuda12.4", reg.host());
    let mut cmd = example("registry_catalog");
    cmd.arg(&name);
    let (out, err, code) = run(cmd);
    assert_eq!(
        out,
        format!(
            "{host}/vessl-ai/torch: 4 tags\n{name} -> {host}/vessl-ai/torch:2.3.0-cuda12.4-r5\ndigest: {}\n",
            digests["2.3.0-cuda12.4-r5"],
            host = reg.host(),
        )
    );
    assert_eq!((err.as_str(), code), ("", Some(0)));

    // A tag the registry does not have: the error names it, exit 1.
    let mut cmd = example("registry_catalog");
    cmd.arg(format!("{}/vessl-ai/nothing:1.0", reg.host()));
    let (out, err, code) = run(cmd);
    assert_eq!(out, "");
    assert!(err.starts_with("Error: "), "{err}");
    assert!(
        err.contains("/v2/vessl-ai/nothing/tags/list") && err.contains("NAME_UNKNOWN"),
        "{err}"
    );
    assert_eq!(code, Some(1));
}
