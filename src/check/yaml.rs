//! Image references in YAML: Kubernetes manifests, Helm charts (values and
//! templates), Compose files, kustomizations, VESSL run files, CI
//! workflows. What counts as an image: a scalar under a key named `image`
//! at any depth of every document, Helm's maps of parts, GitHub Actions'
//! `container:` and `docker://` steps, GitLab CI services, kustomize
//! `images:`, and YAML inside literal block scalars.
//!
//! Read with `saphyr-parser`'s event parser, which gives each scalar's span
//! in characters; the finder turns it into bytes of the file. A value that
//! is an alias (`image: *base`) is reported once, where its anchor defines
//! it. A value written with escapes or folded across lines is checked but
//! never rewritten ([`Kind::Expanded`]).
//!
//! A file the parser rejects is read again:
//!
//! 1. with its Go or Jinja template actions (`{{ ... }}`, `{% ... %}`)
//!    blanked out, byte for byte (a line that holds only actions becomes a
//!    comment): a Helm template is YAML around them. Values are then taken
//!    from the file as written, so an `image:` holding a template is a
//!    variable ([`Kind::Skipped`]), and a literal one is found at its place;
//! 2. failing that, line by line, with one note saying so:
//!    kubectl, Helm and GitHub read files that a strict parser rejects.
//!
//! Only a file that no reader makes sense of (no `key:` line at all, or a
//! quoted value or flow collection that never closes) is a
//! [`Kind::Broken`] error, at the position of the parser's error.
//!
//! A file that is not YAML is an error wherever it is, one without an
//! image too. But most YAML files of a large tree are settings, and the
//! parser is most of the cost of `check` (on 3 000 settings files,
//! `saphyr-parser`'s events alone were 85 % of this module's time). So one
//! pass over the bytes first looks for the words every rule of the finder
//! needs (`images::WORDS`); a file with none of them, that the line
//! reader makes sense of (`lenient::sound`: a `key:` line, nothing
//! left open, no control character), holds no image and is not broken:
//! it is not parsed. Any other file takes the whole path above, so a
//! broken file is the same error at the same place. A file the scan
//! spares gets no "not strict YAML" note either: there is no image whose
//! reading the note would qualify.

mod images;
mod lenient;
mod tree;

use std::path::Path;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use super::{Found, Kind, Lines};
use tree::{Builder, Node, Scalar};

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
    if !images::may_hold_images(path, text) && makes_sense(text) {
        // The pre-scan's promise, checked on every file a debug build
        // reads (the whole test suite): the full path finds nothing but
        // the "not strict YAML" note.
        debug_assert!(
            find_at(path, text, 0)
                .iter()
                .all(|f| matches!(f.kind, Kind::Skipped(_)) && f.text.is_empty()),
            "the pre-scan skipped {} but the finder reads {:?}",
            path.display(),
            find_at(path, text, 0)
        );
        return Vec::new();
    }
    let mut out = find_at(path, text, 0);
    out.sort_by_key(|f| f.span.start);
    let mut lines = Lines::new(text);
    for f in &mut out {
        (f.line, f.column) = lines.line_col(f.span.start);
    }
    out
}

/// The references in `text`, a literal block scalar's value at nesting
/// `nesting`: only when it parses (as is, or with templates blanked out).
fn find_nested(path: &Path, text: &str, nesting: usize) -> Vec<Found> {
    find_at(path, text, nesting)
}

