//! What `imagetag check` and `imagetag pin` read: only regular files, up to
//! `--max-file-size`, and text after a UTF-8 byte order mark. Run as the
//! real binary on files made at test time.
#![cfg(feature = "cli")]

use crate::support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::TempDir;

const TAGS: &str = "quay.io/vessl-ai/python:3.10\nquay.io/vessl-ai/python:3.10-r10\n";

/// Runs the binary in `dir`, killing it (and failing) if it has not ended
/// within 20 s: a FIFO must not stall it.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run imagetag");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("imagetag {args:?} did not end within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[track_caller]
fn expect(dir: &Path, args: &[&str], code: i32, stdout: &str, stderr: &str) {
    let out = run_in(dir, args);
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(o, stdout, "{args:?}; stderr: {e}");
    assert_eq!(e, stderr, "{args:?}");
    assert_eq!(out.status.code(), Some(code), "{args:?}");
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn named_pipe_and_device_are_refused_without_blocking() {
    let t = TempDir::new("files-fifo");
    let d = t.path();
    mkfifo(&d.join("Dockerfile"));
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.yaml")).unwrap();
    fs::write(d.join("tags.txt"), TAGS).unwrap();
    mkfifo(&d.join("fifo-tags.txt"));

    expect(
        d,
        &["check", "Dockerfile"],
        2,
        "",
        "imagetag check: cannot read Dockerfile: not a regular file (a named pipe): not read\n\
         checked 0 references in 0 files: 0 errors\n",
    );
    expect(
        d,
        &["check", "zero.yaml"],
        2,
        "",
        "imagetag check: cannot read zero.yaml: not a regular file (a character device): not read\n\
         checked 0 references in 0 files: 0 errors\n",
    );
    expect(
        d,
        &["pin", "--tags", "tags.txt", "Dockerfile", "zero.yaml"],
        2,
        "",
        "imagetag pin: cannot read Dockerfile: not a regular file (a named pipe): not read\n\
         imagetag pin: cannot read zero.yaml: not a regular file (a character device): not read\n\
         pinned 0 references in 0 of 0 files\n",
    );
    expect(
        d,
        &["pin", "--tags", "fifo-tags.txt", "."],
        2,
        "",
        "imagetag pin: cannot read fifo-tags.txt: not a regular file (a named pipe): not read\n",
    );
    // Walking: only regular files are read; the pipe, the link and the
    // device are passed over.
    fs::write(d.join("ok.yaml"), "image: ubuntu:22.04\n").unwrap();
    expect(
        d,
        &["check"],
        0,
        "",
        "checked 1 reference in 1 file: 0 errors\n",
    );
}

#[test]
fn files_larger_than_the_limit_are_not_read() {
    let t = TempDir::new("files-size");
    let d = t.path();
    fs::create_dir(d.join("sub")).unwrap();
    // 16 MiB and one byte of comment after an image.
    let mut big = b"image: Bad:Name\n".to_vec();
    big.resize((16 << 20) + 1, b'#');
    fs::write(d.join("sub/big.yaml"), &big).unwrap();
    fs::write(d.join("sub/ok.yaml"), "image: ubuntu:22.04\n").unwrap();
    fs::write(d.join("tags.txt"), TAGS).unwrap();

    // Named: a usage error, as for any file that cannot be read.
    expect(
        d,
        &["check", "sub/big.yaml"],
        2,
        "",
        "imagetag check: cannot read sub/big.yaml: 16777217 bytes, more than the limit of 16777216 \
         (raise it with --max-file-size): not read\n\
         checked 0 references in 0 files: 0 errors\n",
    );
    // Walked: a finding about that file, and the rest is checked.
    expect(
        d,
        &["check", "sub"],
        1,
        "sub/big.yaml: error: cannot read: 16777217 bytes, more than the limit of 16777216 \
         (raise it with --max-file-size): not read\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    // Raised: read and checked.
    expect(
        d,
        &["check", "--max-file-size", "17M", "sub"],
        1,
        "sub/big.yaml:1:8: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n",
        "checked 2 references in 2 files: 1 error\n",
    );
    expect(
        d,
        &["check", "--max-file-size", "16777217", "sub/big.yaml"],
        1,
        "sub/big.yaml:1:8: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    expect(
        d,
        &["pin", "--tags", "tags.txt", "sub/big.yaml"],
        2,
        "",
        "imagetag pin: cannot read sub/big.yaml: 16777217 bytes, more than the limit of 16777216 \
         (raise it with --max-file-size): not read\n\
         pinned 0 references in 0 of 0 files\n",
    );
    // The tag list has the same limit.
    expect(
        d,
        &[
            "pin",
            "--max-file-size",
            "10",
            "--tags",
            "tags.txt",
            "sub/ok.yaml",
        ],
        2,
        "",
        "imagetag pin: cannot read tags.txt: 62 bytes, more than the limit of 10 \
         (raise it with --max-file-size): not read\n",
    );
    let out = run_in(d, &["check", "--max-file-size", "16Q", "sub"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "invalid value '16Q' for '--max-file-size <SIZE>': expected a size in bytes such as 16777216 or 16M, found \"16Q\""
    ));
}

const BOM: &str = "\u{feff}";

/// A byte order mark does not hide the first `FROM`, and its column is
/// counted without the mark.
#[test]
fn byte_order_mark_dockerfile() {
    let t = TempDir::new("files-bom-docker");
    let d = t.path();
    let text = format!("{BOM}FROM quay.io/vessl-ai/python:3.10 AS base\nFROM base\n");
    fs::write(d.join("Dockerfile"), &text).unwrap();
    fs::write(d.join("tags.txt"), TAGS).unwrap();
    expect(
        d,
        &["check", "--deny-alias", "Dockerfile"],
        1,
        "Dockerfile:1:6: error: \"quay.io/vessl-ai/python:3.10\" is an alias: pin it to a revision\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    expect(
        d,
        &["pin", "--tags", "tags.txt", "--check", "Dockerfile"],
        1,
        &format!(
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n\
             -{BOM}FROM quay.io/vessl-ai/python:3.10 AS base\n\
             +{BOM}FROM quay.io/vessl-ai/python:3.10-r10 AS base\n"
        ),
        "would pin 1 reference in 1 of 1 file\n",
    );
    expect(
        d,
        &["pin", "--tags", "tags.txt", "Dockerfile"],
        0,
        "Dockerfile: pinned 1\n",
        "pinned 1 reference in 1 of 1 file\n",
    );
    assert_eq!(
        fs::read(d.join("Dockerfile")).unwrap(),
        text.replace("python:3.10 ", "python:3.10-r10 ")
            .into_bytes()
    );
}

/// In YAML a byte order mark neither stops pin nor lets `pin --check` pass
/// with the alias in place; the rewrite keeps the mark, byte for byte.
#[test]
fn byte_order_mark_yaml() {
    let t = TempDir::new("files-bom-yaml");
    let d = t.path();
    let text = format!("{BOM}image: quay.io/vessl-ai/python:3.10   # pin me\nname: x\n");
    fs::write(d.join("a.yaml"), &text).unwrap();
    fs::write(d.join("tags.txt"), TAGS).unwrap();
    expect(
        d,
        &["check", "--deny-alias", "--format", "json", "a.yaml"],
        1,
        "{\"file\":\"a.yaml\",\"line\":1,\"column\":8,\"severity\":\"error\",\
         \"message\":\"\\\"quay.io/vessl-ai/python:3.10\\\" is an alias: pin it to a revision\",\
         \"reference\":\"quay.io/vessl-ai/python:3.10\"}\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    let out = run_in(d, &["pin", "--tags", "tags.txt", "--check", "a.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(fs::read_to_string(d.join("a.yaml")).unwrap(), text);
    expect(
        d,
        &["pin", "--tags", "tags.txt", "a.yaml"],
        0,
        "a.yaml: pinned 1\n",
        "pinned 1 reference in 1 of 1 file\n",
    );
    assert_eq!(
        fs::read(d.join("a.yaml")).unwrap(),
        text.replace("python:3.10 ", "python:3.10-r10 ")
            .into_bytes()
    );
}

/// A `--tags` list of `sort`, `latest` and `resolve` holds at most
/// `--max-tags` names and 256 bytes a name (at least 16 MiB): past either
/// limit it is not read, and the error names the limit and the flag that
/// raises it. The list is read a line at a time, so it may be larger than
/// a file `check` reads.
#[test]
fn tag_lists_are_bounded_by_max_tags() {
    let t = TempDir::new("tag-list-limits");
    let d = t.path();
    // 1 001 names: one more than --max-tags 1000.
    let names: String = (1..=1001)
        .map(|r| format!("quay.io/vessl-ai/python:3.10-r{r}\n"))
        .collect();
    fs::write(d.join("many.txt"), &names).unwrap();
    let too_many = "cannot read many.txt: more than 1000 names, the limit of --max-tags \
                    (raise it with --max-tags N)\n";
    for (args, command) in [
        (&["sort", "--tags", "many.txt"][..], "sort"),
        (
            &["latest", "quay.io/vessl-ai/python", "--tags", "many.txt"][..],
            "latest",
        ),
        (
            &[
                "resolve",
                "quay.io/vessl-ai/python:3.10",
                "--tags",
                "many.txt",
            ][..],
            "resolve",
        ),
    ] {
        let mut args = args.to_vec();
        args.extend(["--max-tags", "1000"]);
        expect(d, &args, 2, "", &format!("imagetag {command}: {too_many}"));
    }
    let out = run_in(d, &["sort", "--tags", "many.txt", "--max-tags", "1001"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 1001);
    expect(
        d,
        &[
            "latest",
            "quay.io/vessl-ai/python",
            "--tags",
            "many.txt",
            "--max-tags",
            "1001",
        ],
        0,
        "quay.io/vessl-ai/python:3.10-r1001\n",
        "track: vessl quay.io/vessl-ai/python\n",
    );

    // 16 MiB and one byte: two names, then comments.
    let mut big = b"quay.io/vessl-ai/python:3.10-r9\n3.10-r10\n".to_vec();
    while big.len() < 16 << 20 {
        big.extend_from_slice(b"# a comment line of a long tag list\n");
    }
    big.resize((16 << 20) + 1, b'\n');
    fs::write(d.join("big.txt"), &big).unwrap();
    // 1 000 names allow 256 000 bytes, raised to the floor of 16 MiB.
    expect(
        d,
        &["sort", "--tags", "big.txt", "--max-tags", "1000"],
        2,
        "",
        "imagetag sort: cannot read big.txt: 16777217 bytes, more than the limit of 16777216 bytes \
         for 1000 names (256 bytes a name, at least 16777216; raise it with --max-tags N)\n",
    );
    // 65 537 names allow 16 777 472 bytes (`sort` reads a bare tag as a
    // repository, as it always has).
    expect(
        d,
        &["sort", "--tags", "big.txt", "--max-tags", "65537"],
        0,
        "docker.io/library/3.10-r10\nquay.io/vessl-ai/python:3.10-r9\n",
        "",
    );
    // The default (1 000 000 names, 256 MB) reads a list larger than a
    // file `check` reads; bare tags are the repository's.
    expect(
        d,
        &[
            "resolve",
            "quay.io/vessl-ai/python:3.10",
            "--tags",
            "big.txt",
        ],
        0,
        "quay.io/vessl-ai/python:3.10-r10\n",
        "",
    );
}
