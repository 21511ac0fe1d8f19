//! `imagetag outdated` and `imagetag update`: the references that have a
//! newer image on their own track, listed or rewritten.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use imagetag::check::{find_in, Found, Kind, Severity};
use imagetag::{Catalog, Image, Scheme, Track, Version};
use serde_json::json;

use crate::config::{Config, ConfigArgs};
use crate::files::{self, Content, Item, Progress, ReadArgs};
use crate::input;
use crate::pin::{self, plural, Outcome, Pending, Plan, TagSource, WriteOptions};
use crate::sarif;
use crate::source::RegistryArgs;

/// How far a newer image may be: the options `outdated` and `update` share.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Within {
    /// Only newer images whose version satisfies REQ (`<3`, `>=2.2, <3`),
    /// as `latest --version` takes it; versions with fewer parts read as
    /// `.0`.
    #[arg(long, value_name = "REQ")]
    pub version: Option<semver::VersionReq>,
    /// Stay within the reference's patch line: the same major and minor
    /// version (`3.12.7` may go to `3.12.8`, not to `3.13.1`).
    #[arg(long, conflicts_with = "minor")]
    pub patch: bool,
    /// Stay within the reference's minor line: the same major version
    /// (`3.12.7` may go to `3.13.1`, not to `4.0.0`).
    #[arg(long)]
    pub minor: bool,
}

impl Within {
    /// Whether a candidate of version `new` is within reach of a reference
    /// of version `old`.
    fn allows(&self, old: Option<&Version>, new: Option<&Version>) -> bool {
        if let Some(req) = &self.version {
            if !new.is_some_and(|v| v.matches(req)) {
                return false;
            }
        }
        let line = |v: Option<&Version>, parts: usize| {
            v.map(|v| {
                let p = v.parts();
                (p[0], if parts > 1 { p.get(1).copied() } else { None })
            })
        };
        // A line is known only from a version: without one, only the
        // requirement (if any) applies.
        if self.patch {
            return old.is_some() && line(old, 2) == line(new, 2);
        }
        if self.minor {
            return old.is_some() && line(old, 1) == line(new, 1);
        }
        true
    }
}

/// List the references that have a newer image on their own track.
///
/// Finds image references as `imagetag check` does and, for each pinned
/// one (a moving name such as an alias, `latest` or `3.12-slim` beside
/// `3.12.8-slim` is left to `pin`), looks for the newest image on its own
/// track: a newer revision, a newer release or version with the same
/// flavour, OS, CUDA line and Python, by the order of the reference's
/// scheme. A pre-release is proposed only to a reference that is already
/// on one. The tags come from each repository's registry (the default) or
/// from `--tags FILE` (tags or full names, one a line; a bare tag is a tag
/// of the repository asked about). TWCC releases live in repositories of
/// their own: a newer one is found only in a tag list that names it.
///
/// Prints `FILE:LINE:COL: CURRENT -> NEWEST` a line (text), one JSON
/// object a line (json), workflow annotations (github) or one SARIF 2.1.0
/// log (sarif); a summary goes to stderr. Where newer images exist but
/// none is the newest (they do not compare), a note says so and nothing is
/// proposed. Exits 0 when nothing is out of date, 1 when anything is (a
/// note counts), 2 on a usage error, a path or file that
/// cannot be read, or a registry that cannot be asked.
///
/// Example: imagetag outdated --minor --tags tags.txt .
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to look at (default: the current directory).
    paths: Vec<PathBuf>,
    /// Output: text, json, github (workflow annotations) or sarif.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "github", "sarif"])]
    format: String,
    #[command(flatten)]
    source: Source,
}

