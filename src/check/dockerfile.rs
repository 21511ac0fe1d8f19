//! Image references in a Dockerfile, read as BuildKit reads the file.
//!
//! What names an image:
//!
//! ```text
//! # syntax=<image>                                  parser directive, at the top
//! FROM [--platform=<platform>] <image> [AS <name>]
//! COPY [--flag ...] --from=<image> ...
//! RUN [--flag ...] --mount=type=<type>,from=<image>,... ...
//! ARG <name>[=<default>] ...                        what `$name` fills in
//! ```
//!
//! - Instructions are case-insensitive; a line ending in the escape
//!   character (`\`, or what a `# escape=` parser directive sets) continues
//!   on the next; comment lines (first non-blank character `#`) and blank
//!   lines inside a continuation are dropped; CRLF line ends are read as LF.
//! - Heredoc bodies (`RUN <<EOF`, `<<-EOF`, `<<"EOF"`, several on one line)
//!   of `RUN`, `COPY` and `ADD` are not instructions.
//! - Parser directives (`# syntax=`, `# escape=`, `# check=`, keys in any
//!   case) are read only at the very top, before any instruction, blank
//!   line or other comment, as BuildKit does. A `# syntax=` image is checked
//!   like a `FROM`.
//! - Words are expanded as BuildKit's shell lexer does: quotes (`"$A"`,
//!   `'lit'`), the escape character, `$NAME`, `${NAME}`, `${NAME:-word}`,
//!   `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`, `${NAME:?msg}`, nested
//!   (`${A:-${B}}`). A `FROM` sees the `ARG`s before the first `FROM`, each
//!   default expanded with the ones before it (`ARG PY=3.11`,
//!   `ARG BASE=python:${PY}-slim`). `COPY --from=` and `RUN --mount=...,from=`
//!   see the `ARG`s of their stage; an `ARG NAME` there without a default
//!   takes the default of the global `ARG NAME`.
//! - A reference that uses a variable with no value (an `ARG` without a
//!   default, BuildKit's automatic `TARGETARCH`, `BUILDPLATFORM`, ...,
//!   `${NAME#pattern}`-style operations), template syntax (`{{ }}`,
//!   `{% %}`, `@NAME@`, `%%NAME%%`), or that would fill in to more than
//!   [`EXPANDED_MAX`] bytes, is [skipped](super::Kind::Skipped): a note,
//!   never an error. In a template file (`Dockerfile.j2`, `.in`,
//!   `.template`, ...) any character that cannot be part of a reference marks
//!   template syntax too. A reference holding a placeholder in angle
//!   brackets (`ARG BASE_IMG=<jupyter>`, `FROM <base-image>`) is skipped as
//!   text to fill in.
//! - A `FROM`, `--from=` or `from=` that names an earlier stage (by name,
//!   in any case, also after expansion, or by index), or `scratch`, is not
//!   an image.
//!
//! For a reference filled in from `ARG`s ([`Kind::Expanded`]), the span is
//! the word as written in the instruction, and
//! [`tag_span`](super::Found::tag_span) the bytes of the tag when the tag is
//! written whole, in one place (`ARG IMG=repo:tag`, or `ARG TAG=tag` used as
//! `repo:${TAG}`): what `pin` rewrites. It is left out when the tag is
//! assembled from pieces, and for every reference of the file whose tag
//! comes from the same bytes when they do not all read as the same
//! reference (rewriting it for one would change the others). Other uses of
//! that `ARG` (in a `RUN`, say) see the rewritten value too.
//!
//! The finder takes time linear in the size of the file, whatever its shape
//! (many `FROM`s, thousands of heredocs opened on one line, one `COPY` with
//! thousands of `--from=`, long lines of non-ASCII text), and holds one
//! instruction at a time besides what it finds and the `ARG`s it knows.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use super::{Found, Kind, Lines};

/// The most bytes a reference filled in from `ARG` defaults may have: far
/// more than any image reference (a 255-byte path, a 128-byte tag, a
/// 135-byte digest and a host name), and a bound on what the finder keeps
/// for each one, since `FROM $A$A$A...` would otherwise repeat a long
/// default as often as the file names it.
pub const EXPANDED_MAX: usize = 1024;

/// How deeply `${A:-${B:-...}}` may nest before the finder gives up on the
/// word (a note): far deeper than anyone writes, and a bound on recursion.
const NESTING_MAX: usize = 32;

