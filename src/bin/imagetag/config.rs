//! `.imagetag.toml`: a repository's policy for `imagetag check`, so that
//! CI scripts need not repeat it.
//!
//! ```toml
//! deny-alias = true
//! require-digest = false
//! allowed-registries = ["nvcr.io", "quay.io/vessl-ai", "docker.io/library"]
//! skip = ["vendor/", "*.generated.yaml"]
//! moving-tags = ["prod", "canary"]
//!
//! [[exceptions]]
//! paths = ["examples/"]
//! deny-alias = false
//!
//! [[scheme]]
//! prefix = "harbor.example.com/ai/"
//! scheme = "vessl"
//! ```
//!
//! `moving-tags` are the team's own words for tags that move like `latest`
//! (the generic scheme knows `latest`, `stable`, `edge`, `nightly` and a few
//! more): `deny-alias` treats `app:prod` and `app:prod-slim` as aliases, but
//! not the builds `app:prod-20241028` or `app:prod-1a2b3c4`
//! (`require-digest` already asks every such name for a digest). A
//! `[[scheme]]` rule reads every name under its registry host or host/path
//! prefix (a mirror) with its scheme, strictly, as `--scheme` does for one
//! run; the longest matching prefix wins, and `--scheme` wins over all.
//!
//! The file is found from the working directory upward (`--config FILE`
//! names one, `--no-config` reads none). Paths (`skip`, `exceptions.paths`)
//! are gitignore patterns relative to the file's directory. For a file, the
//! top-level settings apply, then each exception whose paths match it, in
//! order (a later one wins). Flags override the file: `--deny-alias` and
//! `--require-digest` turn their check on everywhere.
//!
//! Anything the reader does not know is an error, naming the key, its line
//! and column and what is accepted: a typo must not silently turn a check
//! off.

use std::ops::Range;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use imagetag::check::{Finding, Found, Kind, Rule};
use imagetag::{Reference, Scheme};
use toml_edit::{ArrayOfTables, Item, Table, Value};

/// The name of the file.
pub const FILE: &str = ".imagetag.toml";

/// The top-level keys.
const KEYS: &[&str] = &[
    "deny-alias",
    "require-digest",
    "allowed-registries",
    "skip",
    "moving-tags",
    "exceptions",
    "scheme",
];

/// The keys of a `[[scheme]]` rule.
const SCHEME_KEYS: &[&str] = &["prefix", "scheme"];

/// The schemes a `[[scheme]]` rule may name.
const SCHEMES: &[&str] = &["twcc", "ngc", "vessl", "generic"];

/// A `[[scheme]]` rule: the names under `prefix` (a registry host, or
/// host/path, without a final `/`) are read with `scheme`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemeRule {
    prefix: String,
    scheme: Scheme,
}

/// The scheme of the longest rule in `rules` whose prefix holds
/// `domain/path` (a later rule wins a tie).
pub fn scheme_of(rules: &[SchemeRule], domain: &str, path: &str) -> Option<Scheme> {
    rules
        .iter()
        .filter(|r| allowed_by(std::slice::from_ref(&r.prefix), domain, path))
        .max_by_key(|r| r.prefix.len())
        .map(|r| r.scheme)
}

/// The scheme the rules give the repository `repository`, written
/// canonically (`harbor.example.com/ai/torch`).
pub fn scheme_of_repository(rules: &[SchemeRule], repository: &str) -> Option<Scheme> {
    let (domain, path) = repository.split_once('/')?;
    scheme_of(rules, domain, path)
}

/// The keys of an `[[exceptions]]` entry.
const EXCEPTION_KEYS: &[&str] = &[
    "paths",
    "deny-alias",
    "require-digest",
    "allowed-registries",
];

/// What the file says for some files; `None` where it says nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub deny_alias: Option<bool>,
    pub require_digest: Option<bool>,
    /// Registry hosts, or host/path prefixes (`quay.io/vessl-ai`).
    pub allowed_registries: Option<Vec<String>>,
}

impl Settings {
    /// `over` laid on `self`: what `over` says wins.
    fn and(&self, over: &Settings) -> Settings {
        Settings {
            deny_alias: over.deny_alias.or(self.deny_alias),
            require_digest: over.require_digest.or(self.require_digest),
            allowed_registries: over
                .allowed_registries
                .clone()
                .or_else(|| self.allowed_registries.clone()),
        }
    }
}

