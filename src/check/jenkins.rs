//! Image references in Jenkins pipelines: `Jenkinsfile`, `Jenkinsfile.*`
//! (`Jenkinsfile.gpu`) and `*.jenkinsfile` / `*.Jenkinsfile`, declarative
//! or scripted.
//!
//! What counts as an image:
//!
//! - `image 'x'` (or `image "x"`, `image('x')`) directly inside a
//!   `docker { ... }` block that is itself directly inside an `agent { ... }`
//!   block: the declarative Docker agent;
//! - `docker 'x'` directly inside an `agent { ... }` block: its short form;
//! - `docker.image('x')` (then `.inside`, `.pull`, `.withRun`, `.run`), the
//!   Docker Pipeline plugin's image;
//! - `docker.build('x')`, the image that step builds (its name is an image
//!   name too, and is read as one).
//!
//! - each `image:` of the pod YAML of a `kubernetes { yaml '''...''' }`
//!   agent (or of a scripted `podTemplate(yaml: '''...''')`): the pod's
//!   containers, read line by line (`image: x`, `- image: "x"`).
//!
//! Nothing else is an image: a `kubernetes` agent's `yamlFile` and
//! `dockerfile { ... }` agents name no image (a file read where it is),
//! `docker.withRegistry('https://...')` names a registry, and the bodies of
//! steps (`sh 'docker run x'`, `sh '''...'''`) are commands, not references.
//!
//! Groovy strings, as Groovy reads them:
//!
//! - a single-quoted string is literal text ([`Kind::Image`], with the bytes
//!   between its quotes as its span: `pin` rewrites its tag in place); a
//!   double-quoted one without `$` is literal too;
//! - a double-quoted string with `${...}` or `$name` interpolation is filled
//!   in when the pipeline runs: a note ([`Kind::Skipped`], "uses
//!   variables"), as other templates are;
//! - a string written with escapes (`\'`, `\$`) is checked as it reads,
//!   never rewritten ([`Kind::Expanded`]);
//! - a shell variable (`$NAME`, `${NAME}`) in a single-quoted name is a
//!   note too: the Docker Pipeline
//!   plugin passes the name to `docker` in a shell command, which fills in
//!   `'$DOCKER_REGISTRY/app'`;
//! - triple-quoted strings other than a pod's YAML (`sh '''...'''`), slashy strings
//!   (`/.../`) and dollar-slashy strings (`$/.../$`) are skipped whole, and
//!   so are `//` and `/* */` comments (and a first line `#!...`).
//!
//! A file the scanner cannot read to its end (a string or comment left
//! open, a `}` without its `{`, a `{` never closed) is one note at the place
//! it stopped, and nothing in it is read: an invalid *image* is an error,
//! with its line and column; an invalid pipeline is Jenkins' business.
//!
//! The scanner reads the bytes once, left to right, keeping only the
//! labels of the blocks open around it (an explicit stack) and the last few
//! tokens: time linear in the size of the file, whatever its shape.

use std::ops::Range;
use std::path::Path;

use super::{Found, Kind, Lines, SyntaxError};

/// Whether the lowercase file name `lower` is a Jenkins pipeline's:
/// `jenkinsfile`, `jenkinsfile.EXT`, `jenkinsfile_NAME` or
/// `jenkinsfile-NAME` (mxnet's `Jenkinsfile_unix_gpu`; unless the name ends
/// in another kind of file's extension: `Jenkinsfile.md`,
/// `Jenkinsfile_gpu.yaml`) or `NAME.jenkinsfile`.
pub(crate) fn is_jenkinsfile_name(lower: &str) -> bool {
    lower == "jenkinsfile"
        || ["jenkinsfile.", "jenkinsfile_", "jenkinsfile-"]
            .iter()
            .filter_map(|p| lower.strip_prefix(p))
            .any(|rest| {
                !rest.is_empty()
                    && !rest.ends_with('.')
                    // The name's extension, after its last `.`.
                    && !lower
                        .rsplit_once('.')
                        .is_some_and(|(_, e)| super::NOT_DOCKERFILE.contains(&e) && e != "groovy")
            })
        || lower
            .strip_suffix(".jenkinsfile")
            .is_some_and(|stem| !stem.is_empty())
}

