//! Image references in a Dockerfile: the image of each `FROM`, and of each
//! `COPY --from=` that names an image rather than a stage.
//!
//! Read as BuildKit reads the file: instructions are case-insensitive;
//! a line ending in the escape character (`\`, or what a `# escape=`
//! parser directive sets) continues on the next; comment lines (first
//! non-blank character `#`) and blank lines inside a continuation are
//! dropped; heredoc bodies (`RUN <<EOF` ... `EOF`) are not instructions.
//!
//! ```text
//! FROM [--platform=<platform>] <image> [AS <name>]
//! ARG <name>[=<default>] ...
//! ```
//!
//! A `FROM` that names an earlier stage, or `scratch`, is not an image. `$NAME`
//! and `${NAME}` (also `${NAME:-word}` and `${NAME:+word}`) are filled in from
//! the defaults of the `ARG`s before the first `FROM` (the only ones a `FROM`
//! sees); a reference that uses an `ARG` without a default is
//! [skipped](super::Kind::Skipped).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{line_col, Found, Kind};

/// One instruction, joined across continuation lines: its text, and for
/// each byte of the text the byte of the file it came from.
struct Logical {
    text: String,
    map: Vec<usize>,
}

impl Logical {
    /// The whitespace-separated words, with their byte ranges in `text`.
    fn words(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    out.push((s, &self.text[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, &self.text[s..]));
        }
        out
    }
}