/// A read `.imagetag.toml`.
/// `--config FILE` and `--no-config`, for the commands that read the
/// policy file.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// The policy file (default: `.imagetag.toml` in the working directory
    /// or the nearest directory above it). Flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read no policy file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The policy file these flags ask for, if any. What is wrong with it
    /// is printed on stderr, prefixed with the command, and the answer is
    /// then the usage error's exit code (2).
    pub fn load(&self, command: &str) -> Result<Option<Config>, std::process::ExitCode> {
        from_args(self.config.as_deref(), self.no_config).map_err(|e| {
            eprintln!("imagetag {command}: {e}");
            std::process::ExitCode::from(2)
        })
    }
}

#[derive(Debug)]
pub struct Config {
    /// The directory the patterns are relative to.
    root: PathBuf,
    /// The working directory, that the paths of files are relative to.
    cwd: PathBuf,
    base: Settings,
    skip: Gitignore,
    exceptions: Vec<(Gitignore, Settings)>,
    /// `moving-tags`.
    moving: Vec<String>,
    /// `[[scheme]]`.
    schemes: Vec<SchemeRule>,
}

/// The `.imagetag.toml` in `dir` or the nearest directory above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE)).find(|p| p.is_file())
}

/// The config a command uses: `path` when given (`--config`), none with
/// `none` (`--no-config`), else the `.imagetag.toml` found from the
/// working directory upward, if any.
pub fn from_args(path: Option<&Path>, none: bool) -> Result<Option<Config>, String> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None if none => return Ok(None),
        None => {
            let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
            match find(&cwd) {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    load(&path).map(Some)
}

/// Reads the config file `path` (at most 1 MiB); an error says where and
/// what is wrong, prefixed with the file's name.
pub fn load(path: &Path) -> Result<Config, String> {
    let (bytes, _) = crate::files::read_bytes(path, 1 << 20)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text: invalid byte at offset {}",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let root = crate::sarif::absolute(path.parent().unwrap_or(Path::new(".")), &cwd);
    parse(&text, root, cwd).map_err(|e| format!("{}:{e}", path.display()))
}

/// `line:column: message` of an error at byte `at` of `text`.
fn at(text: &str, span: Option<Range<usize>>, message: String) -> String {
    let at = span.map_or(0, |s| s.start).min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    format!("{line}:{column}: {message}")
}

/// A list of accepted keys for a message: `a`, `b` or `c`.
fn one_of(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// What kind of TOML value `item` is, for a message.
fn kind(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_)) => "an integer",
        Item::Value(Value::Float(_)) => "a float",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date-time",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

/// Reads the text of a config file whose directory is `root`, for a
/// command run in `cwd`.
pub fn parse(text: &str, root: PathBuf, cwd: PathBuf) -> Result<Config, String> {
    let doc = toml_edit::Document::parse(text).map_err(|e| {
        let message = e.message().to_owned();
        at(text, e.span(), format!("invalid TOML: {message}"))
    })?;
    let table = doc.as_table();
    check_keys(text, table, KEYS, "")?;
    let base = settings(text, table, "")?;
    let skip = match table.get("skip") {
        Some(item) => patterns(text, &root, item, "skip")?,
        None => Gitignore::empty(),
    };
    let mut exceptions = Vec::new();
    if let Some(item) = table.get("exceptions") {
        let entries = array_of_tables(text, table, item, "exceptions", "`paths`")?;
        for entry in entries.iter() {
            check_keys(text, entry, EXCEPTION_KEYS, "exceptions.")?;
            let paths = entry.get("paths").ok_or_else(|| {
                at(
                    text,
                    entry.span(),
                    "an [[exceptions]] entry needs `paths`, the files it applies to".to_owned(),
                )
            })?;
            let matcher = patterns(text, &root, paths, "exceptions.paths")?;
            exceptions.push((matcher, settings(text, entry, "exceptions.")?));
        }
    }
    let moving = match table.get("moving-tags") {
        None => Vec::new(),
        Some(item) => {
            let list = strings(text, item, "moving-tags", "[\"prod\", \"canary\"]")?;
            for (word, span) in &list {
                if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(at(
                        text,
                        Some(span.clone()),
                        format!(
                            "`moving-tags`: {word:?} is not a word of letters and digits such as \"prod\""
                        ),
                    ));
                }
            }
            list.into_iter().map(|(w, _)| w).collect()
        }
    };
    let schemes = match table.get("scheme") {
        None => Vec::new(),
        Some(item) => scheme_rules(text, table, item)?,
    };
    Ok(Config {
        root,
        cwd,
        base,
        skip,
        exceptions,
        moving,
        schemes,
    })
}

