//! `imagetag pin`: rewrite each standard alias to the revision it stands for.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use imagetag::check::{find_in, Found, Kind};
use imagetag::registry::Client;
use imagetag::{Catalog, Scheme};

use crate::config::{self, ConfigArgs, SchemeRule};
use crate::files::{self, plain, Content, Item, Progress, ReadArgs};
use crate::input;
use crate::source::RegistryArgs;

/// Pin every standard alias to its revision, in place.
///
/// Finds image references as `imagetag check` does (Dockerfiles, YAML
/// files, devcontainer.json, Jenkinsfiles, Bake files, and name lists named explicitly) and rewrites each alias that
/// resolves to a revision (`quay.io/vessl-ai/torch:2.3.0-cuda12.4` ->
/// `...:2.3.0-cuda12.4-r10`), replacing only the reference's bytes: comments
/// and formatting are kept. The tags come from the registry itself, or from
/// `--tags FILE`: tags or full names, one a line (`#` starts a comment, `-`
/// reads stdin); a bare tag is a tag of the repository being pinned.
/// `--digest` pins every reference with a tag, not only aliases, to the
/// manifest digest its registry holds now, keeping the tag for people to
/// read (`python:3.12.8-slim@sha256:…`, an alias first pinned to its
/// revision), and re-pins a `tag@digest` whose tag has moved; the digests
/// are asked of the registries all at once, a few requests in parallel.
/// `--latest` rewrites each reference to the newest image on its track, as
/// `imagetag update`. Names written with variables are left alone, with a
/// note. A file with an alias that cannot be resolved, or a digest that
/// cannot be had, is left untouched and reported.
///
/// The policy file (`.imagetag.toml`, found as `imagetag check` finds it)
/// counts too: its `skip` paths are left alone; so is a file for which it
/// says `deny-alias = false` (top level or an `[[exceptions]]` entry: there
/// aliases are allowed), or with `--digest`, `require-digest = false`; and
/// its `[[scheme]]` rules say how names under a prefix are read, unless
/// `--scheme` says otherwise. Its other keys are about checking, not
/// pinning.
///
/// Only regular files are read, up to `--max-file-size` (16 MiB by
/// default). Writes are atomic and lose nothing: the new text goes to
/// `.NAME.imagetag-pin-PID.tmp` beside the file, gets the file's owner,
/// group and mode (set-ID bits included) and replaces it by a rename. A
/// file is not rewritten (an error says why) when it is read-only (unless
/// `--write-read-only`), has more than one hard link, changed since it was
/// read, or when its owner or mode cannot be kept. Such a temporary file
/// left by a killed run is removed by the next run that writes beside it.
///
/// Exits 0 when done, 1 when an alias cannot be resolved (or, with
/// `--check`, when a file would change or an alias is left in place for
/// any reason), 2 on a usage or I/O error, or a file not rewritten.
///
/// Example: imagetag pin --tags tags.txt --check .
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to pin (default: the current directory).
    pub(crate) paths: Vec<PathBuf>,
    /// The tag list: a file of tags or full names, or `-` for stdin
    /// (default: the registry).
    #[arg(long, value_name = "FILE", conflicts_with = "registry")]
    pub(crate) tags: Option<String>,
    /// Read the tags from the registry (the default without `--tags`).
    #[arg(long)]
    registry: bool,
    /// Pin every reference with a tag to the manifest digest its registry
    /// holds now, keeping the tag (`python:3.12.8-slim@sha256:…`); an
    /// alias is first pinned to its revision. A digest already written is
    /// replaced when the tag has moved.
    #[arg(long)]
    pub(crate) digest: bool,
    /// Rewrite each reference to the newest image on its track instead,
    /// as `imagetag update` does (same options).
    #[arg(long, conflicts_with = "digest")]
    pub(crate) latest: bool,
    #[command(flatten)]
    pub(crate) within: crate::outdated::Within,
    #[command(flatten)]
    pub(crate) registry_args: RegistryArgs,
    /// Change nothing: print what would change as a diff, exit 1 if
    /// anything would or an alias is left in place (a note is not a pass).
    #[arg(long)]
    pub(crate) check: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic. A
    /// name that does not fit the given scheme is left alone.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    pub(crate) scheme: crate::explain::SchemeArg,
    /// Rewrite files that have no write permission too (their mode is
    /// kept).
    #[arg(long)]
    pub(crate) write_read_only: bool,
    #[command(flatten)]
    pub(crate) policy: ConfigArgs,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

