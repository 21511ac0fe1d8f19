//! Finding image references where people write them, and checking them.
//!
//! The finder reads six kinds of file:
//!
//! - **Dockerfiles** (`Dockerfile`, `Dockerfile.*`, `Dockerfile-*`,
//!   `*.Dockerfile`, templates such as `Dockerfile.j2`, and the same with
//!   `Containerfile`: see [`FileKind::of`]): the image of each `FROM`,
//!   `COPY --from=`, `RUN --mount=...,from=` and `# syntax=`, with `ARG`s
//!   filled in as BuildKit does ([`dockerfile`]);
//! - **YAML** (`*.yml`, `*.yaml`): every scalar under a key named `image`, at
//!   any depth, in every document ([`yaml`]);
//! - **Dev Container definitions** (`.devcontainer/devcontainer.json`,
//!   `.devcontainer/<name>/devcontainer.json`, `.devcontainer.json`): the
//!   top-level `"image"`, read as JSON with comments ([`devcontainer`]);
//! - **Jenkins pipelines** (`Jenkinsfile`, `Jenkinsfile.*`, `Jenkinsfile_*`, `*.jenkinsfile`):
//!   the image of a `docker` agent, `docker.image('x')` and `docker.build('x')`
//!   ([`jenkins`]);
//! - **Bake files** (`docker-bake.hcl`, `docker-bake.*.hcl`,
//!   `docker-bake.json`): each target's `tags`, `docker-image://` contexts
//!   and `*IMAGE` args, with `variable` defaults filled in ([`bake`]);
//! - **name lists** (`*.txt`): one name per line, `#` starts a comment.
//!
//! Each [`Found`] says where the reference is (line, column and the byte span
//! in the file, so that a rewrite can replace exactly those bytes) and what
//! it is ([`Kind`]). [`Policy::check`] turns one into [`Finding`]s: an
//! invalid name, an alias where a pinned name is required, a missing digest.
//! [`walk`] lists the files under a directory the way `imagetag check` does,
//! honouring `.gitignore`.
//!
//! ```
//! use imagetag::check::{find_references, Kind, Policy};
//!
//! let text = "ARG BASE=quay.io/vessl-ai/torch:2.3.0-cuda12.4\n\
//!             FROM ${BASE} AS build\n\
//!             FROM build\n\
//!             FROM nvcr.io/nvidia/pytorch:24.01-py3\n";
//! let found = find_references("Dockerfile".as_ref(), text);
//! assert_eq!(found.len(), 2); // `FROM build` names a stage, not an image
//! assert_eq!(found[0].text, "quay.io/vessl-ai/torch:2.3.0-cuda12.4");
//! assert_eq!(found[0].kind, Kind::Expanded);
//! assert_eq!((found[1].line, found[1].column), (4, 6));
//! assert_eq!(&text[found[1].span.clone()], "nvcr.io/nvidia/pytorch:24.01-py3");
//!
//! let policy = Policy { deny_alias: true, ..Policy::default() };
//! let findings = policy.check(&found[0]);
//! assert_eq!(findings[0].message, "\"quay.io/vessl-ai/torch:2.3.0-cuda12.4\" is an alias: pin it to a revision");
//! assert!(policy.check(&found[1]).is_empty());
//! ```

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::{Image, Scheme};

pub mod bake;
pub mod devcontainer;
pub mod dockerfile;
pub mod jenkins;
mod walk;
pub mod yaml;

pub use walk::{walk, Walked};

/// An image reference found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The file, as given.
    pub file: PathBuf,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
    /// The bytes of the file that hold the reference as written. For a
    /// [`Kind::Image`] they are exactly [`text`](Self::text).
    pub span: Range<usize>,
    /// The reference: as written, or with the Dockerfile's `ARG` defaults
    /// filled in ([`Kind::Expanded`]).
    pub text: String,
    /// What was found.
    pub kind: Kind,
    /// For a reference assembled from pieces ([`Kind::Expanded`]): the
    /// bytes of the file that hold its tag, when the tag is written whole
    /// in one place (an `ARG` default that a `FROM` uses, a Helm `tag:`
    /// value beside its `repository:`). `pin` rewrites a moving tag there.
    pub tag_span: Option<Range<usize>>,
    /// Whether the reference names an image a build makes rather than one
    /// it pulls: a Bake target's `tags`, Jenkins' `docker.build('x')`,
    /// Compose's `image:` beside `build:` and `pull_policy: build` (or
    /// `never`). [`Policy::deny_alias`] and
    /// [`Policy::require_digest`] do not apply to it (the tag a build
    /// pushes may move by design, and it has no digest before it is pushed),
    /// and `imagetag pin` leaves it as written (rewriting it would rename
    /// what the build makes). It is still checked as a name.
    pub output: bool,
}

