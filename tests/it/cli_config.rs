//! `.imagetag.toml`, the repository's policy for `imagetag check`: found
//! from the working directory upward, `--config` and `--no-config`, flags
//! over the file, skip paths, per-path exceptions, allowed registries, and
//! exact errors for a file the reader does not understand.
#![cfg(feature = "cli")]

use crate::support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::TempDir;

/// Runs `imagetag` in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run imagetag");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const POLICY: &str = "\
# the team's image policy
deny-alias = true
allowed-registries = [\"nvcr.io\", \"quay.io/vessl-ai\"]
skip = [\"vendor/\"]

[[exceptions]]
paths = [\"sub/examples/\"]
deny-alias = false
allowed-registries = [\"docker.io/library\"]
";

const DOCKERFILE: &str = "\
FROM ubuntu:latest
FROM ghcr.io/acme/app:1.0
FROM quay.io/vessl-ai/python:3.10
FROM nvcr.io/nvidia/pytorch:24.01-py3
";

/// A repository with the policy at its root, the same Dockerfile at the
/// root, under an exception and under a skipped directory.
fn fixture() -> TempDir {
    let t = TempDir::new("config");
    let root = t.path();
    fs::create_dir_all(root.join("sub/examples")).unwrap();
    fs::create_dir_all(root.join("vendor")).unwrap();
    fs::write(root.join(".imagetag.toml"), POLICY).unwrap();
    for d in [".", "sub/examples", "vendor"] {
        fs::write(root.join(d).join("Dockerfile"), DOCKERFILE).unwrap();
    }
    t
}

#[test]
fn policy_file_applies() {
    let t = fixture();
    let (code, out, err) = run(t.path(), &["check"]);
    assert_eq!(
        out,
        "Dockerfile:1:6: error: \"ubuntu:latest\" is an alias: pin it to a revision\n\
         Dockerfile:1:6: error: \"ubuntu:latest\" is from docker.io/library/ubuntu, not an allowed registry (allowed: nvcr.io, quay.io/vessl-ai)\n\
         Dockerfile:2:6: error: \"ghcr.io/acme/app:1.0\" is from ghcr.io/acme/app, not an allowed registry (allowed: nvcr.io, quay.io/vessl-ai)\n\
         Dockerfile:3:6: error: \"quay.io/vessl-ai/python:3.10\" is an alias: pin it to a revision\n\
         sub/examples/Dockerfile:2:6: error: \"ghcr.io/acme/app:1.0\" is from ghcr.io/acme/app, not an allowed registry (allowed: docker.io/library)\n\
         sub/examples/Dockerfile:3:6: error: \"quay.io/vessl-ai/python:3.10\" is from quay.io/vessl-ai/python, not an allowed registry (allowed: docker.io/library)\n\
         sub/examples/Dockerfile:4:6: error: \"nvcr.io/nvidia/pytorch:24.01-py3\" is from nvcr.io/nvidia/pytorch, not an allowed registry (allowed: docker.io/library)\n"
    );
    // vendor/ is skipped: two files read, not three.
    assert_eq!(err, "checked 8 references in 2 files: 7 errors\n");
    assert_eq!(code, 1);
}

/// Found from a subdirectory upward; its patterns stay relative to the
/// file's own directory.
#[test]
fn found_upward() {
    let t = fixture();
    let (code, out, err) = run(&t.path().join("sub"), &["check"]);
    assert_eq!(
        out,
        "examples/Dockerfile:2:6: error: \"ghcr.io/acme/app:1.0\" is from ghcr.io/acme/app, not an allowed registry (allowed: docker.io/library)\n\
         examples/Dockerfile:3:6: error: \"quay.io/vessl-ai/python:3.10\" is from quay.io/vessl-ai/python, not an allowed registry (allowed: docker.io/library)\n\
         examples/Dockerfile:4:6: error: \"nvcr.io/nvidia/pytorch:24.01-py3\" is from nvcr.io/nvidia/pytorch, not an allowed registry (allowed: docker.io/library)\n"
    );
    assert_eq!(err, "checked 4 references in 1 file: 3 errors\n");
    assert_eq!(code, 1);
    // A skipped file is skipped when named too (as pre-commit names files).
    let (code, out, err) = run(t.path(), &["check", "vendor/Dockerfile"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(err, "checked 0 references in 0 files: 0 errors\n");
}

/// A flag turns its check on everywhere, over the file and its exceptions.
#[test]
fn flags_override_the_file() {
    let t = fixture();
    let (_, out, _) = run(t.path(), &["check", "--deny-alias", "sub"]);
    assert!(
        out.starts_with(
            "sub/examples/Dockerfile:1:6: error: \"ubuntu:latest\" is an alias: pin it to a revision\n"
        ),
        "{out}"
    );
    let (_, out, _) = run(t.path(), &["check", "--require-digest", "sub"]);
    assert_eq!(out.matches("has no digest").count(), 4, "{out}");
}

#[test]
fn no_config_and_explicit_config() {
    let t = fixture();
    let (code, out, err) = run(t.path(), &["check", "--no-config"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(err, "checked 12 references in 3 files: 0 errors\n");

    // --config names another file; its patterns are relative to it.
    let other = t.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(
        other.join("policy.toml"),
        "require-digest = true\nskip = [\"/Dockerfile\"]\n",
    )
    .unwrap();
    fs::write(other.join("Dockerfile"), "FROM ubuntu:22.04\n").unwrap();
    let (code, out, err) = run(
        t.path(),
        &["check", "--config", "other/policy.toml", "sub", "other"],
    );
    assert_eq!(out.matches("has no digest").count(), 4, "{out}");
    assert!(!out.contains("other/Dockerfile"), "{out}");
    assert_eq!(err, "checked 4 references in 1 file: 4 errors\n");
    assert_eq!(code, 1);

    let (code, out, err) = run(t.path(), &["check", "--config", "missing.toml"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "imagetag check: cannot read missing.toml: No such file or directory\n"
    );
    let (code, _, err) = run(t.path(), &["check", "--config", "x", "--no-config"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

/// Each mistake is an error with the key, its line and column, and what
/// is accepted; nothing is checked (exit 2).
#[test]
fn config_errors() {
    let t = TempDir::new("config-errors");
    fs::write(t.path().join("Dockerfile"), "FROM ubuntu:22.04\n").unwrap();
    let cases = [
        (
            "deny-alias = true\ndeny_alias = true\n",
            "2:1: unknown key `deny_alias`: expected `deny-alias`, `require-digest`, `allowed-registries`, `skip`, `moving-tags`, `exceptions` or `scheme`",
        ),
        (
            "require-digest = \"yes\"\n",
            "1:18: `require-digest` must be true or false, found a string",
        ),
        (
            "deny-alias = 1\n",
            "1:14: `deny-alias` must be true or false, found an integer",
        ),
        (
            "skip = \"vendor/\"\n",
            "1:8: `skip` must be an array of strings such as [\"vendor/\", \"*.generated.yaml\"], found a string",
        ),
        (
            "skip = [\n  \"vendor/\",\n  3,\n]\n",
            "3:3: `skip` must be an array of strings such as [\"vendor/\", \"*.generated.yaml\"], found an integer in it",
        ),
        (
            "allowed-registries = [\"nvcr.io\", \"https://quay.io\"]\n",
            "1:34: `allowed-registries`: \"https://quay.io\" is not a registry host or host/path prefix such as \"quay.io/vessl-ai\"",
        ),
        (
            "[[exceptions]]\npaths = [\"a/\"]\npath = [\"b/\"]\n",
            "3:1: unknown key `exceptions.path`: expected `paths`, `deny-alias`, `require-digest` or `allowed-registries`",
        ),
        (
            "[[exceptions]]\ndeny-alias = false\n",
            "1:1: an [[exceptions]] entry needs `paths`, the files it applies to",
        ),
        (
            "[[exceptions]]\npaths = [\"a/\"]\ndeny-alias = \"no\"\n",
            "3:14: `exceptions.deny-alias` must be true or false, found a string",
        ),
        (
            "[exceptions]\npaths = [\"a/\"]\n",
            "1:1: `exceptions` must be an array of tables ([[exceptions]] with `paths`), found a table",
        ),
        (
            "moving-tags = \"prod\"\n",
            "1:15: `moving-tags` must be an array of strings such as [\"prod\", \"canary\"], found a string",
        ),
        (
            "moving-tags = [\"prod\", \"pre-prod\"]\n",
            "1:24: `moving-tags`: \"pre-prod\" is not a word of letters and digits such as \"prod\"",
        ),
        (
            "[scheme]\nprefix = \"harbor.example.com/ai/\"\n",
            "1:1: `scheme` must be an array of tables ([[scheme]] with `prefix` and `scheme`), found a table",
        ),
        (
            "[[scheme]]\nprefix = \"harbor.example.com/ai/\"\nschema = \"vessl\"\n",
            "3:1: unknown key `scheme.schema`: expected `prefix` or `scheme`",
        ),
        (
            "[[scheme]]\nprefix = \"harbor.example.com/ai/\"\n",
            "1:1: a [[scheme]] rule needs `scheme`, one of `twcc`, `ngc`, `vessl` or `generic`",
        ),
        (
            "[[scheme]]\nscheme = \"vessl\"\n",
            "1:1: a [[scheme]] rule needs `prefix`, a registry host or host/path prefix such as \"harbor.example.com/ai/\"",
        ),
        (
            "[[scheme]]\nprefix = \"harbor.example.com/ai/\"\nscheme = \"auto\"\n",
            "3:10: `scheme.scheme`: \"auto\" is not a scheme: expected `twcc`, `ngc`, `vessl` or `generic`",
        ),
        (
            "[[scheme]]\nprefix = [\"harbor.example.com\"]\nscheme = \"vessl\"\n",
            "2:10: `scheme.prefix` must be a string, a registry host or host/path prefix such as \"harbor.example.com/ai/\", found an array",
        ),
        (
            "[[scheme]]\nprefix = \"https://harbor.example.com\"\nscheme = \"vessl\"\n",
            "2:10: `scheme.prefix`: \"https://harbor.example.com\" is not a registry host or host/path prefix such as \"harbor.example.com/ai/\"",
        ),
        (
            "deny-alias = \n",
            "1:14: invalid TOML: string values must be quoted, expected literal string",
        ),
    ];
    for (text, want) in cases {
        fs::write(t.path().join(".imagetag.toml"), text).unwrap();
        let (code, out, err) = run(t.path(), &["check"]);
        assert_eq!(
            err,
            format!("imagetag check: .imagetag.toml:{want}\n").replace(
                ".imagetag.toml:",
                &format!("{}:", t.path().join(".imagetag.toml").display())
            ),
            "{text:?}"
        );
        assert_eq!((code, out.as_str()), (2, ""), "{text:?}");
    }
}

/// A policy with the team's own moving words and a mirror read as VESSL.
const MIRROR_POLICY: &str = "\
deny-alias = true
moving-tags = [\"prod\", \"Canary\"]
skip = [\"vendor/\"]

[[exceptions]]
paths = [\"examples/\"]
deny-alias = false

[[scheme]]
prefix = \"harbor.example.com/ai/\"
scheme = \"vessl\"
";

const MIRROR_DOCKERFILE: &str = "\
FROM ghcr.io/acme/app:prod
FROM ghcr.io/acme/app:prod-slim
FROM ghcr.io/acme/app:prod-20241028
FROM ghcr.io/acme/app:prod-1a2b3c4
FROM ghcr.io/acme/app:canary@sha256:0123456789012345678901234567890123456789012345678901234567890123
FROM ghcr.io/acme/app:production
FROM ghcr.io/acme/app:1.0
FROM harbor.example.com/ai/torch:2.3.0-cuda12.4
FROM harbor.example.com/ai/torch:2.3.0-cuda12.4-r5
FROM harbor.example.com/ai-other/torch:2.3.0-cuda12.4
FROM harbor.example.com/other/tools:jammy
";

/// The same Dockerfile at the root, under an exception and in a skipped
/// directory, with a tag list for the mirror's VESSL repository.
fn mirror_fixture() -> TempDir {
    let t = TempDir::new("config-mirror");
    let root = t.path();
    fs::write(root.join(".imagetag.toml"), MIRROR_POLICY).unwrap();
    for d in [".", "examples", "vendor"] {
        fs::create_dir_all(root.join(d)).unwrap();
        fs::write(root.join(d).join("Dockerfile"), MIRROR_DOCKERFILE).unwrap();
    }
    fs::write(
        root.join("tags.txt"),
        "2.3.0-cuda12.4-r4\n2.3.0-cuda12.4-r5\n2.3.0-cuda12.4\n",
    )
    .unwrap();
    t
}

/// `moving-tags` are aliases for deny-alias (a build of one is not, nor a
/// name with a digest, nor a longer word); a `[[scheme]]` rule reads the
/// names under its prefix with its scheme (a VESSL alias there is an
/// alias), and only those; `--scheme` wins over the rule.
#[test]
fn moving_tags_and_scheme_rules() {
    let t = mirror_fixture();
    let (code, out, err) = run(t.path(), &["check"]);
    assert_eq!(
        out,
        "Dockerfile:1:6: error: \"ghcr.io/acme/app:prod\" is an alias: its tag \"prod\" moves (moving-tags): pin it to a version or a digest\n\
         Dockerfile:2:6: error: \"ghcr.io/acme/app:prod-slim\" is an alias: its tag \"prod-slim\" moves (moving-tags): pin it to a version or a digest\n\
         Dockerfile:8:6: error: \"harbor.example.com/ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision\n"
    );
    assert_eq!(err, "checked 22 references in 2 files: 3 errors\n");
    assert_eq!(code, 1);

    // The rule reads strictly: a name under the prefix that is no VESSL
    // name is an error, as with --scheme vessl.
    fs::write(
        t.path().join("Dockerfile"),
        "FROM harbor.example.com/ai/tools:jammy\n",
    )
    .unwrap();
    let (code, out, _) = run(t.path(), &["check", "Dockerfile"]);
    assert_eq!(
        out,
        "Dockerfile:1:6: error: invalid VESSL tag \"harbor.example.com/ai/tools:jammy\": expected the version at the start of the tag, as in 2.3.0 at byte 28 (\"j\")\n"
    );
    assert_eq!(code, 1);
    // --scheme wins over the rule.
    let (code, out, _) = run(t.path(), &["check", "--scheme", "generic", "Dockerfile"]);
    assert_eq!((code, out.as_str()), (0, ""));
    // --list --format json reports the scheme the rule chose.
    let (_, out, _) = run(
        t.path(),
        &["check", "--list", "--format", "json", "examples/Dockerfile"],
    );
    let schemes: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("harbor.example.com/"))
        .map(|l| {
            if l.contains("\"scheme\":\"vessl\"") {
                "vessl"
            } else {
                "other"
            }
        })
        .collect();
    assert_eq!(schemes, ["vessl", "vessl", "other", "other"], "{out}");
}

/// `pin` reads the policy file: skip paths and an exception that allows
/// aliases are left alone, and a `[[scheme]]` rule makes the mirror's
/// VESSL alias resolvable; `--no-config` reads none.
#[test]
fn pin_honours_the_policy_file() {
    let t = mirror_fixture();
    let (code, out, err) = run(t.path(), &["pin", "--tags", "tags.txt", "--check"]);
    assert_eq!(
        out,
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -8 +8 @@\n\
         -FROM harbor.example.com/ai/torch:2.3.0-cuda12.4\n\
         +FROM harbor.example.com/ai/torch:2.3.0-cuda12.4-r5\n"
    );
    assert_eq!(err, "would pin 1 reference in 1 of 1 file\n");
    assert_eq!(code, 1);

    // Without the file: every copy is read, and the mirror's name is no
    // VESSL name, so nothing is an alias to pin.
    let (code, out, err) = run(
        t.path(),
        &["pin", "--tags", "tags.txt", "--check", "--no-config"],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(err, "would pin 0 references in 0 of 3 files\n");

    // An exception that allows aliases leaves pin without --digest alone,
    // but not pin --digest: there `require-digest = false` does.
    fs::write(
        t.path().join(".imagetag.toml"),
        MIRROR_POLICY.replace("deny-alias = false", "require-digest = false"),
    )
    .unwrap();
    let (_, out, _) = run(t.path(), &["pin", "--tags", "tags.txt", "--check"]);
    assert_eq!(out.matches("+++ b/").count(), 2, "{out}");
    assert!(out.contains("+++ b/examples/Dockerfile"), "{out}");

    // A bad policy file stops pin, as it stops check.
    fs::write(t.path().join(".imagetag.toml"), "moving-tags = 1\n").unwrap();
    let (code, out, err) = run(t.path(), &["pin", "--tags", "tags.txt", "--check"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "imagetag pin: {}:1:15: `moving-tags` must be an array of strings such as [\"prod\", \"canary\"], found an integer\n",
            t.path().join(".imagetag.toml").display()
        )
    );
}
