//! Redaction of anything that looks like a credential in text a registry
//! sent, before it goes into an error message or a log line.
//!
//! A server may echo the request's headers in its body, put a token in a
//! redirect's query string, or send one back in a JSON field; an error that
//! quotes it would print it in a CI log. [`redact`] replaces, with `***`:
//!
//! 1. every secret the client holds (passwords, Basic and Bearer values,
//!    identity tokens), wherever it appears;
//! 2. the value after a credential-like key (`Authorization:`,
//!    `"password": "…"`, `access_token=…`, `X-Amz-Signature=…`, a cookie),
//!    keeping a scheme word (`Basic`, `Bearer`) that starts the value;
//! 3. the word after `Basic ` or `Bearer ` anywhere;
//! 4. a JSON Web Token (`eyJ….….…`);
//! 5. any run of 32 or more token characters that mixes letters and digits
//!    and is not plain hex (digests stay readable).
//!
//! Over-redacting is harmless here; under-redacting is a leak, so the rules
//! are wide on purpose.

/// Key fragments whose value is a credential (matched without case, inside
/// a longer key too: `access_token`, `X-Registry-Auth`, `identitytoken`).
const KEYS: &[&str] = &[
    "authorization",
    "auth",
    "token",
    "password",
    "passwd",
    "secret",
    "cookie",
    "credential",
    "signature",
    "apikey",
    "api_key",
    "api-key",
    "session",
];

/// Scheme words that start an `Authorization` value.
const SCHEMES: &[&str] = &["basic", "bearer", "digest", "token", "negotiate"];

const MASK: &str = "***";

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'.' | b'~' | b'%')
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
}