/// The references in the Dockerfile `text`.
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut args: HashMap<String, Option<String>> = HashMap::new();
    let mut stages: HashSet<String> = HashSet::new();
    let mut seen_from = false;
    for ins in instructions(text) {
        let words = ins.words();
        let Some(&(_, keyword)) = words.first() else {
            continue;
        };
        let keyword = keyword.to_ascii_uppercase();
        match keyword.as_str() {
            "ARG" if !seen_from => {
                for &(_, w) in &words[1..] {
                    let (name, value) = match w.split_once('=') {
                        Some((n, v)) => (n, Some(unquote(v).to_owned())),
                        None => (w, None),
                    };
                    args.insert(name.to_owned(), value);
                }
            }
            "FROM" => {
                seen_from = true;
                let mut rest = words[1..].iter().skip_while(|(_, w)| w.starts_with("--"));
                let Some(&(at, image)) = rest.next() else {
                    continue;
                };
                let stage = match (rest.next(), rest.next()) {
                    (Some((_, a)), Some((_, name))) if a.eq_ignore_ascii_case("as") => {
                        Some(name.to_ascii_lowercase())
                    }
                    _ => None,
                };
                if let Some(f) = reference(path, text, &ins, at, image, &args, &stages) {
                    out.push(f);
                }
                stages.extend(stage);
            }
            "COPY" => {
                for &(at, w) in &words[1..] {
                    if !w.starts_with("--") {
                        break;
                    }
                    let Some(from) = w.strip_prefix("--from=") else {
                        continue;
                    };
                    let at = at + "--from=".len();
                    if from.bytes().all(|b| b.is_ascii_digit()) {
                        continue; // a stage by its index
                    }
                    if let Some(f) = reference(path, text, &ins, at, from, &args, &stages) {
                        out.push(f);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The [`Found`] for `word`, at byte `at` of the instruction: `None` when it
/// names a stage or `scratch`.
fn reference(
    path: &Path,
    text: &str,
    ins: &Logical,
    at: usize,
    word: &str,
    args: &HashMap<String, Option<String>>,
    stages: &HashSet<String>,
) -> Option<Found> {
    let (kind, value) = if word.contains('$') {
        match expand(word, args) {
            Ok(v) => (Kind::Expanded, v),
            Err(name) => (
                Kind::Skipped(format!(
                    "{word:?} uses ${{{name}}}, which has no default in an ARG before the first FROM"
                )),
                word.to_owned(),
            ),
        }
    } else {
        (Kind::Image, word.to_owned())
    };
    let lower = value.to_ascii_lowercase();
    if lower == "scratch" || stages.contains(&lower) {
        return None;
    }
    let start = ins.map[at];
    let end = ins.map[at + word.len() - 1] + 1;
    // A word broken across a continuation line is not the bytes it reads
    // as: check it, but never rewrite it.
    let kind = match kind {
        Kind::Image if text[start..end] != *word => Kind::Expanded,
        k => k,
    };
    let (line, column) = line_col(text, start);
    Some(Found {
        file: path.to_path_buf(),
        line,
        column,
        span: start..end,
        text: value,
        kind,
    })
}

/// `v` without one pair of surrounding quotes.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// `word` with its variables filled in, or the name of the first variable
/// that has no value.
fn expand(word: &str, args: &HashMap<String, Option<String>>) -> Result<String, String> {
    let value = |name: &str| args.get(name).and_then(|v| v.as_deref());
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let Some(close) = body.find('}') else {
                return Err(body.to_owned());
            };
            let inner = &body[..close];
            rest = &body[close + 1..];
            let split = inner.find([':', '-', '+']).unwrap_or(inner.len());
            let (name, modifier) = inner.split_at(split);
            let set = value(name);
            let (nonempty, op) = match modifier.strip_prefix(':') {
                Some(m) => (true, m),
                None => (false, modifier),
            };
            let set = set.filter(|v| !(nonempty && v.is_empty()));
            match (op.get(..1), set) {
                (None, Some(v)) => out.push_str(v),
                (Some("-"), Some(v)) => out.push_str(v),
                (Some("-"), None) => out.push_str(&op[1..]),
                (Some("+"), Some(_)) => out.push_str(&op[1..]),
                (Some("+"), None) => {}
                _ => return Err(name.to_owned()),
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            rest = &rest[end..];
            match value(name) {
                Some(v) => out.push_str(v),
                None => return Err(name.to_owned()),
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The escape character a `# escape=` parser directive at the top of the
/// file sets, or `\`.
fn escape_char(text: &str) -> char {
    for line in text.lines() {
        let Some(directive) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = directive.split_once('=') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if key == "escape" {
            return if value.trim() == "`" { '`' } else { '\\' };
        }
        if key != "syntax" && key != "check" {
            break;
        }
    }
    '\\'
}

/// The instructions of `text`, joined across continuation lines.
fn instructions(text: &str) -> Vec<Logical> {
    let escape = escape_char(text);
    let mut out = Vec::new();
    let mut cur: Option<Logical> = None;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some((end, dash)) = heredocs.first() {
            let l = if *dash {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if l == end {
                heredocs.remove(0);
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || (trimmed.is_empty() && cur.is_some()) {
            continue; // comments go, even inside a continuation
        }
        let body = line.trim_end();
        let (body, more) = match body.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (body, false),
        };
        let ins = cur.get_or_insert_with(|| Logical {
            text: String::new(),
            map: Vec::new(),
        });
        ins.text.push_str(body);
        ins.map.extend(start..start + body.len());
        if !more {
            let ins = cur.take().expect("set above");
            heredocs = heredoc_ends(&ins.text);
            out.push(ins);
        }
    }
    out.extend(cur);
    out
}

/// The terminators of the heredocs an instruction opens (`<<EOF`,
/// `<<-EOF`, `<<"EOF"`), each with whether leading tabs are stripped.
fn heredoc_ends(ins: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = ins;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        let dash = rest.starts_with('-');
        let r = rest.trim_start_matches('-');
        let r = r.trim_start_matches(['"', '\'']);
        let end = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        if end > 0 {
            out.push((r[..end].to_owned(), dash));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(usize, usize, String, Kind)> {
        crate::check::positions(find(Path::new("Dockerfile"), text), text)
    }

    #[test]
    fn multi_stage() {
        let text = "# syntax=docker/dockerfile:1\n\
                    FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n\
                    from build as test\n\
                    FROM scratch\n\
                    COPY --from=build /a /b\n\
                    COPY --from=0 /a /b\n\
                    COPY --chown=1 --from=nginx:1.27 /a /b\n";
        assert_eq!(
            texts(text),
            [
                (2, 32, "golang:1.22".to_owned(), Kind::Image),
                (7, 23, "nginx:1.27".to_owned(), Kind::Image),
            ]
        );
    }

    #[test]
    fn args() {
        let text = "ARG REG=quay.io/vessl-ai\nARG TAG=\"2.3.0-cuda12.4\" NOPE\n\
                    FROM ${REG}/torch:$TAG\n\
                    ARG LATER=x\n\
                    FROM $NOPE\n\
                    FROM ${NOPE:-ubuntu:22.04}\n\
                    FROM ${LATER}\n";
        let got = texts(text);
        assert_eq!(got[0].2, "quay.io/vessl-ai/torch:2.3.0-cuda12.4");
        assert_eq!(got[0].3, Kind::Expanded);
        assert_eq!(
            got[1].3,
            Kind::Skipped(
                "\"$NOPE\" uses ${NOPE}, which has no default in an ARG before the first FROM"
                    .into()
            )
        );
        assert_eq!(got[2].2, "ubuntu:22.04");
        assert!(matches!(got[3].3, Kind::Skipped(_)));
    }

    #[test]
    fn continuations_comments_heredocs() {
        let text = "FROM \\\n  # a comment\n\n   ubuntu:22.04 \\\n  AS base\n\
                    RUN <<EOF\nFROM not-an-image\nEOF\n\
                    COPY <<-'END' /x\n\tfrom os import path\n\tEND\n\
                    FROM ubun\\\ntu\n";
        assert_eq!(
            texts(text),
            [
                (4, 4, "ubuntu:22.04".to_owned(), Kind::Image),
                // broken across lines: checked, never rewritten
                (12, 6, "ubuntu".to_owned(), Kind::Expanded),
            ]
        );
    }

    #[test]
    fn escape_directive() {
        let text = "# escape=`\nFROM `\n  mcr.microsoft.com/windows:ltsc2022\n";
        assert_eq!(texts(text)[0].0, 3);
    }
}
