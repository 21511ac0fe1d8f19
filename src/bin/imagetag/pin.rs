//! `imagetag pin`: rewrite each standard alias to the revision it stands for.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use imagetag::check::{find_in, Found, Kind};
use imagetag::registry::Client;
use imagetag::{Catalog, Scheme};

use crate::files::{self, plain, Content, Item, Progress};
use crate::input;
use crate::source::RegistryArgs;

/// Pin every standard alias to its revision, in place.
///
/// Finds image references as `imagetag check` does (Dockerfiles, YAML
/// files, and name lists named explicitly) and rewrites each alias that
/// resolves to a revision (`quay.io/vessl-ai/torch:2.3.0-cuda12.4` ->
/// `...:2.3.0-cuda12.4-r10`), replacing only the reference's bytes: comments
/// and formatting are kept. The tags come from the registry itself, or from
/// `--tags FILE`: tags or full names, one a line (`#` starts a comment, `-`
/// reads stdin); a bare tag is a tag of the repository being pinned.
/// `--digest` also pins each rewritten reference to the registry's manifest
/// digest (`...:2.3.0-cuda12.4-r10@sha256:…`). Names written with variables
/// are left alone. A file with an alias that cannot be resolved is left
/// untouched and reported. Writes are atomic.
///
/// Exits 0 when done, 1 when an alias cannot be resolved (or, with
/// `--check`, when a file would change), 2 on a usage or I/O error.
///
/// Example: imagetag pin --tags tags.txt --check .
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to pin (default: the current directory).
    paths: Vec<PathBuf>,
    /// The tag list: a file of tags or full names, or `-` for stdin
    /// (default: the registry).
    #[arg(long, value_name = "FILE", conflicts_with = "registry")]
    tags: Option<String>,
    /// Read the tags from the registry (the default without `--tags`).
    #[arg(long)]
    registry: bool,
    /// Pin to the manifest digest from the registry as well (`@sha256:…`).
    #[arg(long)]
    digest: bool,
    #[command(flatten)]
    registry_args: RegistryArgs,
    /// Change nothing: print what would change as a diff, exit 1 if
    /// anything would.
    #[arg(long)]
    check: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is left alone.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
}

/// Where `pin` gets the tags of a repository. The tag list is one source;
/// a registry can be another.
pub trait TagSource {
    /// The catalog of `repository` (canonical, as
    /// `quay.io/vessl-ai/torch`).
    fn catalog(&mut self, repository: &str) -> &Catalog;
}

/// A tag list read once: its bare tags are tags of whichever repository is
/// asked for.
struct TagFile {
    scheme: Option<Scheme>,
    lines: Vec<String>,
    catalogs: HashMap<String, Catalog>,
    warned: HashSet<String>,
}

impl TagSource for TagFile {
    fn catalog(&mut self, repository: &str) -> &Catalog {
        if !self.catalogs.contains_key(repository) {
            let names = self.lines.iter().map(|l| Catalog::qualify(repository, l));
            let (catalog, errors) = input::catalog_of(names, self.scheme);
            for e in errors {
                let e = e.to_string();
                if self.warned.insert(e.clone()) {
                    eprintln!("imagetag pin: skipping: {e}");
                }
            }
            self.catalogs.insert(repository.to_owned(), catalog);
        }
        &self.catalogs[repository]
    }
}

/// The registry as a tag source: each repository's tags listed once.
struct Registry<'c> {
    scheme: Option<Scheme>,
    client: &'c Client,
    catalogs: HashMap<String, Catalog>,
}

impl TagSource for Registry<'_> {
    fn catalog(&mut self, repository: &str) -> &Catalog {
        if !self.catalogs.contains_key(repository) {
            let listed = match self.scheme {
                None => self.client.catalog(repository),
                Some(_) => self.client.tags(repository).map(|tags| {
                    let names = tags.iter().map(|t| Catalog::qualify(repository, t));
                    input::catalog_of(names, self.scheme).0
                }),
            };
            let catalog = listed.unwrap_or_else(|e| {
                // Said once; every alias of the repository is then unresolved.
                eprintln!("imagetag pin: {e}");
                Catalog::new()
            });
            self.catalogs.insert(repository.to_owned(), catalog);
        }
        &self.catalogs[repository]
    }
}

