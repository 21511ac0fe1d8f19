//! A tolerant, line-by-line reading of a file that the YAML parser rejects
//! but other tools accept (tabs or odd indentation, a multi-line quoted
//! scalar that kubectl reads, a flow sequence whose closing bracket sits at
//! its key's column, template lines between keys): the nesting comes from
//! the indentation of `key:` lines and `- ` items, and values are read as
//! plain, quoted or flow scalars on their line. Each line is looked at once
//! (a quoted or flow value that goes on over later lines takes them with
//! it), so the reading is linear in the file.

use std::ops::Range;

use super::tree::{empty, Builder, Node, Scalar};

/// What a lenient reading gives.
#[derive(Debug)]
pub(crate) struct Lenient {
    /// The documents.
    pub docs: Vec<Node>,
    /// How many `key:` lines were read: none means the text is not YAML.
    pub keys: usize,
    /// A quoted scalar or flow collection is never closed: the file is
    /// broken for every reader, not only for the strict one.
    pub broken: bool,
}

/// Flow collections nested deeper than this are skipped.
const DEPTH: usize = 64;

struct Reader<'t> {
    text: &'t str,
    /// Whether to build the documents: [`sound`] only counts keys and
    /// looks for what never closes, which allocates nothing.
    build: bool,
    b: Builder,
    /// The column of each open collection of `b`.
    indents: Vec<usize>,
    keys: usize,
    broken: bool,
    /// From where on no closing `"` (0) or `'` (1) was found: a later
    /// search from there on fails at once, so that many unclosed quotes
    /// cost one pass.
    no_close: [usize; 2],
}

/// Reads `text` line by line.
pub(crate) fn read(text: &str) -> Lenient {
    let r = Reader::new(text, true).run();
    Lenient {
        docs: r.b.docs,
        keys: r.keys,
        broken: r.broken,
    }
}

/// Whether this reader makes sense of `text`: it has a `key:` line, and no
/// quoted scalar or flow collection that never closes. The same reading as
/// [`read`] (so the same answer as its `keys` and `broken`), with nothing
/// built: several times faster, for files that cannot hold an image.
pub(crate) fn sound(text: &str) -> bool {
    let r = Reader::new(text, false).run();
    r.keys > 0 && !r.broken
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, build: bool) -> Self {
        Reader {
            text,
            build,
            b: Builder::default(),
            indents: Vec::new(),
            keys: 0,
            broken: false,
            no_close: [usize::MAX; 2],
        }
    }

    /// Reads every line.
    fn run(mut self) -> Self {
        let text = self.text;
        let mut pos = 0;
        // The column a block scalar's key or item is at: deeper lines are its.
        let mut block: Option<usize> = None;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let next = (end + 1).min(text.len());
            let line = text[pos..end].trim_end_matches('\r');
            let content = line.trim_start_matches([' ', '\t']);
            let indent = line.len() - content.len();
            if let Some(d) = block {
                if content.is_empty() || indent > d {
                    pos = next;
                    continue;
                }
                block = None;
            }
            if content.is_empty() || content.starts_with('#') {
                pos = next;
                continue;
            }
            if indent == 0 && (marker(content, "---") || marker(content, "...")) {
                self.close_all();
                pos = next;
                continue;
            }
            let after = self.line(pos + indent, pos + line.len(), indent, &mut block);
            pos = after.max(next);
        }
        self.close_all();
        self
    }
}

