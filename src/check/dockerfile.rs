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
//! sees); a reference that uses an `ARG` without a default, or that would
//! fill in to more than [`EXPANDED_MAX`] bytes, is
//! [skipped](super::Kind::Skipped).
//!
//! The finder takes time linear in the size of the file, whatever its shape
//! (many `FROM`s, thousands of heredocs opened on one line, one `COPY` with
//! thousands of `--from=`, long lines of non-ASCII text), and holds one
//! instruction at a time besides what it finds.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Found, Kind, Lines};

/// The most bytes a reference filled in from `ARG` defaults may have: far
/// more than any image reference (a 255-byte path, a 128-byte tag, a
/// 135-byte digest and a host name), and a bound on what the finder keeps
/// for each one, since `FROM $A$A$A...` would otherwise repeat a long
/// default as often as the file names it.
pub const EXPANDED_MAX: usize = 1024;

/// One instruction, joined across continuation lines: its text, and where
/// each piece of it (a physical line) came from in the file.
#[derive(Default)]
struct Logical {
    text: String,
    /// The byte of `text` where each piece starts, and the byte of the
    /// file it came from, in order: one entry a line, not one a byte.
    pieces: Vec<(usize, usize)>,
}

impl Logical {
    /// The whitespace-separated words, with their byte offsets in `text`.
    fn words(&self) -> impl Iterator<Item = (usize, &str)> {
        let base = self.text.as_ptr() as usize;
        self.text
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .map(move |w| (w.as_ptr() as usize - base, w))
    }

    /// The byte of the file that byte `at` of the text came from.
    fn file_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|&(t, _)| t <= at);
        let (t, f) = self.pieces[i.saturating_sub(1)];
        f + (at - t)
    }

    fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
    }
}

/// What the finder knows while it reads a file: the `ARG` defaults and
/// stage names so far, and the cursor for lines and columns.
struct State<'a> {
    path: &'a Path,
    text: &'a str,
    args: HashMap<String, Option<String>>,
    stages: HashSet<String>,
    lines: Lines<'a>,
}

/// The references in the Dockerfile `text`.
///
/// Linear in the length of `text`: one pass over it, one instruction held
/// at a time.
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut st = State {
        path,
        text,
        args: HashMap::new(),
        stages: HashSet::new(),
        lines: Lines::new(text),
    };
    let mut seen_from = false;
    instructions(text, |ins| {
        let mut words = ins.words();
        let Some((_, keyword)) = words.next() else {
            return;
        };
        if keyword.eq_ignore_ascii_case("ARG") {
            if seen_from {
                return;
            }
            for (_, w) in words {
                let (name, value) = match w.split_once('=') {
                    Some((n, v)) => (n, Some(unquote(v).to_owned())),
                    None => (w, None),
                };
                st.args.insert(name.to_owned(), value);
            }
        } else if keyword.eq_ignore_ascii_case("FROM") {
            seen_from = true;
            let mut rest = words.skip_while(|(_, w)| w.starts_with("--"));
            let Some((at, image)) = rest.next() else {
                return;
            };
            let stage = match (rest.next(), rest.next()) {
                (Some((_, a)), Some((_, name))) if a.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            out.extend(reference(&mut st, ins, at, image));
            st.stages.extend(stage);
        } else if keyword.eq_ignore_ascii_case("COPY") {
            for (at, w) in words {
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
                out.extend(reference(&mut st, ins, at, from));
            }
        }
    });
    out
}