/// Why an alias is not rewritten.
enum Outcome {
    /// It cannot be rewritten in place: said, but not a failure.
    Note(String),
    /// The tag list has neither it nor a revision of it: the file is left
    /// untouched.
    Unresolved(String),
}

/// One rewrite: the bytes to replace and what goes there.
struct Edit {
    span: Range<usize>,
    new: String,
}

/// What pinning `found` gives: `Ok(None)` when there is nothing to do.
/// `digest` is the registry to pin digests from, when asked to.
fn pin(
    found: &Found,
    tags: &mut dyn TagSource,
    digest: Option<&Client>,
    scheme: Option<Scheme>,
) -> Result<Option<Edit>, Outcome> {
    if !matches!(found.kind, Kind::Image | Kind::Expanded) {
        return Ok(None);
    }
    let Ok(image) = input::image(&found.text, scheme) else {
        return Ok(None); // invalid: `imagetag check` says so
    };
    let r = image.reference();
    if !image.is_alias() || r.digest().is_some() || image.alias_tag().is_none() {
        return Ok(None);
    }
    if found.kind == Kind::Expanded {
        return Err(Outcome::Note(format!(
            "{:?} is written with variables or across lines: not rewritten (pin where it is defined)",
            found.text
        )));
    }
    let repository = r.without_tag_or_digest().canonical().to_string();
    let pinned = tags
        .catalog(&repository)
        .resolve(&image)
        .map_err(|e| Outcome::Unresolved(format!("cannot resolve {:?}: {e}", found.text)))?;
    let Some(tag) = pinned.reference().tag() else {
        return Ok(None);
    };
    let mut new = with_tag(&found.text, tag);
    if let Some(client) = digest {
        let d = client.digest(&pinned.to_string()).map_err(|e| {
            Outcome::Unresolved(format!("cannot pin {:?} to a digest: {e}", found.text))
        })?;
        new = format!("{new}@{d}");
    } else if r.tag() == Some(tag) {
        return Ok(None); // the list has the alias but no revision of it
    }
    Ok(Some(Edit {
        span: found.span.clone(),
        new,
    }))
}

/// `name` as written, with its tag replaced by (or given) `tag`.
fn with_tag(name: &str, tag: &str) -> String {
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[slash..].rfind(':') {
        Some(i) => format!("{}{tag}", &name[..slash + i + 1]),
        None => format!("{name}:{tag}"),
    }
}