/// Where `outdated` and `update` get tags, which references they read and
/// which newer images they take.
#[derive(clap::Args, Debug)]
pub struct Source {
    /// The tag list: a file of tags or full names, or `-` for stdin
    /// (default: the registry).
    #[arg(long, value_name = "FILE", conflicts_with = "registry")]
    tags: Option<String>,
    /// Read the tags from the registry (the default without `--tags`).
    #[arg(long)]
    registry: bool,
    #[command(flatten)]
    within: Within,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic.
    #[arg(long, default_value = "auto", value_parser = crate::explain::parse_scheme)]
    scheme: crate::explain::SchemeArg,
    #[command(flatten)]
    registry_args: RegistryArgs,
    #[command(flatten)]
    policy: ConfigArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// Rewrite each reference to the newest image on its own track.
///
/// The references `imagetag outdated` lists are rewritten in place, only
/// their bytes (a reference assembled from an `ARG` default or a Helm
/// `tag:` is rewritten where its tag is written), as `pin` writes:
/// atomically, keeping owner and mode, refusing a file that changed
/// meanwhile. A reference that has a digest gets the digest of its new tag
/// from the registry. `pin --latest` does the same.
///
/// Exits 0 when done, 1 with `--check` when a file would change (the diff
/// is printed) or a newer image is left in place (a note says why), or
/// when a digest cannot be had (the file is left untouched), 2 on a usage
/// or I/O error, a registry that cannot be asked, or a file not rewritten.
///
/// Example: imagetag update --patch --check .
#[derive(clap::Args, Debug)]
pub struct UpdateArgs {
    /// Files and directories to update (default: the current directory).
    paths: Vec<PathBuf>,
    /// Change nothing: print what would change as a diff, exit 1 if
    /// anything would.
    #[arg(long)]
    check: bool,
    /// Rewrite files that have no write permission too (their mode is
    /// kept).
    #[arg(long)]
    write_read_only: bool,
    #[command(flatten)]
    source: Source,
}

/// A reference with a newer image on its track.
struct Hit {
    /// The newest image.
    newest: Image,
    /// The newest, written as the reference is (`python:3.13.1-slim` for
    /// `python:3.12.7-slim@sha256:…`).
    written: String,
    track: Track,
}

/// Finds the newest image on a reference's track, a repository's tags
/// asked once.
struct Finder<'s> {
    tags: Box<dyn TagSource + 's>,
    scheme: Option<Scheme>,
    /// The policy file: its scheme rules, where `--scheme` is not given.
    config: Option<&'s Config>,
    within: Within,
    /// Each repository's images by track.
    tracks: HashMap<String, HashMap<Track, Vec<Image>>>,
}

/// Whether an image is a pre-release (`3.13.0rc1`, NGC `25.01.rc0-py3`).
fn prerelease(img: &Image) -> bool {
    img.facts().prerelease
}

/// An image's version as `latest --version` reads it (its query facts):
/// a VESSL image's framework version or leading version (the Python of a
/// `python` image), else its version or release (`3.12.8`, `24.01`,
/// `v1.8.2` → `1.8.2`).
fn version_of(img: &Image) -> Option<Version> {
    img.facts().version
}