/// One token of Groovy, as far as the finder needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword.
    Ident(Range<usize>),
    /// A single- or double-quoted string: the bytes between its quotes, its
    /// quote, whether it holds a `\` escape, and (for a double-quoted one)
    /// whether it interpolates (`$`).
    Str {
        span: Range<usize>,
        escaped: bool,
        interpolated: bool,
    },
    /// A triple-quoted string: the bytes between its quotes and its quote.
    Triple { span: Range<usize>, quote: u8 },
    /// Any other string (slashy, dollar-slashy), a number.
    Other,
    /// One byte of punctuation.
    Punct(u8),
}

/// A string that names an image: the bytes between its quotes, whether it
/// holds an escape or interpolates, and whether it names what
/// `docker.build` makes ([`Found::output`]).
struct Hit {
    span: Range<usize>,
    escaped: bool,
    interpolated: bool,
    built: bool,
}

/// A block open around the scanner: the identifier written before its
/// `{`, when it is one of the few that matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Agent,
    Docker,
    Kubernetes,
    Other,
}

/// The images of the Jenkins pipeline `text` (the contents of the file
/// `path`).
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut lines = Lines::new(text);
    match scan(text) {
        Ok(hits) => hits
            .into_iter()
            .map(|h| {
                let (value, kind) = classify(&text[h.span.clone()], h.escaped, h.interpolated);
                Found {
                    output: h.built,
                    ..lines.found(path, h.span, value, kind)
                }
            })
            .collect(),
        Err(e) => {
            let why = format!(
                "not a pipeline the scanner can read ({}): nothing read",
                e.describe(text)
            );
            vec![lines.found(path, e.at..e.at, String::new(), Kind::Skipped(why))]
        }
    }
}

/// What a string that names an image reads, and what it is.
fn classify(raw: &str, escaped: bool, interpolated: bool) -> (String, Kind) {
    let value = if escaped {
        unescape(raw)
    } else {
        raw.to_owned()
    };
    // A `$` in a single-quoted name is no image either: the Docker Pipeline
    // plugin runs `docker pull` / `docker run` with the name in a shell
    // command, which fills in `$DOCKER_REGISTRY` (an error would be a false
    // alarm).
    let kind = if interpolated || shell_variable(&value) {
        Kind::Skipped(format!("{value:?} uses variables"))
    } else if value.is_empty() {
        Kind::Skipped("an empty name".to_owned())
    } else if let Some(p) = super::placeholder(&value) {
        Kind::Skipped(format!("{value:?} is a placeholder ({p}) to fill in"))
    } else if escaped {
        Kind::Expanded
    } else {
        Kind::Image
    };
    (value, kind)
}

/// Whether `value` holds a shell variable (`$NAME`, `${NAME}`), which the
/// shell that runs `docker` fills in even in a single-quoted Groovy name;
/// `${env.X}` is no shell variable (Groovy would have to fill it in).
fn shell_variable(value: &str) -> bool {
    let b = value.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        if c != b'$' {
            return false;
        }
        let rest = &b[i + 1..];
        let rest = rest.strip_prefix(b"{").unwrap_or(rest);
        let name = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        name > 0
            && !rest[0].is_ascii_digit()
            && (b.get(i + 1) != Some(&b'{') || rest.get(name) == Some(&b'}'))
    })
}

/// A Groovy string's text with its escapes read.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
    }
    out
}