/// What a [`Found`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A reference, exactly as written at its span.
    Image,
    /// A reference written with variables (`FROM ${BASE}`), filled in from
    /// the file's `ARG` defaults. Checked, but not rewritten in place.
    Expanded,
    /// Something that may be a reference but cannot be checked here (a
    /// variable without a default, a template); the reason says why.
    Skipped(String),
    /// The file itself is broken (a YAML syntax error): the message says
    /// how. The finder stops there.
    Broken(String),
}

/// The kinds of file the finder reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A Dockerfile or Containerfile.
    Dockerfile,
    /// A YAML file.
    Yaml,
    /// A Dev Container definition (`devcontainer.json`).
    Devcontainer,
    /// A Jenkins pipeline (`Jenkinsfile`).
    Jenkins,
    /// A Docker Buildx Bake file (`docker-bake.hcl`, `docker-bake.json`).
    Bake,
    /// A list of names, one a line.
    List,
}

impl FileKind {
    /// The kind of file `path` names, by its name: `None` for a file the
    /// finder does not read. `*.txt` counts as a list only when `lists` is
    /// true (`imagetag check` reads lists only when given explicitly).
    ///
    /// Dockerfiles, in any case: `Dockerfile` and `Containerfile`; names
    /// that start with one of them and a `.`, `-` or `_` (`Dockerfile.rocm`,
    /// `Dockerfile-cuda`, `Dockerfile_amd`, `Containerfile.ubi9`,
    /// `Dockerfile.cuda12.4`) unless they end in an extension of another
    /// kind of file (`Dockerfile.md`, `dockerfile.py`, `Dockerfile.dockerignore`,
    /// `Dockerfile.bak`); names that end in `.Dockerfile` or
    /// `.Containerfile` (`cuda.Dockerfile`); and any of these with a
    /// template extension (`Dockerfile.j2`, `Dockerfile.in`,
    /// `Dockerfile.template`), read as templates ([`dockerfile`]).
    ///
    /// Dev Container definitions, with exactly these names:
    /// `.devcontainer/devcontainer.json`,
    /// `.devcontainer/<name>/devcontainer.json` and `.devcontainer.json`
    /// ([`devcontainer`]). A `devcontainer.json` elsewhere is read as one
    /// only when asked (`--kind devcontainer`).
    ///
    /// Jenkins pipelines, in any case: `Jenkinsfile`, `Jenkinsfile.EXT`,
    /// `Jenkinsfile_NAME`, `Jenkinsfile-NAME` (`Jenkinsfile.gpu`,
    /// `Jenkinsfile.groovy`, `Jenkinsfile_unix_gpu`; not `Jenkinsfile.md` or
    /// another kind of file's extension) and `NAME.jenkinsfile`
    /// ([`jenkins`]).
    ///
    /// Bake files, with exactly these names: `docker-bake.hcl`,
    /// `docker-bake.override.hcl` and `docker-bake.NAME.hcl`,
    /// `docker-bake.json` and `docker-bake.override.json` ([`bake`]).
    pub fn of(path: &Path, lists: bool) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        if is_dockerfile_name(&lower) {
            Some(FileKind::Dockerfile)
        } else if jenkins::is_jenkinsfile_name(&lower) {
            Some(FileKind::Jenkins)
        } else if bake::is_bake_name(name) {
            Some(FileKind::Bake)
        } else if devcontainer::is_devcontainer(path) {
            Some(FileKind::Devcontainer)
        } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
            Some(FileKind::Yaml)
        } else if lists && lower.ends_with(".txt") {
            Some(FileKind::List)
        } else {
            None
        }
    }

    /// `dockerfile`, `yaml`, `devcontainer`, `jenkins`, `bake` or `list`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Yaml => "yaml",
            FileKind::Devcontainer => "devcontainer",
            FileKind::Jenkins => "jenkins",
            FileKind::Bake => "bake",
            FileKind::List => "list",
        }
    }
}

impl std::str::FromStr for FileKind {
    type Err = String;