impl Finder<'_> {
    /// The newest image on `found`'s track newer than it: `Ok(None)` when
    /// there is none (or `found` is moving, invalid or not a tag).
    fn newer(&mut self, found: &Found) -> Result<Option<Hit>, Outcome> {
        if !matches!(found.kind, Kind::Image | Kind::Expanded) {
            return Ok(None);
        }
        let scheme = self
            .scheme
            .or_else(|| self.config.and_then(|c| c.scheme_for(&found.text)));
        let Ok(image) = input::image(&found.text, scheme) else {
            return Ok(None);
        };
        let r = image.reference();
        if r.tag().is_none() || image.is_alias() {
            return Ok(None);
        }
        let repository = r.without_tag_or_digest().canonical().to_string();
        // The tag alone: the catalog holds tags, not digests.
        let Ok(current) = input::image(pin::without_digest(&found.text), scheme) else {
            return Ok(None);
        };
        let catalog = self.tags.catalog(&repository);
        // A less precise version beside tags it covers is moving.
        if catalog.resolve(&current).is_ok_and(|x| *x != current) {
            return Ok(None);
        }
        let tracks = self
            .tracks
            .entry(repository)
            .or_insert_with(|| by_track(catalog));
        let track = current.track();
        let Some(members) = tracks.get(&track) else {
            return Ok(None);
        };
        let pre = prerelease(&current);
        let old = version_of(&current);
        let mut candidates: Vec<&Image> = members
            .iter()
            .filter(|c| {
                !c.is_alias()
                    && (pre || !prerelease(c))
                    && c.compare(&current) == Some(std::cmp::Ordering::Greater)
                    && self.within.allows(old.as_ref(), version_of(c).as_ref())
            })
            .collect();
        // A moving tag among them (`3.13-slim` beside `3.13.1-slim`) is
        // not a proposal: its newest is. Only those that stand in the way
        // of one newest are asked about (a scan of the repository each).
        let moving = |img: &Image| catalog.resolve(img).is_ok_and(|x| x != img);
        let img = loop {
            match newest_of(&candidates) {
                Newest::None => return Ok(None),
                Newest::One(i) if moving(candidates[i]) => {
                    candidates.remove(i);
                }
                Newest::One(i) => break candidates[i],
                Newest::Ambiguous(those) => {
                    let movers: Vec<usize> = those
                        .into_iter()
                        .filter(|&i| moving(candidates[i]))
                        .collect();
                    if movers.is_empty() {
                        return Err(Outcome::Note(format!(
                            "{:?} has newer images on its track, but none is the newest (they do not compare): left as it is",
                            found.text
                        )));
                    }
                    for i in movers.into_iter().rev() {
                        candidates.remove(i);
                    }
                }
            }
        };
        let same_repository = img
            .reference()
            .without_tag_or_digest()
            .canonical()
            .to_string()
            == r.without_tag_or_digest().canonical().to_string();
        let written = match img.reference().tag() {
            Some(tag) if same_repository => pin::with_tag(&found.text, tag),
            _ => img.to_string(),
        };
        Ok(Some(Hit {
            newest: img.clone(),
            written,
            track,
        }))
    }
}

/// The images of `catalog` by track.
fn by_track(catalog: &Catalog) -> HashMap<Track, Vec<Image>> {
    let mut out: HashMap<Track, Vec<Image>> = HashMap::new();
    for img in catalog.iter() {
        out.entry(img.track()).or_default().push(img.clone());
    }
    out
}

enum Newest {
    None,
    One(usize),
    /// No single newest: the greatest found, and those that do not
    /// compare with it (sorted).
    Ambiguous(Vec<usize>),
}

/// The greatest of `images` by their scheme's order, when one is greater
/// than all the others.
fn newest_of(images: &[&Image]) -> Newest {
    if images.is_empty() {
        return Newest::None;
    }
    let mut best = 0;
    for (i, img) in images.iter().enumerate().skip(1) {
        if img.compare(images[best]) == Some(std::cmp::Ordering::Greater) {
            best = i;
        }
    }
    let those: Vec<usize> = (0..images.len())
        .filter(|&i| {
            i == best || images[best].compare(images[i]) != Some(std::cmp::Ordering::Greater)
        })
        .collect();
    if those.len() > 1 {
        return Newest::Ambiguous(those);
    }
    Newest::One(best)
}

/// What a walk found.
#[derive(Default)]
struct Walked {
    files: usize,
    references: usize,
    /// A path or file could not be read.
    fatal: bool,
}

