//! Image references in Dev Container definitions: `.devcontainer/devcontainer.json`,
//! `.devcontainer/<name>/devcontainer.json` and `.devcontainer.json`
//! (the Dev Containers specification, containers.dev).
//!
//! What counts as an image: the top-level `"image"` string, the image the
//! container runs. Nothing else in the file is read as one: `build.dockerfile`
//! and `dockerComposeFile` name files (the Dockerfile and the Compose file
//! are checked as such where they are), and the keys of `features` are OCI
//! artifacts that install tools, not images to run. An `"image"` nested
//! anywhere else (in `customizations`, in a feature's options) is not the
//! container's image either.
//!
//! The file is JSONC, JSON with comments: `//` and `/* */` comments and
//! trailing commas are allowed, as the Dev Containers tools read it. The
//! scanner here reads that grammar in one pass over the bytes, without
//! recursion (an explicit stack of open containers: deep nesting cannot
//! overflow the call stack) and without allocating unless the image value
//! holds escapes:
//!
//! ```text
//! file    ::= ws value ws EOF
//! value   ::= object | array | string | number | 'true' | 'false' | 'null'
//! object  ::= '{' ws ( member ( ws ',' ws member )* ( ws ',' )? )? ws '}'
//! member  ::= string ws ':' ws value
//! array   ::= '[' ws ( value ( ws ',' ws value )* ( ws ',' )? )? ws ']'
//! string  ::= '"' ( [^"\\ U+0000-U+001F] | '\' ["\\/bfnrt] | '\u' hex{4} )* '"'
//! number  ::= '-'? ( '0' | [1-9][0-9]* ) ( '.' [0-9]+ )? ( [eE] [+-]? [0-9]+ )?
//! ws      ::= ( ' ' | TAB | CR | LF | '//' [^CR LF]* | '/*' .* '*/' )*
//! ```
//!
//! What comes of it:
//!
//! - the value as written ([`Kind::Image`], with the exact bytes between its
//!   quotes as its span, so that `imagetag pin` rewrites its tag in place);
//! - a value written with JSON escapes (`"nvcr.io\/nvidia\/pytorch:24.01-py3"`):
//!   checked as it reads once decoded, never rewritten ([`Kind::Expanded`]);
//! - a value with a substitution (`${localEnv:IMAGE}`, `${containerEnv:...}`)
//!   or a placeholder in angle brackets: a note ([`Kind::Skipped`]);
//! - a top-level `"image"` that is not a string: a note;
//! - a file that is not valid JSONC (a merge conflict left in it, a missing
//!   comma): one note at the place the scanner stopped, and nothing read.
//!   Whether a devcontainer.json parses is not an image checker's business;
//!   an image that is not valid is, and is an error with its line and column.
//!
//! When the top level names `"image"` twice, the last one is the one the
//! tools use (as `JSON.parse` does), and the one reported.

use std::ops::Range;
use std::path::Path;

use super::{Found, Kind, Lines, SyntaxError};

/// Whether `path` names a Dev Container definition:
/// `.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`
/// or `.devcontainer.json`, with exactly these names (the tools look for no
/// other spelling).
pub(crate) fn is_devcontainer(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let dir_is = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .is_some_and(|n| n == ".devcontainer")
    };
    match name {
        ".devcontainer.json" => true,
        "devcontainer.json" => {
            let parent = path.parent();
            dir_is(parent) || dir_is(parent.and_then(Path::parent))
        }
        _ => false,
    }
}

/// The image of the Dev Container definition `text` (the contents of the
/// file `path`): at most one [`Found`].
pub fn find(path: &Path, text: &str) -> Vec<Found> {
    let mut lines = Lines::new(text);
    let mut at = |span: Range<usize>, text: String, kind: Kind| lines.found(path, span, text, kind);
    let value = match scan(text) {
        Ok(Some(v)) => v,
        Ok(None) => return Vec::new(),
        Err(e) => {
            let why = format!(
                "not valid JSON with comments ({}): nothing read",
                e.describe(text)
            );
            return vec![at(e.at..e.at, String::new(), Kind::Skipped(why))];
        }
    };
    let (span, escaped) = match value {
        Value::String { span, escaped } => (span, escaped),
        Value::Other { at: start, what } => {
            let why = format!("the top-level \"image\" is {what}, not a string: not checked");
            return vec![at(start..start, String::new(), Kind::Skipped(why))];
        }
    };
    let raw = &text[span.clone()];
    let value = if escaped { decode(raw) } else { raw.to_owned() };
    let kind = if value.contains("${") {
        // `${localEnv:NAME}`, `${localEnv:NAME:default}`, `${containerEnv:NAME}`:
        // filled in by the tool from the machine that opens the container.
        Kind::Skipped(format!("{value:?} uses variables"))
    } else if let Some(p) = super::placeholder(&value) {
        Kind::Skipped(format!("{value:?} is a placeholder ({p}) to fill in"))
    } else if escaped {
        // Checked as the tools read it; rewriting the escaped text in
        // place could not keep it byte for byte.
        Kind::Expanded
    } else {
        Kind::Image
    };
    vec![at(span, value, kind)]
}