/// The references in `text`, spans into it, lines and columns not yet
/// filled in.
fn find_at(path: &Path, text: &str, nesting: usize) -> Vec<Found> {
    let mut error = match strict(text) {
        Ok(docs) => return images::Finder::new(path, text, &docs, nesting).out,
        Err(e) => e,
    };
    let masked = mask(text);
    if let Some(m) = &masked {
        match strict(m) {
            Ok(mut docs) => {
                restore(&mut docs, text);
                return images::Finder::new(path, text, &docs, nesting).out;
            }
            Err(e) => error = e,
        }
    }
    if nesting > 0 {
        return Vec::new(); // a block scalar's value is read only when it parses
    }
    let read = lenient::read(masked.as_deref().unwrap_or(text));
    let mut docs = read.docs;
    if masked.is_some() {
        restore(&mut docs, text);
    }
    let mut out = images::Finder::new(path, text, &docs, nesting).out;
    if read.keys == 0 || read.broken || has_control(text) {
        out.push(broken(path, &error));
        return out;
    }
    let at = error.at;
    let (kind, note) = {
        let what = if masked.is_some() {
            "a template that is YAML only once rendered"
        } else {
            "not strict YAML"
        };
        let why = format!(
            "{what} ({} at line {} column {}): read line by line, as kubectl and CI runners read it",
            error.info, error.line, error.column
        );
        (Kind::Skipped(why), String::new())
    };
    out.push(Found {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        span: at..at,
        text: note,
        kind,
        tag_span: None,
        output: false,
    });
    out
}

/// Whether the line reader makes sense of `text` (templates blanked out,
/// as [`find_at`] reads it) and it has no control character: then no path
/// of [`find_at`] reports it broken.
fn makes_sense(text: &str) -> bool {
    let masked = mask(text);
    lenient::sound(masked.as_deref().unwrap_or(text)) && !has_control(text)
}

/// Whether `text` has a control character, which is not YAML for any
/// reader: C0 but tab, line feed and carriage return, DEL, C1 but NEL.
/// Byte by byte (C1 is `C2 80..=9F` in UTF-8), as fast as a scan for one
/// byte.
fn has_control(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F | 0x7F => true,
        0xC2 => b
            .get(i + 1)
            .is_some_and(|&n| (0x80..=0x9F).contains(&n) && n != 0x85),
        _ => false,
    })
}

/// A [`Kind::Broken`] for `error`.
fn broken(path: &Path, error: &Error) -> Found {
    Found {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        span: error.at..error.at,
        text: String::new(),
        kind: Kind::Broken(format!("invalid YAML: {}", error.info)),
        tag_span: None,
        output: false,
    }
}

/// Where and why the strict parser stopped.
struct Error {
    at: usize,
    line: usize,
    column: usize,
    info: String,
}

/// The documents of `text` as the strict parser reads them.
fn strict(text: &str) -> Result<Vec<Node>, Error> {
    let mut bytes = Bytes::new(text);
    let mut b = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                let m = e.marker();
                return Err(Error {
                    at: bytes.at(m),
                    line: m.line(),
                    column: m.col() + 1,
                    info: e.info().to_owned(),
                });
            }
        };
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentStart(_) => {}
            Event::DocumentEnd => b.finish(),
            Event::MappingStart(..) => b.start_map(),
            Event::SequenceStart(..) => b.start_seq(),
            Event::MappingEnd | Event::SequenceEnd => b.end(),
            Event::Alias(id) => b.node(Node::Alias(id)),
            Event::Scalar(value, style, anchor, _) => b.node(Node::Scalar(scalar(
                &mut bytes, &value, style, anchor, span,
            ))),
        }
    }
    b.finish();
    Ok(b.docs)
}

/// The [`Scalar`] for a `value` written at `span`.
fn scalar(
    bytes: &mut Bytes<'_>,
    value: &str,
    style: ScalarStyle,
    anchor: usize,
    span: Span,
) -> Scalar {
    let (from, to) = (bytes.at(&span.start), bytes.at(&span.end));
    let raw = bytes.text.get(from..to).unwrap_or("");
    // The span starts at an anchor or a tag when there is one (`&img x`),
    // and takes in the quotes: the value is at its end.
    let quote = match style {
        ScalarStyle::SingleQuoted => Some('\''),
        ScalarStyle::DoubleQuoted => Some('"'),
        _ => None,
    };
    // Escapes, folding or a block scalar: the bytes are not the value.
    let exact = match quote {
        // A quoted scalar's span may run on past its closing quote (over a
        // comment): the value is exact when the first quote opens it whole.
        Some(q) if !value.contains(q) => raw.find(q).and_then(|o| {
            raw[o + 1..]
                .strip_prefix(value)
                .filter(|rest| rest.starts_with(q))
                .map(|_| from + o + 1)
        }),
        Some(_) => None,
        None => raw
            .strip_suffix(value)
            .filter(|_| {
                !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) || value.is_empty()
            })
            .map(|before| from + before.len()),
    };
    // A block scalar's span starts at its value: take in its header.
    let from = match style {
        ScalarStyle::Literal | ScalarStyle::Folded => bytes.text[..from]
            .rfind(['|', '>'])
            .filter(|&h| {
                !bytes.text[h..from]
                    .contains(|c: char| !c.is_whitespace() && !"|>+-0123456789".contains(c))
            })
            .unwrap_or(from),
        _ => from,
    };
    Scalar {
        value: value.to_owned(),
        exact,
        raw: from..to,
        plain: style == ScalarStyle::Plain,
        literal: style == ScalarStyle::Literal,
        anchor,
    }
}