/// BuildKit's automatic platform `ARG`s: set for each build, so never known
/// here, whatever default a file gives them.
const PLATFORM_ARGS: [&str; 8] = [
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The extensions that mark a Dockerfile template (`Dockerfile.j2`).
pub(crate) const TEMPLATE_EXTENSIONS: [&str; 12] = [
    "j2", "jinja", "jinja2", "in", "template", "tmpl", "tpl", "erb", "mustache", "hbs", "gotmpl",
    "m4",
];

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
    /// The index of the piece that byte `at` of the text is in.
    fn piece(&self, at: usize) -> usize {
        self.pieces
            .partition_point(|&(t, _)| t <= at)
            .saturating_sub(1)
    }

    /// The byte of the file that byte `at` of the text came from.
    fn file_offset(&self, at: usize) -> usize {
        let (t, f) = self.pieces[self.piece(at)];
        f + (at - t)
    }

    /// The byte of the file where `text[range]` starts, when the whole
    /// range came from one line of the file.
    fn file_start(&self, range: &Range<usize>) -> Option<usize> {
        if range.is_empty() {
            return None;
        }
        let i = self.piece(range.start);
        (self.piece(range.end - 1) == i).then(|| self.file_offset(range.start))
    }

    fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
    }
}

/// Text filled in from words and `ARG` defaults, with the runs of it that
/// are bytes of the file as they stand (so that a piece of it can be
/// rewritten in place).
#[derive(Clone, Debug, Default)]
struct Val {
    text: String,
    /// `(at, len, file)`: `text[at..at + len]` is the file's
    /// `file..file + len`. In order, not touching.
    runs: Vec<(usize, usize, usize)>,
}

impl Val {
    /// Appends `s`, which is the file's bytes from `file` on when `file`
    /// is given; false (and nothing appended) past [`EXPANDED_MAX`].
    fn push(&mut self, s: &str, file: Option<usize>) -> bool {
        if self.text.len() + s.len() > EXPANDED_MAX {
            return false;
        }
        if let (Some(f), false) = (file, s.is_empty()) {
            let at = self.text.len();
            match self.runs.last_mut() {
                Some((a, l, g)) if *a + *l == at && *g + *l == f => *l += s.len(),
                _ => self.runs.push((at, s.len(), f)),
            }
        }
        self.text.push_str(s);
        true
    }

    /// Appends `v` with its runs; false past [`EXPANDED_MAX`].
    fn push_val(&mut self, v: &Val) -> bool {
        if self.text.len() + v.text.len() > EXPANDED_MAX {
            return false;
        }
        let mut at = 0;
        for &(a, l, f) in &v.runs {
            self.push(&v.text[at..a], None);
            self.push(&v.text[a..a + l], Some(f));
            at = a + l;
        }
        self.push(&v.text[at..], None)
    }

    /// The bytes of the file that hold `text[range]`, when they are all
    /// one run.
    fn file_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        self.runs
            .iter()
            .find(|&&(a, l, _)| a <= range.start && range.end <= a + l)
            .map(|&(a, _, f)| f + range.start - a..f + range.end - a)
    }
}

/// Why a variable has no value that can be used here.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Why {
    /// An `ARG` without a default (or no `ARG` at all) before the first
    /// `FROM`.
    NoDefault,
    /// The same, in the stage.
    NoDefaultInStage,
    /// One of BuildKit's automatic platform `ARG`s.
    Platform,
    /// An operation the finder does not perform (`${A#x}`, `${A/x/y}`).
    Operation,
    /// Nesting deeper than [`NESTING_MAX`].
    TooDeep,
}

/// A variable as the finder knows it.
#[derive(Clone, Debug)]
enum Var {
    /// Declared without a default, or not declared: empty in a build
    /// without `--build-arg`, so `${A:-x}` is `x`, but `$A` is unknown.
    Unset,
    /// It has this value.
    Set(Val),
    /// Its value cannot be known here: it comes from this variable, for
    /// this reason.
    Unknown(String, Why),
    /// Its value would be longer than [`EXPANDED_MAX`].
    TooLong,
}

/// Why a word was not filled in.
#[derive(Clone, Debug)]
enum Unexpanded {
    /// This variable has no value that can be used.
    Unknown(String, Why),
    /// The value would be longer than [`EXPANDED_MAX`].
    TooLong,
    /// The word is not well formed (`${A`, an unclosed quote): BuildKit
    /// refuses it.
    Malformed,
}