    /// `dockerfile` (or `containerfile`), `yaml` (or `yml`), `devcontainer`,
    /// `jenkins` (or `jenkinsfile`), `bake` or `list`, in any case.
    fn from_str(s: &str) -> Result<FileKind, String> {
        match s.to_ascii_lowercase().as_str() {
            "dockerfile" | "containerfile" => Ok(FileKind::Dockerfile),
            "yaml" | "yml" => Ok(FileKind::Yaml),
            "devcontainer" => Ok(FileKind::Devcontainer),
            "jenkins" | "jenkinsfile" => Ok(FileKind::Jenkins),
            "bake" => Ok(FileKind::Bake),
            "list" => Ok(FileKind::List),
            _ => Err(format!(
                "expected a kind of file: dockerfile, yaml, devcontainer, jenkins, bake or list, found {s:?}"
            )),
        }
    }
}

/// Extensions that say a file named `Dockerfile.EXT` (or `Dockerfile-x.EXT`)
/// is not a Dockerfile: documentation, code, data, ignore files, backups.
pub(crate) const NOT_DOCKERFILE: &[&str] = &[
    "md",
    "markdown",
    "rst",
    "txt",
    "adoc",
    "asciidoc",
    "org",
    "html",
    "htm",
    "pdf",
    "py",
    "pyc",
    "ipynb",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "psm1",
    "bat",
    "cmd",
    "json",
    "jsonc",
    "yml",
    "yaml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "xml",
    "csv",
    "tsv",
    "lock",
    "log",
    "go",
    "rs",
    "js",
    "mjs",
    "cjs",
    "ts",
    "jsx",
    "tsx",
    "java",
    "kt",
    "rb",
    "pl",
    "php",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "cs",
    "swift",
    "scala",
    "lua",
    "r",
    "sql",
    "diff",
    "patch",
    "orig",
    "rej",
    "bak",
    "swp",
    "swo",
    "dockerignore",
    "gitignore",
    "ignore",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "zip",
    "gz",
    "tgz",
    "tar",
    "bz2",
    "xz",
    "whl",
    "mk",
    "cmake",
    "vim",
    "el",
    "nix",
    "hcl",
    "tf",
    "sum",
    "mod",
    "bzl",
    "bazel",
    "properties",
    "env",
    "example",
    "sample",
];

/// Whether the lowercase file name `lower` is a Dockerfile's (see
/// [`FileKind::of`]).
fn is_dockerfile_name(lower: &str) -> bool {
    // A template extension first: `dockerfile.j2`, `cuda.dockerfile.in`.
    let base = match lower.rsplit_once('.') {
        Some((b, ext)) if !b.is_empty() && dockerfile::TEMPLATE_EXTENSIONS.contains(&ext) => b,
        _ => lower,
    };
    ["dockerfile", "containerfile"].iter().any(|stem| {
        base == *stem
            || base
                .strip_suffix(stem)
                .is_some_and(|r| r.len() > 1 && r.ends_with(['.', '_']))
            || base.strip_prefix(stem).is_some_and(|r| {
                r.len() > 1
                    && r.starts_with(['.', '-', '_'])
                    && !r
                        .rsplit_once('.')
                        .is_some_and(|(_, ext)| NOT_DOCKERFILE.contains(&ext))
            })
    })
}

/// The image references in `text`, the contents of the file `path`, read
/// as the kind of file its name says ([`FileKind::of`], lists included);
/// nothing for a file of another kind.
pub fn find_references(path: &Path, text: &str) -> Vec<Found> {
    match FileKind::of(path, true) {
        Some(kind) => find_in(kind, path, text),
        None => Vec::new(),
    }
}

/// The image references in `text`, read as a file of `kind`.
///
/// A UTF-8 byte order mark at the start of `text` is not part of the file's
/// content (BuildKit and YAML parsers skip it too): the finders read the
/// text after it, columns on the first line are counted without it, and
/// spans stay byte offsets into `text`, so that a rewrite keeps the mark.
pub fn find_in(kind: FileKind, path: &Path, text: &str) -> Vec<Found> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut found = match kind {
        FileKind::Dockerfile => dockerfile::find(path, body),
        FileKind::Yaml => yaml::find(path, body),
        FileKind::Devcontainer => devcontainer::find(path, body),
        FileKind::Jenkins => jenkins::find(path, body),
        FileKind::Bake => bake::find(path, body),
        FileKind::List => list(path, body),
    };
    if bom > 0 {
        for f in &mut found {
            f.span = f.span.start + bom..f.span.end + bom;
        }
    }
    found
}