/// Whether `content` is the document marker `m`, alone or before a space.
fn marker(content: &str, m: &str) -> bool {
    content
        .strip_prefix(m)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Reader<'_> {
    /// Reads the line whose content is `at..end`, at column `indent`;
    /// returns where reading goes on (the next line, or after a value that
    /// took more lines).
    fn line(
        &mut self,
        mut at: usize,
        end: usize,
        indent: usize,
        block: &mut Option<usize>,
    ) -> usize {
        let text = self.text;
        let mut col = indent;
        let mut dash = None;
        loop {
            let rest = &text[at..end];
            if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
                self.seq_item(col);
                dash = Some(col);
                let sp = rest[1..].len() - rest[1..].trim_start_matches([' ', '\t']).len();
                col += 1 + sp;
                at += 1 + sp;
                continue;
            }
            break;
        }
        let rest = &text[at..end];
        if rest.is_empty() || rest.starts_with('#') {
            return end;
        }
        if let Some((key, value)) = self.key(at, end) {
            self.keys += 1;
            if self.build {
                let key = if matches!(text.as_bytes()[key.start], b'"' | b'\'') {
                    quoted(text, key.start, key.end).0
                } else {
                    plain(&text[key.clone()], key.start)
                };
                self.map_key(col, key);
            }
            return self.value(value, end, col, block, true);
        }
        if let Some(d) = dash {
            return self.value(at, end, d, block, false);
        }
        end // a continuation line of a plain scalar, or noise
    }

    /// A `key:` at `at`: where the key is written (quotes included), and
    /// where its value starts.
    fn key(&self, at: usize, end: usize) -> Option<(Range<usize>, usize)> {
        let text = self.text;
        let bytes = text.as_bytes();
        let first = bytes[at];
        let (key, after) = if first == b'"' || first == b'\'' {
            let (close, closed, _) = quoted_end(text, at, end);
            if !closed {
                return None;
            }
            (at..close, close)
        } else {
            if b"[{&*!|>%@`?".contains(&first) {
                return None;
            }
            let mut i = at;
            loop {
                if i >= end {
                    return None;
                }
                let c = bytes[i];
                if c == b'#' && i > at && blank(bytes[i - 1]) {
                    return None;
                }
                if c == b':' && (i + 1 == end || blank(bytes[i + 1])) {
                    break;
                }
                i += 1;
            }
            let k = text[at..i].trim_end();
            if k.is_empty() {
                return None;
            }
            (at..at + k.len(), i)
        };
        let mut i = after;
        while i < end && blank(bytes[i]) {
            i += 1;
        }
        if i < end && bytes[i] == b':' && (i + 1 == end || blank(bytes[i + 1])) {
            Some((key, i + 1))
        } else {
            None
        }
    }

    /// Reads the value that starts at `at` (after `key:` or `- `); `col` is
    /// the column of its key or item. Returns where reading goes on.
    fn value(
        &mut self,
        mut at: usize,
        end: usize,
        col: usize,
        block: &mut Option<usize>,
        keyed: bool,
    ) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            while at < end && blank(bytes[at]) {
                at += 1;
            }
            // Anchors and tags: skipped.
            if at < end && (bytes[at] == b'&' || bytes[at] == b'!') {
                while at < end && !blank(bytes[at]) {
                    at += 1;
                }
                continue;
            }
            break;
        }
        if at >= end || bytes[at] == b'#' {
            if !keyed {
                self.node(|| Node::Scalar(empty()));
            }
            return end; // the value is on the lines below
        }
        match bytes[at] {
            b'|' | b'>' => {
                *block = Some(col);
                self.node(|| Node::Scalar(empty()));
                end
            }
            b'*' => {
                // An alias: what it names was read where it was defined.
                self.node(|| Node::Scalar(empty()));
                end
            }
            b'"' | b'\'' => {
                let q = usize::from(bytes[at] == b'\'');
                let limit = if at >= self.no_close[q] {
                    end
                } else {
                    text.len()
                };
                let (close, closed, _) = quoted_end(text, at, limit);
                if closed {
                    self.node(|| Node::Scalar(quoted(text, at, limit).0));
                    return line_end(text, close);
                }
                self.no_close[q] = self.no_close[q].min(at);
                self.broken = true;
                self.node(|| Node::Scalar(quoted(text, at, end).0));
                end
            }
            b'[' | b'{' => {
                let (stop, closed) = flow_end(text, at, col);
                if !closed {
                    self.broken = true;
                }
                self.node(|| flow(text, &mut { at }, stop, 0));
                line_end(text, stop.saturating_sub(1).max(at))
            }
            _ => {
                let bytes = &bytes[..end];
                let mut i = at;
                while i < end && !(bytes[i] == b'#' && blank(bytes[i - 1])) {
                    i += 1;
                }
                let v = text[at..i].trim_end();
                self.node(|| Node::Scalar(plain(v, at)));
                end
            }
        }
    }

    /// A complete node, when building.
    fn node(&mut self, node: impl FnOnce() -> Node) {
        if self.build {
            self.b.node(node());
        }
    }

    fn push_map(&mut self, col: usize) {
        self.b.start_map();
        self.indents.push(col);
    }

    fn push_seq(&mut self, col: usize) {
        self.b.start_seq();
        self.indents.push(col);
    }

    fn pop(&mut self) {
        self.indents.pop();
        self.b.end();
    }

    fn close_deeper(&mut self, col: usize) {
        while self.indents.last().is_some_and(|&i| i > col) {
            self.pop();
        }
    }

    fn close_all(&mut self) {
        if !self.build {
            return;
        }
        while !self.indents.is_empty() {
            self.pop();
        }
        self.b.finish();
    }

    /// A `key:` at column `col`.
    fn map_key(&mut self, col: usize, key: Scalar) {
        self.close_deeper(col);
        loop {
            match (self.b.top_map(), self.indents.last().copied()) {
                (Some(pending), Some(i)) if i == col => {
                    if pending {
                        self.b.node(Node::Scalar(empty()));
                    }
                }
                // A sequence at a key's column ends with the next key.
                (None, Some(i)) if i == col => {
                    self.pop();
                    continue;
                }
                // Deeper than a mapping that waits for no value: odd
                // indentation, read as one more key of that mapping.
                (Some(false), Some(_)) => {}
                _ => self.push_map(col),
            }
            break;
        }
        self.b.node(Node::Scalar(key));
    }

    /// A `- ` item at column `col`.
    fn seq_item(&mut self, col: usize) {
        if !self.build {
            return;
        }
        self.close_deeper(col);
        match (self.b.top_map(), self.indents.last().copied()) {
            (None, Some(i)) if i == col => {}
            (Some(false), Some(i)) if i == col => {
                // A sequence where a key was expected: give it a key.
                self.b.node(Node::Scalar(empty()));
                self.push_seq(col);
            }
            _ => self.push_seq(col),
        }
    }
}