/// `text` with its template actions (`{{ ... }}`, `{% ... %}`, `{# ... #}`)
/// blanked out byte for byte: a line that holds nothing but actions becomes
/// a comment, an action among other text becomes `x`s (a plain scalar where
/// YAML expects a value). `None` when `text` has no action.
fn mask(text: &str) -> Option<String> {
    if !text.contains("{{") && !text.contains("{%") {
        return None;
    }
    const ACTION: u8 = 0;
    let mut b = text.as_bytes().to_vec();
    let mut i = 0;
    let mut any = false;
    while i + 1 < b.len() {
        let close: &[u8] = match (b[i], b[i + 1]) {
            // GitHub's `${{ ... }}` is a plain scalar, not a template.
            (b'{', b'{') if i > 0 && b[i - 1] == b'$' => {
                i += 2;
                continue;
            }
            (b'{', b'{') => b"}}",
            (b'{', b'%') => b"%}",
            (b'{', b'#') => b"#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(end) = b[i + 2..].windows(2).position(|w| w == close) else {
            break; // never closed: nothing after it is an action either
        };
        let end = i + 2 + end + 2;
        for c in &mut b[i..end] {
            if *c != b'\n' {
                *c = ACTION;
            }
        }
        any = true;
        i = end;
    }
    if !any {
        return None;
    }
    for line in b.split_mut(|&c| c == b'\n') {
        let only =
            line.contains(&ACTION) && line.iter().all(|&c| c == ACTION || c.is_ascii_whitespace());
        // A line of actions becomes a comment at the action's column (in a
        // block scalar, a line of text at its indentation).
        let mut first = only;
        for c in line {
            if *c == ACTION {
                *c = if first {
                    b'#'
                } else if only {
                    b' '
                } else {
                    b'x'
                };
                first = false;
            }
        }
    }
    // Only whole UTF-8 sequences were replaced, by ASCII: still UTF-8.
    String::from_utf8(b).ok()
}

/// Values read from a masked text, taken back from the file as written.
fn restore(docs: &mut [Node], text: &str) {
    let mut stack: Vec<&mut Node> = docs.iter_mut().collect();
    while let Some(n) = stack.pop() {
        match n {
            Node::Scalar(s) => restore_scalar(s, text),
            Node::Map(e) => {
                for (k, v) in e.iter_mut() {
                    if let Some(k) = k {
                        restore_scalar(k, text);
                    }
                    stack.push(v);
                }
            }
            Node::Seq(items) => stack.extend(items.iter_mut()),
            Node::Alias(_) => {}
        }
    }
}