/// The variables a word can use.
struct Scope<'s> {
    vars: &'s HashMap<String, Var>,
    /// Whether these are a stage's `ARG`s (for the message).
    stage: bool,
}

impl Scope<'_> {
    fn get(&self, name: &str) -> Var {
        if PLATFORM_ARGS.contains(&name) {
            return Var::Unknown(name.to_owned(), Why::Platform);
        }
        self.vars.get(name).cloned().unwrap_or(Var::Unset)
    }

    fn unset(&self, name: &str) -> Unexpanded {
        let why = if self.stage {
            Why::NoDefaultInStage
        } else {
            Why::NoDefault
        };
        Unexpanded::Unknown(name.to_owned(), why)
    }
}

/// BuildKit's shell lexer over one word, filling in variables from a
/// [`Scope`] and keeping track of which bytes of the result are bytes of
/// the file.
struct Lexer<'w, 's> {
    word: &'w str,
    at: usize,
    /// The byte of the file where the word starts, when the word is all
    /// on one line.
    file: Option<usize>,
    escape: char,
    scope: &'s Scope<'s>,
    /// The first reason the word could not be filled in.
    error: Option<Unexpanded>,
    depth: usize,
}

impl Lexer<'_, '_> {
    fn peek(&self) -> Option<char> {
        self.word[self.at..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// Reads up to the closing `}` a word the expansion does not use (the
    /// `word` of `${A:+word}` with `A` unset, of `${A:-word}` with `A`
    /// set): BuildKit expands it and drops it, so a variable without a
    /// value in it is no failure. Text that is not a word still is.
    fn dropped_word(&mut self) {
        let before = self.error.take();
        self.until(Some('}'));
        let inner = std::mem::replace(&mut self.error, before);
        if let Some(Unexpanded::Malformed) = inner {
            self.fail(Unexpanded::Malformed);
        }
    }

    fn fail(&mut self, e: Unexpanded) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Appends the word's bytes `from..to` to `out`, as bytes of the file.
    fn literal(&mut self, out: &mut Val, from: usize, to: usize) {
        let file = self.file.map(|f| f + from);
        if !out.push(&self.word[from..to], file) {
            self.fail(Unexpanded::TooLong);
        }
    }

    fn append(&mut self, out: &mut Val, v: &Val) {
        if !out.push_val(v) {
            self.fail(Unexpanded::TooLong);
        }
    }

    /// The word up to `stop` (consumed) or its end: BuildKit's
    /// `processStopOn`.
    fn until(&mut self, stop: Option<char>) -> Val {
        let mut out = Val::default();
        self.depth += 1;
        if self.depth > NESTING_MAX {
            self.fail(Unexpanded::Unknown(String::new(), Why::TooDeep));
        }
        loop {
            let Some(c) = self.peek() else {
                if stop.is_some() {
                    self.fail(Unexpanded::Malformed);
                }
                break;
            };
            if Some(c) == stop {
                self.next();
                break;
            }
            match c {
                '\'' => {
                    self.next();
                    let from = self.at;
                    match self.word[from..].find('\'') {
                        Some(i) => {
                            self.literal(&mut out, from, from + i);
                            self.at = from + i + 1;
                        }
                        None => {
                            self.fail(Unexpanded::Malformed);
                            self.at = self.word.len();
                        }
                    }
                }
                '"' => {
                    self.next();
                    self.double_quoted(&mut out);
                }
                '$' => self.dollar(&mut out),
                c if c == self.escape => {
                    self.next();
                    let from = self.at;
                    if self.next().is_some() {
                        self.literal(&mut out, from, self.at);
                    }
                }
                _ => {
                    let from = self.at;
                    self.next();
                    self.literal(&mut out, from, self.at);
                }
            }
        }
        self.depth -= 1;
        out
    }

    /// The rest of a double-quoted string, after its `"`.
    fn double_quoted(&mut self, out: &mut Val) {
        loop {
            let Some(c) = self.peek() else {
                self.fail(Unexpanded::Malformed);
                return;
            };
            match c {
                '"' => {
                    self.next();
                    return;
                }
                '$' => self.dollar(out),
                c if c == self.escape => {
                    let from = self.at;
                    self.next();
                    match self.peek() {
                        None => {}
                        Some(n) if n == '"' || n == '$' || n == self.escape => {
                            let from = self.at;
                            self.next();
                            self.literal(out, from, self.at);
                        }
                        Some(_) => self.literal(out, from, self.at),
                    }
                }
                _ => {
                    let from = self.at;
                    self.next();
                    self.literal(out, from, self.at);
                }
            }
        }
    }

    /// A variable name: letters, digits and `_`; or a positional or
    /// special parameter.
    fn name(&mut self) -> &str {
        let from = self.at;
        let rest = &self.word[from..];
        let len = match rest.chars().next() {
            Some(c) if c.is_ascii_digit() => rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len()),
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!') => 1,
            _ => rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len()),
        };
        self.at += len;
        &self.word[from..from + len]
    }