/// Where `pin` gets the tags of a repository. The tag list is one source;
/// a registry can be another.
pub(crate) trait TagSource {
    /// The catalog of `repository` (canonical, as
    /// `quay.io/vessl-ai/torch`).
    fn catalog(&mut self, repository: &str) -> &Catalog;

    /// Whether a repository's tags could not be had (said on stderr).
    fn failed(&self) -> bool {
        false
    }
}

/// A tag list read once: its bare tags are tags of whichever repository is
/// asked for.
struct TagFile {
    command: String,
    scheme: Option<Scheme>,
    rules: Vec<SchemeRule>,
    lines: Vec<String>,
    catalogs: HashMap<String, Catalog>,
    warned: HashSet<String>,
}

impl TagSource for TagFile {
    fn catalog(&mut self, repository: &str) -> &Catalog {
        if !self.catalogs.contains_key(repository) {
            let names = self.lines.iter().map(|l| Catalog::qualify(repository, l));
            let scheme = self
                .scheme
                .or_else(|| config::scheme_of_repository(&self.rules, repository));
            let (catalog, errors) = input::catalog_of(names, scheme);
            for e in errors {
                let e = e.to_string();
                if self.warned.insert(e.clone()) {
                    eprintln!("imagetag {}: skipping: {e}", self.command);
                }
            }
            self.catalogs.insert(repository.to_owned(), catalog);
        }
        &self.catalogs[repository]
    }
}

/// The registry as a tag source: each repository's tags listed once.
struct Registry<'c> {
    command: String,
    scheme: Option<Scheme>,
    rules: Vec<SchemeRule>,
    client: &'c Client,
    catalogs: HashMap<String, Catalog>,
    failed: bool,
}

impl TagSource for Registry<'_> {
    fn catalog(&mut self, repository: &str) -> &Catalog {
        if !self.catalogs.contains_key(repository) {
            let scheme = self
                .scheme
                .or_else(|| config::scheme_of_repository(&self.rules, repository));
            let listed = match scheme {
                None => self.client.catalog(repository),
                Some(_) => self.client.tags(repository).map(|tags| {
                    let names = tags.iter().map(|t| Catalog::qualify(repository, t));
                    input::catalog_of(names, scheme).0
                }),
            };
            let catalog = listed.unwrap_or_else(|e| {
                // Said once; every alias of the repository is then unresolved.
                eprintln!("imagetag {}: {e}", self.command);
                self.failed = true;
                Catalog::new()
            });
            self.catalogs.insert(repository.to_owned(), catalog);
        }
        &self.catalogs[repository]
    }

    fn failed(&self) -> bool {
        self.failed
    }
}

/// Why a reference is not rewritten.
pub(crate) enum Outcome {
    /// It cannot be rewritten in place: said, but not a failure.
    Note(String),
    /// The tag list has neither it nor a revision of it: the file is left
    /// untouched.
    Unresolved(String),
}

/// One rewrite: the bytes to replace and what goes there.
pub(crate) struct Edit {
    pub span: Range<usize>,
    pub new: String,
}

/// A rewrite planned while reading: [`Edit`] once the registry has said
/// which digest follows `new`, if one does.
pub(crate) struct Plan {
    /// The bytes to replace.
    pub span: Range<usize>,
    /// What goes there, without the digest.
    pub new: String,
    /// The name (`name:tag`) whose manifest digest follows `new` as
    /// `@sha256:…`: asked of the registry for all plans at once.
    pub digest_of: Option<String>,
    /// The reference is written with variables and already has a digest,
    /// somewhere that is not rewritten: only say so when it moved.
    pub note_only: bool,
    /// Where the reference is, and how it is written, for messages.
    pub line: usize,
    pub column: usize,
    pub text: String,
}