/// The top-level `"image"` member's value, as [`scan`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    /// A string: the bytes between its quotes, and whether they hold an
    /// escape (`\`).
    String { span: Range<usize>, escaped: bool },
    /// Anything else: where it starts, and what it is in words.
    Other { at: usize, what: &'static str },
}

/// What the scanner waits for next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// A value.
    Value,
    /// A member's name, or the `}` that closes an object (after `{`, or a
    /// trailing `,`).
    Key,
    /// After a value: `,` or the end of the container it is in.
    Next,
}

/// Reads `text` as JSONC (see the module's grammar) in one pass, and gives
/// the value of the top-level object's `"image"` member, if it has one.
fn scan(text: &str) -> Result<Option<Value>, SyntaxError> {
    let b = text.as_bytes();
    let err = |at: usize, expected: &'static str| SyntaxError { at, expected };
    // The open containers, innermost last: `true` for an object.
    let mut open: Vec<bool> = Vec::new();
    let mut want = Want::Value;
    // Set by the top-level member `"image"`: its value comes next.
    let mut image_next = false;
    let mut image = None;
    let mut i = 0;
    loop {
        i = skip_blank(b, i)?;
        match want {
            Want::Value => {
                let top = std::mem::take(&mut image_next);
                let Some(&c) = b.get(i) else {
                    return Err(err(i, "a value"));
                };
                let start = i;
                let what = match c {
                    b'{' => {
                        open.push(true);
                        i += 1;
                        want = Want::Key;
                        if top {
                            image = Some(Value::Other {
                                at: start,
                                what: "an object",
                            });
                        }
                        continue;
                    }
                    b'[' => {
                        open.push(false);
                        i += 1;
                        want = Want::Value;
                        // An empty array, or a trailing comma: `]` may
                        // close it where a value could stand.
                        i = skip_blank(b, i)?;
                        if b.get(i) == Some(&b']') {
                            open.pop();
                            i += 1;
                            want = Want::Next;
                        }
                        if top {
                            image = Some(Value::Other {
                                at: start,
                                what: "an array",
                            });
                        }
                        if want == Want::Next && open.is_empty() {
                            return end(b, i, image);
                        }
                        continue;
                    }
                    b'"' => {
                        let (end, escaped) = string(b, i)?;
                        i = end;
                        if top {
                            image = Some(Value::String {
                                span: start + 1..end - 1,
                                escaped,
                            });
                        }
                        None
                    }
                    b't' => {
                        i = literal(b, i, b"true")?;
                        Some("true")
                    }
                    b'f' => {
                        i = literal(b, i, b"false")?;
                        Some("false")
                    }
                    b'n' => {
                        i = literal(b, i, b"null")?;
                        Some("null")
                    }
                    b'-' | b'0'..=b'9' => {
                        i = number(b, i)?;
                        Some("a number")
                    }
                    _ => return Err(err(i, "a value")),
                };
                if let (true, Some(what)) = (top, what) {
                    image = Some(Value::Other { at: start, what });
                }
                if open.is_empty() {
                    return end(b, i, image);
                }
                want = Want::Next;
            }
            Want::Key => match b.get(i) {
                Some(b'}') => {
                    // `{}`, or a trailing comma before `}`.
                    open.pop();
                    i += 1;
                    if open.is_empty() {
                        return end(b, i, image);
                    }
                    want = Want::Next;
                }
                Some(b'"') => {
                    let (end, escaped) = string(b, i)?;
                    if open.len() == 1 {
                        image_next = is_image_key(&text[i + 1..end - 1], escaped);
                    }
                    i = skip_blank(b, end)?;
                    if b.get(i) != Some(&b':') {
                        return Err(err(i, "':' after a member's name"));
                    }
                    i += 1;
                    want = Want::Value;
                }
                _ => return Err(err(i, "a member's name in quotes or '}'")),
            },
            Want::Next => {
                let object = open.last().copied().unwrap_or(false);
                let close = if object { b'}' } else { b']' };
                match b.get(i) {
                    Some(&b',') => {
                        i += 1;
                        if object {
                            want = Want::Key;
                        } else {
                            // A trailing comma: `]` may follow.
                            i = skip_blank(b, i)?;
                            if b.get(i) == Some(&b']') {
                                open.pop();
                                i += 1;
                                if open.is_empty() {
                                    return end(b, i, image);
                                }
                                want = Want::Next;
                            } else {
                                want = Want::Value;
                            }
                        }
                    }
                    Some(&c) if c == close => {
                        open.pop();
                        i += 1;
                        if open.is_empty() {
                            return end(b, i, image);
                        }
                    }
                    _ => {
                        return Err(err(
                            i,
                            if object {
                                "',' or '}' after a member"
                            } else {
                                "',' or ']' after a value"
                            },
                        ))
                    }
                }
            }
        }
    }
}

