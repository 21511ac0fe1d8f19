//! `imagetag compare`, run as a real process: exact stdout and exit codes.
#![cfg(feature = "cli")]

use std::process::Command;

fn compare(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .arg("compare")
        .args(args)
        .output()
        .expect("run imagetag");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

#[test]
fn answers() {
    let cases: &[(&[&str], &str)] = &[
        (&["tensorflow-19.08-py3", "tensorflow-20.01-py3"], "<\n"),
        (&["tensorflow-20.01-py3", "tensorflow-19.08-py3"], ">\n"),
        (
            &["tensorflow-20.01-py3", "tensorflow-20.01-py3:latest"],
            "=\n",
        ),
        (
            &["tensorflow-20.11-tf1-py3", "tensorflow-20.11-tf2-py3"],
            "incomparable\n",
        ),
        (
            &["tensorrt-19.08-py3:latest", "tensorrt-19.08-py3:dup1"],
            "incomparable\n",
        ),
        (&["matlab-r2019b", "matlab-r2020a"], "<\n"),
        // The familiar and canonical spellings of one TWCC name (issue 14).
        (
            &[
                "tensorflow-22.08-tf2-py3",
                "docker.io/library/tensorflow-22.08-tf2-py3",
            ],
            "=\n",
        ),
        (
            &[
                "tensorflow-22.08-tf2-py3",
                "docker.io/library/tensorflow-22.09-tf2-py3",
            ],
            "<\n",
        ),
        (
            &[
                "NVCR.io/nvidia/pytorch:24.01-py3",
                "nvcr.io/nvidia/pytorch:24.01-py3",
            ],
            "=\n",
        ),
        (
            &[
                "nvcr.io/nvidia/pytorch:24.01-py3",
                "nvcr.io/nvidia/pytorch:23.10-py3",
            ],
            ">\n",
        ),
        (
            &[
                "nvcr.io/nvidia/pytorch:24.01-py3",
                "nvcr.io/nvidia/pytorch:24.01-py3-igpu",
            ],
            "incomparable\n",
        ),
        (
            &["nvcr.io/nvidia/pytorch:24.01-py3", "pytorch-24.01-py3"],
            "incomparable\n",
        ),
        (
            &["--scheme", "twcc", "pytorch-24.01-py3", "pytorch-24.02-py3"],
            "<\n",
        ),
        (
            &[
                "--scheme",
                "ngc",
                "nvcr.io/nvidia/cuda:12.1.0-devel-ubuntu22.04",
                "nvcr.io/nvidia/cuda:13.0.0-devel-ubuntu22.04",
            ],
            "<\n",
        ),
    ];
    for (args, want) in cases {
        let (out, err, code) = compare(args);
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            (*want, "", Some(0)),
            "{args:?}"
        );
    }
}

#[test]
fn invalid_names_exit_2() {
    let (out, err, code) = compare(&[
        "--scheme",
        "twcc",
        "tensorflow_21.11-tf2-py3",
        "tensorflow-21.11-tf2-py3",
    ]);
    assert_eq!(out, "");
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "imagetag compare: invalid TWCC name \"tensorflow_21.11-tf2-py3\": expected '-' between the framework and the release at byte 10 (\"_\")\n"
    );
    let (out, err, code) = compare(&["ubuntu:bad!", "ubuntu"]);
    assert_eq!((out.as_str(), code), ("", Some(2)));
    assert!(
        err.starts_with("imagetag compare: invalid reference \"ubuntu:bad!\""),
        "{err}"
    );
}

#[test]
fn help_has_an_example() {
    let (out, _, code) = compare(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("Example: imagetag compare tensorflow-19.08-py3 tensorflow-20.01-py3"),
        "{out}"
    );
}