/// Whether `bytes` (the start of a file) look binary: a NUL byte in the
/// first 8 KiB, as git decides.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// The first placeholder in angle brackets in `v` (`<jupyter>`, `<IMAGE>`,
/// `<your-registry>`): text that whoever builds or deploys fills in, the
/// way documentation and example files write a value to replace. `<` and
/// `>` are never part of a reference, so such a value is a note, not an
/// invalid reference. CircleCI's `<< >>` is not one (it is a template).
pub(crate) fn placeholder(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let mut i = 0;
    while let Some(open) = b[i..].iter().position(|&c| c == b'<').map(|o| i + o) {
        let inner = &b[open + 1..];
        let len = inner.iter().position(|&c| c == b'>')?;
        let word = &inner[..len];
        let fits = |c: &u8| c.is_ascii_alphanumeric() || b"_-. /:".contains(c);
        let doubled = (open > 0 && b[open - 1] == b'<') || inner.get(len + 1) == Some(&b'>');
        if (1..=64).contains(&len)
            && word.iter().all(fits)
            && !word.iter().all(|c| *c == b' ')
            && !doubled
        {
            return v.get(open..open + len + 2);
        }
        i = open + 1;
    }
    None
}

/// A name list: one name a line, `#` starts a comment.
fn list(path: &Path, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.split('#').next().unwrap_or("");
        let name = body.trim();
        if !name.is_empty() {
            let lead = body.len() - body.trim_start().len();
            let at = start + lead;
            out.push(found(
                path,
                i + 1,
                1 + body[..lead].chars().count(),
                at,
                name,
            ));
        }
        start += line.len();
    }
    out
}

/// A [`Kind::Image`] at byte `at`, or a [`Kind::Skipped`] one when the text
/// uses variables or template syntax.
fn found(path: &Path, line: usize, column: usize, at: usize, text: &str) -> Found {
    let kind = if text.contains('$') || text.contains("{{") {
        Kind::Skipped(format!("{text:?} uses variables or a template"))
    } else {
        Kind::Image
    };
    Found {
        file: path.to_path_buf(),
        line,
        column,
        span: at..at + text.len(),
        text: text.to_owned(),
        kind,
        tag_span: None,
        output: false,
    }
}

/// Lines and columns (1-based, columns in characters) of byte offsets in
/// one file, from a cursor that moves with the questions: asked in order of
/// offset, as the finders ask, all the answers for a file cost one pass over
/// it, however many references it holds and however long its lines are
/// (counting from the start of the file, or of the line, for each one is
/// quadratic: a 1.4 MB Dockerfile took 27 s). A question behind the cursor
/// costs the distance back, and never allocates.
#[derive(Debug)]
pub(crate) struct Lines<'t> {
    text: &'t str,
    /// The byte the cursor is at: a character boundary.
    at: usize,
    /// Its line.
    line: usize,
    /// The byte where that line starts.
    start: usize,
    /// Its column.
    column: usize,
}

/// Why a hand-written scanner (Jenkins, Bake, devcontainer.json) cannot
/// read a file: what it expected at byte `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) at: usize,
    pub(crate) expected: &'static str,
}

impl SyntaxError {
    /// `expected ..., found ...`, with what stands at the error's byte of
    /// `text`.
    #[cold]
    pub(crate) fn describe(&self, text: &str) -> String {
        let found = match text.get(self.at..).and_then(|r| r.chars().next()) {
            None => "the end of the file".to_owned(),
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("'{c}'"),
        };
        format!("expected {}, found {found}", self.expected)
    }
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
            start: 0,
            column: 1,
        }
    }

    /// The line and column of byte `at`, a character boundary of the text.
    /// A [`Found`] at `span` of this text, in the file `path`, with its
    /// line and column: no tag span, not an output (a caller sets those).
    pub(crate) fn found(
        &mut self,
        path: &Path,
        span: Range<usize>,
        text: String,
        kind: Kind,
    ) -> Found {
        let (line, column) = self.line_col(span.start);
        Found {
            file: path.to_path_buf(),
            line,
            column,
            span,
            text,
            kind,
            tag_span: None,
            output: false,
        }
    }

    pub(crate) fn line_col(&mut self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        if at < self.start {
            // Back to an earlier line: count the lines in between, and find
            // where the line of `at` starts.
            let back = &self.text.as_bytes()[at..self.start];
            self.line -= back.iter().filter(|&&b| b == b'\n').count();
            self.start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
            self.at = self.start;
            self.column = 1;
        } else if at < self.at {
            self.at = self.start;
            self.column = 1;
        }
        let gap = &self.text[self.at..at];
        match gap.rfind('\n') {
            Some(last) => {
                self.line += gap.bytes().filter(|&b| b == b'\n').count();
                self.start = self.at + last + 1;
                self.column = 1 + self.text[self.start..at].chars().count();
            }
            None => self.column += gap.chars().count(),
        }
        self.at = at;
        (self.line, self.column)
    }
}