impl Plan {
    fn of(found: &Found, span: Range<usize>, new: String, digest_of: Option<String>) -> Plan {
        Plan {
            span,
            new,
            digest_of,
            note_only: false,
            line: found.line,
            column: found.column,
            text: found.text.clone(),
        }
    }
}

/// The span that rewrites `found`'s tag: the whole reference as written,
/// or for an assembled reference the place its tag is written whole (an
/// `ARG` default, a Helm `tag:`).
pub(crate) fn tag_span(found: &Found) -> Result<Range<usize>, Outcome> {
    match (&found.kind, &found.tag_span) {
        (Kind::Image, _) => Ok(found.span.clone()),
        (_, Some(tag)) => Ok(tag.clone()),
        _ => Err(Outcome::Note(format!(
            "{:?} is written with variables or across lines: not rewritten (rewrite it where it is defined)",
            found.text
        ))),
    }
}

/// `name` without its digest (`@sha256:…`).
pub(crate) fn without_digest(name: &str) -> &str {
    name.split_once('@').map_or(name, |(n, _)| n)
}

/// What pinning `found` gives: `Ok(None)` when there is nothing to do.
/// With `digest`, every reference with a tag is pinned to a digest too:
/// an alias first to its revision, then each to the digest its tag names
/// now (a digest already written is replaced when the tag has moved).
fn pin(
    found: &Found,
    tags: &mut dyn TagSource,
    digest: bool,
    scheme: Option<Scheme>,
) -> Result<Option<Plan>, Outcome> {
    // A name a build makes (a Bake target's tag, `docker.build`, a Compose
    // service's `image:` built, never pulled) is not rewritten: that would
    // rename what the build makes (see `Found::output`).
    if !matches!(found.kind, Kind::Image | Kind::Expanded) || found.output {
        return Ok(None);
    }
    let Ok(image) = input::image(&found.text, scheme) else {
        return Ok(None); // invalid: `imagetag check` says so
    };
    let r = image.reference();
    let resolvable = image.is_alias() && r.digest().is_none() && image.alias_tag().is_some();
    if !resolvable {
        // Without --digest only aliases are pinned; with it, a reference
        // with a tag keeps its tag and gets the digest the tag names now.
        let Some(tag) = r.tag().filter(|_| digest) else {
            return Ok(None);
        };
        let ask = without_digest(&found.text).to_owned();
        if found.kind == Kind::Image {
            return Ok(Some(Plan::of(
                found,
                found.span.clone(),
                ask.clone(),
                Some(ask),
            )));
        }
        let span = tag_span(found)?;
        let mut plan = Plan::of(found, span, tag.to_owned(), Some(ask));
        plan.note_only = r.digest().is_some();
        return Ok(Some(plan));
    }
    // An assembled reference is rewritten where its tag is written whole
    // (an `ARG` default, a Helm `tag:`), or not at all.
    let span = tag_span(found).map_err(|e| match e {
        Outcome::Note(m) => Outcome::Note(m.replace("rewrite it", "pin")),
        e => e,
    })?;
    let repository = r.without_tag_or_digest().canonical().to_string();
    let pinned = tags
        .catalog(&repository)
        .resolve(&image)
        .map_err(|e| Outcome::Unresolved(format!("cannot resolve {:?}: {e}", found.text)))?;
    let Some(tag) = pinned.reference().tag() else {
        return Ok(None);
    };
    if !digest && r.tag() == Some(tag) {
        return Ok(None); // the list has the alias but no revision of it
    }
    let new = if found.kind == Kind::Image {
        with_tag(&found.text, tag)
    } else {
        tag.to_owned()
    };
    let ask = digest.then(|| pinned.to_string());
    Ok(Some(Plan::of(found, span, new, ask)))
}

