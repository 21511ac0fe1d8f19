//! The files `check` and `pin` work on: the paths given, directories walked.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
/// in order: explicit files as given, directories walked (see
/// [`check::walk`]).
pub fn items(paths: &[PathBuf]) -> impl Iterator<Item = Item> + '_ {
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
                Box::new(std::iter::once(match FileKind::of(&root, true) {
                    Some(kind) => Item::File {
                        path: root,
                        kind,
                        explicit: true,
                    },
                    None => Item::Fatal(format!(
                        "{}: not a Dockerfile, a YAML file or a name list (*.txt)",
                        root.display()
                    )),
                }))
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

/// What reading a file gave.
pub enum Content {
    Text(String),
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Not UTF-8: the byte offset where it stops being so.
    NotUtf8(usize),
    /// The file could not be read.
    Error(String),
}

/// Reads `path`.
pub fn read(path: &Path) -> Content {
    match std::fs::read(path) {
        Err(e) => Content::Error(plain(&e)),
        Ok(bytes) if check::is_binary(&bytes) => Content::Binary,
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Content::Text(s),
            Err(e) => Content::NotUtf8(e.utf8_error().valid_up_to()),
        },
    }
}

/// A progress line on stderr, only when stderr is a terminal and the run
/// has taken more than a second.
pub struct Progress {
    command: &'static str,
    start: Instant,
    on: bool,
    shown: bool,
}

impl Progress {
    pub fn new(command: &'static str) -> Progress {
        Progress {
            command,
            start: Instant::now(),
            on: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Called after each file.
    pub fn tick(&mut self, files: usize) {
        if self.on && files % 256 == 0 && self.start.elapsed().as_secs() >= 1 {
            eprint!("\rimagetag {}: {files} files...", self.command);
            self.shown = true;
        }
    }

    /// Clears the line before the summary.
    pub fn done(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}