/// `item`, the value of `key` in `table`, as an array of tables
/// (`[[key]]` entries, each `with` the keys it names), else the error.
fn array_of_tables<'i>(
    text: &str,
    table: &Table,
    item: &'i Item,
    key: &str,
    with: &str,
) -> Result<&'i ArrayOfTables, String> {
    match item {
        Item::ArrayOfTables(entries) => Ok(entries),
        _ => Err(at(
            text,
            item.span().or_else(|| key_span(table, key)),
            format!(
                "`{key}` must be an array of tables ([[{key}]] with {with}), found {}",
                kind(item)
            ),
        )),
    }
}

/// The `[[scheme]]` rules.
fn scheme_rules(text: &str, table: &Table, item: &Item) -> Result<Vec<SchemeRule>, String> {
    let entries = array_of_tables(text, table, item, "scheme", "`prefix` and `scheme`")?;
    let mut rules = Vec::new();
    for entry in entries.iter() {
        check_keys(text, entry, SCHEME_KEYS, "scheme.")?;
        let string = |key: &str, what: &str| -> Result<(String, Range<usize>), String> {
            match entry.get(key) {
                Some(Item::Value(Value::String(s))) => {
                    Ok((s.value().clone(), s.span().unwrap_or(0..0)))
                }
                Some(other) => Err(at(
                    text,
                    other.span().or_else(|| key_span(entry, key)),
                    format!(
                        "`scheme.{key}` must be a string, {what}, found {}",
                        kind(other)
                    ),
                )),
                None => Err(at(
                    text,
                    entry.span(),
                    format!("a [[scheme]] rule needs `{key}`, {what}"),
                )),
            }
        };
        let (prefix, prefix_span) = string(
            "prefix",
            "a registry host or host/path prefix such as \"harbor.example.com/ai/\"",
        )?;
        let (name, name_span) = string("scheme", &format!("one of {}", one_of(SCHEMES)))?;
        let trimmed = prefix.strip_suffix('/').unwrap_or(&prefix);
        if !registry_prefix(trimmed) {
            return Err(at(
                text,
                Some(prefix_span),
                format!(
                    "`scheme.prefix`: {prefix:?} is not a registry host or host/path prefix such as \"harbor.example.com/ai/\""
                ),
            ));
        }
        let scheme = name
            .parse::<Scheme>()
            .ok()
            .filter(|_| SCHEMES.contains(&name.as_str()));
        let Some(scheme) = scheme else {
            return Err(at(
                text,
                Some(name_span),
                format!(
                    "`scheme.scheme`: {name:?} is not a scheme: expected {}",
                    one_of(SCHEMES)
                ),
            ));
        };
        rules.push(SchemeRule {
            prefix: trimmed.to_owned(),
            scheme,
        });
    }
    Ok(rules)
}

fn key_span(table: &Table, key: &str) -> Option<Range<usize>> {
    table.key(key).and_then(|k| k.span())
}

/// An error for the first key of `table` not in `keys`.
fn check_keys(text: &str, table: &Table, keys: &[&str], prefix: &str) -> Result<(), String> {
    for (key, _) in table.iter() {
        if !keys.contains(&key) {
            return Err(at(
                text,
                key_span(table, key),
                format!("unknown key `{prefix}{key}`: expected {}", one_of(keys)),
            ));
        }
    }
    Ok(())
}

/// The settings keys of `table`.
fn settings(text: &str, table: &Table, prefix: &str) -> Result<Settings, String> {
    let boolean = |key: &str| -> Result<Option<bool>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(Item::Value(Value::Boolean(b))) => Ok(Some(*b.value())),
            Some(item) => Err(at(
                text,
                item.span().or_else(|| key_span(table, key)),
                format!(
                    "`{prefix}{key}` must be true or false, found {}",
                    kind(item)
                ),
            )),
        }
    };
    let allowed = match table.get("allowed-registries") {
        None => None,
        Some(item) => {
            let name = format!("{prefix}allowed-registries");
            let list = strings(text, item, &name, "[\"nvcr.io\", \"quay.io/vessl-ai\"]")?;
            for (entry, span) in &list {
                if !registry_prefix(entry) {
                    return Err(at(
                        text,
                        Some(span.clone()),
                        format!(
                            "`{name}`: {entry:?} is not a registry host or host/path prefix such as \"quay.io/vessl-ai\""
                        ),
                    ));
                }
            }
            Some(list.into_iter().map(|(s, _)| s).collect())
        }
    };
    Ok(Settings {
        deny_alias: boolean("deny-alias")?,
        require_digest: boolean("require-digest")?,
        allowed_registries: allowed,
    })
}

