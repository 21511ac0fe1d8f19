//! `imagetag check` and `imagetag pin`, run as the real binary on the
//! fixture tree in `tests/data/check/` and on copies of it in temporary
//! directories.
#![cfg(feature = "cli")]

use crate::util;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use util::{expect_in as expect, run_in};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/check")
}

/// A fresh temporary directory, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let p = std::env::temp_dir().join(format!("imagetag-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        Temp(p)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        // Give back the permissions a test took away, so that removal works.
        let _ = Command::new("chmod")
            .args(["-R", "u+rwX"])
            .arg(&self.0)
            .status();
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

const SUMMARY_REPO: &str =
    "checked 19 references in 6 files: 2 errors, 1 reference skipped, 1 binary file skipped\n";

#[test]
fn check_text() {
    expect(
        &data(),
        &["check", "repo"],
        1,
        "repo/Dockerfile:20:6: note: skipped: \"$CUSTOM\" uses ${CUSTOM}, which has no default in an ARG before the first FROM\n\
         repo/Dockerfile:22:6: error: invalid reference \"Quay.io/Vessl-AI/torch\": repository path must be lowercase at byte 8 (\"Vessl-AI\")\n\
         repo/broken.yaml:5:4: error: invalid YAML: while parsing a block mapping, did not find expected key\n",
        SUMMARY_REPO,
    );
}

