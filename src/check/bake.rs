//! Image references in Docker Buildx Bake files: `docker-bake.hcl`,
//! `docker-bake.override.hcl`, `docker-bake.*.hcl`, and the JSON form
//! `docker-bake.json` / `docker-bake.override.json`.
//!
//! What counts as an image, inside each `target "NAME" { ... }` block (in
//! JSON, each member of the top-level `"target"` object):
//!
//! - each string of `tags = [ ... ]`: the images the target builds;
//! - each value of `contexts = { name = "docker-image://REF" }` that starts
//!   with `docker-image://`: REF, an image that replaces a `FROM name` (the
//!   span is REF's own bytes, after the prefix); other contexts (`target:x`,
//!   a directory, a URL) are not images;
//! - each value of `args = { ... }` whose key ends in `IMAGE`, in any case
//!   (`BASE_IMAGE`, `baseImage`), when it is a valid reference with a path
//!   or a tag (an argument may hold anything; `BASE_IMAGE = "base-cuda"`
//!   names a context or a stage, not Docker Hub's `library/base-cuda`).
//!
//! Strings are HCL templates. `${VAR}` is filled in from the default of a
//! `variable "VAR" { default = "..." }` block of the same file when that
//! default is a literal ([`Kind::Expanded`], with
//! [`tag_span`](super::Found::tag_span) the bytes of the tag when the tag is
//! written whole in one place, so that `pin` rewrites it there, as for a
//! Dockerfile's `ARG`); a variable without a literal default (or whose
//! default is empty, or a description with spaces: values CI sets when Bake
//! runs, never part of a name as they stand), an expression
//! (`${join(",", x)}`, `${notequal(A, "")}`), a directive (`%{ if }`), or a
//! value that is not a string at all (`tags = [TAG]`, `tags = concat(...)`)
//! is a note. Comments (`#`, `//`, `/* */`) and heredocs (`<<EOT`) are
//! skipped; a string written with escapes is checked as it reads, never
//! rewritten.
//!
//! A file the scanner cannot read (a brace left open, a string not
//! closed, a merge conflict) is one note where it stopped, and nothing in it
//! is read. The scanner works in one pass over the bytes to a list of
//! tokens, then one pass over the tokens, with nesting bounded by
//! [`DEPTH_MAX`]: time linear in the size of the file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::{Found, Kind, Lines, SyntaxError};

/// How deep blocks, objects and lists may nest: deeper is a note, never
/// a deep recursion.
pub const DEPTH_MAX: usize = 64;

/// The most bytes a value filled in from variables may have (as for a
/// Dockerfile's `ARG`s): `"${A}${A}${A}..."` cannot make the finder hold
/// the default once per use.
const EXPANDED_MAX: usize = 4096;

/// The prefix of a context that is an image.
const DOCKER_IMAGE: &str = "docker-image://";

/// Whether the file name `name` is a Bake file's: `docker-bake.hcl`,
/// `docker-bake.*.hcl` (`docker-bake.override.hcl`), `docker-bake.json`
/// or `docker-bake.override.json`, with exactly these names (Bake looks for
/// no other spelling).
pub(crate) fn is_bake_name(name: &str) -> bool {
    name == "docker-bake.hcl"
        || name == "docker-bake.json"
        || name == "docker-bake.override.json"
        || name
            .strip_prefix("docker-bake.")
            .and_then(|r| r.strip_suffix(".hcl"))
            .is_some_and(|mid| !mid.is_empty() && !mid.starts_with('.') && !mid.ends_with('.'))
}

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// An identifier (letters, digits, `_`, `-`).
    Ident,
    /// A quoted string: the bytes between its quotes; whether it holds
    /// an escape (`\`, `$${`, `%%{`) and whether it holds a template
    /// (`${`, `%{`).
    Str { escaped: bool, template: bool },
    /// A number.
    Number,
    /// A heredoc, whole.
    Heredoc,
    /// The end of a line.
    Newline,
    /// Punctuation: one byte (`{`, `=`, ...) or an operator.
    Punct(u8),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    /// For a string, the bytes between the quotes; else the token's bytes.
    span: Range<usize>,
}

/// A value, as far as the finder needs it.
#[derive(Debug)]
enum Val {
    /// A string token (its index).
    Str(usize),
    /// A number token (its index).
    Number(usize),
    /// `[ ... ]`.
    List(Vec<Val>),
    /// `{ key = value, ... }`: each key's text (unquoted) and value.
    Object(Vec<(String, Val)>),
    /// Anything else (a variable, a function call, an operation): where it
    /// starts.
    Expr(usize),
}