    /// `$NAME` or `${...}`, at the `$`: BuildKit's `processDollar`.
    fn dollar(&mut self, out: &mut Val) {
        let dollar = self.at;
        self.next();
        if self.peek() != Some('{') {
            let name = self.name().to_owned();
            if name.is_empty() {
                self.literal(out, dollar, dollar + 1);
                return;
            }
            match self.scope.get(&name) {
                Var::Set(v) => self.append(out, &v),
                Var::Unset => {
                    let e = self.scope.unset(&name);
                    self.fail(e);
                }
                Var::Unknown(n, why) => self.fail(Unexpanded::Unknown(n, why)),
                Var::TooLong => self.fail(Unexpanded::TooLong),
            }
            return;
        }
        self.next();
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            self.fail(Unexpanded::Malformed);
            self.until(Some('}'));
            return;
        }
        let name = self.name().to_owned();
        let var = self.scope.get(&name);
        let mut op = self.next();
        let colon = op == Some(':');
        if colon {
            op = self.next();
        }
        // Empty counts as unset after a colon.
        let var = match var {
            Var::Set(v) if colon && v.text.is_empty() => Var::Unset,
            v => v,
        };
        let unknown = |lexer: &mut Self, var: Var| match var {
            Var::Unknown(n, why) => lexer.fail(Unexpanded::Unknown(n, why)),
            Var::TooLong => lexer.fail(Unexpanded::TooLong),
            Var::Unset => {
                let e = lexer.scope.unset(&name);
                lexer.fail(e);
            }
            Var::Set(_) => {}
        };
        match op {
            Some('}') if !colon => match var {
                Var::Set(v) => self.append(out, &v),
                v => unknown(self, v),
            },
            Some('-') => match var {
                Var::Set(v) => {
                    self.dropped_word();
                    self.append(out, &v);
                }
                Var::Unset => {
                    let word = self.until(Some('}'));
                    self.append(out, &word);
                }
                v => {
                    self.dropped_word();
                    unknown(self, v);
                }
            },
            Some('+') => match var {
                Var::Set(_) => {
                    let word = self.until(Some('}'));
                    self.append(out, &word);
                }
                // `${NS:+$NS/}` with `NS` unset: nothing, whatever the word
                // holds.
                Var::Unset => self.dropped_word(),
                v => {
                    self.dropped_word();
                    unknown(self, v);
                }
            },
            Some('?') => {
                self.dropped_word();
                match var {
                    Var::Set(v) => self.append(out, &v),
                    v => unknown(self, v),
                }
            }
            Some('#' | '%' | '/') if !colon => {
                self.until(Some('}'));
                self.fail(Unexpanded::Unknown(name, Why::Operation));
            }
            _ => {
                self.fail(Unexpanded::Malformed);
                self.until(Some('}'));
            }
        }
    }
}

/// `word` (a raw word of an instruction, starting at byte `file` of the
/// file when it is all on one line) filled in from `scope`.
fn expand(
    word: &str,
    file: Option<usize>,
    escape: char,
    scope: &Scope<'_>,
) -> Result<Val, Unexpanded> {
    let mut lexer = Lexer {
        word,
        at: 0,
        file,
        escape,
        scope,
        error: None,
        depth: 0,
    };
    let v = lexer.until(None);
    match lexer.error {
        Some(e) => Err(e),
        None => Ok(v),
    }
}