/// What [`Policy::check`] requires of a reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// A moving name is an error: a standard alias, `latest`, or a name
    /// with neither tag nor digest.
    pub deny_alias: bool,
    /// A name without a digest is an error.
    pub require_digest: bool,
    /// Read every name as a name of this scheme; `None` detects it.
    pub scheme: Option<Scheme>,
}

/// How bad a [`Finding`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something was not checked; not a failure.
    Note,
    /// A failure.
    Error,
}

impl Severity {
    /// `note` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What [`Policy::check`] has to say about a [`Found`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How bad it is.
    pub severity: Severity,
    /// What kind of finding it is: a stable identifier.
    pub rule: Rule,
    /// What is wrong, in lowercase, no final period.
    pub message: String,
}

/// The kind of a [`Finding`], with a stable identifier ([`id`](Self::id))
/// that dashboards and programs can filter on (the rule ids of
/// `imagetag check --format sarif`), and help text saying how to fix it.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// The text is not a valid OCI/Docker reference.
    InvalidReference,
    /// A valid reference that is not a valid name of its scheme (a TWCC,
    /// NGC or VESSL name written wrong).
    InvalidSchemeName,
    /// A moving name where a pinned one is required ([`Policy::deny_alias`]).
    AliasDenied,
    /// A name without a digest where one is required
    /// ([`Policy::require_digest`]).
    DigestRequired,
    /// The file cannot be read as text, or is not valid YAML.
    UnreadableFile,
    /// A reference that was not checked (it uses variables or a template).
    Skipped,
    /// An image from a registry the repository does not allow
    /// (`allowed-registries` in `.imagetag.toml`).
    RegistryNotAllowed,
}

impl Rule {
    /// Every rule, in the order of their ids' documentation.
    pub const ALL: [Rule; 7] = [
        Rule::InvalidReference,
        Rule::InvalidSchemeName,
        Rule::AliasDenied,
        Rule::DigestRequired,
        Rule::UnreadableFile,
        Rule::Skipped,
        Rule::RegistryNotAllowed,
    ];