/// A block of an HCL body: its type, labels and attributes.
#[derive(Debug)]
struct BlockVal {
    kind: String,
    labels: Vec<String>,
    attrs: Vec<(String, Val)>,
}

/// The images of the Bake file `text` (the contents of the file `path`).
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut out = match read(text) {
        Ok(parsed) => Finder::new(text, &parsed).run(),
        Err(e) => {
            let why = format!(
                "not a Bake file the scanner can read ({}): nothing read",
                e.describe(text)
            );
            vec![Hit {
                span: e.at..e.at,
                text: String::new(),
                kind: Kind::Skipped(why),
                tag_span: None,
                output: false,
            }]
        }
    };
    out.sort_by_key(|h| h.span.start);
    let mut lines = Lines::new(text);
    let mut found: Vec<Found> = out
        .into_iter()
        .map(|h| Found {
            tag_span: h.tag_span,
            output: h.output,
            ..lines.found(path, h.span, h.text, h.kind)
        })
        .collect();
    super::shared_tags(&mut found);
    found
}

/// A reference found, before its line and column.
#[derive(Debug)]
struct Hit {
    span: Range<usize>,
    text: String,
    kind: Kind,
    tag_span: Option<Range<usize>>,
    /// A name the target builds (`tags`): [`Found::output`].
    output: bool,
}

/// The blocks of the file: an HCL body, or the JSON form turned into the
/// same blocks (`{"target": {"NAME": {...}}, "variable": {...}}`).
fn read(text: &str) -> Result<(Vec<Token>, Vec<BlockVal>), SyntaxError> {
    let tokens = tokenize(text)?;
    let first = tokens.iter().find(|t| t.tok != Tok::Newline);
    let mut p = Parser {
        t: &tokens,
        i: 0,
        text,
    };
    let blocks = if first.is_some_and(|t| t.tok == Tok::Punct(b'{')) {
        // The JSON form: one object.
        p.skip_newlines();
        let v = p.value(0, Ctx::Body)?;
        p.skip_newlines();
        if p.i < tokens.len() {
            return Err(p.err("the end of the file after the top-level object"));
        }
        let mut blocks = Vec::new();
        if let Val::Object(members) = v {
            for (kind, v) in members {
                if let Val::Object(named) = v {
                    for (name, v) in named {
                        if let Val::Object(attrs) = v {
                            blocks.push(BlockVal {
                                kind: kind.clone(),
                                labels: vec![name],
                                attrs,
                            });
                        }
                    }
                }
            }
        }
        blocks
    } else {
        let mut blocks = Vec::new();
        p.body(0, &mut blocks)?;
        if p.i < tokens.len() {
            return Err(p.err("a block or an attribute, not '}'"));
        }
        blocks
    };
    Ok((tokens, blocks))
}

/// Splits `text` into tokens.
fn tokenize(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let b = text.as_bytes();
    let err = |at: usize, expected: &'static str| SyntaxError { at, expected };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'\n' => {
                i += 1;
                Tok::Newline
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let close = b[i + 2..].windows(2).position(|w| w == b"*/");
                match close {
                    Some(n) => i = i + 2 + n + 2,
                    None => return Err(err(i, "'*/' to close the comment")),
                }
                continue;
            }
            b'"' => {
                let (end, escaped, template) = string(b, i)?;
                out.push(Token {
                    tok: Tok::Str { escaped, template },
                    span: i + 1..end - 1,
                });
                i = end;
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // A heredoc: `<<EOT` or `<<-EOT`, to a line that is `EOT`.
                let mut j = i + 2;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let word_len = b[j..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                    .count();
                if word_len == 0 {
                    return Err(err(j, "a heredoc's delimiter after '<<'"));
                }
                let word = &b[j..j + word_len];
                let mut line = line_end(b, j);
                loop {
                    if line >= b.len() {
                        return Err(err(i, "the line that closes the heredoc"));
                    }
                    let next = line + 1;
                    let end = line_end(b, next);
                    let body = text[next..end].trim();
                    if body.as_bytes() == word {
                        i = end;
                        break;
                    }
                    line = end;
                }
                Tok::Heredoc
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                i += b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                    .count();
                Tok::Ident
            }
            c if c.is_ascii_digit() => {
                i += b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'.')
                    .count();
                Tok::Number
            }
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b',' | b':' => {
                i += 1;
                Tok::Punct(c)
            }
            b'=' if !matches!(b.get(i + 1), Some(b'=' | b'>')) => {
                i += 1;
                Tok::Punct(b'=')
            }
            c if c.is_ascii() => {
                // An operator (`==`, `=>`, `!=`, `&&`, `?`, `.`, ...): one
                // or two bytes, all the same to the finder.
                i += if matches!(b.get(i + 1), Some(b'=' | b'&' | b'|' | b'>')) {
                    2
                } else {
                    1
                };
                Tok::Punct(b'+')
            }
            _ => {
                return Err(err(i, "HCL syntax"));
            }
        };
        out.push(Token {
            tok,
            span: start..i,
        });
    }
    Ok(out)
}

