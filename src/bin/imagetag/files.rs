//! The files `check` and `pin` work on: the paths given, directories walked.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use imagetag::check::{self, FileKind, Walked};

/// A file to read, or why one cannot be.
pub enum Item {
    /// A file to read. `explicit` when it was named on the command line.
    File {
        path: PathBuf,
        kind: FileKind,
        explicit: bool,
    },
    /// A file or directory met while walking that cannot be read: a finding.
    Unreadable { path: PathBuf, message: String },
    /// A path named on the command line that cannot be used: exit 2.
    Fatal(String),
}

/// The files under `paths` (the current directory when there are none),
/// in order: explicit files as given, read as `kind` when it is given and as
/// their name says otherwise; directories walked (see [`check::walk`]).
pub fn items(paths: &[PathBuf], kind: Option<FileKind>) -> impl Iterator<Item = Item> + '_ {
    let default = paths.is_empty();
    let roots: Vec<PathBuf> = if default {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    roots
        .into_iter()
        .flat_map(move |root| -> Box<dyn Iterator<Item = Item>> {
            let meta = match std::fs::metadata(&root) {
                Ok(m) => m,
                Err(e) => {
                    return Box::new(std::iter::once(Item::Fatal(format!(
                        "cannot read {}: {}",
                        root.display(),
                        plain(&e)
                    ))))
                }
            };
            if meta.is_dir() {
                if let Err(e) = std::fs::read_dir(&root) {
                    return Box::new(std::iter::once(Item::Fatal(format!(
                        "cannot read {}: {}",
                        root.display(),
                        plain(&e)
                    ))));
                }
                Box::new(check::walk(&root).map(move |w| match w {
                    Walked::File(path, kind) => Item::File {
                        path: tidy(path, default),
                        kind,
                        explicit: false,
                    },
                    Walked::Error(path, message) => Item::Unreadable {
                        path: tidy(path.unwrap_or_else(|| PathBuf::from(".")), default),
                        message,
                    },
                }))
            } else {
                Box::new(std::iter::once(
                    match kind.or_else(|| FileKind::of(&root, true)) {
                        Some(kind) => Item::File {
                            path: root,
                            kind,
                            explicit: true,
                        },
                        None => Item::Fatal(format!(
                            "{}: not a Dockerfile, a YAML file, a devcontainer.json, a Jenkinsfile, a Bake file or a \
                         name list (*.txt) by its name (--kind dockerfile, yaml, devcontainer, jenkins, bake \
                         or list reads it as one)",
                            root.display()
                        )),
                    },
                ))
            }
        })
}

/// `./x` as `x` when walking the default directory.
fn tidy(path: PathBuf, default: bool) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(p) if default && !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => path,
    }
}

/// An I/O error without Rust's `(os error N)`.
pub fn plain(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// The largest file `check` and `pin` read unless `--max-file-size` says
/// otherwise: 16 MiB, far above any real Dockerfile or manifest, far below
/// what would strain a CI runner.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// How files are read: the size limit, and the kind of the files named.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct ReadArgs {
    /// Read each file named on the command line as this kind of file,
    /// whatever its name: dockerfile, yaml, devcontainer, jenkins, bake or list. Directories are still
    /// walked by file name.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<FileKind>,
    /// The largest file read, in bytes, or with a suffix K, M or G (KiB,
    /// MiB, GiB). A larger file is not read: an error names it.
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// `SIZE` as `--max-file-size` takes it: bytes, or a number with a suffix
/// K, M or G (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let (digits, unit) = match s.as_bytes().last() {
        Some(b'k' | b'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some(b'm' | b'M') => (&s[..s.len() - 1], 1 << 20),
        Some(b'g' | b'G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("expected a size in bytes such as 16777216 or 16M, found {s:?}"))
}

/// `KIND` as `--kind` takes it.
fn parse_kind(s: &str) -> Result<FileKind, String> {
    s.parse()
}

/// What reading a file gave.
pub enum Content {
    /// The text, and the metadata of the file it was read from.
    Text(String, std::fs::Metadata),
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Not UTF-8: the byte offset where it stops being so.
    NotUtf8(usize),
    /// The file could not be read, or was not read: why.
    Error(String),
}

/// What a file that is not a regular file is, for a message.
fn what(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// The bytes of the regular file `path` (a symbolic link is followed), at
/// most `max` of them, and its metadata; or why they were not read.
///
/// Only regular files are read: a named pipe, a device or a socket is
/// refused before it is opened, and again after (the file is opened with
/// `O_NONBLOCK`, so one swapped in between cannot stall the read). The
/// bytes are read once into a buffer sized from the file's length.
pub fn read_bytes(path: &Path, max: u64) -> Result<(Vec<u8>, std::fs::Metadata), String> {
    let too_large = |len: u64| {
        format!(
            "{len} bytes, more than the limit of {max} (raise it with --max-file-size): not read"
        )
    };
    let (file, meta) = open_regular(path)?;
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    // One byte more than the length, so that the end is seen without
    // growing the buffer; at most `max + 1`, so that a file growing while
    // it is read is caught.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    std::io::Read::read_to_end(&mut std::io::Read::take(&file, max + 1), &mut bytes)
        .map_err(|e| plain(&e))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "it grew past the limit of {max} bytes while being read (raise it with --max-file-size): not read"
        ));
    }
    Ok((bytes, meta))
}