/// The end of the document at `i`: only blanks and comments may follow
/// the top-level value. What was found, for an object; nothing for any
/// other value (it has no members).
fn end(b: &[u8], i: usize, image: Option<Value>) -> Result<Option<Value>, SyntaxError> {
    let i = skip_blank(b, i)?;
    if i < b.len() {
        return Err(SyntaxError {
            at: i,
            expected: "the end of the file after the top-level value",
        });
    }
    Ok(image)
}

/// Whether a member's name (the bytes between its quotes, `escaped` when
/// they hold a `\`) reads `image`.
fn is_image_key(raw: &str, escaped: bool) -> bool {
    if escaped {
        // `"\u0069mage"` is `image` too; rare enough to decode.
        raw.len() <= 6 * 5 && decode(raw) == "image"
    } else {
        raw == "image"
    }
}

/// Skips blanks and comments from `i`: the byte after them.
fn skip_blank(b: &[u8], mut i: usize) -> Result<usize, SyntaxError> {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
            Some(b'/') => match b.get(i + 1) {
                Some(b'/') => {
                    i = b[i..]
                        .iter()
                        .position(|&c| c == b'\n' || c == b'\r')
                        .map_or(b.len(), |n| i + n);
                }
                Some(b'*') => {
                    let body = i + 2;
                    let close = b[body..].windows(2).position(|w| w == b"*/");
                    match close {
                        Some(n) => i = body + n + 2,
                        None => {
                            return Err(SyntaxError {
                                at: i,
                                expected: "'*/' to close the comment",
                            })
                        }
                    }
                }
                _ => {
                    return Err(SyntaxError {
                        at: i,
                        expected: "'//' or '/*' to start a comment",
                    })
                }
            },
            _ => return Ok(i),
        }
    }
}

/// The string that starts with the `"` at `i`: the byte after its closing
/// quote, and whether it holds an escape.
fn string(b: &[u8], i: usize) -> Result<(usize, bool), SyntaxError> {
    let err = |at: usize, expected: &'static str| SyntaxError { at, expected };
    let mut escaped = false;
    let mut j = i + 1;
    loop {
        match b.get(j) {
            None => return Err(err(j, "'\"' to close the string")),
            Some(b'"') => return Ok((j + 1, escaped)),
            Some(b'\\') => {
                escaped = true;
                match b.get(j + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                    Some(b'u') => {
                        for k in j + 2..j + 6 {
                            if !b.get(k).is_some_and(u8::is_ascii_hexdigit) {
                                return Err(err(k, "four hexadecimal digits after '\\u'"));
                            }
                        }
                        j += 6;
                    }
                    _ => {
                        return Err(err(
                            j + 1,
                            "an escape after '\\': one of \" \\ / b f n r t u",
                        ))
                    }
                }
            }
            Some(&c) if c < 0x20 => {
                return Err(err(j, "'\"' to close the string before the line ends"))
            }
            Some(_) => j += 1,
        }
    }
}