/// Splits `text` into words the way BuildKit's `parseWords` does: at
/// whitespace outside quotes, the escape character keeping the next
/// character in the word. A template expression (`{{ ... }}`,
/// `{% ... %}`) is one word with what is glued to it, spaces and all.
/// Each word as its byte range in `text`.
fn words(text: &str, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == escape && q != '\'' {
                chars.next();
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
            continue;
        }
        start.get_or_insert(i);
        if c == '\'' || c == '"' {
            quote = Some(c);
        } else if c == escape {
            chars.next();
        } else if c == '{' && matches!(bytes.get(i + 1), Some(b'{' | b'%')) {
            let close = if bytes[i + 1] == b'{' { "}}" } else { "%}" };
            if let Some(j) = text[i + 2..].find(close) {
                let end = i + 2 + j + 2;
                while chars.peek().is_some_and(|&(k, _)| k < end) {
                    chars.next();
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Whether `word` holds template syntax: `{{`, `{%`, `@NAME@` or
/// `%%NAME%%`.
fn is_template(word: &str) -> bool {
    if word.contains("{{") || word.contains("{%") || word.contains("%%") {
        return true;
    }
    let mut parts = word.split('@');
    parts.next();
    let parts: Vec<&str> = parts.collect();
    parts.len() >= 2
        && parts[..parts.len() - 1].iter().any(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !p.bytes().next().is_some_and(|b| b.is_ascii_digit())
        })
}

/// What the finder knows while it reads a file.
struct State<'a> {
    path: &'a Path,
    escape: char,
    /// Whether the file's name says it is a template.
    template: bool,
    /// The `ARG`s before the first `FROM`.
    global: HashMap<String, Var>,
    /// The `ARG`s of the current stage.
    stage: HashMap<String, Var>,
    seen_from: bool,
    /// The names of the stages so far, in lowercase.
    stages: HashSet<String>,
    lines: Lines<'a>,
    out: Vec<Found>,
}

/// The references in the Dockerfile `text`.
///
/// Linear in the length of `text`: one pass over it, one instruction held
/// at a time.
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let (escape, syntax) = directives(text);
    let template = is_template_name(path);
    let mut st = State {
        path,
        escape,
        template,
        global: HashMap::new(),
        stage: HashMap::new(),
        seen_from: false,
        stages: HashSet::new(),
        lines: Lines::new(text),
        out: Vec::new(),
    };
    if let Some(r) = syntax {
        let word = &text[r.clone()];
        let (line, column) = st.lines.line_col(r.start);
        let kind = if is_template(word) || word.contains('$') {
            Kind::Skipped(format!("{word:?} uses variables or a template"))
        } else {
            Kind::Image
        };
        st.out.push(Found {
            file: path.to_path_buf(),
            line,
            column,
            span: r,
            text: word.to_owned(),
            kind,
            tag_span: None,
            output: false,
        });
    }
    instructions(text, escape, |ins, words| instruction(&mut st, ins, words));
    super::shared_tags(&mut st.out);
    st.out
}

/// Whether `path` names a Dockerfile template (`Dockerfile.j2`,
/// `cuda.Dockerfile.in`, `Dockerfile.template`).
fn is_template_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| TEMPLATE_EXTENSIONS.contains(&ext))
}

/// Reads one instruction.
fn instruction(st: &mut State<'_>, ins: &Logical, words: &[Range<usize>]) {
    let Some(keyword) = words.first().map(|r| &ins.text[r.clone()]) else {
        return;
    };
    let rest = &words[1..];
    if keyword.eq_ignore_ascii_case("ARG") {
        arg(st, ins, rest);
    } else if keyword.eq_ignore_ascii_case("FROM") {
        st.seen_from = true;
        st.stage.clear();
        let mut it = rest
            .iter()
            .skip_while(|r| ins.text[(*r).clone()].starts_with("--"));
        let Some(image) = it.next() else {
            return;
        };
        let name = match (it.next(), it.next()) {
            (Some(a), Some(n)) if ins.text[a.clone()].eq_ignore_ascii_case("as") => {
                Some(ins.text[n.clone()].to_ascii_lowercase())
            }
            _ => None,
        };
        reference(st, ins, image.clone(), false);
        st.stages.extend(name);
    } else if keyword.eq_ignore_ascii_case("COPY") {
        for r in flags(ins, rest) {
            let w = &ins.text[r.clone()];
            if let Some(v) = w.strip_prefix("--from=") {
                let start = r.start + "--from=".len();
                reference(st, ins, start..start + v.len(), true);
            }
        }
    } else if keyword.eq_ignore_ascii_case("RUN") {
        for r in flags(ins, rest) {
            let w = &ins.text[r.clone()];
            if let Some(v) = w.strip_prefix("--mount=") {
                let start = r.start + "--mount=".len();
                for f in fields(v) {
                    let field = &v[f.clone()];
                    let Some((key, value)) = field.split_once('=') else {
                        continue;
                    };
                    if key.eq_ignore_ascii_case("from") {
                        let at = start + f.start + key.len() + 1;
                        reference(st, ins, at..at + value.len(), true);
                    }
                }
            }
        }
    }
}

