//! `imagetag check`: every image a repository uses, valid and pinned.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use imagetag::check::{find_in, Found, Kind, Policy, Rule, Severity};
use imagetag::Scheme;
use serde_json::json;

use crate::config;
use crate::explain::{parse_scheme, SchemeArg};
use crate::files::{self, Content, Item, Progress, ReadArgs};
use crate::sarif;

/// Check the image references in Dockerfiles, YAML, devcontainer.json and name lists.
///
/// Walks each PATH (default: the current directory), honouring
/// `.gitignore`, and reads `FROM` in Dockerfiles and Containerfiles, every
/// `image:` value in `*.yml`/`*.yaml` (Kubernetes, Compose, VESSL run files,
/// CI workflows), the top-level `"image"` of `.devcontainer/devcontainer.json`,
/// `.devcontainer/<name>/devcontainer.json` and `.devcontainer.json` (JSON
/// with comments; `features` are not images), the `docker` agents,
/// `docker.image(...)` and `docker.build(...)` of Jenkins pipelines
/// (`Jenkinsfile`, `Jenkinsfile.*`, `Jenkinsfile_*`, `*.jenkinsfile`), each target's `tags`,
/// `docker-image://` contexts and `*IMAGE` args in Bake files
/// (`docker-bake.hcl`, `docker-bake.*.hcl`, `docker-bake.json`), and, when named explicitly,
/// name lists (`*.txt`, one name a line). Each name is read as a name of its scheme. References that use
/// variables without a default are skipped (a note), binary files too.
/// Symbolic links are not followed while walking, and only regular files
/// are read: a named pipe, a device or a socket is refused (a symbolic link
/// named on the command line is followed to its file). A file larger than
/// `--max-file-size` (16 MiB by default) is not read: an error names it.
///
/// Exits 0 when everything is valid, 1 when anything is not (a file found
/// while walking that cannot be read counts), 2 on a usage error or a PATH
/// that cannot be read. A summary goes to stderr.
///
/// Example: imagetag check --deny-alias --format github .
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files and directories to check (default: the current directory).
    paths: Vec<PathBuf>,
    /// A moving name is an error: a standard alias, `latest`, or a name
    /// with neither tag nor digest.
    #[arg(long)]
    deny_alias: bool,
    /// A name without a digest is an error.
    #[arg(long)]
    require_digest: bool,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic.
    #[arg(long, default_value = "auto", value_parser = parse_scheme)]
    scheme: SchemeArg,
    /// Output: text (`file:line:col: error: message`), json (one object a
    /// finding), github (workflow annotations) or sarif (one SARIF 2.1.0
    /// log, for GitHub code scanning).
    #[arg(long, default_value = "text", value_parser = ["text", "json", "github", "sarif"])]
    format: String,
    /// Print every reference found (an inventory), not only findings:
    /// `file:line:col reference` a line, or with `--format json` one object
    /// a reference with its scheme's reading (as `explain --json` gives
    /// it). Findings then go to stderr; the exit code is the same.
    #[arg(long)]
    list: bool,
    #[command(flatten)]
    policy: config::ConfigArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// One line of output.
struct Line<'a> {
    file: &'a str,
    position: Option<(usize, usize)>,
    /// The column just past the reference, when it is on one line.
    end_column: Option<usize>,
    severity: Severity,
    rule: Rule,
    message: &'a str,
    reference: Option<&'a str>,
}

impl<'a> Line<'a> {
    /// An error about a whole file (it cannot be read): no position, no
    /// reference.
    fn file_error(file: &'a str, message: &'a str) -> Line<'a> {
        Line {
            file,
            position: None,
            end_column: None,
            severity: Severity::Error,
            rule: Rule::UnreadableFile,
            message,
            reference: None,
        }
    }
}

