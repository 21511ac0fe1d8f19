//! `imagetag resolve`, `latest`, `sort` and `check --deny-alias` on
//! generic tags and TWCC releases, run as the real binary.
#![cfg(feature = "cli")]

use crate::support::TempDir;
use crate::util;

fn data(name: &str) -> String {
    format!("{}/tests/data/tags/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[track_caller]
fn check(args: &[&str], stdin: &str, code: i32, stdout: &str) -> String {
    let out = util::imagetag(args, stdin.as_bytes());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        stdout,
        "{args:?}; stderr: {err}"
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}; stderr: {err}");
    err
}

#[test]
fn resolve_a_moving_generic_tag() {
    let py = data("generic-python.txt");
    check(
        &["resolve", "python:3.12-slim", "--tags", &py],
        "",
        0,
        "python:3.12.8-slim\n",
    );
    // The answer is written as the name is: full for a full name.
    check(
        &[
            "resolve",
            "docker.io/library/python:3.13-slim",
            "--tags",
            &py,
        ],
        "",
        0,
        "docker.io/library/python:3.13.0-slim\n",
    );
    let redis = data("generic-redis.txt");
    check(
        &["resolve", "bitnami/redis:7.2.4-debian-12", "--tags", &redis],
        "",
        0,
        "bitnami/redis:7.2.4-debian-12-r12\n",
    );
    // `latest` names no version: never a guess.
    check(&["resolve", "python:latest", "--tags", &py], "", 1, "");
}

#[test]
fn latest_and_sort_of_generic_tags() {
    let py = data("generic-python.txt");
    check(
        &["latest", "python", "--pinned", "--tags", &py],
        "",
        0,
        "docker.io/library/python:3.13.0-slim\n",
    );
    // `sort` reads full names.
    let names: String = std::fs::read_to_string(data("generic-redis.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("bitnami/redis:{l}\n"))
        .collect();
    check(
        &["sort", "--tags", "-"],
        &names,
        0,
        "docker.io/bitnami/redis:7.2.4-debian-12-r7\n\
         docker.io/bitnami/redis:7.2.4-debian-12-r9\n\
         docker.io/bitnami/redis:7.2.4-debian-12-r12\n\
         docker.io/bitnami/redis:7.2.4-debian-12\n\
         docker.io/bitnami/redis:7.2.5-debian-12-r0\n",
    );
}

#[test]
fn twcc_latest_and_sort_over_a_frameworks_releases() {
    let tags = "registry.twcc.ai/ngc/nvidia/pytorch-22.08-py3:latest\n\
                registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3:latest\n\
                registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest\n";
    let err = check(
        &[
            "latest",
            "registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3",
            "--tags",
            "-",
        ],
        tags,
        0,
        "registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest\n",
    );
    assert_eq!(
        err,
        "track: twcc registry.twcc.ai/ngc/nvidia/pytorch release python=py3\n"
    );
    check(
        &["sort", "--tags", "-"],
        tags,
        0,
        "registry.twcc.ai/ngc/nvidia/pytorch-21.06-py3:latest\n\
         registry.twcc.ai/ngc/nvidia/pytorch-22.08-py3:latest\n\
         registry.twcc.ai/ngc/nvidia/pytorch-23.11-py3:latest\n",
    );
}

#[test]
fn deny_alias_uses_the_moving_tags_of_generic_tags() {
    let tmp = TempDir::new("generic");
    let dir = tmp.path();
    let file = dir.join("Dockerfile");
    std::fs::write(
        &file,
        "FROM python:3.12.8-slim\nFROM node:lts-alpine3.20\nFROM pytorch/pytorch:2.5.1-cuda12-cudnn9-runtime\nFROM ghcr.io/x/app:main-1a2b3c4\n",
    )
    .unwrap();
    let out = util::imagetag(&["check", "--deny-alias", file.to_str().unwrap()], b"");
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("node:lts-alpine3.20\\\" is an alias")
            || text.contains("\"node:lts-alpine3.20\" is an alias"),
        "{text}"
    );
    // A major-only CUDA word is not an alias by itself: pytorch's
    // `0.4.1-cuda9-cudnn7-devel` was a fixed build (round 8 of real files).
    assert!(!text.contains("2.5.1-cuda12-cudnn9-runtime"), "{text}");
    assert!(!text.contains("3.12.8-slim"), "{text}");
    assert!(!text.contains("main-1a2b3c4"), "{text}");
}