/// The byte where the line holding `i` ends (its `\n`, or the end).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| i + n)
}

/// The quoted string that opens at `i`: the byte after its closing quote,
/// whether it holds an escape, and whether it holds a template. Strings
/// nest inside a template's `${ }` (`"${join(",", x)}"`): an explicit stack
/// of the open templates' brace depths.
fn string(b: &[u8], i: usize) -> Result<(usize, bool, bool), SyntaxError> {
    let err = |at: usize, expected: &'static str| SyntaxError { at, expected };
    let mut escaped = false;
    let mut template = false;
    // Each open `${`: the depth of braces inside it. Empty: in the string
    // itself; a string inside a template pushes `None`.
    let mut stack: Vec<Option<usize>> = vec![None];
    let mut j = i + 1;
    loop {
        let Some(&c) = b.get(j) else {
            return Err(err(i, "'\"' to close the string"));
        };
        match stack.last_mut() {
            Some(None) => match c {
                b'\n' => return Err(err(i, "'\"' to close the string on its line")),
                b'\\' => {
                    escaped = true;
                    j += 2;
                }
                b'"' => {
                    stack.pop();
                    j += 1;
                    if stack.is_empty() {
                        return Ok((j, escaped, template));
                    }
                }
                b'$' | b'%' if b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&b'{') => {
                    escaped = true;
                    j += 3;
                }
                b'$' | b'%' if b.get(j + 1) == Some(&b'{') => {
                    template = true;
                    stack.push(Some(0));
                    j += 2;
                }
                _ => j += 1,
            },
            Some(Some(depth)) => {
                match c {
                    b'{' => *depth += 1,
                    b'}' if *depth == 0 => {
                        stack.pop();
                    }
                    b'}' => *depth -= 1,
                    b'"' => stack.push(None),
                    _ => {}
                }
                j += 1;
            }
            None => unreachable!("the stack is never empty inside the loop"),
        }
    }
}

/// Where a value stands: what ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// An attribute of a body: the end of its line.
    Body,
    /// An item of a list: `,` or `]` (lines do not end it).
    List,
    /// A member of an object: `,`, the end of its line, or `}`.
    Object,
}