/// The flags of an instruction: its first words that start with `--`.
fn flags<'r>(
    ins: &'r Logical,
    words: &'r [Range<usize>],
) -> impl Iterator<Item = &'r Range<usize>> {
    words
        .iter()
        .take_while(move |r| ins.text[(*r).clone()].starts_with("--"))
}

/// The comma-separated fields of a `--mount` value, quotes kept.
fn fields(v: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in v.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(start..v.len());
    out
}

/// `ARG NAME[=default] ...`: records each variable, in the global scope
/// before the first `FROM`, in the stage's after.
fn arg(st: &mut State<'_>, ins: &Logical, words: &[Range<usize>]) {
    for r in words {
        let w = &ins.text[r.clone()];
        let (name, var) = match w.split_once('=') {
            Some((name, _)) => {
                let vr = r.start + name.len() + 1..r.end;
                let file = ins.file_start(&vr);
                let vars = if st.seen_from { &st.stage } else { &st.global };
                let scope = Scope {
                    vars,
                    stage: st.seen_from,
                };
                let var = match expand(&ins.text[vr], file, st.escape, &scope) {
                    Ok(v) => Var::Set(v),
                    Err(Unexpanded::Unknown(n, why)) => Var::Unknown(n, why),
                    Err(Unexpanded::TooLong) => Var::TooLong,
                    Err(Unexpanded::Malformed) => Var::Unknown(name.to_owned(), Why::Operation),
                };
                (name, var)
            }
            None if st.seen_from => {
                let var = st.global.get(w).cloned().unwrap_or(Var::Unset);
                (w, var)
            }
            None => (w, Var::Unset),
        };
        if st.seen_from {
            st.stage.insert(name.to_owned(), var);
        } else {
            st.global.insert(name.to_owned(), var);
        }
    }
}

/// Records the reference written as `ins.text[range]`, unless it names a
/// stage or `scratch`. `in_stage`: read with the stage's `ARG`s (`COPY
/// --from=`, `RUN --mount`), not the global ones (`FROM`).
fn reference(st: &mut State<'_>, ins: &Logical, range: Range<usize>, in_stage: bool) {
    if range.is_empty() {
        return;
    }
    let raw = &ins.text[range.clone()];
    let file = ins.file_start(&range);
    let start = ins.file_offset(range.start);
    let end = ins.file_offset(range.end - 1) + 1;
    let shown = unquote(raw);
    let skipped = |why: String| (Kind::Skipped(why), Val::default(), shown.to_owned());
    let (kind, val, text) = if is_template(raw) {
        skipped(format!("{shown:?} is a template expression"))
    } else {
        let vars = if in_stage { &st.stage } else { &st.global };
        let scope = Scope {
            vars,
            stage: in_stage,
        };
        match expand(raw, file, st.escape, &scope) {
            Ok(v) => {
                let text = v.text.clone();
                (Kind::Expanded, v, text)
            }
            Err(Unexpanded::Unknown(name, why)) => {
                let why = match why {
                    Why::NoDefault => format!(
                        "uses ${{{name}}}, which has no default in an ARG before the first FROM"
                    ),
                    Why::NoDefaultInStage => {
                        format!("uses ${{{name}}}, which has no default in an ARG of its stage")
                    }
                    Why::Platform => format!(
                        "uses ${{{name}}}, which BuildKit sets for each platform it builds for"
                    ),
                    Why::Operation => format!(
                        "uses an operation on ${{{name}}} that is not filled in here"
                    ),
                    Why::TooDeep => format!(
                        "nests variables more than {NESTING_MAX} deep"
                    ),
                };
                skipped(format!("{shown:?} {why}"))
            }
            Err(Unexpanded::TooLong) => skipped(format!(
                "{shown:?} expands to more than {EXPANDED_MAX} bytes, longer than any image reference"
            )),
            // BuildKit refuses it: checked as written, an invalid reference.
            Err(Unexpanded::Malformed) => (Kind::Expanded, Val::default(), raw.to_owned()),
        }
    };
    let lower = text.to_ascii_lowercase();
    // A stage by its index: `--from=0`.
    let index = in_stage && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if lower == "scratch" || st.stages.contains(&lower) || index {
        return;
    }
    let placeholder = super::placeholder(&text);
    let kind = match kind {
        Kind::Expanded if text.is_empty() => {
            Kind::Skipped(format!("{shown:?} fills in to nothing"))
        }
        Kind::Expanded if st.template && !plain(&text) => {
            Kind::Skipped(format!("{shown:?} is a template expression"))
        }
        // `ARG BASE_IMG=<jupyter>`: the builder passes the real one.
        Kind::Expanded if placeholder.is_some() => Kind::Skipped(format!(
            "{shown:?} is a placeholder ({}) to fill in",
            placeholder.unwrap_or_default()
        )),
        k => k,
    };
    // The whole reference is bytes of this word as they stand: written
    // plainly (perhaps in quotes).
    let whole = val
        .file_range(0..text.len())
        .filter(|r| kind == Kind::Expanded && start <= r.start && r.end <= end && !text.is_empty());
    let (kind, span, tag_span) = match whole {
        Some(r) => (Kind::Image, r, None),
        None => {
            let tag = match kind {
                Kind::Expanded => tag_range(&text).and_then(|t| val.file_range(t)),
                _ => None,
            };
            (kind, start..end, tag)
        }
    };
    let (line, column) = st.lines.line_col(span.start);
    st.out.push(Found {
        file: st.path.to_path_buf(),
        line,
        column,
        span,
        text,
        kind,
        tag_span,
        output: false,
    });
}