/// `text` with every credential-like part replaced by `***`; `known` are
/// the exact secrets the caller holds (empty ones are ignored).
pub(crate) fn redact(text: &str, known: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in known {
        if secret.len() >= 3 && out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    let mut spans = Vec::new();
    key_values(&out, &mut spans);
    scheme_words(&out, &mut spans);
    opaque_runs(&out, &mut spans);
    apply(&out, spans)
}

/// Replaces the byte ranges (which may overlap) with the mask.
fn apply(text: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if end <= at {
            continue;
        }
        let start = start.max(at);
        out.push_str(&text[at..start]);
        if !out.ends_with(MASK) {
            out.push_str(MASK);
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The value after each credential-like key and its `:` or `=`.
fn key_values(text: &str, spans: &mut Vec<(usize, usize)>) {
    let lower = text.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !is_key_byte(b[i]) || (i > 0 && is_key_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        // A whole key: `[A-Za-z0-9_-]+`.
        let start = i;
        while i < b.len() && is_key_byte(b[i]) {
            i += 1;
        }
        let key = &lower[start..i];
        if !KEYS.iter().any(|k| key.contains(k)) {
            continue;
        }
        // Optional closing quote, spaces, then `:` or `=`.
        let mut j = i;
        if j < b.len() && matches!(b[j], b'"' | b'\'') {
            j += 1;
        }
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j >= b.len() || !matches!(b[j], b':' | b'=') {
            continue;
        }
        j += 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let (value_start, value_end) = value_at(b, j);
        if value_end > value_start {
            spans.push((value_start, value_end));
        }
        i = value_end.max(i);
    }
}

/// The span of a value starting at `j`: a quoted string, or up to a
/// delimiter; a scheme word at its start is kept, the word after it is not.
fn value_at(b: &[u8], mut j: usize) -> (usize, usize) {
    if j < b.len() && matches!(b[j], b'"' | b'\'') {
        let quote = b[j];
        j += 1;
        let start = j;
        while j < b.len() && b[j] != quote && b[j] != b'\n' {
            if b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        let end = j.min(b.len());
        return (skip_scheme(b, start, end), end);
    }
    let start = j;
    while j < b.len()
        && !matches!(
            b[j],
            b'\n' | b'\r' | b',' | b';' | b'&' | b'}' | b']' | b'"'
        )
    {
        j += 1;
    }
    (skip_scheme(b, start, j), j)
}

/// Past a leading `Basic `/`Bearer ` of a value, so the scheme stays shown.
fn skip_scheme(b: &[u8], start: usize, end: usize) -> usize {
    for s in SCHEMES {
        let n = s.len();
        if end > start + n && &b[start..start + n] == s.as_bytes() && b[start + n] == b' ' {
            return start + n + 1;
        }
    }
    start
}

/// The word after `Basic ` or `Bearer ` anywhere in the text.
fn scheme_words(text: &str, spans: &mut Vec<(usize, usize)>) {
    let lower = text.to_ascii_lowercase();
    let b = lower.as_bytes();
    for s in ["basic ", "bearer "] {
        let mut from = 0;
        while let Some(k) = lower[from..].find(s) {
            let start = from + k + s.len();
            let mut end = start;
            while end < b.len() && is_token_byte(b[end]) {
                end += 1;
            }
            if end - start >= 6 {
                spans.push((start, end));
            }
            from = start;
        }
    }
}

/// JSON Web Tokens and long opaque runs of token characters.
fn opaque_runs(text: &str, spans: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !is_token_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_token_byte(b[i]) {
            i += 1;
        }
        let run = &text[start..i];
        let jwt = run.starts_with("eyJ") && run.matches('.').count() >= 2;
        if jwt || looks_opaque(run) {
            spans.push((start, i));
        }
    }
}

/// 32+ bytes mixing letters and digits, not lowercase hex (a digest) and not a path or a name
/// made of short words (`docker.io/library/ubuntu`, `sha256:…` stay).
fn looks_opaque(run: &str) -> bool {
    // Split on separators that readable names use; a token's longest piece
    // is long.
    let longest = run
        .split(['/', '.', '-', '_', '%'])
        .map(str::len)
        .max()
        .unwrap_or(0);
    if longest < 32 {
        return false;
    }
    let piece = run
        .split(['/', '.', '-', '_', '%'])
        .find(|p| p.len() == longest)
        .unwrap_or(run);
    // Digests are lowercase hex; a token may use hex digits in both cases.
    let hex = piece
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
    let digit = piece.bytes().any(|c| c.is_ascii_digit());
    let alpha = piece.bytes().any(|c| c.is_ascii_alphabetic());
    !hex && digit && alpha
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn echoed_headers_are_redacted() {
        let body =
            "{\"headers\":{\"Authorization\":\"Basic YWxpY2U6czNjcjN0\",\"Accept\":\"*/*\"}}";
        let r = redact(body, &[]);
        assert!(!r.contains("YWxpY2U6czNjcjN0"), "{r}");
        assert!(r.contains("\"Authorization\":\"Basic ***\""), "{r}");
        assert!(r.contains("\"Accept\":\"*/*\""), "{r}");

        let raw = "GET /v2/ HTTP/1.1\r\nauthorization: Bearer abc.def.ghi-jkl\r\nhost: x\r\n";
        let r = redact(raw, &[]);
        assert!(!r.contains("abc.def"), "{r}");
        assert!(r.contains("host: x"), "{r}");
    }

    #[test]
    fn known_secrets_go_wherever_they_are() {
        let r = redact("you sent hunter2 as your password", &["hunter2"]);
        assert_eq!(r, "you sent *** as your password");
        // Too short to be a secret worth masking everywhere.
        assert_eq!(redact("a b", &["", "a"]), "a b");
    }

    #[test]
    fn keys_values_tokens_and_jwts() {
        for (text, gone) in [
            ("access_token=s3cr3tvalue&scope=x", "s3cr3tvalue"),
            ("{\"token\": \"tok-123\"}", "tok-123"),
            ("{\"refresh_token\":\"r1\"}", "r1"),
            (
                "X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIA/2024",
                "abcdef0123",
            ),
            ("Cookie: session=zzz", "zzz"),
            (
                "token was eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature",
                "eyJhbGci",
            ),
            (
                "opaque ghp_16C7e42F292c6912E7710c838347Ae178B4a here",
                "16C7e42F292c6912E7710c838347Ae178B4a",
            ),
        ] {
            let r = redact(text, &[]);
            assert!(!r.contains(gone), "{text} -> {r}");
            assert!(r.contains("***"), "{text} -> {r}");
        }
    }

    #[test]
    fn ordinary_errors_stay_readable() {
        for text in [
            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}",
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
            "manifest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef unknown",
            "docker.io/library/ubuntu:22.04 not found",
        ] {
            assert_eq!(redact(text, &[]), text);
        }
    }
}
