//! `imagetag explain`, run as a user runs it: the real binary, exact output
//! and exit codes.

#![cfg(feature = "cli")]

use crate::util;

use std::process::Output;

fn imagetag(args: &[&str], stdin: Option<&[u8]>) -> Output {
    util::imagetag(args, stdin.unwrap_or_default())
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn json_lines_in_input_order() {
    let o = imagetag(
        &["explain", "--json", "ubuntu:22.04", "Quay.io/Vessl-AI/torch", "localhost:5000/a/b@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "one input is invalid");
    let v = json_lines(&o);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["input"], "ubuntu:22.04");
    assert_eq!(v[0]["valid"], true);
    assert_eq!(
        v[0]["reference"],
        serde_json::json!({
            "domain": "docker.io",
            "path": "library/ubuntu",
            "tag": "22.04",
            "digest": null,
            "canonical": "docker.io/library/ubuntu:22.04",
            "familiar": "ubuntu:22.04",
        })
    );
    assert_eq!(v[1]["valid"], false);
    assert_eq!(v[1]["reference"], serde_json::Value::Null);
    assert_eq!(
        v[1]["error"],
        serde_json::json!({
            "message": "invalid reference \"Quay.io/Vessl-AI/torch\": repository path must be lowercase at byte 8 (\"Vessl-AI\")",
            "offset": 8,
            "kind": "uppercase",
            "component": "repository path",
        })
    );
    assert_eq!(v[2]["reference"]["domain"], "localhost:5000");
    assert_eq!(v[2]["reference"]["tag"], serde_json::Value::Null);
    assert_eq!(
        v[2]["reference"]["digest"],
        "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
    );
    // The input's own key comes first, so a person reading the stream sees it.
    assert!(stdout(&o).starts_with("{\"input\":\"ubuntu:22.04\""));
}

#[test]
fn modes() {
    let o = imagetag(&["explain", "--json", "--mode", "pull", "ubuntu"], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        json_lines(&o)[0]["reference"]["canonical"],
        "docker.io/library/ubuntu:latest"
    );

    let o = imagetag(&["explain", "--json", "--mode", "strict", "ubuntu"], None);
    let v = &json_lines(&o)[0]["reference"];
    assert_eq!(v["domain"], serde_json::Value::Null);
    assert_eq!(v["path"], "ubuntu");

    let o = imagetag(
        &["explain", "--json", "--mode", "canonical", "ubuntu"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json_lines(&o)[0]["error"]["kind"], "form");

    let id = "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    let o = imagetag(&["explain", "--json", "--mode", "any", id], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        json_lines(&o)[0]["reference"]["digest"],
        format!("sha256:{id}")
    );
}

#[test]
fn stdin_lines_including_bytes_that_are_not_utf8() {
    let o = imagetag(
        &["explain", "--json"],
        Some(b"ubuntu\n\nnginx:1.27\r\nbad\xff\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json_lines(&o);
    let inputs: Vec<_> = v
        .iter()
        .map(|x| x["input"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(inputs, ["ubuntu", "nginx:1.27", "bad\u{fffd}"]);
    assert_eq!(v[2]["error"]["kind"], "utf8");
    assert_eq!(v[2]["error"]["offset"], 3);

    let o = imagetag(&["explain", "-"], Some(b"ubuntu\n"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn human_output() {
    let o = imagetag(&["explain", "--scheme", "generic", "ubuntu:22.04"], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "ubuntu:22.04
  canonical  docker.io/library/ubuntu:22.04
  familiar   ubuntu:22.04
  domain     docker.io
  path       library/ubuntu
  tag        22.04
  digest     -
  scheme     generic
  track      generic docker.io/library/ubuntu
  alias      no
  repository docker.io/library/ubuntu
  tag        22.04
  version    22.04
"
    );
    let o = imagetag(&["explain", "ubuntu:-x"], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "ubuntu:-x: error: invalid reference \"ubuntu:-x\": expected a letter, digit or '_' to start the tag at byte 7 (\"-\")\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = imagetag(&["explain", "--mode", "loose", "ubuntu"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown mode \"loose\": expected one of strict, normalized, canonical, name, any, pull"), "{err}");
    let o = imagetag(&["explain", "--scheme", "nope", "ubuntu"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = imagetag(&["frobnicate"], None);
    assert_eq!(o.status.code(), Some(2));
}