/// A plain scalar `v` written at `at`.
fn plain(v: &str, at: usize) -> Scalar {
    Scalar {
        value: v.to_owned(),
        exact: Some(at),
        raw: at..at + v.len(),
        plain: true,
        literal: false,
        anchor: 0,
    }
}

/// The end of the line that byte `at` is on.
fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| at + i)
}

/// The quoted scalar whose opening quote is at `at`, read up to `limit`:
/// the scalar, the byte after its closing quote, and whether it closes.
fn quoted(text: &str, at: usize, limit: usize) -> (Scalar, usize, bool) {
    let (stop, closed, escaped) = quoted_end(text, at, limit);
    let inner = &text[at + 1..if closed { stop - 1 } else { stop }];
    let q = text.as_bytes()[at];
    let (value, exact) = if escaped {
        let v = if q == b'\'' {
            inner.replace("''", "'")
        } else {
            inner.to_owned()
        };
        (v.split_whitespace().collect::<Vec<_>>().join(" "), None)
    } else {
        (inner.to_owned(), Some(at + 1))
    };
    (
        Scalar {
            value,
            exact,
            raw: at..stop,
            plain: false,
            literal: false,
            anchor: 0,
        },
        stop,
        closed,
    )
}

/// Where the quoted scalar whose opening quote is at `at` ends, read up to
/// `limit`: the byte after its closing quote (or `limit`), whether it
/// closes, and whether its value differs from its text (an escape, a
/// doubled `''`, a line break).
fn quoted_end(text: &str, at: usize, limit: usize) -> (usize, bool, bool) {
    let bytes = text.as_bytes();
    let q = bytes[at];
    let mut i = at + 1;
    let mut escaped = false;
    let mut closed = false;
    while i < limit {
        let c = bytes[i];
        if q == b'"' && c == b'\\' {
            escaped = true;
            i += 2;
            continue;
        }
        if c == q {
            if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') && i + 1 < limit {
                escaped = true;
                i += 2;
                continue;
            }
            closed = true;
            break;
        }
        if c == b'\n' {
            escaped = true;
        }
        i += 1;
    }
    let i = i.min(limit);
    (if closed { i + 1 } else { i }, closed, escaped)
}

/// Where the flow collection opened at `at` (on a line whose key or item is
/// at column `col`) ends: the byte after its closing bracket, and whether
/// it closes. It goes on over lines indented deeper than `col`, or that
/// start with a closing bracket.
fn flow_end(text: &str, at: usize, col: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    let mut quote = 0u8;
    while i < bytes.len() {
        let c = bytes[i];
        if quote != 0 {
            if quote == b'"' && c == b'\\' {
                i += 2;
                continue;
            }
            if c == quote {
                quote = 0;
            }
            // A quoted scalar goes on over lines, whatever their indentation.
            i += 1;
            continue;
        }
        match c {
            b'"' | b'\'' if i == at || !bytes[i - 1].is_ascii_alphanumeric() => quote = c,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (i + 1, true);
                }
            }
            b'#' if i > at && blank(bytes[i - 1]) => {
                i = line_end(text, i);
                continue;
            }
            b'\n' => {
                let next = &text[i + 1..line_end(text, i + 1)];
                let content = next.trim_start_matches([' ', '\t']);
                let indent = next.len() - content.len();
                if !(content.is_empty() || indent > col || content.starts_with([']', '}'])) {
                    return (i, false);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), false)
}

fn skip_space(bytes: &[u8], i: &mut usize, end: usize) {
    while *i < end {
        match bytes[*i] {
            b' ' | b'\t' | b'\r' | b'\n' => *i += 1,
            b'#' if *i == 0 || bytes[*i - 1].is_ascii_whitespace() => {
                while *i < end && bytes[*i] != b'\n' {
                    *i += 1;
                }
            }
            _ => break,
        }
    }
}