/// `name` as written, with its tag replaced by (or given) `tag`.
pub(crate) fn with_tag(name: &str, tag: &str) -> String {
    let name = without_digest(name);
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

/// `text` with `edits` (sorted, not overlapping) applied, written to `w`
/// piece by piece: no copy of the whole text is made.
fn write_edits(w: &mut impl Write, text: &[u8], edits: &[Edit]) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(64 << 10, w);
    let mut at = 0;
    for e in edits {
        w.write_all(&text[at..e.span.start])?;
        w.write_all(e.new.as_bytes())?;
        at = e.span.end;
    }
    w.write_all(&text[at..])?;
    w.flush()
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

/// How [`write_back`] may write.
pub(crate) struct WriteOptions {
    /// Rewrite a file that has no write permission (`--write-read-only`).
    pub read_only: bool,
}

/// An identity and state of a file that a concurrent change would alter.
#[cfg(unix)]
fn state(m: &Metadata) -> impl PartialEq + std::fmt::Debug {
    use std::os::unix::fs::MetadataExt;
    (
        (m.dev(), m.ino(), m.nlink()),
        (
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
        ),
        (m.mode(), m.uid(), m.gid()),
    )
}

/// Replaces the file `path`, read as `old` with metadata `read`, by `old`
/// with `edits` applied.
///
/// What a careful user expects, or an error saying why not (the file is
/// then untouched and no temporary file is left):
///
/// - a file with no write permission (no `w` bit at all, or one this user
///   cannot open for writing) is not rewritten unless `options.read_only`;
/// - a file with more than one hard link is not rewritten: replacing it
///   would cut it from its other names;
/// - the new file gets the old one's owner, group and mode bits (set-user-
///   and set-group-ID and sticky bits included), or the file is not
///   rewritten;
/// - the file must still be the one read, with the same bytes, just before
///   the rename: a change made meanwhile is not overwritten;
/// - the new text goes to `.NAME.imagetag-pin-PID.tmp` in the same
///   directory (mode 0600 until complete), flushed to disk, then renamed
///   over the file: a reader sees the old file or the new one, never a mix.
#[cfg(unix)]
fn write_back(
    path: &Path,
    old: &[u8],
    read: &Metadata,
    edits: &[Edit],
    options: &WriteOptions,
) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};

    let target = fs::canonicalize(path).map_err(|e| plain(&e))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    unchanged(&target, old, read)?;
    if read.nlink() > 1 {
        return Err(format!(
            "it has {} hard links, and replacing it would cut it from the others: not rewritten \
             (copy it to a file of its own first)",
            read.nlink()
        ));
    }
    if !options.read_only {
        let mode = read.mode() & 0o7777;
        let writable = mode & 0o222 != 0
            && match OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                .open(&target)
            {
                Ok(_) => true,
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => false,
                Err(e) => return Err(plain(&e)),
            };
        if !writable {
            return Err(format!(
                "it is read-only (mode {mode:04o}, owner uid {}): not rewritten \
                 (--write-read-only rewrites it and keeps its mode)",
                read.uid()
            ));
        }
    }
    let tmp = dir.join(format!(".{name}.imagetag-pin-{}.tmp", std::process::id()));
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| format!("cannot create {}: {}", tmp.display(), plain(&e)))?;
    let result = (|| {
        write_edits(&mut f, old, edits).map_err(|e| plain(&e))?;
        // Owner first: changing it clears the set-ID bits.
        let (uid, gid) = (read.uid(), read.gid());
        let mine = f.metadata().map_err(|e| plain(&e))?;
        if (mine.uid(), mine.gid()) != (uid, gid) {
            std::os::unix::fs::fchown(&f, Some(uid), Some(gid)).map_err(|e| {
                format!(
                    "cannot keep its owner (uid {uid}, gid {gid}): {}: not rewritten",
                    plain(&e)
                )
            })?;
        }
        let mode = read.mode() & 0o7777;
        f.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| plain(&e))?;
        let now = f.metadata().map_err(|e| plain(&e))?;
        if (now.mode() & 0o7777, now.uid(), now.gid()) != (mode, uid, gid) {
            return Err(format!(
                "cannot keep its mode {mode:04o} and owner (uid {uid}, gid {gid}): \
                 the new file would have mode {:04o}, uid {}, gid {}: not rewritten",
                now.mode() & 0o7777,
                now.uid(),
                now.gid()
            ));
        }
        f.sync_all().map_err(|e| plain(&e))?;
        unchanged(&target, old, read)?;
        fs::rename(&tmp, &target).map_err(|e| plain(&e))?;
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

/// Ok when `target` is still the file read as `old` with metadata `read`:
/// the same inode, length, times, mode, owner and bytes (compared a block
/// at a time, so that no second copy of the text is held).
#[cfg(unix)]
fn unchanged(target: &Path, old: &[u8], read: &Metadata) -> Result<(), String> {
    let changed = || "it changed since pin read it: not rewritten (run pin again)".to_owned();
    let (mut file, meta) = files::open_regular(target).map_err(|_| changed())?;
    if state(&meta) != state(read) {
        return Err(changed());
    }
    let mut block = vec![0; 64 << 10];
    let mut at = 0;
    loop {
        let n = match io::Read::read(&mut file, &mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(plain(&e)),
        };
        if n == 0 {
            break;
        }
        if old.get(at..at + n) != Some(&block[..n]) {
            return Err(changed());
        }
        at += n;
    }
    if at != old.len() {
        return Err(changed());
    }
    Ok(())
}

/// [`write_back`] where there are no owners, set-ID bits or inodes to
/// keep: the same temporary file, check for a change and rename.
#[cfg(not(unix))]
fn write_back(
    path: &Path,
    old: &[u8],
    read: &Metadata,
    edits: &[Edit],
    options: &WriteOptions,
) -> Result<(), String> {
    let target = fs::canonicalize(path).map_err(|e| plain(&e))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    if read.permissions().readonly() && !options.read_only {
        return Err("it is read-only: not rewritten (--write-read-only rewrites it)".to_owned());
    }
    let unchanged = || match files::read_bytes(&target, old.len() as u64 + 1) {
        Ok((now, m)) if now == old && m.modified().ok() == read.modified().ok() => Ok(()),
        _ => Err("it changed since pin read it: not rewritten (run pin again)".to_owned()),
    };
    unchanged()?;
    let tmp = dir.join(format!(".{name}.imagetag-pin-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| plain(&e))?;
        write_edits(&mut f, old, edits).map_err(|e| plain(&e))?;
        f.set_permissions(read.permissions())
            .map_err(|e| plain(&e))?;
        f.sync_all().map_err(|e| plain(&e))?;
        drop(f);
        unchanged()?;
        fs::rename(&tmp, &target).map_err(|e| plain(&e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files that killed runs of pin left in `dir`
/// (`.NAME.imagetag-pin-PID.tmp` whose process is gone), saying so.
/// Only where `/proc` tells which processes are alive.
fn remove_stale(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file
            .to_str()
            .filter(|n| n.starts_with('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once(".imagetag-pin-"))
            .map(|(_, pid)| pid)
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let alive = pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists();
        if !alive && e.file_type().is_ok_and(|t| t.is_file()) && fs::remove_file(e.path()).is_ok() {
            eprintln!(
                "imagetag pin: removed {}, left by an interrupted run",
                e.path().display()
            );
        }
    }
}

/// A file read, with the rewrites planned in it.
pub(crate) struct Pending {
    pub path: PathBuf,
    pub file: String,
    pub text: String,
    pub meta: Metadata,
    pub plans: Vec<Plan>,
}

/// What [`rewrite`] did.
#[derive(Default)]
pub(crate) struct Rewritten {
    /// Files changed (or, with `--check`, that would change).
    pub changed: usize,
    /// References rewritten.
    pub edits: usize,
    /// Rewrites left out (they overlap, or a note says why).
    pub left: usize,
    /// A digest could not be had: a file was left untouched.
    pub unresolved: bool,
    /// A file could not be written, or standard output failed.
    pub fatal: bool,
}

/// Asks the registry for every digest the plans need, at once (a bounded
/// pool of parallel requests), then rewrites each file in place (or, with
/// `check`, prints the diff). A file for which a digest cannot be had is
/// left untouched, with an error naming the reference.
pub(crate) fn rewrite(
    command: &str,
    pending: Vec<Pending>,
    client: &Client,
    check: bool,
    options: &WriteOptions,
    out: &mut impl Write,
) -> Rewritten {
    let names: Vec<&str> = pending
        .iter()
        .flat_map(|p| &p.plans)
        .filter_map(|p| p.digest_of.as_deref())
        .collect();
    let mut answers: HashMap<&str, Result<String, imagetag::registry::Error>> = HashMap::new();
    if !names.is_empty() {
        for (name, answer) in names.iter().zip(client.digests(&names)) {
            answers.insert(name, answer);
        }
    }
    let mut done = Rewritten::default();
    let mut cleaned: HashSet<PathBuf> = HashSet::new();
    for p in &pending {
        let mut edits = Vec::new();
        let mut failed = false;
        for plan in &p.plans {
            let new = match plan.digest_of.as_deref().map(|n| &answers[n]) {
                None => plan.new.clone(),
                Some(Ok(d)) => format!("{}@{d}", plan.new),
                Some(Err(e)) => {
                    eprintln!(
                        "{}:{}:{}: error: cannot pin {:?} to a digest: {e}",
                        p.file, plan.line, plan.column, plan.text
                    );
                    failed = true;
                    continue;
                }
            };
            if p.text.get(plan.span.clone()) == Some(new.as_str()) {
                continue; // already so: the digest has not moved
            }
            if plan.note_only {
                if plan.text.split_once('@').map(|(_, d)| d) != new.split_once('@').map(|(_, d)| d)
                {
                    eprintln!(
                        "{}:{}:{}: note: {:?} is written with variables and its tag now names {}: not rewritten (re-pin it where its digest is written)",
                        p.file,
                        plan.line,
                        plan.column,
                        plan.text,
                        new.split_once('@').map_or("", |(_, d)| d)
                    );
                    done.left += 1;
                }
                continue;
            }
            edits.push(Edit {
                span: plan.span.clone(),
                new,
            });
        }
        if failed {
            eprintln!("imagetag {command}: {}: left untouched", p.file);
            done.unresolved = true;
            continue;
        }
        if edits.is_empty() {
            continue;
        }
        edits.sort_by_key(|e| e.span.start);
        // Several references can take their tag from one `ARG` default:
        // one rewrite there does them all.
        edits.dedup_by(|b, a| a.span == b.span && a.new == b.new);
        let before = edits.len();
        let mut end = 0;
        edits.retain(|e| {
            let keep = e.span.start >= end;
            end = end.max(e.span.end);
            keep
        });
        if edits.len() < before {
            eprintln!("{}: note: rewrites that overlap were left out", p.file);
            done.left += before - edits.len();
        }
        let mut wrote = true;
        let written = if check {
            write!(out, "{}", diff(&p.file, &p.text, &apply(&p.text, &edits)))
        } else {
            if let Some(dir) = fs::canonicalize(&p.path)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
            {
                if !cleaned.contains(&dir) {
                    remove_stale(&dir);
                    cleaned.insert(dir);
                }
            }
            match write_back(&p.path, p.text.as_bytes(), &p.meta, &edits, options) {
                Ok(()) => writeln!(
                    out,
                    "{}: {} {}",
                    p.file,
                    if command == "pin" {
                        "pinned"
                    } else {
                        "updated"
                    },
                    edits.len()
                ),
                Err(e) => {
                    eprintln!("imagetag {command}: cannot write {}: {e}", p.file);
                    done.fatal = true;
                    wrote = false;
                    Ok(())
                }
            }
        };
        if let Err(e) = written {
            eprintln!("imagetag {command}: {e}");
            done.fatal = true;
            return done;
        }
        if wrote {
            done.changed += 1;
            done.edits += edits.len();
        }
    }
    done
}

/// The tag source the flags ask for: the tag list `--tags FILE`, or the
/// registry. `None` after a message when the list cannot be read.
pub(crate) fn source<'c>(
    command: &str,
    tags: Option<&str>,
    max: u64,
    scheme: Option<Scheme>,
    rules: Vec<SchemeRule>,
    client: &'c Client,
) -> Option<Box<dyn TagSource + 'c>> {
    match tags {
        Some(path) => match input::tag_list_max(path, max) {
            Ok(lines) => Some(Box::new(TagFile {
                scheme,
                rules,
                lines,
                catalogs: HashMap::new(),
                warned: HashSet::new(),
                command: command.to_owned(),
            })),
            Err(e) => {
                eprintln!("imagetag {command}: {e}");
                None
            }
        },
        None => Some(Box::new(Registry {
            scheme,
            rules,
            client,
            catalogs: HashMap::new(),
            command: command.to_owned(),
            failed: false,
        })),
    }
}

/// Runs `imagetag pin`.
pub fn run(args: Args) -> ExitCode {
    if args.latest {
        return crate::outdated::update_from_pin(args);
    }
    let config = match args.policy.load("pin") {
        Ok(c) => c,
        Err(code) => return code,
    };
    let config = config.as_ref();
    let client = args.registry_args.client();
    let Some(mut tags) = source(
        "pin",
        args.tags.as_deref(),
        args.read.max_file_size,
        args.scheme.0,
        config.map_or_else(Vec::new, |c| c.scheme_rules().to_vec()),
        &client,
    ) else {
        return ExitCode::from(2);
    };
    let mut progress = Progress::new("pin");
    let mut files = 0usize;
    let (mut unresolved, mut fatal) = (false, false);
    let mut left = 0usize;
    let mut pending = Vec::new();
    for item in files::items(&args.paths, args.read.kind) {
        let (path, kind) = match item {
            Item::Fatal(message) => {
                eprintln!("imagetag pin: {message}");
                fatal = true;
                continue;
            }
            Item::Unreadable { path, .. }
                if config.is_some_and(|c| c.skips(&path, path.is_dir())) =>
            {
                continue;
            }
            Item::Unreadable { path, message } => {
                eprintln!("imagetag pin: {}: cannot read: {message}", path.display());
                fatal = true;
                continue;
            }
            Item::File { path, kind, .. } => (path, kind),
        };
        if let Some(c) = config {
            // Skipped, or a place where the policy allows what pin would
            // take away: left alone, as `check` leaves it.
            let settings = c.settings(&path);
            let allowed = if args.digest {
                settings.require_digest == Some(false)
            } else {
                settings.deny_alias == Some(false)
            };
            if allowed || c.skips(&path, false) {
                continue;
            }
        }
        let file = path.display().to_string();
        let (text, meta) = match files::read(&path, args.read.max_file_size) {
            Content::Text(t, m) => (t, m),
            Content::Binary | Content::NotUtf8(_) => continue,
            Content::Error(e) => {
                eprintln!("imagetag pin: cannot read {file}: {e}");
                fatal = true;
                continue;
            }
        };
        files += 1;
        progress.tick(files);
        let mut plans = Vec::new();
        let mut failed = false;
        for found in find_in(kind, &path, &text) {
            let scheme = args
                .scheme
                .0
                .or_else(|| config.and_then(|c| c.scheme_for(&found.text)));
            match pin(&found, tags.as_mut(), args.digest, scheme) {
                Ok(Some(p)) => plans.push(p),
                Ok(None) => {}
                Err(Outcome::Note(message)) => {
                    eprintln!("{file}:{}:{}: note: {message}", found.line, found.column);
                    left += 1;
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
        if !plans.is_empty() {
            pending.push(Pending {
                path,
                file,
                text,
                meta,
                plans,
            });
        }
    }
    progress.done();
    let options = WriteOptions {
        read_only: args.write_read_only,
    };
    let done = rewrite(
        "pin",
        pending,
        &client,
        args.check,
        &options,
        &mut io::stdout().lock(),
    );
    left += done.left;
    let verb = if args.check { "would pin" } else { "pinned" };
    let mut summary = format!(
        "{verb} {} in {} of {}",
        plural(done.edits, "reference", "references"),
        done.changed,
        plural(files, "file", "files"),
    );
    if left > 0 {
        summary += &format!(", {} left in place", plural(left, "alias", "aliases"));
    }
    eprintln!("{summary}");
    if fatal || done.fatal {
        ExitCode::from(2)
    } else if unresolved || done.unresolved || (args.check && (done.changed > 0 || left > 0)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `n` and the noun that goes with it.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