/// The strings of `text` that name images: their spans (between the
/// quotes), whether they hold escapes and whether they interpolate.
fn scan(text: &str) -> Result<Vec<Hit>, SyntaxError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    // The last four tokens, newest last.
    let mut recent: [Option<Tok>; 4] = [None, None, None, None];
    let mut i = 0;
    // A first line `#!/usr/bin/env groovy`.
    if b.starts_with(b"#!") {
        i = line_end(b, 0);
    }
    while let Some((tok, next)) = token(b, i, recent[3].as_ref())? {
        i = next;
        match &tok {
            Tok::Punct(b'{') => {
                let block = match &recent[3] {
                    Some(Tok::Ident(r)) if &b[r.clone()] == b"agent" => Block::Agent,
                    Some(Tok::Ident(r)) if &b[r.clone()] == b"docker" => Block::Docker,
                    Some(Tok::Ident(r)) if &b[r.clone()] == b"kubernetes" => Block::Kubernetes,
                    _ => Block::Other,
                };
                blocks.push(block);
            }
            Tok::Punct(b'}') if blocks.pop().is_none() => {
                return Err(SyntaxError {
                    at: i - 1,
                    expected: "no '}' without its '{'",
                });
            }
            Tok::Str {
                span,
                escaped,
                interpolated,
            } => {
                let word = |t: &Option<Tok>, w: &[u8]| matches!(t, Some(Tok::Ident(r)) if &b[r.clone()] == w);
                let punct = |t: &Option<Tok>, c: u8| t == &Some(Tok::Punct(c));
                let top = blocks.last().copied();
                let parent = blocks.len().checked_sub(2).map(|k| blocks[k]);
                let in_docker_agent = top == Some(Block::Docker) && parent == Some(Block::Agent);
                // `image 'x'` / `image('x')` in `agent { docker { ... } }`.
                let image_arg = (word(&recent[3], b"image")
                    || (punct(&recent[3], b'(') && word(&recent[2], b"image")))
                    && in_docker_agent;
                // `agent { docker 'x' }`.
                let docker_arg = word(&recent[3], b"docker") && top == Some(Block::Agent);
                // `docker.image('x')`, `docker.build('x')`.
                let call = punct(&recent[3], b'(')
                    && (word(&recent[2], b"image") || word(&recent[2], b"build"))
                    && punct(&recent[1], b'.')
                    && word(&recent[0], b"docker");
                if image_arg || docker_arg || call {
                    // `docker.build('x')` names what it builds.
                    let built = call && word(&recent[2], b"build");
                    out.push(Hit {
                        span: span.clone(),
                        escaped: *escaped,
                        interpolated: *interpolated,
                        built,
                    });
                }
            }
            // The pod of a `kubernetes` agent (`yaml '''...'''`) or of a
            // scripted `podTemplate(yaml: '''...''')`: its containers' images.
            Tok::Triple { span, .. } => {
                let word = |t: &Option<Tok>, w: &[u8]| matches!(t, Some(Tok::Ident(r)) if &b[r.clone()] == w);
                let pod = (word(&recent[3], b"yaml") && blocks.last() == Some(&Block::Kubernetes))
                    || (recent[3] == Some(Tok::Punct(b':')) && word(&recent[2], b"yaml"));
                if pod {
                    pod_images(text, span.clone(), &mut out);
                }
            }
            _ => {}
        }
        recent.rotate_left(1);
        recent[3] = Some(tok);
    }
    if !blocks.is_empty() {
        return Err(SyntaxError {
            at: b.len(),
            expected: "'}' to close every '{'",
        });
    }
    Ok(out)
}

/// The `image:` values of the pod YAML `text[body]` (a triple-quoted
/// string): their spans, whether they hold a `\` escape,
/// and whether they hold a `$` (Groovy fills in a `"""` string, and a `$`
/// left in a `'''` one is no image either: both are notes).
fn pod_images(text: &str, body: Range<usize>, out: &mut Vec<Hit>) {
    let mut start = body.start;
    for line in text[body.clone()].split_inclusive('\n') {
        let at = start;
        start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let rest = content[lead..]
            .strip_prefix("- ")
            .map_or(&content[lead..], str::trim_start);
        let Some(value) = rest.strip_prefix("image:") else {
            continue;
        };
        // The value: up to a ` #` comment, without its blanks and quotes.
        let value = value.split(" #").next().unwrap_or("").trim();
        let value = match value.as_bytes() {
            [q @ (b'"' | b'\''), .., e] if q == e && value.len() >= 2 => &value[1..value.len() - 1],
            _ => value,
        };
        // Nothing, or a YAML construct (`|`, `>-`, an anchor, an alias, a
        // tag, a flow map or list): no name written here.
        if value.is_empty() || value.starts_with(['|', '>', '&', '*', '!', '{', '[']) {
            continue;
        }
        let offset = crate::parse::offset_in(content, value);
        let from = at + offset;
        out.push(Hit {
            span: from..from + value.len(),
            escaped: value.contains('\\'),
            interpolated: value.contains('$'),
            built: false,
        });
    }
}

