//! Image references in YAML: every scalar under a key named `image`, at any
//! depth, in every document of the file (Kubernetes manifests, Compose
//! files, VESSL run files, CI workflows).
//!
//! Read with `saphyr-parser`'s event parser, which gives each scalar's span
//! in characters; the finder turns it into bytes of the file. A value that
//! is an alias (`image: *base`) is reported once, where its anchor defines
//! it. A value written with escapes or folded across lines is checked but
//! never rewritten ([`Kind::Expanded`]). A syntax
//! error ends the file with a [`Kind::Broken`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use super::{found, Found, Kind, Lines};

/// Where the parser is: in a mapping (waiting for a key or a value, and
/// whether the current key is `image`), or in a sequence.
enum Frame {
    Map { key: bool, image: bool },
    Seq,
}

/// Character positions to byte offsets. Free when the text is ASCII;
/// otherwise a cursor that moves from one position to the next, so that
/// the positions of a file, asked in order as its events come, cost one
/// pass over it together (counting each from the start of its line is
/// quadratic on a long line with many values), and a position behind the
/// cursor costs the distance back.
struct Bytes<'t> {
    text: &'t str,
    ascii: bool,
    /// The cursor: a character index and its byte offset.
    chars: usize,
    bytes: usize,
}

impl<'t> Bytes<'t> {
    fn new(text: &'t str) -> Self {
        Bytes {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn at(&mut self, m: &Marker) -> usize {
        let target = m.index();
        if self.ascii {
            return target.min(self.text.len());
        }
        let at = if target >= self.chars {
            self.text[self.bytes..]
                .char_indices()
                .nth(target - self.chars)
                .map(|(i, _)| self.bytes + i)
        } else {
            self.text[..self.bytes]
                .char_indices()
                .nth_back(self.chars - target - 1)
                .map(|(i, _)| i)
        };
        match at {
            Some(at) => {
                (self.chars, self.bytes) = (target, at);
                at
            }
            None => self.text.len(),
        }
    }
}

/// The references in the YAML `text`.
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut bytes = Bytes::new(text);
    let mut lines = Lines::new(text);
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Anchored scalars: their value and where they are.
    let mut anchors: HashMap<usize, Found> = HashMap::new();
    let mut reported: HashSet<usize> = HashSet::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                let m = e.marker();
                let at = bytes.at(m);
                out.push(Found {
                    file: path.to_path_buf(),
                    line: m.line(),
                    column: m.col() + 1,
                    span: at..at,
                    text: String::new(),
                    kind: Kind::Broken(format!("invalid YAML: {}", e.info())),
                    tag_span: None,
                });
                break;
            }
        };
        // Whether this event is a value under an `image` key.
        let under_image = matches!(
            stack.last(),
            Some(Frame::Map {
                key: false,
                image: true
            })
        );
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) | Event::DocumentEnd => {
                stack.clear();
                continue;
            }
            Event::MappingStart(..) => {
                key_is_node(&mut stack);
                stack.push(Frame::Map {
                    key: true,
                    image: false,
                });
                continue;
            }
            Event::SequenceStart(..) => {
                key_is_node(&mut stack);
                stack.push(Frame::Seq);
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Alias(id) => {
                if under_image && reported.insert(id) {
                    if let Some(f) = anchors.get(&id) {
                        out.push(f.clone());
                    }
                }
            }
            Event::Scalar(value, style, anchor, _) => {
                let is_key = matches!(stack.last(), Some(Frame::Map { key: true, .. }));
                if is_key {
                    if let Some(Frame::Map { key, image }) = stack.last_mut() {
                        *key = false;
                        *image = value == "image";
                    }
                    continue;
                }
                let empty = span.is_empty()
                    || (style == ScalarStyle::Plain && matches!(&*value, "~" | "null" | ""));
                if !empty && (under_image || anchor != 0) {
                    let f = scalar(path, &mut bytes, &mut lines, &value, style, span);
                    if under_image && (anchor == 0 || reported.insert(anchor)) {
                        out.push(f.clone());
                    }
                    if anchor != 0 {
                        anchors.insert(anchor, f);
                    }
                }
            }
        }
        // A whole node is done: the mapping it is in waits for what's next.
        if let Some(Frame::Map { key, .. }) = stack.last_mut() {
            *key = !*key;
        }
    }
    out
}

/// A mapping or sequence is about to start: if it is a key, the key is not
/// `image`.
fn key_is_node(stack: &mut [Frame]) {
    if let Some(Frame::Map { key: true, image }) = stack.last_mut() {
        *image = false;
    }
}

