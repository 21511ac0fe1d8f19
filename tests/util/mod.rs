//! Helpers shared by the integration tests: table files, and `#[track_caller]`
//! assertions in the style of `semver`'s `tests/util`.
#![allow(dead_code)]

pub mod corpus_gen;

use std::path::PathBuf;

/// One row of a tab-separated table: the header's column names with the
/// row's values. `-` stands for an absent value.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cols: Vec<(String, String)>,
}

impl Row {
    /// The value of column `name`, `None` when absent (`-`) or missing.
    #[track_caller]
    pub fn get(&self, name: &str) -> Option<&str> {
        let (_, v) = self
            .cols
            .iter()
            .find(|(k, _)| k == name)
            .unwrap_or_else(|| panic!("no column {name:?} in row {self:?}"));
        (v != "-").then_some(v.as_str())
    }

    /// The value of column `name`, which must be present.
    #[track_caller]
    pub fn req(&self, name: &str) -> &str {
        self.get(name)
            .unwrap_or_else(|| panic!("column {name:?} is absent in row {self:?}"))
    }
}

/// Reads a table from `tests/data/NAME`. Empty fields are kept (an empty
/// input is a test case), lines are not trimmed.
#[track_caller]
pub fn table(name: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    parse_table(&path)
}

/// Reads a shared corpus table: `../shared/corpus/NAME` when the checkout has
/// the shared folder beside it (the newest sample), else the copy in
/// `tests/data/corpus/`.
#[track_caller]
pub fn corpus(name: &str) -> Vec<Row> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus").join(name);
    let path = if shared.exists() {
        shared
    } else {
        root.join("tests/data/corpus").join(name)
    };
    parse_table(&path)
}

#[track_caller]
fn parse_table(path: &std::path::Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().expect("a header line");
    let names: Vec<&str> = header.split('\t').collect();
    let rows: Vec<Row> = lines
        .filter(|(_, l)| !l.starts_with('#'))
        .map(|(n, l)| Row {
            line: n + 1,
            cols: names
                .iter()
                .zip(l.split('\t').chain(std::iter::repeat("-")))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
        .collect();
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    rows
}

/// Parses `key=value;key=value` (the corpus's `expected` column).
pub fn fields(s: &str) -> Vec<(String, String)> {
    s.split(';')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// Asserts that `err` displays exactly as `expected`.
#[track_caller]
pub fn assert_to_string(err: impl std::fmt::Display, expected: &str) {
    assert_eq!(err.to_string(), expected);
}

/// Runs the real `imagetag` binary with `args`, writing `stdin` to it.
#[cfg(feature = "cli")]
#[track_caller]
pub fn imagetag(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the imagetag binary runs");
    let mut pipe = child.stdin.take().expect("stdin");
    // A command that stops before reading stdin (a usage error) closes
    // the pipe: that is its answer, not a failure of the test.
    if let Err(e) = pipe.write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    drop(pipe);
    child.wait_with_output().expect("imagetag finishes")
}

/// Runs the real `imagetag` binary in `dir` with `args`.
#[cfg(feature = "cli")]
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run imagetag")
}

/// Runs the binary in `dir` and asserts its stdout, stderr and exit code.
#[cfg(feature = "cli")]
#[track_caller]
pub fn expect_in(dir: &std::path::Path, args: &[&str], code: i32, stdout: &str, stderr: &str) {
    let out = run_in(dir, args);
    let (o, e) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(o, stdout, "{args:?}; stderr: {e}");
    assert_eq!(e, stderr, "{args:?}");
    assert_eq!(out.status.code(), Some(code), "{args:?}");
}

/// Asserts the sort law: no image comes before one it is newer than.
pub fn assert_sorted_agrees_with_compare(sorted: &[&imagetag::Image]) {
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            assert_ne!(
                a.compare(b),
                Some(std::cmp::Ordering::Greater),
                "{a} sorted before {b}"
            );
        }
    }
}