/// Whether `entry` is a registry host, with an optional port, and an
/// optional repository path prefix, all lowercase: `nvcr.io`,
/// `localhost:5000`, `quay.io/vessl-ai`.
fn registry_prefix(entry: &str) -> bool {
    let mut parts = entry.split('/');
    let host = parts.next().unwrap_or("");
    let (name, port) = match host.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let path_ok = parts.all(|c| {
        !c.is_empty()
            && c.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_' || b == b'-'
            })
    });
    name_ok && port_ok && path_ok
}

/// An array of strings, each with its span.
fn strings(
    text: &str,
    item: &Item,
    name: &str,
    example: &str,
) -> Result<Vec<(String, Range<usize>)>, String> {
    let wrong = |span: Option<Range<usize>>, found: &str| {
        at(
            text,
            span,
            format!("`{name}` must be an array of strings such as {example}, found {found}"),
        )
    };
    let Item::Value(Value::Array(array)) = item else {
        return Err(wrong(item.span(), kind(item)));
    };
    array
        .iter()
        .map(|v| match v {
            Value::String(s) => Ok((s.value().clone(), v.span().unwrap_or(0..0))),
            other => Err(wrong(
                other.span(),
                &format!("{} in it", kind(&Item::Value(other.clone()))),
            )),
        })
        .collect()
}

/// Gitignore patterns relative to `root`.
fn patterns(text: &str, root: &Path, item: &Item, name: &str) -> Result<Gitignore, String> {
    let list = strings(text, item, name, "[\"vendor/\", \"*.generated.yaml\"]")?;
    let mut builder = GitignoreBuilder::new(root);
    for (pattern, span) in &list {
        builder.add_line(None, pattern).map_err(|e| {
            at(
                text,
                Some(span.clone()),
                format!("`{name}`: {pattern:?} is not a gitignore pattern: {e}"),
            )
        })?;
    }
    builder
        .build()
        .map_err(|e| at(text, item.span(), format!("`{name}`: {e}")))
}

impl Config {
    /// `file` (as named, relative to the working directory) relative to the
    /// config's directory; `None` outside it.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        let abs = crate::sarif::absolute(file, &self.cwd);
        abs.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }

    /// Whether `path` (a directory when `is_dir`) is to be left alone
    /// (`skip`).
    pub fn skips(&self, path: &Path, is_dir: bool) -> bool {
        self.relative(path).is_some_and(|rel| {
            self.skip
                .matched_path_or_any_parents(&rel, is_dir)
                .is_ignore()
        })
    }

    /// The `[[scheme]]` rules.
    pub fn scheme_rules(&self) -> &[SchemeRule] {
        &self.schemes
    }

    /// The scheme a `[[scheme]]` rule gives the reference `name`; `None`
    /// when no rule holds it (or it is no reference).
    pub fn scheme_for(&self, name: &str) -> Option<Scheme> {
        if self.schemes.is_empty() {
            return None;
        }
        let r = Reference::parse_normalized(name).ok()?;
        scheme_of(&self.schemes, r.domain().unwrap_or("docker.io"), &r.path())
    }

    /// Whether `tag` moves by the file's `moving-tags`: its first word
    /// (before `-`, `_` or `.`) is one of them, ASCII case aside, and no
    /// later word is a build number or commit hash (`prod-20241028` and
    /// `prod-1a2b3c4` are builds, pinned).
    pub fn is_moving(&self, tag: &str) -> bool {
        let first = tag.split(['-', '_', '.']).next().unwrap_or("");
        self.moving.iter().any(|w| w.eq_ignore_ascii_case(first))
            && !tag[first.len()..].split(['-', '_', '.']).any(build_id)
    }

    /// An `alias-denied` finding for a name whose tag is one of the
    /// `moving-tags` and that has no digest.
    pub fn moving_finding(&self, found: &Found) -> Option<Finding> {
        if self.moving.is_empty() || !matches!(found.kind, Kind::Image | Kind::Expanded) {
            return None;
        }
        let text = found.text.as_str();
        let r = Reference::parse_normalized(text).ok()?;
        let tag = r
            .tag()
            .filter(|t| r.digest().is_none() && self.is_moving(t))?;
        Some(Finding {
            severity: Rule::AliasDenied.severity(),
            rule: Rule::AliasDenied,
            message: format!(
                "{text:?} is an alias: its tag {tag:?} moves (moving-tags): pin it to a version or a digest"
            ),
        })
    }

    /// The settings for `file`: the top level, then each exception that
    /// matches it.
    pub fn settings(&self, file: &Path) -> Settings {
        let mut s = self.base.clone();
        if let Some(rel) = self.relative(file) {
            for (matcher, over) in &self.exceptions {
                if matcher.matched_path_or_any_parents(&rel, false).is_ignore() {
                    s = s.and(over);
                }
            }
        }
        s
    }
}