/// The [`Found`] for `word`, at byte `at` of the instruction: `None` when it
/// names a stage or `scratch`.
fn reference(st: &mut State<'_>, ins: &Logical, at: usize, word: &str) -> Option<Found> {
    let (kind, value) = if word.contains('$') {
        match expand(word, &st.args) {
            Ok(v) => (Kind::Expanded, v),
            Err(Unexpanded::NoDefault(name)) => (
                Kind::Skipped(format!(
                    "{word:?} uses ${{{name}}}, which has no default in an ARG before the first FROM"
                )),
                word.to_owned(),
            ),
            Err(Unexpanded::TooLong) => (
                Kind::Skipped(format!(
                    "{word:?} expands to more than {EXPANDED_MAX} bytes, longer than any image reference"
                )),
                word.to_owned(),
            ),
        }
    } else {
        (Kind::Image, word.to_owned())
    };
    if value.eq_ignore_ascii_case("scratch")
        || (!st.stages.is_empty() && st.stages.contains(&value.to_ascii_lowercase()))
    {
        return None;
    }
    let start = ins.file_offset(at);
    let end = ins.file_offset(at + word.len() - 1) + 1;
    // A word broken across a continuation line is not the bytes it reads
    // as: check it, but never rewrite it.
    let kind = match kind {
        Kind::Image if st.text[start..end] != *word => Kind::Expanded,
        k => k,
    };
    let (line, column) = st.lines.line_col(start);
    Some(Found {
        file: st.path.to_path_buf(),
        line,
        column,
        span: start..end,
        text: value,
        kind,
        tag_span: None,
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

/// Why a word was not filled in.
enum Unexpanded {
    /// This variable has no value.
    NoDefault(String),
    /// The value would be longer than [`EXPANDED_MAX`].
    TooLong,
}

/// `word` with its variables filled in, or why not: the first variable
/// that has no value, or a value longer than [`EXPANDED_MAX`] (told before
/// it is built).
fn expand(word: &str, args: &HashMap<String, Option<String>>) -> Result<String, Unexpanded> {
    let value = |name: &str| args.get(name).and_then(|v| v.as_deref());
    let mut out = String::with_capacity(word.len().min(EXPANDED_MAX));
    let push = |out: &mut String, s: &str| {
        if out.len() + s.len() > EXPANDED_MAX {
            return Err(Unexpanded::TooLong);
        }
        out.push_str(s);
        Ok(())
    };
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        push(&mut out, &rest[..i])?;
        rest = &rest[i + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let Some(close) = body.find('}') else {
                return Err(Unexpanded::NoDefault(body.to_owned()));
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
                (None, Some(v)) => push(&mut out, v)?,
                (Some("-"), Some(v)) => push(&mut out, v)?,
                (Some("-"), None) => push(&mut out, &op[1..])?,
                (Some("+"), Some(_)) => push(&mut out, &op[1..])?,
                (Some("+"), None) => {}
                _ => return Err(Unexpanded::NoDefault(name.to_owned())),
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            rest = &rest[end..];
            match value(name) {
                Some(v) => push(&mut out, v)?,
                None => return Err(Unexpanded::NoDefault(name.to_owned())),
            }
        }
    }
    push(&mut out, rest)?;
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

/// Calls `each` with the instructions of `text` in order, each joined
/// across continuation lines, holding one at a time.
fn instructions(text: &str, mut each: impl FnMut(&Logical)) {
    let escape = escape_char(text);
    let mut cur = Logical::default();
    let mut open = false;
    // The terminators of the heredocs the last instruction opened, and how
    // many of them have ended: an index, not removal from the front, so
    // that many heredocs on one line cost no more than their bodies.
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut ended = 0;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some((end, dash)) = heredocs.get(ended) {
            let l = if *dash {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if l == end {
                ended += 1;
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || (trimmed.is_empty() && open) {
            continue; // comments go, even inside a continuation
        }
        let body = line.trim_end();
        let (body, more) = match body.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (body, false),
        };
        if !body.is_empty() {
            cur.pieces.push((cur.text.len(), start));
            cur.text.push_str(body);
        }
        open = true;
        if !more {
            heredoc_ends(&cur.text, &mut heredocs);
            ended = 0;
            each(&cur);
            cur.clear();
            open = false;
        }
    }
    if open {
        each(&cur);
    }
}

/// The terminators of the heredocs an instruction opens (`<<EOF`,
/// `<<-EOF`, `<<"EOF"`), each with whether leading tabs are stripped.
fn heredoc_ends(ins: &str, out: &mut Vec<(String, bool)>) {
    out.clear();
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

    /// A generated 1.4 MB Dockerfile of the shapes that once took
    /// quadratic time (many `FROM`s, non-ASCII text before references, a
    /// `RUN` opening thousands of heredocs, one `COPY` with thousands of
    /// `--from=`, continuations, a long `ARG` default named twice): every
    /// reference is found with its text, kind, span, line and column. Speed
    /// is measured in `benches/scaling.rs`, not here.
    #[test]
    fn large_hostile_file() {
        let mut text = String::from(
            "# syntax=docker/dockerfile:1\n# café\nARG BASE=quay.io/vessl-ai/torch\nARG BIG=",
        );
        text += &"x".repeat(EXPANDED_MAX);
        text += "\n";
        let too_long = || {
            Kind::Skipped(format!(
                "\"${{BIG}}${{BIG}}\" expands to more than {EXPANDED_MAX} bytes, longer than any image reference"
            ))
        };
        let mut want: Vec<(String, Kind)> = Vec::new();
        for i in 0..18_000 {
            match i % 6 {
                0 => {
                    let image = format!("nvcr.io/nvidia/pytorch:24.{:02}-py3", 1 + i % 12);
                    text += &format!("FROM {image} AS é{i}\n");
                    want.push((image, Kind::Image));
                }
                1 => {
                    text += &format!("from --platform=linux/ämd64 ${{BASE}}:2.3.0-cuda12.4-r{i}\n");
                    let image = format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r{i}");
                    want.push((image, Kind::Expanded));
                }
                2 => text += &format!("FROM é{} AS next{i}\n", i - 2),
                3 => text +=
                    "FROM scratch\nRUN <<A <<-B\n  FROM in-a-heredoc\nA\n\tFROM not-either\n\tB\n",
                4 => {
                    text += &format!("FROM \\\n  # comment\n\n  ubuntu:{i}.04 \\\n  AS u{i}\n");
                    want.push((format!("ubuntu:{i}.04"), Kind::Image));
                }
                _ => {
                    text += "FROM ${BIG}${BIG}\n";
                    want.push(("${BIG}${BIG}".to_owned(), too_long()));
                }
            }
        }
        text += "RUN";
        for i in 0..10_000 {
            text += &format!(" <<H{i}");
        }
        text += "\n";
        for i in 0..10_000 {
            text += &format!("FROM hidden-{i}\nH{i}\n");
        }
        text += "COPY --chown=ü:ü";
        for i in 0..30_000 {
            match i % 4 {
                0 => {
                    text += &format!(" --from=nginx:1.{i}");
                    want.push((format!("nginx:1.{i}"), Kind::Image));
                }
                1 => text += " --from=é0",
                2 => text += " --from=7",
                _ => {
                    text += &format!(" --from=${{BASE}}:r{i}");
                    want.push((format!("quay.io/vessl-ai/torch:r{i}"), Kind::Expanded));
                }
            }
        }
        text += " /a /b\nFROM alpine:3.20\n";
        want.push(("alpine:3.20".to_owned(), Kind::Image));
        assert!(text.len() > 1_400_000, "{}", text.len());

        let found = find(Path::new("Dockerfile"), &text);
        crate::check::assert_positions(&found, &text);
        let got: Vec<(String, Kind)> = texts(&text)
            .into_iter()
            .map(|(_, _, t, k)| (t, k))
            .collect();
        assert_eq!(got.len(), want.len());
        assert_eq!(got, want);
        // The expanded ones span the word as written.
        assert!(found
            .iter()
            .filter(|f| f.kind == Kind::Expanded)
            .all(|f| text[f.span.clone()].starts_with("${BASE}:")));
        let last = found.last().expect("found");
        assert_eq!((last.line, last.column), (text.lines().count(), 6));
    }

    #[test]
    fn expansion_is_bounded() {
        let big = "a".repeat(EXPANDED_MAX / 2);
        let text = format!("ARG A={big}\nFROM $A\nFROM $A$A\nFROM $A$A/x\n");
        let got = texts(&text);
        assert_eq!(got[0].2, big);
        assert_eq!(got[1].2, big.repeat(2));
        assert_eq!(
            got[2].3,
            Kind::Skipped(format!(
            "\"$A$A/x\" expands to more than {EXPANDED_MAX} bytes, longer than any image reference"
        ))
        );
        assert_eq!(got[2].2, "$A$A/x");
    }

    #[test]
    fn escape_directive() {
        let text = "# escape=`\nFROM `\n  mcr.microsoft.com/windows:ltsc2022\n";
        assert_eq!(texts(text)[0].0, 3);
    }
}
