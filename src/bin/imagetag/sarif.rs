//! `--format sarif`: findings as one SARIF 2.1.0 log, for GitHub code
//! scanning and the other dashboards that read it.
//!
//! A command collects its findings as [`Entry`]s and hands them, with the
//! [`Rule`]s they refer to, to [`write`]: one run, the tool's rules with their
//! help text, one result per finding. Locations are relative to the
//! repository root (the nearest directory upward from the working directory
//! that holds `.git`, or the working directory itself), under the base id
//! `%SRCROOT%`, as `github/codeql-action/upload-sarif` expects them; a file
//! outside that root gets an absolute `file://` URI. Columns count Unicode
//! code points, as the rest of the command line does, and the run says so
//! (`columnKind`).

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use imagetag::check::{self, Severity};
use serde_json::{json, Value};

/// The version of SARIF written, and its schema.
const VERSION: &str = "2.1.0";
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// A kind of finding, as the log's `tool.driver.rules` lists it.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The stable id results refer to (`alias-denied`).
    pub id: &'static str,
    /// A one-line description.
    pub title: &'static str,
    /// What it means and how to fix it.
    pub help: &'static str,
    /// The level of its results unless a result says otherwise.
    pub severity: Severity,
}

impl From<check::Rule> for Rule {
    fn from(r: check::Rule) -> Rule {
        Rule {
            id: r.id(),
            title: r.title(),
            help: r.help(),
            severity: r.severity(),
        }
    }
}

/// The rules of `imagetag check`.
pub fn check_rules() -> Vec<Rule> {
    check::Rule::ALL.iter().map(|&r| Rule::from(r)).collect()
}

/// Where a finding is in its file: line and column from 1 (columns in
/// characters), and the column just past its end when it is on one line.
#[derive(Clone, Copy, Debug)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_column: Option<usize>,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The id of its [`Rule`].
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The file, as the command names it (relative to the working
    /// directory, or absolute).
    pub file: String,
    /// `None` for a finding about the whole file.
    pub region: Option<Region>,
}

/// Writes one SARIF log of `entries` to `out`. `successful` is false when
/// the command could not do all it was asked (a path it could not read).
pub fn write(
    out: &mut impl Write,
    rules: &[Rule],
    entries: &[Entry],
    successful: bool,
) -> io::Result<()> {
    let cwd = std::env::current_dir()?;
    let root = root_of(&cwd);
    let log = log(rules, entries, successful, &cwd, &root);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The log as a JSON value, locations made relative to `root`.
fn log(rules: &[Rule], entries: &[Entry], successful: bool, cwd: &Path, root: &Path) -> Value {
    let results: Vec<Value> = entries
        .iter()
        .map(|e| {
            let (uri, base) = uri_of(&e.file, cwd, root);
            let mut artifact = json!({ "uri": uri });
            if base {
                artifact["uriBaseId"] = json!("%SRCROOT%");
            }
            let mut physical = json!({ "artifactLocation": artifact });
            if let Some(r) = e.region {
                let mut region = json!({ "startLine": r.line, "startColumn": r.column });
                if let Some(end) = r.end_column {
                    region["endColumn"] = json!(end);
                }
                physical["region"] = region;
            }
            let mut result = json!({
                "ruleId": e.rule,
                "level": level(e.severity),
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": physical }],
            });
            if let Some(i) = rules.iter().position(|r| r.id == e.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": pascal(r.id),
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.help },
                "help": { "text": r.help },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": ["container", "image"] },
            })
        })
        .collect();
    let mut driver = json!({
        "name": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": { "driver": driver },
            "originalUriBaseIds": {
                "%SRCROOT%": { "uri": format!("file://{}/", encode(root).trim_end_matches('/')) },
            },
            "invocations": [{ "executionSuccessful": successful }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// The tool's page, from `Cargo.toml` (the one place it is written):
/// `homepage`, else `repository`; `None` while neither is set, so that a
/// log never points at a page that is not this tool's.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|s| !s.is_empty())
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Note => "note",
    }
}

/// `alias-denied` as `AliasDenied`, SARIF's customary form of a rule name.
fn pascal(id: &str) -> String {
    id.split('-')
        .flat_map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase())
                .into_iter()
                .chain(c)
        })
        .collect()
}

/// The repository root for `cwd`: the nearest directory upward that holds
/// `.git` (a directory, or a file in a linked work tree), else `cwd`.
fn root_of(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved by name
/// (symbolic links are left as they are, as the paths given were).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The URI of `file`: relative to `root` (true: under `%SRCROOT%`) when it
/// is inside it, an absolute `file://` URI otherwise.
fn uri_of(file: &str, cwd: &Path, root: &Path) -> (String, bool) {
    let abs = absolute(Path::new(file), cwd);
    match abs.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => (encode(rel), true),
        _ => (format!("file://{}", encode(&abs)), false),
    }
}

/// A path as the path of a URI: its components joined with `/`, each byte
/// outside RFC 3986's unreserved characters and `/` percent-encoded.
fn encode(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let cwd = Path::new("/repo/sub");
        let root = Path::new("/repo");
        assert_eq!(
            uri_of("Dockerfile", cwd, root),
            ("sub/Dockerfile".into(), true)
        );
        assert_eq!(
            uri_of("./a/../b b/ci.yml", cwd, root),
            ("sub/b%20b/ci.yml".into(), true)
        );
        assert_eq!(
            uri_of("../x/é#1.yaml", cwd, root),
            ("x/%C3%A9%231.yaml".into(), true)
        );
        assert_eq!(
            uri_of("/elsewhere/Dockerfile", cwd, root),
            ("file:///elsewhere/Dockerfile".into(), false)
        );
        assert_eq!(uri_of("/repo", cwd, root), ("file:///repo".into(), false));
    }

    #[test]
    fn names() {
        assert_eq!(pascal("invalid-scheme-name"), "InvalidSchemeName");
        assert_eq!(pascal("skipped"), "Skipped");
    }
}