/// A build number (all digits) or a commit hash (7 to 64 hex digits, with
/// a digit among them).
fn build_id(w: &str) -> bool {
    let digits = !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let hash = (7..=64).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_hexdigit())
        && w.bytes().any(|b| b.is_ascii_digit());
    digits || hash
}

/// Whether `domain/path` is in one of `allowed`: a host (`nvcr.io`) takes
/// every repository on it, a host/path prefix (`quay.io/vessl-ai`) the
/// repositories under it.
fn allowed_by(allowed: &[String], domain: &str, path: &str) -> bool {
    allowed.iter().any(|a| match a.split_once('/') {
        None => a == domain,
        Some((host, prefix)) => {
            host == domain
                && path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        }
    })
}

/// An error when `found` names an image from a registry not in `allowed`.
/// An invalid reference is left to [`imagetag::check::Policy::check`].
pub fn registry_finding(allowed: &[String], found: &Found) -> Option<Finding> {
    if !matches!(found.kind, Kind::Image | Kind::Expanded) {
        return None;
    }
    let text = found.text.as_str();
    let r = Reference::parse_normalized(text).ok()?;
    let domain = r.domain().unwrap_or("docker.io");
    let path = r.path();
    if allowed_by(allowed, domain, &path) {
        return None;
    }
    Some(Finding {
        severity: Rule::RegistryNotAllowed.severity(),
        rule: Rule::RegistryNotAllowed,
        message: format!(
            "{text:?} is from {domain}/{path}, not an allowed registry (allowed: {})",
            allowed.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed() {
        let a = ["nvcr.io".to_owned(), "quay.io/vessl-ai".to_owned()];
        assert!(allowed_by(&a, "nvcr.io", "nvidia/pytorch"));
        assert!(allowed_by(&a, "quay.io", "vessl-ai/torch"));
        assert!(!allowed_by(&a, "quay.io", "vessl-ai-fork/torch"));
        assert!(!allowed_by(&a, "quay.io", "other/torch"));
        assert!(!allowed_by(&a, "nvcr.io.evil.com", "nvidia/pytorch"));
        assert!(!allowed_by(&a, "docker.io", "library/ubuntu"));
    }

    /// `skip` patterns are relative to the file's directory and match a
    /// directory (met as an unreadable entry) as well as the files in it.
    #[test]
    fn skips() {
        let c = parse(
            "skip = [\"vendor/\", \"/top.yaml\"]\n",
            PathBuf::from("/repo"),
            PathBuf::from("/repo/sub"),
        )
        .unwrap();
        assert!(c.skips(Path::new("../vendor"), true));
        assert!(!c.skips(Path::new("../vendor"), false));
        assert!(c.skips(Path::new("vendor/a/Dockerfile"), false));
        assert!(c.skips(Path::new("/repo/top.yaml"), false));
        assert!(!c.skips(Path::new("top.yaml"), false));
        assert!(!c.skips(Path::new("/elsewhere/vendor/Dockerfile"), false));
    }

    /// The longest prefix wins, whatever the order; a prefix holds whole
    /// path components only.
    #[test]
    fn scheme_rules() {
        let rules = [
            SchemeRule {
                prefix: "harbor.example.com/ai".to_owned(),
                scheme: Scheme::Vessl,
            },
            SchemeRule {
                prefix: "harbor.example.com".to_owned(),
                scheme: Scheme::Ngc,
            },
        ];
        assert_eq!(
            scheme_of_repository(&rules, "harbor.example.com/ai/torch"),
            Some(Scheme::Vessl)
        );
        assert_eq!(
            scheme_of_repository(&rules, "harbor.example.com/ai-x/torch"),
            Some(Scheme::Ngc)
        );
        assert_eq!(scheme_of_repository(&rules, "quay.io/ai/torch"), None);
    }

    #[test]
    fn registry_prefixes() {
        for good in [
            "nvcr.io",
            "localhost:5000",
            "quay.io/vessl-ai",
            "docker.io/library",
        ] {
            assert!(registry_prefix(good), "{good}");
        }
        for bad in [
            "",
            "https://x",
            "NVCR.IO",
            "quay.io/",
            "/x",
            "a:b",
            "a:",
            "x//y",
            "q.io/a@b",
        ] {
            assert!(!registry_prefix(bad), "{bad}");
        }
    }
}