/// The byte where the line holding `i` ends (its `\n`, or the end).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| i + n)
}

/// The next token at or after `i`, and the byte after it; `None` at the
/// end of the text. `prev` decides whether a `/` divides or opens a slashy
/// string.
fn token(b: &[u8], mut i: usize, prev: Option<&Tok>) -> Result<Option<(Tok, usize)>, SyntaxError> {
    let err = |at: usize, expected: &'static str| SyntaxError { at, expected };
    loop {
        let Some(&c) = b.get(i) else {
            return Ok(None);
        };
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let close = b[i + 2..].windows(2).position(|w| w == b"*/");
                match close {
                    Some(n) => i = i + 2 + n + 2,
                    None => return Err(err(i, "'*/' to close the comment")),
                }
            }
            b'\'' | b'"' => {
                if b[i..].starts_with(&[c, c, c]) {
                    let body = i + 3;
                    let close = find_close(b, body, &[c, c, c])
                        .ok_or_else(|| err(i, "three quotes to close the string"))?;
                    let tok = Tok::Triple {
                        span: body..close,
                        quote: c,
                    };
                    return Ok(Some((tok, close + 3)));
                }
                let (end, escaped, interpolated) = quoted(b, i, c)?;
                let tok = Tok::Str {
                    span: i + 1..end - 1,
                    escaped,
                    interpolated: c == b'"' && interpolated,
                };
                return Ok(Some((tok, end)));
            }
            b'$' if b.get(i + 1) == Some(&b'/') => {
                // A dollar-slashy string: `$/ ... /$`, `$$` and `$/` escape.
                let mut j = i + 2;
                loop {
                    match b.get(j) {
                        None => return Err(err(i, "'/$' to close the string")),
                        Some(b'$') if matches!(b.get(j + 1), Some(b'$' | b'/')) => j += 2,
                        Some(b'/') if b.get(j + 1) == Some(&b'$') => {
                            return Ok(Some((Tok::Other, j + 2)))
                        }
                        Some(_) => j += 1,
                    }
                }
            }
            b'/' if slashy_may_start(prev) => {
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => return Err(err(i, "'/' to close the slashy string")),
                        Some(b'\\') if b.get(j + 1) == Some(&b'/') => j += 2,
                        Some(b'/') => return Ok(Some((Tok::Other, j + 1))),
                        Some(_) => j += 1,
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let len = b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'$')
                    .count();
                return Ok(Some((Tok::Ident(i..i + len), i + len)));
            }
            c if c.is_ascii_digit() => {
                let len = b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
                    .count();
                return Ok(Some((Tok::Other, i + len)));
            }
            c if c.is_ascii() => return Ok(Some((Tok::Punct(c), i + 1))),
            _ => {
                // A character outside ASCII (in an identifier, say): one
                // token of its own, the whole character.
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| (**c & 0xc0) == 0x80)
                    .count();
                return Ok(Some((Tok::Other, i + 1 + len)));
            }
        }
    }
}

/// Whether a `/` after `prev` starts a slashy string rather than dividing:
/// where a value may start (after an operator, `(`, `,`, `=`, `[`, `{`, at
/// the start).
fn slashy_may_start(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Punct(c)) => !matches!(c, b')' | b']' | b'}'),
        Some(Tok::Ident(_) | Tok::Str { .. } | Tok::Triple { .. } | Tok::Other) => false,
    }
}

/// The first place at or after `from` where `close` stands, not escaped by
/// a `\`.
fn find_close(b: &[u8], from: usize, close: &[u8]) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        if b[j] == b'\\' {
            j += 2;
        } else if b[j..].starts_with(close) {
            return Some(j);
        } else {
            j += 1;
        }
    }
    None
}