    /// The stable identifier: `invalid-reference`, `invalid-scheme-name`,
    /// `alias-denied`, `digest-required`, `unreadable-file`, `skipped` or
    /// `registry-not-allowed`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::InvalidReference => "invalid-reference",
            Rule::InvalidSchemeName => "invalid-scheme-name",
            Rule::AliasDenied => "alias-denied",
            Rule::DigestRequired => "digest-required",
            Rule::UnreadableFile => "unreadable-file",
            Rule::Skipped => "skipped",
            Rule::RegistryNotAllowed => "registry-not-allowed",
        }
    }

    /// A name in words, one short sentence without a final period.
    pub fn title(self) -> &'static str {
        match self {
            Rule::InvalidReference => "Image reference is not valid",
            Rule::InvalidSchemeName => "Image name is not valid in its naming scheme",
            Rule::AliasDenied => "Image reference uses a moving tag",
            Rule::DigestRequired => "Image reference has no digest",
            Rule::UnreadableFile => "File cannot be read",
            Rule::Skipped => "Image reference was not checked",
            Rule::RegistryNotAllowed => "Image comes from a registry that is not allowed",
        }
    }

    /// What the rule means and how to fix what it finds: a short
    /// paragraph.
    pub fn help(self) -> &'static str {
        match self {
            Rule::InvalidReference => {
                "The text is not an OCI/Docker image reference as Docker and containerd read it \
                 ([domain[:port]/]path[:tag][@algorithm:hex], lowercase path, a tag of at most \
                 128 characters). Docker would refuse to pull it: correct the name where the \
                 message points."
            }
            Rule::InvalidSchemeName => {
                "The reference is valid, but its name is not a valid name of the naming scheme \
                 of its registry (TWCC, NGC or VESSL): a release, version, CUDA or Python part \
                 is written in a form that scheme does not publish. Correct it, or read it as \
                 another scheme with --scheme."
            }
            Rule::AliasDenied => {
                "The reference uses a moving name (a standard alias, `latest`, or no tag at \
                 all) while --deny-alias asks for pinned names: what it pulls changes when the \
                 alias moves. Pin it to a revision with `imagetag pin`."
            }
            Rule::DigestRequired => {
                "The reference has no digest while --require-digest asks for one: a tag can be \
                 pushed again, a digest cannot. Add the digest the registry reports \
                 (name:tag@sha256:...): `imagetag pin --digest` writes it for every reference."
            }
            Rule::UnreadableFile => {
                "The file cannot be read (permissions, size limit, not UTF-8 text) or is not \
                 valid YAML, so the references in it were not checked. Fix the file, or leave \
                 it out of the paths checked."
            }
            Rule::Skipped => {
                "The reference uses variables without a default or template syntax, so it \
                 cannot be checked here. Give the variable a default (ARG NAME=value) to have \
                 it checked."
            }
            Rule::RegistryNotAllowed => {
                "The image comes from a registry (or a repository path on it) that the \
                 repository's .imagetag.toml does not list in allowed-registries. Use an image \
                 from an allowed registry or mirror, or add the registry to the list."
            }
        }
    }

    /// How bad a finding of this rule is.
    pub fn severity(self) -> Severity {
        match self {
            Rule::Skipped => Severity::Note,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Policy {
    /// The findings for `found`: none when it is a valid name that meets
    /// the policy; a note when it was skipped; errors otherwise.
    pub fn check(&self, found: &Found) -> Vec<Finding> {
        let finding = |rule: Rule, message| Finding {
            severity: rule.severity(),
            rule,
            message,
        };
        match &found.kind {
            Kind::Skipped(why) => return vec![finding(Rule::Skipped, format!("skipped: {why}"))],
            Kind::Broken(why) => return vec![finding(Rule::UnreadableFile, why.clone())],
            Kind::Image | Kind::Expanded => {}
        }
        let text = found.text.as_str();
        let image = match self.scheme {
            Some(s) => Image::parse_as(text, s),
            None => Image::parse(text),
        };
        let image = match image {
            Ok(i) => i,
            Err(e) => {
                // A valid reference whose name its scheme refuses is a
                // mistake of another kind than a broken reference.
                let rule = if crate::Reference::parse_normalized(text).is_ok() {
                    Rule::InvalidSchemeName
                } else {
                    Rule::InvalidReference
                };
                return vec![finding(rule, e.to_string())];
            }
        };
        let mut out = Vec::new();
        let r = image.reference();
        if found.output {
            return out;
        }
        if self.deny_alias {
            if r.tag().is_none() && r.digest().is_none() {
                out.push(finding(
                    Rule::AliasDenied,
                    format!("{text:?} has neither tag nor digest: pin it to a tag"),
                ));
            } else if image.is_alias() && r.digest().is_none() {
                out.push(finding(
                    Rule::AliasDenied,
                    format!("{text:?} is an alias: pin it to a revision"),
                ));
            }
        }
        if self.require_digest && r.digest().is_none() {
            out.push(finding(
                Rule::DigestRequired,
                format!("{text:?} has no digest: pin it with imagetag pin --digest"),
            ));
        }
        out
    }
}

/// Each finding's line, column, text and kind, after checking that an
/// [`Kind::Image`]'s span holds exactly its text: what the finders' unit
/// tests compare.
#[cfg(test)]
pub(crate) fn positions(found: Vec<Found>, text: &str) -> Vec<(usize, usize, String, Kind)> {
    found
        .into_iter()
        .map(|f| {
            if f.kind == Kind::Image {
                assert_eq!(text[f.span.clone()], f.text);
            }
            (f.line, f.column, f.text, f.kind)
        })
        .collect()
}

/// Checks that each finding's line and column are those of the start of
/// its span, counted in one plain pass over `text`: an oracle for large
/// files, where counting from the start for each finding would be slow.
#[cfg(test)]
pub(crate) fn assert_positions(found: &[Found], text: &str) {
    let mut want: Vec<(usize, usize, usize)> = found
        .iter()
        .enumerate()
        .map(|(i, f)| (f.span.start, f.line, i))
        .collect();
    want.sort_unstable();
    let (mut line, mut column) = (1, 1);
    let mut next = want.iter().peekable();
    for (at, c) in text.char_indices().chain([(text.len(), '\0')]) {
        while let Some(&&(start, _, i)) = next.peek() {
            if start != at {
                break;
            }
            let f = &found[i];
            assert_eq!((f.line, f.column), (line, column), "{f:?}");
            next.next();
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    assert!(next.next().is_none(), "a span starts inside a character");
}

/// Keeps a `tag_span` only where every reference whose tag comes from the
/// same bytes reads the same: rewriting it for one must not change what
/// another names.
pub(crate) fn shared_tags(found: &mut [Found]) {
    let mut by_span: std::collections::HashMap<(usize, usize), Option<&str>> =
        std::collections::HashMap::new();
    for f in found.iter() {
        if let Some(t) = &f.tag_span {
            let e = by_span.entry((t.start, t.end)).or_insert(Some(&f.text));
            if *e != Some(f.text.as_str()) {
                *e = None;
            }
        }
    }
    let conflicting: std::collections::HashSet<(usize, usize)> = by_span
        .into_iter()
        .filter(|(_, t)| t.is_none())
        .map(|(k, _)| k)
        .collect();
    if conflicting.is_empty() {
        return;
    }
    for f in found.iter_mut() {
        if f.tag_span
            .as_ref()
            .is_some_and(|t| conflicting.contains(&(t.start, t.end)))
        {
            f.tag_span = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines and columns from the cursor, asked in order, out of order and
    /// twice, match counting from the start each time.
    #[test]
    fn lines_cursor() {
        let text = "ab\ncafé x\n\n  é\u{1F600}z\nlast";
        let naive = |at: usize| {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, before[start..].chars().count() + 1)
        };
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut lines = Lines::new(text);
        for &at in &bounds {
            assert_eq!(lines.line_col(at), naive(at), "forward to {at}");
        }
        for &at in bounds.iter().rev() {
            assert_eq!(lines.line_col(at), naive(at), "back to {at}");
        }
        for (k, &at) in bounds.iter().enumerate() {
            let at = if k % 2 == 0 {
                at
            } else {
                bounds[bounds.len() - 1 - k]
            };
            assert_eq!(lines.line_col(at), naive(at), "jump to {at}");
            assert_eq!(lines.line_col(at), naive(at), "again at {at}");
        }
    }

    #[test]
    fn file_kinds() {
        let k = |p: &str| FileKind::of(Path::new(p), false);
        assert_eq!(k("a/Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("Dockerfile.cuda"), Some(FileKind::Dockerfile));
        assert_eq!(k("gpu.Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("Containerfile"), Some(FileKind::Dockerfile));
        for d in [
            "Dockerfile_gpu",
            "Dockerfile-triton",
            "Dockerfile.rocm",
            "cuda.Dockerfile",
            "Containerfile.ubi9",
            "dockerfile",
            "Dockerfile.cuda12.4",
            "x.dockerfile",
            "x.containerfile",
            "Dockerfile.j2",
            "Dockerfile.in",
            "Dockerfile.template",
            "cuda.Dockerfile.tmpl",
            "Dockerfile.old",
            "InternVL_Dockerfile",
        ] {
            assert_eq!(k(d), Some(FileKind::Dockerfile), "{d}");
        }
        for not in [
            ".dockerfile",
            "Dockerfiles",
            "Dockerfile.md",
            "dockerfile.py",
            "Dockerfile-lint.json",
            "Dockerfile.dockerignore",
            ".dockerignore",
            "dockerfile_test.go",
            "Dockerfile.bak",
            "Dockerfile.",
            "Dockerfile-",
            "generate-dockerfile",
            "j2",
            ".j2",
            "dockerfile.md.j2",
        ] {
            assert_eq!(k(not), None, "{not}");
        }
        for (s, kind) in [
            ("dockerfile", FileKind::Dockerfile),
            ("Containerfile", FileKind::Dockerfile),
            ("YAML", FileKind::Yaml),
            ("list", FileKind::List),
            ("Devcontainer", FileKind::Devcontainer),
        ] {
            assert_eq!(s.parse::<FileKind>(), Ok(kind));
        }
        assert_eq!(
            "json".parse::<FileKind>(),
            Err(
                "expected a kind of file: dockerfile, yaml, devcontainer, jenkins, bake or list, found \"json\""
                    .to_owned()
            )
        );
        assert_eq!(k("x/compose.YAML"), Some(FileKind::Yaml));
        assert_eq!(k("ci.yml"), Some(FileKind::Yaml));
        assert_eq!(
            k(".devcontainer/devcontainer.json"),
            Some(FileKind::Devcontainer)
        );
        assert_eq!(
            k(".devcontainer/cuda/devcontainer.json"),
            Some(FileKind::Devcontainer)
        );
        assert_eq!(k(".devcontainer.json"), Some(FileKind::Devcontainer));
        assert_eq!(k("devcontainer.json"), None);
        assert_eq!(k(".devcontainer/Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("images.txt"), None);
        assert_eq!(
            FileKind::of(Path::new("images.txt"), true),
            Some(FileKind::List)
        );
    }

    #[test]
    fn byte_order_mark() {
        for (kind, text) in [
            (FileKind::Dockerfile, "\u{feff}FROM ubuntu:22.04\n"),
            (FileKind::Yaml, "\u{feff}image: ubuntu:22.04\n"),
            (FileKind::List, "\u{feff}ubuntu:22.04\n"),
            (
                FileKind::Devcontainer,
                "\u{feff}{\"image\": \"ubuntu:22.04\"}\n",
            ),
        ] {
            let f = find_in(kind, Path::new("f"), text);
            assert_eq!(f.len(), 1, "{kind:?}: {f:?}");
            assert_eq!(f[0].kind, Kind::Image, "{kind:?}");
            assert_eq!(&text[f[0].span.clone()], "ubuntu:22.04", "{kind:?}");
            let column = text.find('u').unwrap() - 3 + 1;
            assert_eq!((f[0].line, f[0].column), (1, column), "{kind:?}");
        }
    }

    #[test]
    fn lists() {
        let text = "# images\nubuntu:22.04\n  nginx # web\n\n$IMG\n";
        let f = list(Path::new("l.txt"), text);
        assert_eq!(f.len(), 3);
        assert_eq!((f[1].line, f[1].column), (3, 3));
        assert_eq!(&text[f[1].span.clone()], "nginx");
        assert!(matches!(f[2].kind, Kind::Skipped(_)));
    }

    #[test]
    fn policy() {
        let f = |t: &str| found(Path::new("l.txt"), 1, 1, 0, t);
        let p = Policy {
            deny_alias: true,
            require_digest: true,
            scheme: None,
        };
        let digest = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert!(p.check(&f(&format!("ubuntu:22.04{digest}"))).is_empty());
        assert!(p.check(&f(&format!("ubuntu{digest}"))).is_empty());
        let m: Vec<_> = p
            .check(&f("ubuntu"))
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(
            m,
            [
                "\"ubuntu\" has neither tag nor digest: pin it to a tag",
                "\"ubuntu\" has no digest: pin it with imagetag pin --digest"
            ]
        );
        assert_eq!(Policy::default().check(&f("Ubuntu:x")).len(), 1);
    }

    /// Each kind of finding has its own rule, and the rule its severity.
    #[test]
    fn rules() {
        let f = |t: &str| found(Path::new("l.txt"), 1, 1, 0, t);
        let p = Policy {
            deny_alias: true,
            require_digest: true,
            scheme: None,
        };
        let rules = |p: &Policy, t: &str| -> Vec<Rule> {
            p.check(&f(t)).into_iter().map(|f| f.rule).collect()
        };
        assert_eq!(rules(&p, "Ubuntu:x"), [Rule::InvalidReference]);
        assert_eq!(
            rules(&p, "ubuntu"),
            [Rule::AliasDenied, Rule::DigestRequired]
        );
        assert_eq!(rules(&p, "$IMG"), [Rule::Skipped]);
        assert_eq!(p.check(&f("$IMG"))[0].severity, Severity::Note);
        let twcc = Policy {
            scheme: Some(Scheme::Twcc),
            ..Policy::default()
        };
        assert_eq!(rules(&twcc, "ubuntu:22.04"), [Rule::InvalidSchemeName]);
        let broken = Found {
            kind: Kind::Broken("invalid YAML: x".into()),
            ..f("x")
        };
        assert_eq!(p.check(&broken)[0].rule, Rule::UnreadableFile);
        let ids: std::collections::HashSet<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
    }

    #[test]
    fn placeholders() {
        assert_eq!(placeholder("<jupyter>"), Some("<jupyter>"));
        assert_eq!(placeholder("<registry>/app:<tag>"), Some("<registry>"));
        assert_eq!(placeholder("repo/<your image>:1"), Some("<your image>"));
        // CircleCI's `<< >>` is a template, a lone `<` or `< >` nothing.
        assert_eq!(placeholder("org/app:<<parameters.tag>>"), None);
        assert_eq!(placeholder("a<b"), None);
        assert_eq!(placeholder("< >"), None);
        assert_eq!(placeholder("<>"), None);
        assert_eq!(placeholder("nginx:1.27"), None);
    }
}