/// Walks `paths`, and hands each file read, with each reference found and
/// what [`Finder::newer`] says of it, to `each`.
fn walk(
    command: &'static str,
    paths: &[PathBuf],
    read: &ReadArgs,
    config: Option<&Config>,
    finder: &mut Finder<'_>,
    mut each: impl FnMut(&Path, String, String, Metadata, Vec<(Found, Result<Hit, String>)>),
) -> Walked {
    let mut walked = Walked::default();
    let mut progress = Progress::new(command);
    for item in files::items(paths, read.kind) {
        let (path, kind) = match item {
            Item::Fatal(message) => {
                eprintln!("imagetag {command}: {message}");
                walked.fatal = true;
                continue;
            }
            Item::Unreadable { path, .. }
                if config.is_some_and(|c| c.skips(&path, path.is_dir())) =>
            {
                continue;
            }
            Item::File { path, .. } if config.is_some_and(|c| c.skips(&path, false)) => continue,
            Item::Unreadable { path, message } => {
                eprintln!(
                    "imagetag {command}: {}: cannot read: {message}",
                    path.display()
                );
                walked.fatal = true;
                continue;
            }
            Item::File { path, kind, .. } => (path, kind),
        };
        let file = path.display().to_string();
        let (text, meta) = match files::read(&path, read.max_file_size) {
            Content::Text(t, m) => (t, m),
            Content::Binary | Content::NotUtf8(_) => continue,
            Content::Error(e) => {
                eprintln!("imagetag {command}: cannot read {file}: {e}");
                walked.fatal = true;
                continue;
            }
        };
        walked.files += 1;
        progress.tick(walked.files);
        let mut hits = Vec::new();
        for found in find_in(kind, &path, &text) {
            if matches!(found.kind, Kind::Image | Kind::Expanded) {
                walked.references += 1;
            }
            match finder.newer(&found) {
                Ok(Some(hit)) => hits.push((found, Ok(hit))),
                Ok(None) => {}
                Err(Outcome::Note(m) | Outcome::Unresolved(m)) => hits.push((found, Err(m))),
            }
        }
        each(&path, file, text, meta, hits);
    }
    progress.done();
    walked
}

/// The finder the flags ask for; `None` after a message.
fn finder<'c>(
    command: &'static str,
    tags: Option<&str>,
    max: u64,
    scheme: Option<Scheme>,
    within: &Within,
    client: &'c imagetag::registry::Client,
    config: Option<&'c Config>,
) -> Option<Finder<'c>> {
    let rules = config.map_or_else(Vec::new, |c| c.scheme_rules().to_vec());
    Some(Finder {
        tags: pin::source(command, tags, max, scheme, rules, client)?,
        scheme,
        config,
        within: within.clone(),
        tracks: HashMap::new(),
    })
}

/// The SARIF rule of `outdated`.
const RULE: sarif::Rule = sarif::Rule {
    id: "outdated",
    title: "A newer image is on the reference's track",
    help:
        "The registry (or the tag list) has a newer image on this reference's own track: a newer \
           revision, or a newer release or version with the same flavour, OS, CUDA line and \
           Python. Rewrite it with `imagetag update` (`--patch` or `--minor` to stay within a \
           line, `--version REQ` within a requirement).",
    severity: Severity::Note,
};