struct Parser<'a> {
    t: &'a [Token],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i).map(|t| &t.tok)
    }

    fn at(&self) -> usize {
        self.t.get(self.i).map_or(self.text.len(), |t| {
            if matches!(t.tok, Tok::Str { .. }) {
                t.span.start - 1
            } else {
                t.span.start
            }
        })
    }

    #[cold]
    fn err(&self, expected: &'static str) -> SyntaxError {
        SyntaxError {
            at: self.at(),
            expected,
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Tok::Newline) {
            self.i += 1;
        }
    }

    /// The unquoted text of the key or label at token `k`.
    fn word(&self, k: usize) -> String {
        let t = &self.t[k];
        self.text[t.span.clone()].to_owned()
    }

    /// An HCL body, to its `}` (not taken) or the end: its blocks, each
    /// with its attributes, into `out`.
    fn body(
        &mut self,
        depth: usize,
        out: &mut Vec<BlockVal>,
    ) -> Result<Vec<(String, Val)>, SyntaxError> {
        if depth > DEPTH_MAX {
            return Err(self.err("blocks nested less deep"));
        }
        let mut attrs = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None | Some(Tok::Punct(b'}')) => return Ok(attrs),
                Some(Tok::Ident) => {}
                _ => return Err(self.err("a block or an attribute")),
            }
            let name = self.word(self.i);
            self.i += 1;
            if self.peek() == Some(&Tok::Punct(b'=')) {
                self.i += 1;
                let v = self.value(depth + 1, Ctx::Body)?;
                match self.peek() {
                    None | Some(Tok::Newline | Tok::Punct(b'}')) => {}
                    _ => return Err(self.err("the end of the line after an attribute")),
                }
                attrs.push((name, v));
                continue;
            }
            let mut labels = Vec::new();
            loop {
                match self.peek() {
                    Some(
                        Tok::Ident
                        | Tok::Str {
                            template: false, ..
                        },
                    ) => {
                        labels.push(self.word(self.i));
                        self.i += 1;
                    }
                    Some(Tok::Punct(b'{')) => break,
                    _ => return Err(self.err("'=' or a block's labels and '{'")),
                }
            }
            self.i += 1;
            let index = out.len();
            out.push(BlockVal {
                kind: name,
                labels,
                attrs: Vec::new(),
            });
            let inner = self.body(depth + 1, out)?;
            if self.peek() != Some(&Tok::Punct(b'}')) {
                return Err(self.err("'}' to close the block"));
            }
            self.i += 1;
            out[index].attrs = inner;
        }
    }

    /// Whether the current token ends a value standing in `ctx`.
    fn ends(&self, ctx: Ctx) -> bool {
        matches!(
            (self.peek(), ctx),
            (None, _)
                | (Some(Tok::Punct(b'}' | b']' | b')')), _)
                | (Some(Tok::Newline), Ctx::Body | Ctx::Object)
                | (Some(Tok::Punct(b',')), Ctx::List | Ctx::Object)
        )
    }

    /// A value standing in `ctx`, up to (not taking) what ends it.
    fn value(&mut self, depth: usize, ctx: Ctx) -> Result<Val, SyntaxError> {
        if depth > DEPTH_MAX {
            return Err(self.err("values nested less deep"));
        }
        let start = self.i;
        let simple = match self.peek() {
            Some(Tok::Str { .. }) => {
                self.i += 1;
                Some(Val::Str(start))
            }
            Some(Tok::Number) => {
                self.i += 1;
                Some(Val::Number(start))
            }
            Some(Tok::Punct(b'[')) if !self.is_for() => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.peek() == Some(&Tok::Punct(b']')) {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value(depth + 1, Ctx::List)?);
                    self.skip_newlines();
                    match self.peek() {
                        Some(Tok::Punct(b',')) => self.i += 1,
                        Some(Tok::Punct(b']')) => {}
                        _ => return Err(self.err("',' or ']' after an item")),
                    }
                }
                Some(Val::List(items))
            }
            Some(Tok::Punct(b'{')) if !self.is_for() => {
                self.i += 1;
                let mut members = Vec::new();
                loop {
                    self.skip_newlines();
                    match self.peek() {
                        Some(Tok::Punct(b'}')) => {
                            self.i += 1;
                            break;
                        }
                        Some(Tok::Ident | Tok::Str { .. }) => {}
                        _ => return Err(self.err("a key or '}'")),
                    }
                    let key = self.word(self.i);
                    self.i += 1;
                    match self.peek() {
                        Some(Tok::Punct(b'=' | b':')) => self.i += 1,
                        _ => return Err(self.err("'=' or ':' after a key")),
                    }
                    let v = self.value(depth + 1, Ctx::Object)?;
                    members.push((key, v));
                    match self.peek() {
                        Some(Tok::Punct(b',')) => self.i += 1,
                        Some(Tok::Newline | Tok::Punct(b'}')) => {}
                        _ => return Err(self.err("',' or '}' after a member")),
                    }
                }
                Some(Val::Object(members))
            }
            _ => None,
        };
        if let Some(v) = simple {
            // In a list, lines may break before the `,` or `]`.
            let mut k = self.i;
            while ctx == Ctx::List && self.t.get(k).is_some_and(|t| t.tok == Tok::Newline) {
                k += 1;
            }
            let at = std::mem::replace(&mut self.i, k);
            let ends = self.ends(ctx);
            self.i = at;
            if ends {
                return Ok(v);
            }
        }
        // An expression: to what ends it, brackets balanced.
        self.i = start;
        let mut open: Vec<u8> = Vec::new();
        loop {
            if open.is_empty() && self.ends(ctx) {
                if self.i == start {
                    return Err(self.err("a value"));
                }
                return Ok(Val::Expr(start));
            }
            match self.peek() {
                None => return Err(self.err("a closing bracket")),
                Some(Tok::Punct(c @ (b'(' | b'[' | b'{'))) => {
                    if open.len() >= DEPTH_MAX {
                        return Err(self.err("values nested less deep"));
                    }
                    open.push(match c {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    });
                }
                Some(Tok::Punct(c @ (b')' | b']' | b'}'))) if open.pop() != Some(*c) => {
                    return Err(self.err("brackets that match"));
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Whether the `[` or `{` at the cursor opens a `for` expression.
    fn is_for(&self) -> bool {
        let mut k = self.i + 1;
        while self.t.get(k).is_some_and(|t| t.tok == Tok::Newline) {
            k += 1;
        }
        self.t
            .get(k)
            .is_some_and(|t| t.tok == Tok::Ident && &self.text[t.span.clone()] == "for")
    }
}

/// A piece of a value filled in: its bytes in the value, and in the file
/// when they are copied from it as they stand.
type Piece = (Range<usize>, Option<Range<usize>>);

/// A string filled in, or why it cannot be.
enum Filled {
    /// The value, its pieces, and whether it is written as it reads.
    Value(String, Vec<Piece>, bool),
    /// Why not: a note's words.
    Not(String),
}

struct Finder<'a> {
    text: &'a str,
    tokens: &'a [Token],
    blocks: &'a [BlockVal],
    /// Each variable with a literal default: the token of that default.
    vars: HashMap<&'a str, usize>,
    /// Variables declared in a way that cannot fill in a name, and why
    /// (an empty default, a description, two blocks of one name).
    unusable: HashMap<&'a str, &'static str>,
    out: Vec<Hit>,
}

impl<'a> Finder<'a> {
    fn new(text: &'a str, (tokens, blocks): &'a (Vec<Token>, Vec<BlockVal>)) -> Self {
        let mut vars = HashMap::new();
        let mut unusable = HashMap::new();
        for b in blocks.iter().filter(|b| b.kind == "variable") {
            let [name] = b.labels.as_slice() else {
                continue;
            };
            let name = name.as_str();
            let default = b.attrs.iter().rev().find(|(k, _)| k == "default");
            let literal = |k: usize| -> Result<usize, &'static str> {
                let v = &text[tokens[k].span.clone()];
                if v.is_empty() {
                    // `default = ""`: set when Bake runs, as a rule.
                    Err("whose default is empty (set when Bake runs)")
                } else if v.bytes().any(|c| c.is_ascii_whitespace()) {
                    // `default = "Prefix to prepend to each image name"`.
                    Err("whose default is a description, not part of a name")
                } else {
                    Ok(k)
                }
            };
            let tok = match default {
                Some((_, Val::Str(k)))
                    if tokens[*k].tok
                        == (Tok::Str {
                            escaped: false,
                            template: false,
                        }) =>
                {
                    literal(*k)
                }
                Some((_, Val::Number(k))) => Ok(*k),
                _ => Err("which has no literal default in a variable block of this file"),
            };
            if vars.contains_key(name) || unusable.contains_key(name) {
                vars.remove(name);
                unusable.insert(name, "which is declared twice in this file");
                continue;
            }
            match tok {
                Ok(k) => {
                    vars.insert(name, k);
                }
                Err(why) => {
                    unusable.insert(name, why);
                }
            }
        }
        Finder {
            text,
            tokens,
            blocks,
            vars,
            unusable,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Hit> {
        for b in self.blocks.iter().filter(|b| b.kind == "target") {
            for (key, v) in &b.attrs {
                match key.as_str() {
                    "tags" => match v {
                        Val::List(items) => {
                            for item in items {
                                self.item(item, "a tag", true, false);
                            }
                        }
                        other => self.expr(other, "tags"),
                    },
                    "contexts" => {
                        if let Val::Object(members) = v {
                            for (_, v) in members {
                                self.item(v, "a context", false, true);
                            }
                        }
                    }
                    "args" => {
                        if let Val::Object(members) = v {
                            for (k, v) in members {
                                if k.to_ascii_lowercase().ends_with("image") {
                                    self.item(v, "an argument", false, false);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.out
    }

    /// A value that is not a string where one was expected: a note.
    fn expr(&mut self, v: &Val, what: &str) {
        let k = match v {
            Val::Expr(k) | Val::Number(k) | Val::Str(k) => *k,
            Val::List(_) | Val::Object(_) => return,
        };
        let span = self.tokens[k].span.clone();
        // The expression's last token: up to what ends it at its depth.
        let mut depth = 0usize;
        let mut end = span.end;
        for t in &self.tokens[k..] {
            match t.tok {
                Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
                Tok::Punct(b')' | b']' | b'}') if depth == 0 => break,
                Tok::Punct(b')' | b']' | b'}') => depth -= 1,
                Tok::Newline | Tok::Punct(b',') if depth == 0 => break,
                _ => {}
            }
            end = t.span.end + usize::from(matches!(t.tok, Tok::Str { .. }));
        }
        let shown: String = self.text[span.start..end].chars().take(60).collect();
        self.out.push(Hit {
            span: span.start..span.start,
            text: shown.clone(),
            kind: Kind::Skipped(format!(
                "{what} written as an HCL expression ({shown}): not filled in here"
            )),
            tag_span: None,
            output: false,
        });
    }

    /// One value that may name an image. `sure`: a tag (read whatever it
    /// holds); otherwise read only a valid reference. `context`: read only
    /// a `docker-image://` value, without its prefix.
    fn item(&mut self, v: &Val, what: &str, sure: bool, context: bool) {
        let k = match v {
            Val::Str(k) => *k,
            other => {
                if sure {
                    self.expr(other, what);
                }
                return;
            }
        };
        let raw_span = self.tokens[k].span.clone();
        let raw = &self.text[raw_span.clone()];
        let filled = self.fill(k);
        let (mut value, mut pieces, plain) = match filled {
            Filled::Value(v, p, plain) => (v, p, plain),
            Filled::Not(why) => {
                if sure || (context && raw.starts_with(DOCKER_IMAGE)) {
                    self.out.push(Hit {
                        span: raw_span,
                        text: raw.to_owned(),
                        kind: Kind::Skipped(format!("{raw:?} {why}")),
                        tag_span: None,
                        output: false,
                    });
                }
                return;
            }
        };
        let mut span = raw_span.clone();
        if context {
            let Some(rest) = value.strip_prefix(DOCKER_IMAGE) else {
                return;
            };
            value = rest.to_owned();
            let cut = DOCKER_IMAGE.len();
            pieces = pieces
                .into_iter()
                .filter_map(|(r, f)| {
                    if r.end <= cut {
                        return None;
                    }
                    let skip = cut.saturating_sub(r.start);
                    let f = f.map(|f| f.start + skip..f.end);
                    Some((r.start + skip - cut..r.end - cut, f))
                })
                .collect();
            if raw.starts_with(DOCKER_IMAGE) {
                span.start += cut;
            }
        }
        // A `docker-image://` context names an image for sure. An argument
        // is read only when it is a reference with a path or a tag, as a
        // YAML value under an image-named key is: `BASE_IMAGE = "base-cuda"`
        // names the target's own `contexts` entry (neggles/tensorpods), a
        // build stage, not Docker Hub's `library/base-cuda`.
        if !sure
            && !context
            && (!value.contains(['/', ':']) || crate::Reference::parse_normalized(&value).is_err())
        {
            return;
        }
        let kind = if value.is_empty() {
            Kind::Skipped(format!("{raw:?} is empty"))
        } else if let Some(p) = super::placeholder(&value) {
            Kind::Skipped(format!("{value:?} is a placeholder ({p}) to fill in"))
        } else if plain {
            Kind::Image
        } else {
            Kind::Expanded
        };
        let tag_span = if kind == Kind::Expanded {
            tag_range(&value).and_then(|t| file_range(&pieces, t))
        } else {
            None
        };
        let span = if kind == Kind::Image {
            span.start..span.start + value.len()
        } else {
            span
        };
        self.out.push(Hit {
            span,
            text: value,
            kind,
            tag_span,
            output: sure,
        });
    }

    /// The string token `k` with its template filled in from the
    /// variables' defaults.
    fn fill(&self, k: usize) -> Filled {
        let t = &self.tokens[k];
        let raw = &self.text[t.span.clone()];
        let Tok::Str { escaped, template } = t.tok else {
            return Filled::Not("is not a string".to_owned());
        };
        if !escaped && !template {
            let n = raw.len();
            return Filled::Value(raw.to_owned(), vec![(0..n, Some(t.span.clone()))], true);
        }
        let base = t.span.start;
        let b = raw.as_bytes();
        let mut value = String::new();
        let mut pieces: Vec<Piece> = Vec::new();
        let literal = |value: &mut String, pieces: &mut Vec<Piece>, from: usize, to: usize| {
            if from < to {
                let s = value.len();
                value.push_str(&raw[from..to]);
                pieces.push((s..value.len(), Some(base + from..base + to)));
            }
        };
        let mut i = 0;
        let mut run = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => {
                    literal(&mut value, &mut pieces, run, i);
                    let s = value.len();
                    let (c, len) = escape(&raw[i..]);
                    match c {
                        Some(c) => value.push(c),
                        None => return Filled::Not("holds an escape that is not valid".to_owned()),
                    }
                    pieces.push((s..value.len(), None));
                    i += len;
                    run = i;
                }
                c @ (b'$' | b'%') if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => {
                    literal(&mut value, &mut pieces, run, i);
                    let s = value.len();
                    value.push(c as char);
                    value.push('{');
                    pieces.push((s..value.len(), None));
                    i += 3;
                    run = i;
                }
                b'%' if b.get(i + 1) == Some(&b'{') => {
                    return Filled::Not("uses an HCL template directive".to_owned());
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    literal(&mut value, &mut pieces, run, i);
                    let end = match template_end(b, i + 2) {
                        Some(e) => e,
                        None => return Filled::Not("uses an HCL expression".to_owned()),
                    };
                    let inner = raw[i + 2..end].trim();
                    let is_name = !inner.is_empty()
                        && inner
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                        && !inner.as_bytes()[0].is_ascii_digit();
                    if !is_name {
                        return Filled::Not(format!(
                            "uses an HCL expression (${{{inner}}}) that is not filled in here"
                        ));
                    }
                    let Some(&d) = self.vars.get(inner) else {
                        let why = self.unusable.get(inner).copied().unwrap_or(
                            "which has no literal default in a variable block of this file",
                        );
                        return Filled::Not(format!("uses ${{{inner}}}, {why}"));
                    };
                    let d = &self.tokens[d];
                    let s = value.len();
                    value.push_str(&self.text[d.span.clone()]);
                    pieces.push((s..value.len(), Some(d.span.clone())));
                    if value.len() > EXPANDED_MAX {
                        return Filled::Not(format!(
                            "fills in to more than {EXPANDED_MAX} bytes, longer than any image reference"
                        ));
                    }
                    i = end + 1;
                    run = i;
                }
                _ => i += 1,
            }
        }
        literal(&mut value, &mut pieces, run, b.len());
        Filled::Value(value, pieces, false)
    }
}

/// The `}` that closes a template opened just before byte `from` of `b`
/// (the bytes of one string token), when the template holds no string and
/// no braces of its own (a plain `${NAME}`); `None` otherwise.
fn template_end(b: &[u8], from: usize) -> Option<usize> {
    let n = b[from..]
        .iter()
        .position(|&c| matches!(c, b'}' | b'{' | b'"'))?;
    (b[from + n] == b'}').then_some(from + n)
}

/// The character an HCL escape at the start of `s` (a `\`) stands for,
/// and the bytes it takes.
fn escape(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    let simple = match b.get(1) {
        Some(b'n') => Some('\n'),
        Some(b'r') => Some('\r'),
        Some(b't') => Some('\t'),
        Some(b'"') => Some('"'),
        Some(b'\\') => Some('\\'),
        Some(b'/') => Some('/'),
        Some(b'b') => Some('\u{8}'),
        Some(b'f') => Some('\u{c}'),
        _ => None,
    };
    if simple.is_some() {
        return (simple, 2);
    }
    let digits = match b.get(1) {
        Some(b'u') => 4,
        Some(b'U') => 8,
        _ => return (None, 2.min(s.len())),
    };
    let hex = s.get(2..2 + digits);
    let c = hex
        .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32);
    (c, (2 + digits).min(s.len()))
}

/// Where the tag of the reference `text` is, when it has one.
fn tag_range(text: &str) -> Option<Range<usize>> {
    let name = text.split('@').next().unwrap_or(text);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let colon = slash + name[slash..].rfind(':')?;
    (colon + 1 < name.len()).then_some(colon + 1..name.len())
}

/// The bytes of the file that hold `r` of a filled-in value, when one
/// piece copied from the file holds all of it.
fn file_range(pieces: &[Piece], r: Range<usize>) -> Option<Range<usize>> {
    pieces.iter().find_map(|(v, f)| {
        let f = f.as_ref()?;
        (v.start <= r.start && r.end <= v.end)
            .then(|| f.start + (r.start - v.start)..f.start + (r.end - v.start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::positions;

    fn found(name: &str, text: &str) -> Vec<(usize, usize, String, Kind)> {
        positions(find(Path::new(name), text), text)
    }

    #[test]
    fn names() {
        for yes in [
            "docker-bake.hcl",
            "docker-bake.override.hcl",
            "docker-bake.cuda.hcl",
            "docker-bake.json",
            "docker-bake.override.json",
        ] {
            assert!(is_bake_name(yes), "{yes}");
        }
        for no in [
            "docker-bake..hcl",
            "bake.hcl",
            "Docker-Bake.hcl",
            "docker-bake.yaml",
            "docker-bake.hcl.bak",
        ] {
            assert!(!is_bake_name(no), "{no}");
        }
    }

    #[test]
    fn targets() {
        let text = "# docker-bake.hcl\nvariable \"TAG\" {\n  default = \"24.01-py3\"\n}\nvariable \"REPO\" {}\n\
                    group \"default\" { targets = [\"app\"] }\n\
                    target \"app\" {\n  tags = [\"nvcr.io/nvidia/pytorch:${TAG}\", \"${REPO}/app:1\", TAG,\n    \"app:latest\"]\n\
                    contexts = {\n    base = \"docker-image://ubuntu:22.04\"\n    src = \"target:src\"\n  }\n\
                    args = {\n    BASE_IMAGE = \"python:3.11\"\n    CUDA = \"12.4\"\n    RUN_IMAGE = \"not an image\"\n  }\n\
                    dockerfile = <<EOT\nFROM x:1\nEOT\n}\n";
        let tag = text.find("24.01-py3").unwrap();
        let f = find(Path::new("docker-bake.hcl"), text);
        assert_eq!(f[0].tag_span, Some(tag..tag + 9));
        assert_eq!(
            found("docker-bake.hcl", text),
            [
                (8, 12, "nvcr.io/nvidia/pytorch:24.01-py3".into(), Kind::Expanded),
                (
                    8,
                    45,
                    "${REPO}/app:1".into(),
                    Kind::Skipped("\"${REPO}/app:1\" uses ${REPO}, which has no literal default in a variable block of this file".into())
                ),
                (
                    8,
                    61,
                    "TAG".into(),
                    Kind::Skipped("a tag written as an HCL expression (TAG): not filled in here".into())
                ),
                (9, 6, "app:latest".into(), Kind::Image),
                (11, 28, "ubuntu:22.04".into(), Kind::Image),
                (15, 19, "python:3.11".into(), Kind::Image),
            ]
        );
    }

    #[test]
    fn functions_are_notes() {
        let text = "target \"a\" {\n  tags = [\"${join(\",\", [\"x\", \"y\"])}:1\", notequal(\"a\", \"\") ? \"b:1\" : \"c:2\"]\n}\n\
                    target \"b\" {\n  tags = concat([\"x:1\"], [])\n}\n";
        let f = found("docker-bake.hcl", text);
        assert_eq!(f.len(), 3, "{f:?}");
        assert!(f.iter().all(|x| matches!(x.3, Kind::Skipped(_))), "{f:?}");
    }

    #[test]
    fn json_form() {
        let text = "{\n  \"variable\": {\"TAG\": {\"default\": \"1.27\"}},\n  \"target\": {\n    \"web\": {\n      \
                    \"tags\": [\"nginx:${TAG}\", \"docker.io/username/webapp:latest\"],\n      \
                    \"contexts\": {\"base\": \"docker-image://alpine:3.20\"}\n    }\n  }\n}\n";
        assert_eq!(
            found("docker-bake.json", text),
            [
                (5, 17, "nginx:1.27".into(), Kind::Expanded),
                (
                    5,
                    33,
                    "docker.io/username/webapp:latest".into(),
                    Kind::Image
                ),
                (6, 44, "alpine:3.20".into(), Kind::Image),
            ]
        );
    }

    #[test]
    fn broken_is_a_note() {
        for text in [
            "target \"a\" {\n tags = [\"x:1\"]\n",
            "<<<<<<< HEAD\ntarget \"a\" {}\n",
            "target \"a\" { tags = [\"x:1 }\n",
            "target \"a\" {\n tags = [\"x:1\"\n}\n",
            "/* open",
        ] {
            let f = found("docker-bake.hcl", text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert!(
                matches!(&f[0].3, Kind::Skipped(w) if w.starts_with("not a Bake file")),
                "{f:?}"
            );
        }
    }

    /// A default that is empty or a description is set when Bake runs:
    /// a note, never an invalid name.
    #[test]
    fn defaults_that_cannot_fill_in_a_name() {
        let text = "variable \"REGISTRY\" { default = \"\" }\nvariable \"prefix\" {\n  default = \"Prefix to prepend\"\n}\n\
                    variable \"T\" { default = \"1\" }\nvariable \"T\" { default = \"2\" }\n\
                    target \"a\" { tags = [\"${REGISTRY}/app:1\", \"${prefix}base:1\", \"app:${T}\"] }\n";
        let whys: Vec<String> = find(Path::new("docker-bake.hcl"), text)
            .into_iter()
            .map(|f| match f.kind {
                Kind::Skipped(w) => w,
                k => panic!("{k:?}"),
            })
            .collect();
        assert_eq!(
            whys,
            [
                "\"${REGISTRY}/app:1\" uses ${REGISTRY}, whose default is empty (set when Bake runs)",
                "\"${prefix}base:1\" uses ${prefix}, whose default is a description, not part of a name",
                "\"app:${T}\" uses ${T}, which is declared twice in this file",
            ]
        );
    }

    #[test]
    fn shared_tag_bytes() {
        let text =
            "variable \"TAG\" { default = \"1.0\" }\ntarget \"a\" { tags = [\"a:${TAG}\"] }\n\
                    target \"b\" { tags = [\"b:${TAG}\"] }\n";
        let f = find(Path::new("docker-bake.hcl"), text);
        assert_eq!(f.len(), 2);
        assert!(f
            .iter()
            .all(|f| f.kind == Kind::Expanded && f.tag_span.is_none()));
    }
}