/// Whether `text` holds only characters a reference can hold.
fn plain(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b))
}

/// Where the tag of the reference `text` is, when it has one.
fn tag_range(text: &str) -> Option<Range<usize>> {
    let name = text.split('@').next().unwrap_or(text);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let colon = slash + name[slash..].rfind(':')?;
    (colon + 1 < name.len()).then_some(colon + 1..name.len())
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

/// The parser directives at the top of `text`: the escape character
/// (`\` unless `# escape=` says otherwise) and the byte range of the
/// `# syntax=` image, if any.
///
/// BuildKit reads them only at the very top: the first line that is not
/// `# key=value` with a key it knows (a blank line, an instruction, another
/// comment) ends them. Keys are case-insensitive, each at most once.
fn directives(text: &str) -> (char, Option<Range<usize>>) {
    let mut escape = '\\';
    let mut syntax = None;
    let mut seen: Vec<String> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let Some(body) = trimmed.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = body.split_once('=') else {
            break;
        };
        let key = key.trim();
        if key.is_empty()
            || !key.bytes().all(|b| b.is_ascii_alphanumeric())
            || !key.as_bytes()[0].is_ascii_alphabetic()
        {
            break;
        }
        let key = key.to_ascii_lowercase();
        if !matches!(key.as_str(), "syntax" | "escape" | "check") || seen.contains(&key) {
            break;
        }
        let v = value.trim();
        if v.is_empty() {
            break;
        }
        match key.as_str() {
            "escape" => escape = if v == "`" { '`' } else { '\\' },
            "syntax" => {
                let at =
                    start + (line.len() - value.len()) + (value.len() - value.trim_start().len());
                syntax = Some(at..at + v.len());
            }
            _ => {}
        }
        seen.push(key);
    }
    (escape, syntax)
}

/// Calls `each` with the instructions of `text` in order, each joined
/// across continuation lines, with its words; holding one at a time.
fn instructions(text: &str, escape: char, mut each: impl FnMut(&Logical, &[Range<usize>])) {
    let mut cur = Logical::default();
    let mut open = false;
    // The terminators of the heredocs the last instruction opened, and how
    // many of them have ended: an index, not removal from the front, so
    // that many heredocs on one line cost no more than their bodies.
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut ended = 0;
    let mut offset = 0;
    let mut emit = |cur: &mut Logical, heredocs: &mut Vec<(String, bool)>| {
        let w = words(&cur.text, escape);
        heredoc_ends(&cur.text, &w, heredocs);
        each(cur, &w);
        cur.clear();
    };
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
            emit(&mut cur, &mut heredocs);
            ended = 0;
            open = false;
        }
    }
    if open {
        emit(&mut cur, &mut heredocs);
    }
}