fn restore_scalar(s: &mut Scalar, text: &str) {
    if let Some(at) = s.exact {
        if let Some(v) = text.get(at..at + s.value.len()) {
            if v != s.value {
                s.value = v.to_owned();
            }
        }
    } else if let Some(raw) = text.get(s.raw.clone()) {
        if raw.contains("{{") || raw.contains("{%") {
            s.value = raw.trim().to_owned();
            s.literal = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(usize, usize, String, Kind)> {
        crate::check::positions(find(Path::new("x.yaml"), text), text)
    }

    /// A quoted value with a comment after it is still written exactly at
    /// its place, so `pin` can rewrite it (saphyr's span runs on over the
    /// comment).
    #[test]
    fn quoted_values_before_a_comment_are_exact() {
        let text = "a:\n  image: \"quay.io/vessl-ai/python:3.10\"   # c\n  b:\n    image: 'nginx:1.2' # 'd'\n\
                    c: \"x\\u0041:1\" # escaped: not exact\nimage: \"esc\\u0061ped:1\" # e\n";
        let found = find(Path::new("x.yaml"), text);
        assert_eq!(found.len(), 3, "{found:?}");
        for f in &found[..2] {
            assert_eq!(f.kind, Kind::Image, "{f:?}");
            assert_eq!(&text[f.span.clone()], f.text);
        }
        assert_eq!((found[0].line, found[0].column), (2, 11));
        assert_eq!((found[1].line, found[1].column), (4, 13));
        assert_eq!(
            found[2].kind,
            Kind::Expanded,
            "escapes: the bytes are not the value"
        );
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
                (
                    14,
                    17,
                    "no".to_owned(),
                    Kind::Skipped(
                        "\"no\" has no tag here: the chart's default tag (its appVersion) applies"
                            .to_owned()
                    )
                ),
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

    /// Text made of YAML's and templates' tokens in random order, with
    /// multi-byte characters: never a panic, every position right, and a
    /// span of an exact reference holds its text.
    #[test]
    fn token_soup() {
        const TOKENS: [&str; 32] = [
            "image",
            ": ",
            ":",
            "\n",
            "  ",
            "\t",
            "- ",
            "{",
            "}",
            "[",
            "]",
            ", ",
            "'",
            "\"",
            "\\",
            "{{ .Values.x }}",
            "{{-",
            "}}",
            "{%",
            "#",
            "é",
            "\u{1F600}",
            "|",
            ">",
            "&a ",
            "*a",
            "repository",
            "tag",
            "nginx:1.2",
            "${V:-x}",
            "$$",
            "docker://",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 40) as usize % 90 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(TOKENS[(seed >> 33) as usize % TOKENS.len()]);
            }
            let found = find(Path::new("x.yaml"), &text);
            crate::check::assert_positions(&found, &text);
            // The same soup without the words: the pre-scan skips the
            // parser, and `find` checks (debug assertion) that the full
            // path would have found nothing either.
            let bare = images::WORDS
                .iter()
                .fold(text.clone(), |t, w| t.replace(w, "x"));
            let _ = find(Path::new("x.yaml"), &bare);
            for f in &found {
                if f.kind == Kind::Image {
                    assert_eq!(text[f.span.clone()], f.text, "{text:?}");
                }
                if let Some(t) = &f.tag_span {
                    assert!(text.get(t.clone()).is_some(), "{text:?}");
                }
            }
        }
    }

    /// Each rule's way to an image gets past the pre-scan: every file holds
    /// one, and only the words of [`images::WORDS`] (or the file's name)
    /// say so.
    #[test]
    fn every_rule_has_its_word() {
        let cases: &[(&str, &str, &str)] = &[
            ("x.yaml", "spec:\n  image: nginx:1.27\n", "nginx:1.27"),
            ("x.yaml", "IMAGE: nginx:1.27\n", "nginx:1.27"),
            ("x.yaml", "initImage: busybox:1.36\n", "busybox:1.36"),
            ("x.yaml", "\"\\x69mage\": nginx:1.27\n", "nginx:1.27"),
            // Helm values: `repository` and `tag`.
            (
                "values.yaml",
                "exporter:\n  repository: bitnami/exporter\n  tag: 1.2.3\n",
                "bitnami/exporter",
            ),
            (
                "kustomization.yaml",
                "images:\n  - name: redis\n    newTag: 7.2.4\n",
                "redis",
            ),
            // GitHub Actions: a job's container, a matrix, a docker step.
            ("ci.yml", "jobs:\n  t:\n    container: node:20\n", "node:20"),
            (
                "ci.yml",
                "jobs:\n  t:\n    strategy:\n      matrix:\n        container: [node:20]\n",
                "node:20",
            ),
            (
                "ci.yml",
                "jobs:\n  t:\n    steps:\n      - uses: docker://alpine:3.20\n",
                "alpine:3.20",
            ),
            ("x.yaml", "env:\n  BASE_DOCKER: ubuntu:18.04\n", "ubuntu:18.04"),
            ("sky.yaml", "resources:\n  image_id: docker:vllm/vllm:v1\n", "vllm/vllm:v1"),
            // GitLab CI services: in an included file by the key, in
            // `.gitlab-ci.yml` by the file's name.
            ("ci/jobs.yml", "t:\n  services:\n    - postgres:16\n", "postgres:16"),
            (".gitlab-ci.yml", "t:\n  services: [postgres:16]\n", "postgres:16"),
            (
                "cloudbuild.yaml",
                "steps:\n- name: gcr.io/cloud-builders/go:1.22\n",
                "gcr.io/cloud-builders/go:1.22",
            ),
            (
                "pipeline.yml",
                "resources:\n- name: b\n  type: registry-image\n  source:\n    repository: python\n",
                "python",
            ),
            (
                "provider.yaml",
                "apiVersion: pkg.crossplane.io/v1\nspec:\n  package: xpkg.upbound.io/p/aws:v1.0.0\n",
                "xpkg.upbound.io/p/aws:v1.0.0",
            ),
            (
                "run.yaml",
                "spec:\n  taskRef:\n    resolver: bundles\n    params:\n      - name: bundle\n        value: ghcr.io/t/git:0.9\n",
                "ghcr.io/t/git:0.9",
            ),
            (
                "run.yaml",
                "spec:\n  taskRef:\n    bundle: ghcr.io/t/git:0.9\n",
                "ghcr.io/t/git:0.9",
            ),
            // A parameter's default, Compose's build cache.
            (
                "task.yaml",
                "params:\n  - name: builderImage\n    default: gcr.io/kaniko/executor:v1.5.1\n",
                "gcr.io/kaniko/executor:v1.5.1",
            ),
            (
                "build.yml",
                "x-build:\n  cache_from:\n    - org/app-cache:1.2\n",
                "org/app-cache:1.2",
            ),
            // JSON settings in a block scalar, under an image-like key.
            (
                "cm.yaml",
                "data:\n  settings.json: |\n    {\"workerImage\": \"ray:2.9\"}\n",
                "ray:2.9",
            ),
        ];
        for (name, text, image) in cases {
            let path = Path::new(name);
            assert!(images::may_hold_images(path, text), "{name}: {text}");
            let found = find(path, text);
            assert!(
                found.iter().any(|f| f.text.starts_with(image)),
                "{name}: {text}\n{found:?}"
            );
        }
        // The words alone do not let a file through: settings are skipped.
        let settings = "retries: 3\nlabels: [a, b]\nowner: \"team\"\n";
        assert!(!images::may_hold_images(Path::new("x.yaml"), settings));
        assert!(find(Path::new("x.yaml"), settings).is_empty());
    }

    /// A file the pre-scan spares the parser is still an error when no
    /// reader makes sense of it, at the same place as without the scan.
    #[test]
    fn broken_without_an_image_word_is_still_broken() {
        for text in [
            "@ not YAML, no key either\n",
            "a: 1\nb: [1, 2\n",
            "a: 'never closed\n",
            // Not strict YAML (the indentation), and a control character.
            "a: 1\n b: \u{1}\n",
            "a: 1\n b: \u{9f}\n",
        ] {
            assert!(!images::may_hold_images(Path::new("x.yaml"), text));
            let got = texts(text);
            assert!(
                matches!(got.last(), Some((_, _, _, Kind::Broken(m))) if m.starts_with("invalid YAML: ")),
                "{text:?}: {got:?}"
            );
        }
        // NEL is a line break in YAML, not a control character here.
        assert!(!has_control("a: 1\u{85}"));
        assert!(has_control("a: \u{7f}"));
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