/// The regular file `path` (a symbolic link is followed), open for
/// reading, and its metadata; refused before it is opened when it is not a
/// regular file, and again after (see [`read_bytes`]).
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), String> {
    let not_regular = |t: std::fs::FileType| format!("not a regular file ({}): not read", what(t));
    let meta = std::fs::metadata(path).map_err(|e| plain(&e))?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| plain(&e))?;
    let meta = file.metadata().map_err(|e| plain(&e))?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    Ok((file, meta))
}

/// Reads `path` (see [`read_bytes`]).
pub fn read(path: &Path, max: u64) -> Content {
    match read_bytes(path, max) {
        Err(e) => Content::Error(e),
        Ok((bytes, _)) if check::is_binary(&bytes) => Content::Binary,
        Ok((bytes, meta)) => match String::from_utf8(bytes) {
            Ok(s) => Content::Text(s, meta),
            Err(e) => Content::NotUtf8(e.utf8_error().valid_up_to()),
        },
    }
}

/// A progress line on stderr (`imagetag pin: 300 files...`), only when
/// stderr is a terminal: a log, a pipe or a CI runner's output gets nothing
/// but the summary. It appears once the run has taken a second (a run that
/// waits on registries, or a large tree) and is redrawn at most ten times a
/// second; [`done`](Self::done) clears it before the summary.
pub struct Progress {
    command: &'static str,
    start: Instant,
    /// When the line was last drawn.
    last: Option<Instant>,
    on: bool,
}

impl Progress {
    /// How long a run goes before the line appears.
    const DELAY: Duration = Duration::from_secs(1);
    /// The shortest time between two draws.
    const EVERY: Duration = Duration::from_millis(100);

    pub fn new(command: &'static str) -> Progress {
        Progress::with(command, std::io::stderr().is_terminal(), Instant::now())
    }

    fn with(command: &'static str, on: bool, start: Instant) -> Progress {
        Progress {
            command,
            start,
            last: None,
            on,
        }
    }

    /// Called after each file.
    pub fn tick(&mut self, files: usize) {
        if self.on {
            self.draw(&mut std::io::stderr().lock(), files, Instant::now());
        }
    }

    /// Draws the line for `files` at `now`, when it is time to.
    fn draw(&mut self, out: &mut dyn Write, files: usize, now: Instant) {
        if !self.on
            || now.saturating_duration_since(self.start) < Self::DELAY
            || self
                .last
                .is_some_and(|l| now.saturating_duration_since(l) < Self::EVERY)
        {
            return;
        }
        self.last = Some(now);
        let _ = write!(out, "\rimagetag {}: {files} files...", self.command);
        let _ = out.flush();
    }

    /// Clears the line before the summary.
    pub fn done(&self) {
        self.clear(&mut std::io::stderr().lock());
    }

    fn clear(&self, out: &mut dyn Write) {
        if self.last.is_some() {
            let _ = write!(out, "\r\x1b[K");
            let _ = out.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        for bad in ["", "M", "-1", "+1", "1.5M", "16Q", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    /// Off (stderr is not a terminal), the line is never drawn, however
    /// long the run; on, it appears after a second, at most ten times a
    /// second, and is cleared at the end.
    #[test]
    fn progress() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut off = Progress::with("check", false, t0);
        let mut out = Vec::new();
        for (i, ms) in [0, 1500, 60_000].into_iter().enumerate() {
            off.draw(&mut out, i, at(ms));
        }
        off.clear(&mut out);
        assert_eq!(out, b"");

        let mut on = Progress::with("pin", true, t0);
        let mut out = Vec::new();
        on.clear(&mut out);
        for (files, ms) in [
            (1, 10),
            (2, 999),
            (3, 1000),
            (4, 1050),
            (5, 1100),
            (6, 1150),
        ] {
            on.draw(&mut out, files, at(ms));
        }
        on.clear(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\rimagetag pin: 3 files...\rimagetag pin: 5 files...\r\x1b[K"
        );
    }
}