#[test]
fn check_default_directory_is_relative() {
    let out = run_in(&data().join("repo"), &["check"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("Dockerfile:20:6: note: skipped:"),
        "{stdout}"
    );
    assert_eq!(String::from_utf8(out.stderr).unwrap(), SUMMARY_REPO);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_clean() {
    expect(
        &data(),
        &["check", "--deny-alias", "repo/docker"],
        0,
        "",
        "checked 2 references in 1 file: 0 errors\n",
    );
}

#[test]
fn check_github_deny_alias_and_list() {
    expect(
        &data(),
        &["check", "--deny-alias", "--format", "github", "repo", "images.txt"],
        1,
        "::error file=repo/Dockerfile,line=6,col=32::\"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision\n\
         ::error file=repo/Dockerfile,line=16,col=5::\"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision\n\
         ::error file=repo/Dockerfile,line=18,col=13::\"nginx:latest\" is an alias: pin it to a revision\n\
         ::notice file=repo/Dockerfile,line=20,col=6::skipped: \"$CUSTOM\" uses ${CUSTOM}, which has no default in an ARG before the first FROM\n\
         ::error file=repo/Dockerfile,line=22,col=6::invalid reference \"Quay.io/Vessl-AI/torch\": repository path must be lowercase at byte 8 (\"Vessl-AI\")\n\
         ::error file=repo/broken.yaml,line=5,col=4::invalid YAML: while parsing a block mapping, did not find expected key\n\
         ::error file=repo/compose.yaml,line=2,col=17::\"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision\n\
         ::error file=repo/compose.yaml,line=13,col=12::\"redis\" has neither tag nor digest: pin it to a tag\n\
         ::error file=repo/k8s/deploy.yml,line=8,col=14::\"quay.io/vessl-ai/python:3.10\" is an alias: pin it to a revision\n\
         ::error file=repo/k8s/deploy.yml,line=17,col=18::\"ubuntu:latest\" is an alias: pin it to a revision\n\
         ::error file=images.txt,line=4,col=1::\"tensorflow-20.11-tf2-py3:latest\" is an alias: pin it to a revision\n\
         ::error file=images.txt,line=5,col=1::invalid reference \"not a name\": expected '/', ':', '@' or the end after a path component at byte 3 (\" \")\n",
        "checked 23 references in 7 files: 11 errors, 1 reference skipped, 1 binary file skipped\n",
    );
}

#[test]
fn check_json_require_digest() {
    expect(
        &data(),
        &["check", "--format", "json", "--require-digest", "repo/docker", "repo/broken.yaml"],
        1,
        "{\"file\":\"repo/docker/gpu.Dockerfile\",\"line\":2,\"column\":6,\"severity\":\"error\",\"message\":\"\\\"quay.io/vessl-ai/python:3.10-r10\\\" has no digest: pin it with imagetag pin --digest\",\"reference\":\"quay.io/vessl-ai/python:3.10-r10\"}\n\
         {\"file\":\"repo/broken.yaml\",\"line\":1,\"column\":8,\"severity\":\"error\",\"message\":\"\\\"ubuntu:22.04\\\" has no digest: pin it with imagetag pin --digest\",\"reference\":\"ubuntu:22.04\"}\n\
         {\"file\":\"repo/broken.yaml\",\"line\":4,\"column\":12,\"severity\":\"error\",\"message\":\"\\\"nginx:1.27\\\" has no digest: pin it with imagetag pin --digest\",\"reference\":\"nginx:1.27\"}\n\
         {\"file\":\"repo/broken.yaml\",\"line\":5,\"column\":4,\"severity\":\"error\",\"message\":\"invalid YAML: while parsing a block mapping, did not find expected key\",\"reference\":null}\n",
        "checked 4 references in 2 files: 4 errors\n",
    );
}

#[test]
fn check_scheme() {
    expect(
        &data(),
        &["check", "--scheme", "vessl", "repo/k8s"],
        1,
        "repo/k8s/deploy.yml:17:18: error: invalid VESSL tag \"ubuntu:latest\": expected the version at the start of the tag, as in 2.3.0 at byte 7 (\"l\")\n\
         repo/k8s/deploy.yml:19:18: error: invalid VESSL tag \"nvcr.io/nvidia/pytorch:24.01-py3\": a version number must not have a leading zero at byte 26 (\"01\")\n",
        "checked 4 references in 1 file: 2 errors\n",
    );
}

#[test]
fn check_usage_errors() {
    expect(
        &data(),
        &["check", "repo/docker", "missing"],
        2,
        "",
        "imagetag check: cannot read missing: No such file or directory\n\
         checked 2 references in 1 file: 0 errors\n",
    );
    expect(
        &data(),
        &["check", "tags.txt", "../README.md"],
        2,
        "",
        "imagetag check: ../README.md: not a Dockerfile, a YAML file, a devcontainer.json, a Jenkinsfile, a Bake file or a name list (*.txt) by its name (--kind dockerfile, yaml, devcontainer, jenkins, bake or list reads it as one)\n\
         checked 6 references in 1 file: 0 errors\n",
    );
    let out = run_in(&data(), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// An unreadable file and a symbolic link loop, made at test time.
#[test]
fn check_unreadable_and_link_loop() {
    let t = Temp::new("unreadable");
    let d = &t.0;
    fs::write(d.join("Dockerfile"), "FROM ubuntu:22.04\n").unwrap();
    fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("self", d.join("sub/self")).unwrap();
    let locked = d.join("sub/Dockerfile");
    fs::write(&locked, "FROM Bad:Name\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();

    if fs::read(&locked).is_ok() {
        // Root reads a mode-000 file anyway: it is checked like any other.
        println!("running as root: mode 000 does not stop reads; checking it is read normally");
        expect(
            d,
            &["check"],
            1,
            "sub/Dockerfile:1:6: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n",
            "checked 2 references in 2 files: 1 error\n",
        );
        return;
    }
    // Found while walking: a finding, and the rest is still checked.
    expect(
        d,
        &["check"],
        1,
        "sub/Dockerfile: error: cannot read: Permission denied\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    // Named explicitly: a usage error.
    expect(
        d,
        &["check", "sub/Dockerfile"],
        2,
        "",
        "imagetag check: cannot read sub/Dockerfile: Permission denied\n\
         checked 0 references in 0 files: 0 errors\n",
    );
}

const TAGS: &str = "../tags.txt";

#[test]
fn pin_rewrites_exactly() {
    let t = Temp::new("pin");
    let repo = t.0.join("repo");
    copy_dir(&data().join("repo"), &repo);
    fs::copy(data().join("tags.txt"), t.0.join("tags.txt")).unwrap();
    fs::set_permissions(repo.join("compose.yaml"), fs::Permissions::from_mode(0o640)).unwrap();
    let before = |f: &str| fs::read(data().join("repo").join(f)).unwrap();

    // The alias written with `ARG`s is pinned in the `ARG` default that
    // holds its tag (line 3).
    let diff = "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -3 +3 @@\n\
                -ARG TORCH=2.3.0-cuda12.4\n\
                +ARG TORCH=2.3.0-cuda12.4-r10\n@@ -16 +16 @@\n\
                -    quay.io/vessl-ai/torch:2.3.0-cuda12.4 AS runtime\n\
                +    quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10 AS runtime\n\
                --- a/compose.yaml\n+++ b/compose.yaml\n@@ -2 +2 @@\n\
                -x-torch: &torch quay.io/vessl-ai/torch:2.3.0-cuda12.4   # standard alias\n\
                +x-torch: &torch quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10   # standard alias\n\
                --- a/k8s/deploy.yml\n+++ b/k8s/deploy.yml\n@@ -8 +8 @@\n\
                -      image: quay.io/vessl-ai/python:3.10\n\
                +      image: quay.io/vessl-ai/python:3.10-r10\n";
    expect(
        &repo,
        &["pin", "--tags", TAGS, "--check"],
        1,
        diff,
        "would pin 4 references in 3 of 6 files\n",
    );
    for f in ["Dockerfile", "compose.yaml", "k8s/deploy.yml"] {
        assert_eq!(
            fs::read(repo.join(f)).unwrap(),
            before(f),
            "--check wrote {f}"
        );
    }

    expect(
        &repo,
        &["pin", "--tags", TAGS],
        0,
        "Dockerfile: pinned 2\ncompose.yaml: pinned 1\nk8s/deploy.yml: pinned 1\n",
        "pinned 4 references in 3 of 6 files\n",
    );
    // Byte for byte: the old bytes with the tags replaced, nothing else.
    let replaced = |f: &str, old: &str, new: &str| {
        let text = String::from_utf8(before(f)).unwrap();
        assert_eq!(text.matches(old).count(), 1, "{f}");
        text.replace(old, new).into_bytes()
    };
    let torch = "quay.io/vessl-ai/torch:2.3.0-cuda12.4 ";
    let torch_pinned = "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10 ";
    let dockerfile = String::from_utf8(replaced("Dockerfile", torch, torch_pinned)).unwrap();
    assert_eq!(
        fs::read_to_string(repo.join("Dockerfile")).unwrap(),
        dockerfile.replacen("=2.3.0-cuda12.4\n", "=2.3.0-cuda12.4-r10\n", 1)
    );
    assert_eq!(
        fs::read(repo.join("compose.yaml")).unwrap(),
        replaced("compose.yaml", torch, torch_pinned)
    );
    assert_eq!(
        fs::read(repo.join("k8s/deploy.yml")).unwrap(),
        replaced("k8s/deploy.yml", "python:3.10\n", "python:3.10-r10\n")
    );
    for f in [
        "broken.yaml",
        "data.yaml",
        "docker/gpu.Dockerfile",
        ".github/workflows/ci.yml",
    ] {
        assert_eq!(fs::read(repo.join(f)).unwrap(), before(f), "{f} changed");
    }
    let mode = fs::metadata(repo.join("compose.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    // No temporary file is left behind.
    assert!(fs::read_dir(&repo).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));

    // Pinned already: nothing left.
    expect(
        &repo,
        &["pin", "--tags", TAGS, "--check"],
        0,
        "",
        "would pin 0 references in 0 of 6 files\n",
    );
}

#[test]
fn pin_leaves_unresolvable_file_untouched() {
    let t = Temp::new("pin-stale");
    fs::copy(data().join("tags.txt"), t.0.join("tags.txt")).unwrap();
    let stale = "FROM quay.io/vessl-ai/python:3.10\nFROM quay.io/vessl-ai/torch:1.0.0-cuda9.0\n";
    fs::write(t.0.join("Dockerfile"), stale).unwrap();
    fs::write(t.0.join("ok.yaml"), "image: quay.io/vessl-ai/python:3.10\n").unwrap();
    expect(
        &t.0,
        &["pin", "--tags", "tags.txt"],
        1,
        "ok.yaml: pinned 1\n",
        "Dockerfile:2:6: error: cannot resolve \"quay.io/vessl-ai/torch:1.0.0-cuda9.0\": \
         no match for alias \"quay.io/vessl-ai/torch:1.0.0-cuda9.0\": expected the alias or a -rN revision of it in the tag list\n\
         imagetag pin: Dockerfile: left untouched\n\
         pinned 1 reference in 1 of 2 files\n",
    );
    assert_eq!(fs::read_to_string(t.0.join("Dockerfile")).unwrap(), stale);
    assert_eq!(
        fs::read_to_string(t.0.join("ok.yaml")).unwrap(),
        "image: quay.io/vessl-ai/python:3.10-r10\n"
    );
    expect(
        &t.0,
        &["pin", "--tags", "missing.txt"],
        2,
        "",
        "imagetag pin: cannot read missing.txt: No such file or directory\n",
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Inside a git work tree, `check` reads what git sees: tracked files even
/// when a `.gitignore` pattern matches them, untracked files that are not
/// ignored, and not untracked ignored ones.
#[test]
fn check_reads_what_git_tracks() {
    let t = Temp::new("git-walk");
    let d = &t.0;
    git(d, &["init", "-q", "."]);
    fs::write(d.join(".gitignore"), "build/\n*.generated.yaml\n").unwrap();
    fs::create_dir_all(d.join("build")).unwrap();
    fs::write(d.join("build/Dockerfile"), "FROM Tracked:Bad\n").unwrap();
    fs::write(d.join("build/job.yaml"), "image: Ignored:Bad\n").unwrap();
    fs::write(d.join("app.generated.yaml"), "image: Also:Ignored\n").unwrap();
    fs::write(d.join("Dockerfile"), "FROM ubuntu:22.04\n").unwrap();
    git(
        d,
        &["add", "-f", "build/Dockerfile", "Dockerfile", ".gitignore"],
    );
    git(d, &["commit", "-q", "-m", "x"]);
    // Untracked, not ignored: read too.
    fs::write(d.join("new.yaml"), "image: Untracked:Bad\n").unwrap();
    expect(
        d,
        &["check"],
        1,
        "build/Dockerfile:1:6: error: invalid reference \"Tracked:Bad\": repository path must be lowercase at byte 0 (\"Tracked\")\n\
         new.yaml:1:8: error: invalid reference \"Untracked:Bad\": repository path must be lowercase at byte 0 (\"Untracked\")\n",
        "checked 3 references in 3 files: 2 errors\n",
    );
    // Outside git (the same tree without .git): .gitignore still applies,
    // so the tracked-but-ignored file is not read.
    fs::remove_dir_all(d.join(".git")).unwrap();
    expect(
        d,
        &["check"],
        1,
        "new.yaml:1:8: error: invalid reference \"Untracked:Bad\": repository path must be lowercase at byte 0 (\"Untracked\")\n",
        "checked 2 references in 2 files: 1 error\n",
    );
}

/// `check --list`: the inventory on stdout, one line a reference found
/// (assembled ones with their ARG defaults filled in), findings on stderr,
/// and the exit code of `check`.
#[test]
fn check_list_is_an_inventory() {
    let repo = data().join("repo");
    let out = run_in(&repo, &["check", "--list"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 19, "{stdout}");
    assert!(lines.contains(&"Dockerfile:6:32 quay.io/vessl-ai/torch:2.3.0-cuda12.4"));
    assert!(lines.contains(&"k8s/deploy.yml:9:28 busybox:1.36"));
    // The invalid one is listed too (it is in the file); its error is on stderr.
    assert!(lines.contains(&"Dockerfile:22:6 Quay.io/Vessl-AI/torch"));
    assert!(
        stderr.contains("Dockerfile:22:6: error: invalid reference"),
        "{stderr}"
    );
    assert!(!stdout.contains("error"), "{stdout}");

    let out = run_in(&repo, &["check", "--list", "--format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 19);
    let gpu = objects
        .iter()
        .find(|o| o["file"] == "docker/gpu.Dockerfile" && o["line"] == 2)
        .unwrap();
    assert_eq!(gpu["scheme"], "vessl");
    assert_eq!(gpu["fields"]["revision"], 10);
    assert_eq!(gpu["column"], 6);
    assert_eq!(gpu["expanded"], false);
    let bad = objects.iter().find(|o| o["valid"] == false).unwrap();
    assert_eq!(bad["input"], "Quay.io/Vessl-AI/torch");
}