/// `text` with `edits` (sorted, not overlapping) applied.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A unified-style diff of the lines that differ (pin never adds or
/// removes a line).
fn diff(file: &str, old: &str, new: &str) -> String {
    let file = file.trim_start_matches('/');
    let mut out = format!("--- a/{file}\n+++ b/{file}\n");
    for (n, (a, b)) in old.lines().zip(new.lines()).enumerate() {
        if a != b {
            out += &format!("@@ -{0} +{0} @@\n-{a}\n+{b}\n", n + 1);
        }
    }
    out
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same
/// directory, the original's permissions (and owner, where allowed),
/// flushed to disk, then renamed over the original.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let meta = fs::metadata(&target)?;
    let tmp = dir.join(format!(".{name}.imagetag-pin-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::chown(&tmp, Some(meta.uid()), Some(meta.gid()));
        }
        f.sync_all()?;
        fs::rename(&tmp, &target)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Runs `imagetag pin`.
pub fn run(args: Args) -> ExitCode {
    let client = args.registry_args.client();
    let mut tag_file;
    let mut registry;
    let tags: &mut dyn TagSource = match &args.tags {
        Some(path) => match input::tag_list(path) {
            Ok(lines) => {
                tag_file = TagFile {
                    scheme: args.scheme.0,
                    lines,
                    catalogs: HashMap::new(),
                    warned: HashSet::new(),
                };
                &mut tag_file
            }
            Err(e) => {
                eprintln!("imagetag pin: {e}");
                return ExitCode::from(2);
            }
        },
        None => {
            registry = Registry {
                scheme: args.scheme.0,
                client: &client,
                catalogs: HashMap::new(),
            };
            &mut registry
        }
    };
    let digest = args.digest.then_some(&client);
    let mut progress = Progress::new("pin");
    let (mut files, mut pinned, mut changed) = (0usize, 0usize, 0usize);
    let (mut unresolved, mut fatal) = (false, false);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for item in files::items(&args.paths) {
        let (path, kind) = match item {
            Item::Fatal(message) => {
                eprintln!("imagetag pin: {message}");
                fatal = true;
                continue;
            }
            Item::Unreadable { path, message } => {
                eprintln!("imagetag pin: {}: cannot read: {message}", path.display());
                fatal = true;
                continue;
            }
            Item::File { path, kind, .. } => (path, kind),
        };
        let file = path.display().to_string();
        let text = match files::read(&path) {
            Content::Text(t) => t,
            Content::Binary | Content::NotUtf8(_) => continue,
            Content::Error(e) => {
                eprintln!("imagetag pin: cannot read {file}: {e}");
                fatal = true;
                continue;
            }
        };
        files += 1;
        progress.tick(files);
        let mut edits = Vec::new();
        let mut failed = false;
        for found in find_in(kind, &path, &text) {
            match pin(&found, tags, digest, args.scheme.0) {
                Ok(Some(e)) => edits.push(e),
                Ok(None) => {}
                Err(Outcome::Note(message)) => {
                    eprintln!("{file}:{}:{}: note: {message}", found.line, found.column);
                }
                Err(Outcome::Unresolved(message)) => {
                    eprintln!("{file}:{}:{}: error: {message}", found.line, found.column);
                    failed = true;
                }
            }
        }
        if failed {
            eprintln!("imagetag pin: {file}: left untouched");
            unresolved = true;
            continue;
        }
        if edits.is_empty() {
            continue;
        }
        edits.sort_by_key(|e| e.span.start);
        let new = apply(&text, &edits);
        changed += 1;
        pinned += edits.len();
        let written = if args.check {
            write!(out, "{}", diff(&file, &text, &new))
        } else {
            match write_atomic(&path, new.as_bytes()) {
                Ok(()) => writeln!(out, "{file}: pinned {}", edits.len()),
                Err(e) => {
                    eprintln!("imagetag pin: cannot write {file}: {}", plain(&e));
                    fatal = true;
                    Ok(())
                }
            }
        };
        if let Err(e) = written {
            eprintln!("imagetag pin: {e}");
            return ExitCode::from(2);
        }
    }
    progress.done();
    let verb = if args.check { "would pin" } else { "pinned" };
    eprintln!(
        "{verb} {pinned} {} in {changed} of {files} {}",
        if pinned == 1 {
            "reference"
        } else {
            "references"
        },
        if files == 1 { "file" } else { "files" },
    );
    if fatal {
        ExitCode::from(2)
    } else if unresolved || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(
            with_tag("quay.io/vessl-ai/torch:2.3", "2.3-r1"),
            "quay.io/vessl-ai/torch:2.3-r1"
        );
        assert_eq!(with_tag("localhost:5000/x", "1"), "localhost:5000/x:1");
        assert_eq!(with_tag("ubuntu", "22.04"), "ubuntu:22.04");
    }

    #[test]
    fn diffs() {
        assert_eq!(
            diff("D", "a\nb\nc\n", "a\nB\nc\n"),
            "--- a/D\n+++ b/D\n@@ -2 +2 @@\n-b\n+B\n"
        );
    }
}