/// The literal `word` at `i`: the byte after it.
fn literal(b: &[u8], i: usize, word: &'static [u8]) -> Result<usize, SyntaxError> {
    if b[i..].starts_with(word) {
        Ok(i + word.len())
    } else {
        Err(SyntaxError {
            at: i,
            expected: "a value",
        })
    }
}

/// The number at `i`: the byte after it.
fn number(b: &[u8], mut i: usize) -> Result<usize, SyntaxError> {
    let digits = |b: &[u8], i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let err = |at: usize| SyntaxError {
        at,
        expected: "a digit",
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(b, i),
        _ => return Err(err(i)),
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(b, i + 1);
        if n == 0 {
            return Err(err(i + 1));
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(b, i);
        if n == 0 {
            return Err(err(i));
        }
        i += n;
    }
    Ok(i)
}

/// The text of a string's contents `raw` (checked by [`string`]) with its
/// escapes decoded. A `\u` escape of half a surrogate pair that has no
/// other half (JavaScript keeps it; Rust cannot) becomes U+FFFD.
fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(k) = rest.find('\\') {
        out.push_str(&rest[..k]);
        let esc = &rest[k + 1..];
        let (c, used) = match esc.as_bytes().first() {
            Some(b'b') => ('\u{8}', 1),
            Some(b'f') => ('\u{c}', 1),
            Some(b'n') => ('\n', 1),
            Some(b'r') => ('\r', 1),
            Some(b't') => ('\t', 1),
            Some(b'u') => {
                let hi = hex4(&esc[1..]);
                let lo = esc
                    .strip_prefix("u")
                    .and_then(|e| e.get(4..))
                    .and_then(|e| e.strip_prefix("\\u"))
                    .and_then(hex4);
                match (hi, lo) {
                    (Some(h @ 0xD800..=0xDBFF), Some(l @ 0xDC00..=0xDFFF)) => {
                        let c = 0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00);
                        (char::from_u32(c).unwrap_or('\u{fffd}'), 11)
                    }
                    (Some(h), _) => (char::from_u32(h).unwrap_or('\u{fffd}'), 5),
                    (None, _) => ('\u{fffd}', 1),
                }
            }
            Some(&c) => (char::from(c), 1),
            None => ('\\', 0),
        };
        out.push(c);
        rest = esc.get(used..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The number of the four hexadecimal digits that start `s`.
fn hex4(s: &str) -> Option<u32> {
    let h = s.get(..4)?;
    if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(text: &str) -> Result<Option<Value>, SyntaxError> {
        scan(text)
    }

    fn string_at(text: &str, needle: &str) -> Value {
        let start = text.find(needle).unwrap();
        Value::String {
            span: start..start + needle.len(),
            escaped: needle.contains('\\'),
        }
    }

    #[test]
    fn names() {
        for yes in [
            ".devcontainer/devcontainer.json",
            "repo/.devcontainer/devcontainer.json",
            "./.devcontainer/cuda/devcontainer.json",
            ".devcontainer.json",
            "sub/.devcontainer.json",
        ] {
            assert!(is_devcontainer(Path::new(yes)), "{yes}");
        }
        for no in [
            "devcontainer.json",
            "x/devcontainer.json",
            ".devcontainer/a/b/devcontainer.json",
            ".devcontainer/devcontainer.jsonc",
            ".devcontainer/Devcontainer.json",
            ".devcontainer/devcontainer-lock.json",
            "devcontainer.json.bak",
            ".devcontainer",
        ] {
            assert!(!is_devcontainer(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn top_level_image_only() {
        let t = "// c\n{\n  /* a */ \"name\": \"x\", // \"image\": \"no\"\n  \"features\": {\"ghcr.io/devcontainers/features/git:1\": {\"image\": \"not:this\"}},\n  \"customizations\": [{\"image\": \"nor:this\"}],\n  \"image\": \"ubuntu:22.04\", /* \"image\": \"x\" */\n}\n";
        assert_eq!(image(t), Ok(Some(string_at(t, "ubuntu:22.04"))));
        // Trailing commas in arrays and objects, nested.
        let t = "{\"a\": [1, [2, 3,], {\"b\": [],},], \"image\": \"a\\/b:1\",}";
        assert_eq!(image(t), Ok(Some(string_at(t, "a\\/b:1"))));
        // The last of two wins.
        let t = "{\"image\": \"a:1\", \"image\": \"b:2\"}";
        assert_eq!(image(t), Ok(Some(string_at(t, "b:2"))));
        // An escaped key.
        let t = "{\"\\u0069mage\": \"c:3\"}";
        assert_eq!(image(t), Ok(Some(string_at(t, "c:3"))));
        // Not a string.
        assert_eq!(
            image("{\"image\": null}"),
            Ok(Some(Value::Other {
                at: 10,
                what: "null"
            }))
        );
        assert_eq!(
            image("{\"image\": {\"a\": 1}}"),
            Ok(Some(Value::Other {
                at: 10,
                what: "an object"
            }))
        );
        assert_eq!(image("{\"image\": -1.5e+3}").map(|v| v.is_some()), Ok(true));
        for none in [
            "{}",
            "[]",
            "[\"image\", \"x\"]",
            "\"image\"",
            " 12 ",
            "{\"build\": {\"dockerfile\": \"Dockerfile\"}}",
        ] {
            assert_eq!(image(none), Ok(None), "{none}");
        }
    }

    #[test]
    fn syntax_errors() {
        for (text, at, expected) in [
            ("", 0, "expected a value, found the end of the file"),
            ("<<<<<<< HEAD\n{}", 0, "expected a value, found '<'"),
            (
                "{\"a\": 1 \"b\": 2}",
                8,
                "expected ',' or '}' after a member, found '\"'",
            ),
            (
                "{\"a\" 1}",
                5,
                "expected ':' after a member's name, found '1'",
            ),
            (
                "{,}",
                1,
                "expected a member's name in quotes or '}', found ','",
            ),
            (
                "{\"a\": 1,,}",
                8,
                "expected a member's name in quotes or '}', found ','",
            ),
            ("[1,,]", 3, "expected a value, found ','"),
            (
                "{} {}",
                3,
                "expected the end of the file after the top-level value, found '{'",
            ),
            (
                "{\"a\": 01}",
                7,
                "expected ',' or '}' after a member, found '1'",
            ),
            ("{\"a\": 1.}", 8, "expected a digit, found '}'"),
            ("{\"a\": tru}", 6, "expected a value, found 't'"),
            (
                "{\"a\": \"x\ny\"}",
                8,
                "expected '\"' to close the string before the line ends, found '\\n'",
            ),
            (
                "{\"a\": \"\\x\"}",
                8,
                "expected an escape after '\\': one of \" \\ / b f n r t u, found 'x'",
            ),
            (
                "{\"a\": \"\\u12g4\"}",
                11,
                "expected four hexadecimal digits after '\\u', found 'g'",
            ),
            (
                "{\"a\": \"x",
                8,
                "expected '\"' to close the string, found the end of the file",
            ),
            ("{/* x", 1, "expected '*/' to close the comment, found '/'"),
            (
                "{\"a\": 1} /",
                9,
                "expected '//' or '/*' to start a comment, found '/'",
            ),
            (
                "{\"a\": [1}",
                8,
                "expected ',' or ']' after a value, found '}'",
            ),
            (
                "{\"a\": 1",
                7,
                "expected ',' or '}' after a member, found the end of the file",
            ),
            ("{\"a\": 'x'}", 6, "expected a value, found '''"),
        ] {
            let e = image(text).unwrap_err();
            assert_eq!(
                (e.at, e.describe(text).as_str()),
                (at, expected),
                "{text:?}"
            );
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("a\\/b"), "a/b");
        assert_eq!(decode("\\\"q\\\\"), "\"q\\");
        assert_eq!(decode("\\u0041\\n\\t"), "A\n\t");
        assert_eq!(decode("\\ud83d\\ude00x"), "\u{1F600}x");
        assert_eq!(decode("\\ud83dx"), "\u{fffd}x");
        assert_eq!(decode("\\ude00"), "\u{fffd}");
        assert_eq!(decode("caf\u{e9}\\u00e9"), "caf\u{e9}\u{e9}");
    }

    /// Nesting a million deep costs memory for the stack of open
    /// containers, not the call stack.
    #[test]
    fn deep_nesting() {
        let n = 1_000_000;
        let t = format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(image(&t), Ok(None));
        let t = format!("{{\"a\": {}", "[".repeat(n));
        assert!(image(&t).is_err());
    }
}