/// The terminators of the heredocs a `RUN`, `COPY` or `ADD` opens (words
/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`), each with whether leading tabs
/// are stripped, as BuildKit reads them.
fn heredoc_ends(ins: &str, words: &[Range<usize>], out: &mut Vec<(String, bool)>) {
    out.clear();
    let Some(keyword) = words.first().map(|r| &ins[r.clone()]) else {
        return;
    };
    if !["RUN", "COPY", "ADD"]
        .iter()
        .any(|k| keyword.eq_ignore_ascii_case(k))
    {
        return;
    }
    for r in &words[1..] {
        let w = ins[r.clone()].trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = w.strip_prefix("<<") else {
            continue;
        };
        let dash = rest.starts_with('-');
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let name: String = rest.chars().filter(|&c| c != '"' && c != '\'').collect();
        if !name.is_empty() {
            out.push((name, dash));
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
                (1, 10, "docker/dockerfile:1".to_owned(), Kind::Image),
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
        let mut want: Vec<(String, Kind)> = vec![("docker/dockerfile:1".to_owned(), Kind::Image)];
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
                    // Global ARGs are not seen in a stage that does not
                    // declare them.
                    text += &format!(" --from=${{BASE:-quay.io/x/torch}}:r{i}");
                    want.push((format!("quay.io/x/torch:r{i}"), Kind::Expanded));
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
            .all(|f| text[f.span.clone()].starts_with("${BASE")));
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

    /// BuildKit's expansions, each kind once, and where `pin` would
    /// rewrite: the tag written whole in one place, not a tag assembled
    /// from pieces, not one shared by references that differ.
    #[test]
    fn expansions_and_tag_spans() {
        let text = "ARG A=x/y:1.0\nARG U\nARG E=\nARG T=2.0\nARG N=${U-${E:-z}}\n\
                    FROM ${U-a/b}:${E:-3}\nFROM ${A?no}\nFROM ${A+c}:${U+bad}${T}\n\
                    FROM ${N}:4\nFROM $A@\nFROM ${A#x/}\nFROM \"${A}\"'q'\nFROM y:${T}\n";
        let found = find(Path::new("Dockerfile"), text);
        let got: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|f| {
                let tag = f.tag_span.clone().map(|t| &text[t]);
                (f.text.as_str(), tag)
            })
            .collect();
        assert_eq!(
            got,
            [
                // the tag written whole in the FROM's own default
                ("a/b:3", Some("3")),
                // `A`'s tag is read by `$A@` too, which differs
                ("x/y:1.0", None),
                // `T` is also read by `y:${T}`
                ("c:2.0", None),
                ("z:4", Some("4")),
                ("x/y:1.0@", None),
                ("${A#x/}", None),
                ("x/y:1.0q", None),
                ("y:2.0", None),
            ]
        );
        assert_eq!(
            found[5].kind,
            Kind::Skipped(
                "\"${A#x/}\" uses an operation on ${A} that is not filled in here".into()
            )
        );
        // Alone, `T`'s default is where `y:${T}` is pinned.
        let text = "ARG T=2.0\nFROM y:${T}\nFROM y:$T AS b\n";
        let f = find(Path::new("Dockerfile"), text);
        assert_eq!(f[0].tag_span, Some(6..9));
        assert_eq!(f[1].tag_span, Some(6..9));
    }

    /// `<<` inside a word is no heredoc; a directive after a blank line is
    /// a comment; the stage `ARG` without a default takes the global one.
    #[test]
    fn heredoc_words_directives_stage_args() {
        let text = "# check=skip=all\n\n# syntax=not/this:1\nARG B=busybox:1\n\
                    FROM alpine:3 AS s\nRUN echo $((1<<2)) <<x\nFROM hidden:1\nx\n\
                    ARG B\nCOPY --from=$B /a /b\nRUN --mount=from=\"S\",target=/x true\n";
        assert_eq!(
            texts(text)
                .into_iter()
                .map(|(l, _, t, _)| (l, t))
                .collect::<Vec<_>>(),
            [(5, "alpine:3".to_owned()), (10, "busybox:1".to_owned())]
        );
    }

    #[test]
    fn escape_directive() {
        let text = "# escape=`\nFROM `\n  mcr.microsoft.com/windows:ltsc2022\n";
        assert_eq!(texts(text)[0].0, 3);
    }
}