fn print(out: &mut impl Write, format: &str, l: &Line<'_>) -> io::Result<()> {
    match format {
        "json" => {
            let v = json!({
                "file": l.file,
                "line": l.position.map(|p| p.0),
                "column": l.position.map(|p| p.1),
                "severity": l.severity.as_str(),
                "message": l.message,
                "reference": l.reference,
            });
            writeln!(out, "{v}")
        }
        "github" => {
            let level = match l.severity {
                Severity::Error => "error",
                Severity::Note => "notice",
            };
            write!(out, "::{level} file={}", property(l.file))?;
            if let Some((line, col)) = l.position {
                write!(out, ",line={line},col={col}")?;
            }
            writeln!(out, "::{}", data(l.message))
        }
        _ => match l.position {
            Some((line, col)) => writeln!(
                out,
                "{}:{line}:{col}: {}: {}",
                l.file, l.severity, l.message
            ),
            None => writeln!(out, "{}: {}: {}", l.file, l.severity, l.message),
        },
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line of the inventory (`--list`).
fn list(
    out: &mut impl Write,
    args: &Args,
    file: &str,
    found: &Found,
    scheme: Option<Scheme>,
) -> io::Result<()> {
    if args.format == "json" {
        let mut v = crate::explain::json_of(&found.text, scheme);
        v["file"] = json!(file);
        v["line"] = json!(found.line);
        v["column"] = json!(found.column);
        v["expanded"] = json!(found.kind == Kind::Expanded);
        v["output"] = json!(found.output);
        writeln!(out, "{v}")
    } else {
        writeln!(out, "{file}:{}:{} {}", found.line, found.column, found.text)
    }
}

/// Runs `imagetag check`.
pub fn run(args: Args) -> ExitCode {
    let policy = Policy {
        deny_alias: args.deny_alias,
        require_digest: args.require_digest,
        scheme: args.scheme.0,
    };
    let config = match args.policy.load("check") {
        Ok(c) => c,
        Err(code) => return code,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut progress = Progress::new("check");
    let (mut files, mut references, mut errors) = (0usize, 0usize, 0usize);
    let (mut skipped_refs, mut skipped_files) = (0usize, 0usize);
    let mut fatal = false;
    let list_mode = args.list;
    if list_mode && args.format == "sarif" {
        eprintln!("imagetag check: --list writes text or json, not sarif");
        return ExitCode::from(2);
    }
    // SARIF is one document: the findings are written at the end.
    let mut sarif_entries: Vec<sarif::Entry> = Vec::new();
    let format = if list_mode {
        "text"
    } else {
        args.format.as_str()
    };
    let mut emit = |out: &mut io::BufWriter<_>, l: Line<'_>| {
        if l.severity == Severity::Error {
            errors += 1;
        }
        let printed = if list_mode {
            print(&mut io::stderr().lock(), format, &l)
        } else if format == "sarif" {
            sarif_entries.push(sarif::Entry {
                rule: l.rule.id(),
                severity: l.severity,
                message: l.message.to_owned(),
                file: l.file.to_owned(),
                region: l.position.map(|(line, column)| sarif::Region {
                    line,
                    column,
                    end_column: l.end_column,
                }),
            });
            Ok(())
        } else {
            print(out, format, &l)
        };
        if let Err(e) = printed {
            eprintln!("imagetag check: {e}");
            std::process::exit(2);
        }
    };
    // Workers read and search the files; this thread walks, hands them
    // out and prints what comes back in walk order (see `pipeline`).
    let config = config.as_ref();
    let max = args.read.max_file_size;
    let items = files::items(&args.paths, args.read.kind);
    let printed = pipeline(
        items,
        |item| process(item, config, policy, max),
        |outcome| -> Result<(), ExitCode> {
            let (file, checked) = match outcome {
                Outcome::Skip => return Ok(()),
                Outcome::Fatal(message) => {
                    eprintln!("imagetag check: {message}");
                    fatal = true;
                    return Ok(());
                }
                Outcome::FileError { file, message } => {
                    emit(&mut out, Line::file_error(&file, &message));
                    return Ok(());
                }
                Outcome::Binary => {
                    skipped_files += 1;
                    return Ok(());
                }
                Outcome::Checked { file, found } => (file, found),
            };
            files += 1;
            progress.tick(files);
            for c in checked {
                let found = &c.found;
                match found.kind {
                    Kind::Skipped(_) => skipped_refs += 1,
                    Kind::Image | Kind::Expanded => references += 1,
                    Kind::Broken(_) => {}
                }
                if args.list && matches!(found.kind, Kind::Image | Kind::Expanded) {
                    if let Err(e) = list(&mut out, &args, &file, found, c.scheme) {
                        eprintln!("imagetag check: {e}");
                        return Err(ExitCode::from(2));
                    }
                }
                for finding in &c.findings {
                    let reference = match found.kind {
                        Kind::Broken(_) => None,
                        _ => Some(found.text.as_str()),
                    };
                    emit(
                        &mut out,
                        Line {
                            file: &file,
                            position: Some((found.line, found.column)),
                            end_column: c.end_column,
                            severity: finding.severity,
                            rule: finding.rule,
                            message: &finding.message,
                            reference,
                        },
                    );
                }
            }
            Ok(())
        },
    );
    if let Err(code) = printed {
        return code;
    }
    if format == "sarif" {
        if let Err(e) = sarif::write(&mut out, &sarif::check_rules(), &sarif_entries, !fatal) {
            eprintln!("imagetag check: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("imagetag check: {e}");
        return ExitCode::from(2);
    }
    progress.done();
    let mut summary = format!(
        "checked {} in {}: {}",
        plural(references, "reference", "references"),
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
    );
    if skipped_refs > 0 {
        summary += &format!(
            ", {} skipped",
            plural(skipped_refs, "reference", "references")
        );
    }
    if skipped_files > 0 {
        summary += &format!(
            ", {} skipped",
            plural(skipped_files, "binary file", "binary files")
        );
    }
    eprintln!("{summary}");
    if fatal {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What a worker made of one walked item: all that the output needs.
enum Outcome {
    /// Left out by the policy file.
    Skip,
    /// A path named on the command line that cannot be used: exit 2.
    Fatal(String),
    /// A file that cannot be read: a finding about the file.
    FileError { file: String, message: String },
    /// A binary file, skipped.
    Binary,
    /// A file read: its references, each with its findings.
    Checked { file: String, found: Vec<Checked> },
}

/// One reference and what the policy says of it.
struct Checked {
    found: Found,
    /// The scheme it was read with: `--scheme`, a `[[scheme]]` rule, or
    /// `None` (detected).
    scheme: Option<Scheme>,
    /// The column just past the reference, when it is on one line.
    end_column: Option<usize>,
    findings: Vec<imagetag::check::Finding>,
}

/// Reads and checks one item (on a worker thread).
fn process(
    item: Item,
    config: Option<&config::Config>,
    policy: Policy,
    max_file_size: u64,
) -> Outcome {
    let (path, kind, explicit) = match item {
        Item::Fatal(message) => return Outcome::Fatal(message),
        Item::File { path, .. } if config.is_some_and(|c| c.skips(&path, false)) => {
            return Outcome::Skip;
        }
        Item::Unreadable { path, .. } if config.is_some_and(|c| c.skips(&path, path.is_dir())) => {
            return Outcome::Skip;
        }
        Item::Unreadable { path, message } => {
            return Outcome::FileError {
                file: path.display().to_string(),
                message: format!("cannot read: {message}"),
            }
        }
        Item::File {
            path,
            kind,
            explicit,
        } => (path, kind, explicit),
    };
    let file = path.display().to_string();
    // A file found while walking that cannot be read is a finding about
    // that file, so that one bad file does not hide the rest.
    let message = match files::read(&path, max_file_size) {
        Content::Text(text, _) => return checked(file, &path, kind, &text, config, policy),
        Content::Binary => return Outcome::Binary,
        Content::Error(e) if explicit => {
            return Outcome::Fatal(format!("cannot read {file}: {e}"));
        }
        Content::Error(e) => format!("cannot read: {e}"),
        Content::NotUtf8(at) => format!("not UTF-8 text: invalid byte at offset {at}"),
    };
    Outcome::FileError { file, message }
}

/// The references in `text` and their findings.
fn checked(
    file: String,
    path: &std::path::Path,
    kind: imagetag::check::FileKind,
    text: &str,
    config: Option<&config::Config>,
    policy: Policy,
) -> Outcome {
    // The policy file's settings for this file; flags win.
    let settings = config.map(|c| c.settings(path)).unwrap_or_default();
    let policy = Policy {
        deny_alias: policy.deny_alias || settings.deny_alias == Some(true),
        require_digest: policy.require_digest || settings.require_digest == Some(true),
        ..policy
    };
    let found = find_in(kind, path, text)
        .into_iter()
        .map(|found| {
            let written = text.get(found.span.clone()).unwrap_or("");
            let end_column = (!written.is_empty() && !written.contains('\n'))
                .then(|| found.column + written.chars().count());
            let registry = settings
                .allowed_registries
                .as_deref()
                .and_then(|allowed| config::registry_finding(allowed, &found));
            // `--scheme` wins; else a `[[scheme]]` rule for the name.
            let scheme = policy
                .scheme
                .or_else(|| config.and_then(|c| c.scheme_for(&found.text)));
            let mut findings = Policy { scheme, ..policy }.check(&found);
            // A team's own moving words (`moving-tags`) are aliases too,
            // for a name its scheme read (an invalid one has its error).
            let read = !findings.iter().any(|f| {
                matches!(
                    f.rule,
                    Rule::AliasDenied | Rule::InvalidReference | Rule::InvalidSchemeName
                )
            });
            if policy.deny_alias && read {
                findings.extend(config.and_then(|c| c.moving_finding(&found)));
            }
            findings.extend(registry);
            Checked {
                found,
                scheme,
                end_column,
                findings,
            }
        })
        .collect();
    Outcome::Checked { file, found }
}

/// How many items go to a worker at once: handing out files one by one
/// costs a wake-up of a thread for each (a tenth of the CPU time on a tree
/// of small files).
const BATCH: usize = 16;

/// How many batches may be on their way (handed out, or done and waiting
/// for those before them) for each worker: enough to keep every worker
/// busy while one slow file holds up the output, few enough that memory
/// stays bounded (a done item keeps only its findings, not its text).
const WINDOW_PER_WORKER: usize = 4;

/// Runs `work` over `items` on one worker thread per core
/// ([`std::thread::available_parallelism`]) and hands each result to
/// `output` on this thread, in the order of `items`: items go out in
/// batches of `BATCH` with sequence numbers, and a batch that comes back
/// early waits in a reorder buffer of at most `WINDOW_PER_WORKER` × workers
/// batches. An `Err` from `output` stops the run and is returned; a panic
/// on a worker is resumed here.
fn pipeline<I, T, E>(
    items: impl Iterator<Item = I>,
    work: impl Fn(I) -> T + Sync,
    mut output: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Send,
    T: Send,
{
    use std::collections::VecDeque;
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    use std::sync::{mpsc, Mutex};

    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let window = workers * WINDOW_PER_WORKER;
    let (to_work, work_queue) = mpsc::sync_channel::<(usize, Vec<I>)>(window);
    let work_queue = Mutex::new(work_queue);
    let (to_output, results) = mpsc::channel::<(usize, std::thread::Result<Vec<T>>)>();
    std::thread::scope(|s| {
        // Owned here, so that returning early closes the queue and the
        // workers stop.
        let to_work = to_work;
        for _ in 0..workers {
            let (work_queue, to_output, work) = (&work_queue, to_output.clone(), &work);
            s.spawn(move || loop {
                // The lock is held only to take the next batch.
                let next = match work_queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                let Ok((seq, batch)) = next else { return };
                let result =
                    catch_unwind(AssertUnwindSafe(|| batch.into_iter().map(work).collect()));
                if to_output.send((seq, result)).is_err() {
                    return;
                }
            });
        }
        drop(to_output);
        let mut items = items.fuse();
        // Batches waiting for those before them: slot k is sequence
        // `next + k`.
        let mut waiting: VecDeque<Option<Vec<T>>> = VecDeque::with_capacity(window);
        let (mut sent, mut next) = (0usize, 0usize);
        loop {
            while sent - next < window {
                let batch: Vec<I> = items.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                // Never blocks: at most `window` batches are on their way.
                if to_work.send((sent, batch)).is_err() {
                    break;
                }
                sent += 1;
            }
            if next == sent {
                return Ok(());
            }
            let Ok((seq, result)) = results.recv() else {
                return Ok(()); // every worker is gone: cannot happen
            };
            let result = match result {
                Ok(r) => r,
                Err(panic) => resume_unwind(panic),
            };
            let k = seq - next;
            if waiting.len() <= k {
                waiting.resize_with(k + 1, || None);
            }
            waiting[k] = Some(result);
            while let Some(Some(_)) = waiting.front() {
                if let Some(Some(batch)) = waiting.pop_front() {
                    next += 1;
                    for r in batch {
                        output(r)?;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come out in the order of the items whatever order the
    /// workers finish in (early items are made the slowest), every item
    /// once, and an error from the output stops the run.
    #[test]
    fn pipeline_keeps_order() {
        let n = 2000usize;
        let mut seen = Vec::new();
        let r: Result<(), ()> = pipeline(
            0..n,
            |i| {
                if i % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                i * 2
            },
            |x| {
                seen.push(x);
                Ok(())
            },
        );
        assert_eq!(r, Ok(()));
        assert_eq!(seen, (0..n).map(|i| i * 2).collect::<Vec<_>>());

        let mut count = 0;
        let r = pipeline(
            0..n,
            |i| i,
            |i| {
                count += 1;
                if i == 10 {
                    Err(i)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((r, count), (Err(10), 11));
    }
}