/// Runs `imagetag outdated`.
pub fn run(args: Args) -> ExitCode {
    let source = &args.source;
    let config = match source.policy.load("outdated") {
        Ok(c) => c,
        Err(code) => return code,
    };
    let client = source.registry_args.client();
    let Some(mut finder) = finder(
        "outdated",
        source.tags.as_deref(),
        source.read.max_file_size,
        source.scheme.0,
        &source.within,
        &client,
        config.as_ref(),
    ) else {
        return ExitCode::from(2);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut entries = Vec::new();
    let (mut outdated, mut notes) = (0usize, 0usize);
    let mut failed: Option<io::Error> = None;
    let format = args.format.as_str();
    let walked = walk(
        "outdated",
        &args.paths,
        &source.read,
        config.as_ref(),
        &mut finder,
        |_, file, text, _, hits| {
            for (found, hit) in hits {
                let hit = match hit {
                    Ok(h) => h,
                    Err(m) => {
                        eprintln!("{file}:{}:{}: note: {m}", found.line, found.column);
                        notes += 1;
                        continue;
                    }
                };
                outdated += 1;
                let written = text.get(found.span.clone()).unwrap_or("");
                let end_column = (!written.is_empty() && !written.contains('\n'))
                    .then(|| found.column + written.chars().count());
                let message = format!(
                    "{} is outdated: {} is the newest on its track",
                    found.text, hit.written
                );
                let printed = match format {
                    "json" => writeln!(
                        out,
                        "{}",
                        json!({
                            "file": file,
                            "line": found.line,
                            "column": found.column,
                            "current": found.text,
                            "newest": hit.written,
                            "newest_name": hit.newest.to_string(),
                            "track": hit.track.as_str(),
                        })
                    ),
                    "github" => writeln!(
                        out,
                        "::warning file={},line={},col={}::{}",
                        property(&file),
                        found.line,
                        found.column,
                        data(&message)
                    ),
                    "sarif" => {
                        entries.push(sarif::Entry {
                            rule: RULE.id,
                            severity: RULE.severity,
                            message,
                            file: file.clone(),
                            region: Some(sarif::Region {
                                line: found.line,
                                column: found.column,
                                end_column,
                            }),
                        });
                        Ok(())
                    }
                    _ => writeln!(
                        out,
                        "{file}:{}:{}: {} -> {}",
                        found.line, found.column, found.text, hit.written
                    ),
                };
                if let Err(e) = printed {
                    failed.get_or_insert(e);
                }
            }
        },
    );
    let incomplete = finder.tags.failed();
    if format == "sarif" {
        if let Err(e) = sarif::write(&mut out, &[RULE], &entries, !walked.fatal && !incomplete) {
            failed.get_or_insert(e);
        }
    }
    if let Some(e) = failed.or_else(|| out.flush().err()) {
        eprintln!("imagetag outdated: {e}");
        return ExitCode::from(2);
    }
    let mut summary = format!(
        "{} outdated of {} in {}",
        outdated,
        plural(walked.references, "reference", "references"),
        plural(walked.files, "file", "files"),
    );
    if notes > 0 {
        summary += &format!(", {}", plural(notes, "note", "notes"));
    }
    eprintln!("{summary}");
    if walked.fatal || incomplete {
        ExitCode::from(2)
    } else if outdated > 0 || notes > 0 {
        // A note says that newer images exist, only not which is newest.
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A workflow command's message, escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The plan that rewrites `found` to `hit`.
fn plan(found: &Found, hit: &Hit) -> Result<Plan, String> {
    let digest = found.text.contains('@');
    let ask = |new: &str| digest.then(|| new.to_owned());
    if found.kind == Kind::Image {
        return Ok(Plan {
            span: found.span.clone(),
            new: hit.written.clone(),
            digest_of: ask(&hit.written),
            note_only: false,
            line: found.line,
            column: found.column,
            text: found.text.clone(),
        });
    }
    let tag = hit.newest.reference().tag().map(str::to_owned);
    let same = pin::with_tag(&found.text, tag.as_deref().unwrap_or("")) == hit.written;
    match (pin::tag_span(found), tag) {
        (Ok(span), Some(tag)) if same && !digest => Ok(Plan {
            span,
            new: tag,
            digest_of: None,
            note_only: false,
            line: found.line,
            column: found.column,
            text: found.text.clone(),
        }),
        _ => Err(format!(
            "{:?} is written with variables: not rewritten to {} (update it where it is defined)",
            found.text, hit.written
        )),
    }
}

/// The options of `update`, from `update` or `pin --latest`.
struct Update<'a> {
    paths: &'a [PathBuf],
    tags: Option<&'a str>,
    within: &'a Within,
    check: bool,
    scheme: Option<Scheme>,
    write_read_only: bool,
    registry: &'a RegistryArgs,
    policy: &'a ConfigArgs,
    read: &'a ReadArgs,
}

/// Runs `imagetag update`.
pub fn update(args: UpdateArgs) -> ExitCode {
    run_update(&Update {
        paths: &args.paths,
        tags: args.source.tags.as_deref(),
        within: &args.source.within,
        check: args.check,
        scheme: args.source.scheme.0,
        write_read_only: args.write_read_only,
        registry: &args.source.registry_args,
        policy: &args.source.policy,
        read: &args.source.read,
    })
}

/// Runs `imagetag pin --latest`: `update` with `pin`'s flags.
pub fn update_from_pin(args: pin::Args) -> ExitCode {
    run_update(&Update {
        paths: &args.paths,
        tags: args.tags.as_deref(),
        within: &args.within,
        check: args.check,
        scheme: args.scheme.0,
        write_read_only: args.write_read_only,
        registry: &args.registry_args,
        policy: &args.policy,
        read: &args.read,
    })
}

fn run_update(args: &Update<'_>) -> ExitCode {
    let config = match args.policy.load("update") {
        Ok(c) => c,
        Err(code) => return code,
    };
    let client = args.registry.client();
    let Some(mut finder) = finder(
        "update",
        args.tags,
        args.read.max_file_size,
        args.scheme,
        args.within,
        &client,
        config.as_ref(),
    ) else {
        return ExitCode::from(2);
    };
    let mut pending = Vec::new();
    let mut left = 0usize;
    let walked = walk(
        "update",
        args.paths,
        args.read,
        config.as_ref(),
        &mut finder,
        |path, file, text, meta, hits| {
            let mut plans = Vec::new();
            for (found, hit) in hits {
                match hit.and_then(|h| plan(&found, &h)) {
                    Ok(p) => plans.push(p),
                    Err(m) => {
                        eprintln!("{file}:{}:{}: note: {m}", found.line, found.column);
                        left += 1;
                    }
                }
            }
            if !plans.is_empty() {
                pending.push(Pending {
                    path: path.to_path_buf(),
                    file,
                    text,
                    meta,
                    plans,
                });
            }
        },
    );
    let incomplete = finder.tags.failed();
    let options = WriteOptions {
        read_only: args.write_read_only,
    };
    let done = pin::rewrite(
        "update",
        pending,
        &client,
        args.check,
        &options,
        &mut io::stdout().lock(),
    );
    left += done.left;
    let verb = if args.check {
        "would update"
    } else {
        "updated"
    };
    let mut summary = format!(
        "{verb} {} in {} of {}",
        plural(done.edits, "reference", "references"),
        done.changed,
        plural(walked.files, "file", "files"),
    );
    if left > 0 {
        summary += &format!(", {left} left in place");
    }
    eprintln!("{summary}");
    if walked.fatal || done.fatal || incomplete {
        ExitCode::from(2)
    } else if done.unresolved || (args.check && (done.changed > 0 || left > 0)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn lines() {
        let patch = Within {
            patch: true,
            ..Within::default()
        };
        let minor = Within {
            minor: true,
            ..Within::default()
        };
        let (old, same, next, major) = (v("3.12.7"), v("3.12.8"), v("3.13.1"), v("4.0.0"));
        assert!(patch.allows(Some(&old), Some(&same)));
        assert!(!patch.allows(Some(&old), Some(&next)));
        assert!(minor.allows(Some(&old), Some(&next)));
        assert!(!minor.allows(Some(&old), Some(&major)));
        let req = Within {
            version: Some("<4".parse().unwrap()),
            ..Within::default()
        };
        assert!(req.allows(Some(&old), Some(&next)));
        assert!(!req.allows(Some(&old), Some(&major)));
        assert!(!req.allows(Some(&old), None));
    }

    #[test]
    fn versions() {
        let img = |s: &str| Image::parse(s).unwrap();
        assert_eq!(version_of(&img("python:3.12.8-slim")), Some(v("3.12.8")));
        assert_eq!(
            version_of(&img("quay.io/prometheus/node-exporter:v1.8.2")),
            Some(v("1.8.2"))
        );
        assert!(prerelease(&img("python:3.13.0rc1-slim")));
        assert!(!prerelease(&img("python:3.13.0-slim")));
        // NGC release candidates are pre-releases too (the fields call
        // theirs `pre`: outdated once proposed 25.01.rc0-py3 to 24.10-py3).
        assert!(prerelease(&img("nvcr.io/nvidia/pytorch:25.01.rc0-py3")));
        assert!(!prerelease(&img("nvcr.io/nvidia/pytorch:24.12-py3")));
        assert_eq!(
            version_of(&img("nvcr.io/nvidia/nemo:1.4.0rc2")),
            Some(v("1.4.0"))
        );
    }
}