/// The [`Found`] for a scalar `value` written between `start` and `end`.
fn scalar(
    path: &Path,
    bytes: &mut Bytes<'_>,
    lines: &mut Lines<'_>,
    value: &str,
    style: ScalarStyle,
    span: Span,
) -> Found {
    let start = span.start;
    let (from, to) = (bytes.at(&span.start), bytes.at(&span.end));
    let raw = bytes.text.get(from..to).unwrap_or("");
    // The span starts at an anchor or a tag when there is one (`&img x`),
    // and takes in the quotes: the value is at its end.
    let quote = match style {
        ScalarStyle::SingleQuoted => Some('\''),
        ScalarStyle::DoubleQuoted => Some('"'),
        _ => None,
    };
    let body = match quote {
        Some(q) => raw.strip_suffix(q).unwrap_or(raw),
        None => raw,
    };
    let at = body
        .strip_suffix(value)
        .filter(|before| quote.is_none_or(|q| before.ends_with(q)))
        .map(|before| from + before.len());
    let Some(at) = at else {
        // Escapes, folding or a block scalar: the bytes are not the value.
        let mut f = found(path, start.line(), start.col() + 1, from, value);
        f.span = from..to;
        if f.kind == Kind::Image {
            f.kind = Kind::Expanded;
        }
        return f;
    };
    let lead = &bytes.text[from..at];
    let (line, column) = if lead.contains('\n') {
        lines.line_col(at)
    } else {
        (start.line(), start.col() + 1 + lead.chars().count())
    };
    found(path, line, column, at, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(usize, usize, String, Kind)> {
        crate::check::positions(find(Path::new("x.yaml"), text), text)
    }

    #[test]
    fn any_depth_every_document() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    x:\n      image: 'redis:7'\n\
                    ---\n# k8s\nspec:\n  containers:\n    - name: a\n      image: \"ubuntu:22.04\"\n\
                    \x20   - {name: b, image: alpine}\n  image:\n    repository: no\n  notimage: debian\n";
        assert_eq!(
            texts(text),
            [
                (3, 12, "nginx:1.27".to_owned(), Kind::Image),
                (5, 15, "redis:7".to_owned(), Kind::Image),
                (11, 15, "ubuntu:22.04".to_owned(), Kind::Image),
                (12, 24, "alpine".to_owned(), Kind::Image),
            ]
        );
    }

    #[test]
    fn anchors_once_at_definition() {
        let text = "x-base: &img quay.io/vessl-ai/torch:2.3.0-cuda12.4\n\
                    a:\n  image: *img\nb:\n  image: *img\n\
                    c: &svc\n  image: &own ubuntu:22.04\nd:\n  <<: *svc\ne:\n  image: *own\n";
        assert_eq!(
            texts(text),
            [
                (
                    1,
                    14,
                    "quay.io/vessl-ai/torch:2.3.0-cuda12.4".to_owned(),
                    Kind::Image
                ),
                (7, 15, "ubuntu:22.04".to_owned(), Kind::Image),
            ]
        );
    }

    #[test]
    fn unicode_escapes_templates() {
        let text = "# café\nname: \"é\"\nimage: ubuntu:22.04\nb:\n  image: \"ubuntu\\x3a22.04\"\n\
                    c:\n  image: ${{ matrix.image }}\nd:\n  image:\n";
        let got = texts(text);
        assert_eq!(got[0], (3, 8, "ubuntu:22.04".to_owned(), Kind::Image));
        assert_eq!(got[1].2, "ubuntu:22.04");
        assert_eq!(got[1].3, Kind::Expanded);
        assert!(matches!(got[2].3, Kind::Skipped(_)));
        assert_eq!(got.len(), 3);
    }

    /// Thousands of images on one long line after non-ASCII text, and
    /// thousands of documents: each found at its place. Speed is measured
    /// in `benches/scaling.rs`.
    #[test]
    fn large_non_ascii_file() {
        let mut text = String::from("name: café\nimages: [");
        let mut want = Vec::new();
        for i in 0..20_000 {
            text += &format!("{{note: é, image: \"ubuntu:22.{i}\"}}, {{image: 'ü{i}'}}, ");
            want.push(format!("ubuntu:22.{i}"));
            want.push(format!("ü{i}"));
        }
        text += "]\n";
        for i in 0..10_000 {
            text += &format!("---\nspec:\n  é: [x]\n  image: quay.io/vessl-ai/python:3.{i}\n");
            want.push(format!("quay.io/vessl-ai/python:3.{i}"));
        }
        let found = find(Path::new("x.yaml"), &text);
        crate::check::assert_positions(&found, &text);
        let got: Vec<(String, Kind)> = texts(&text)
            .into_iter()
            .map(|(_, _, t, k)| (t, k))
            .collect();
        let want: Vec<(String, Kind)> = want.into_iter().map(|t| (t, Kind::Image)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn broken() {
        let text = "a:\n  image: ubuntu:22.04\n b: [\n";
        let got = texts(text);
        assert_eq!(got[0].2, "ubuntu:22.04");
        assert!(matches!(&got[1].3, Kind::Broken(m) if m.starts_with("invalid YAML: ")));
        assert_eq!(got.len(), 2);
    }
}