/// The single-line string quoted by `q` that opens at `i`: the byte after
/// its closing quote, whether it holds an escape, and whether it holds an
/// unescaped `$` (interpolation, in a double-quoted string).
fn quoted(b: &[u8], i: usize, q: u8) -> Result<(usize, bool, bool), SyntaxError> {
    let mut escaped = false;
    let mut dollar = false;
    let mut j = i + 1;
    // The depth of `${ ... }` open in a double-quoted string.
    let mut depth = 0usize;
    loop {
        match b.get(j) {
            None | Some(b'\n') => {
                return Err(SyntaxError {
                    at: i,
                    expected: "a quote to close the string on its line",
                })
            }
            Some(b'\\') => {
                escaped = true;
                j += 2;
            }
            Some(b'$') if q == b'"' => {
                dollar = true;
                if b.get(j + 1) == Some(&b'{') {
                    depth += 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            Some(b'}') if depth > 0 => {
                depth -= 1;
                j += 1;
            }
            Some(&c) if c == q && depth == 0 => return Ok((j + 1, escaped, dollar)),
            Some(_) => j += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::positions;

    fn kinds(text: &str) -> Vec<(usize, usize, String, Kind)> {
        positions(find(Path::new("Jenkinsfile"), text), text)
    }

    #[test]
    fn names() {
        for yes in [
            "jenkinsfile",
            "jenkinsfile.gpu",
            "jenkinsfile.groovy",
            "ci.jenkinsfile",
            "jenkinsfile.cuda12.4",
        ] {
            assert!(is_jenkinsfile_name(yes), "{yes}");
        }
        for no in [
            "jenkinsfile.md",
            "jenkinsfile.yaml",
            "jenkinsfile.",
            ".jenkinsfile",
            "jenkinsfiles",
            "myjenkinsfile",
        ] {
            assert!(!is_jenkinsfile_name(no), "{no}");
        }
    }

    #[test]
    fn declarative_and_scripted() {
        let text = "pipeline {\n  agent { docker { image 'nvidia/cuda:12.0.0-runtime-ubuntu22.04'\n args '-u root' } }\n\
                    stages { stage('x') { agent { docker 'python:3.11' }\n steps { sh 'docker run a:b'\n\
                    script { docker.image(\"dgllib/dgl-ci-awscli:v220418\").inside { sh '''x'''}\n\
                    def i = docker.build('my-app:${env.BUILD_ID}')\n docker.build(\"app:${env.BUILD_ID}\") } } } }\n}\n";
        let found = kinds(text);
        assert_eq!(
            found,
            [
                (
                    2,
                    27,
                    "nvidia/cuda:12.0.0-runtime-ubuntu22.04".into(),
                    Kind::Image
                ),
                (4, 39, "python:3.11".into(), Kind::Image),
                (6, 24, "dgllib/dgl-ci-awscli:v220418".into(), Kind::Image),
                (7, 23, "my-app:${env.BUILD_ID}".into(), Kind::Image),
                (
                    8,
                    16,
                    "app:${env.BUILD_ID}".into(),
                    Kind::Skipped("\"app:${env.BUILD_ID}\" uses variables".into())
                ),
            ]
        );
    }

    #[test]
    fn not_images() {
        let text = "// image 'a:1'\n/* docker.image('b:2') */\npipeline { agent { kubernetes { yamlFile 'pod.yaml' } }\n\
                    options { sh '''image: c:3''' }\n stages { stage('s') { agent { dockerfile { filename 'Dockerfile' } }\n\
                    steps { sh \"docker pull d:4\"; image 'e:5' } } } }\n";
        assert_eq!(kinds(text), []);
    }

    #[test]
    fn broken_is_a_note() {
        for text in [
            "pipeline { agent { docker { image 'a:1' } }",
            "pipeline { } }",
            "docker.image('a:1)\n",
            "/* open",
            "x = '''open",
        ] {
            let f = kinds(text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(
                matches!(&f[0].3, Kind::Skipped(w) if w.starts_with("not a pipeline")),
                "{f:?}"
            );
        }
    }

    #[test]
    fn slashy_and_division() {
        let text = "def r = /it's a regex/\ndef n = a / b\ndocker.image('x:1')\n";
        assert_eq!(kinds(text), [(3, 15, "x:1".into(), Kind::Image)]);
    }
}