/// A flow node at `*i`, read up to `end`.
fn flow(text: &str, i: &mut usize, end: usize, depth: usize) -> Node {
    let bytes = text.as_bytes();
    skip_space(bytes, i, end);
    if *i >= end {
        return Node::Scalar(empty());
    }
    let open = bytes[*i];
    if (open == b'{' || open == b'[') && depth < DEPTH {
        *i += 1;
        let mut entries = Vec::new();
        let mut items = Vec::new();
        loop {
            skip_space(bytes, i, end);
            if *i >= end {
                break;
            }
            let before = *i;
            match bytes[*i] {
                b'}' | b']' => {
                    *i += 1;
                    break;
                }
                b',' => {
                    *i += 1;
                    continue;
                }
                _ => {}
            }
            let first = flow(text, i, end, depth + 1);
            skip_space(bytes, i, end);
            let pair = *i < end && bytes[*i] == b':';
            if pair {
                *i += 1;
            }
            let value = if pair {
                flow(text, i, end, depth + 1)
            } else {
                Node::Scalar(empty())
            };
            let key = first.scalar().cloned();
            if open == b'{' {
                entries.push((key, if pair { value } else { Node::Scalar(empty()) }));
            } else if pair {
                items.push(Node::Map(vec![(key, value)]));
            } else {
                items.push(first);
            }
            if *i == before {
                *i += 1;
            }
        }
        return if open == b'{' {
            Node::Map(entries)
        } else {
            Node::Seq(items)
        };
    }
    if open == b'"' || open == b'\'' {
        let (s, stop, _) = quoted(text, *i, end);
        *i = stop;
        return Node::Scalar(s);
    }
    // A plain scalar: up to a flow indicator, `: ` or the end of the line.
    let at = *i;
    while *i < end {
        let c = bytes[*i];
        if matches!(c, b',' | b']' | b'}' | b'\n') {
            break;
        }
        if c == b':'
            && bytes
                .get(*i + 1)
                .is_none_or(|&n| n.is_ascii_whitespace() || b",]}".contains(&n))
        {
            break;
        }
        *i += 1;
    }
    let v = text[at..*i].trim_end();
    Node::Scalar(plain(v, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(node: &Node) -> Vec<String> {
        match node {
            Node::Map(e) => e
                .iter()
                .map(|(k, _)| k.as_ref().map_or(String::new(), |k| k.value.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn nesting_from_indentation() {
        let text = "a:\n  b: 1\n  c:\n  - x\n  - {k: 'v', l: [1, 2]}\n  d: \"q\"\ne: |\n  f: 2\ng:\n\t- h\n";
        let l = read(text);
        assert_eq!(l.keys, 6); // `f:` is in a block scalar
        assert!(!l.broken);
        assert_eq!(keys_of(&l.docs[0]), ["a", "e", "g"]);
        let Node::Map(e) = &l.docs[0] else { panic!() };
        assert_eq!(keys_of(&e[0].1), ["b", "c", "d"]);
        let Node::Map(inner) = &e[0].1 else { panic!() };
        let Node::Seq(items) = &inner[1].1 else {
            panic!("{inner:?}")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(keys_of(&items[1]), ["k", "l"]);
        let d = inner[2].1.scalar().unwrap();
        assert_eq!(&text[d.span()], "q");
    }

    proptest::proptest! {
        /// [`sound`] reads as [`read`] does, without building anything.
        #[test]
        fn sound_is_read_without_the_documents(
            tokens in proptest::collection::vec(proptest::sample::select(&[
                "a", ": ", ":", "\n", "  ", "\t", "- ", "-", "{", "}", "[", "]", ", ", "'", "''",
                "\"", "\\", "#", " #", "|", ">", "&x ", "*x", "!t ", "---", "...", "\r", "é",
                "?", "%", "@",
            ][..]), 0..60)
        ) {
            let text: String = tokens.concat();
            let r = read(&text);
            proptest::prop_assert_eq!(sound(&text), r.keys > 0 && !r.broken, "{:?}", text);
        }
    }

    #[test]
    fn unclosed_is_broken_and_linear() {
        let l = read("a: [\nb: 'x\n");
        assert!(l.broken);
        // Each unclosed quote searches the rest of the file at most once.
        let many = "a: 'x''\n".to_owned() + &"- 'b: \"c\n".repeat(50_000);
        let l = read(&many);
        assert!(l.broken);
        assert_eq!(l.keys, 1);
    }
}
