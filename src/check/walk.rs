//! The files under a directory that the finder reads.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ignore::WalkBuilder;

use super::FileKind;

/// What [`walk`] yields.
#[derive(Debug)]
pub enum Walked {
    /// A file the finder reads, and its kind.
    File(PathBuf, FileKind),
    /// A directory entry that could not be read: the path when known, and
    /// what went wrong.
    Error(Option<PathBuf>, String),
}

/// The Dockerfiles and YAML files under `root`, in path order.
///
/// Inside a git work tree, the files are what git sees: every file git
/// tracks (even one a `.gitignore` pattern matches: it was added on
/// purpose) and every untracked file that is not ignored, as `git ls-files
/// --cached --others --exclude-standard` lists them. Elsewhere, or when git
/// cannot be run, the directory is walked honouring `.gitignore` (also
/// outside a git checkout), `.ignore` and git's global excludes.
///
/// Either way it looks into hidden directories (`.github/workflows`) but
/// not into `.git`, and yields only regular files: symbolic links are not
/// followed (a link loop cannot hang it), and pipes and devices are left
/// out. Name lists (`*.txt`) are never picked up here: they are read only
/// when named explicitly.
pub fn walk(root: &Path) -> Box<dyn Iterator<Item = Walked>> {
    match git_files(root) {
        Some(files) => Box::new(files.into_iter().filter_map(|path| {
            // A tracked file deleted from the work tree, a symbolic link or
            // a submodule is not a file to read.
            let meta = std::fs::symlink_metadata(&path).ok()?;
            if !meta.file_type().is_file() {
                return None;
            }
            let kind = FileKind::of(&path, false)?;
            Some(Walked::File(path, kind))
        })),
        None => Box::new(walk_ignoring(root)),
    }
}

/// The files under `root` that git lists, tracked or untracked and not
/// ignored, sorted; `None` outside a work tree or when git fails.
///
/// The repository's own configuration cannot make this run a program: the
/// file system monitor hook (`core.fsmonitor`) is turned off for the call.
fn git_files(root: &Path) -> Option<Vec<PathBuf>> {
    if !root.is_dir() {
        return None;
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.quotePath=false",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut files: Vec<PathBuf> = out
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .filter_map(path_from_bytes)
        .map(|p| root.join(p))
        .collect();
    files.sort();
    files.dedup();
    Some(files)
}

#[cfg(unix)]
fn path_from_bytes(p: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(p)))
}

#[cfg(not(unix))]
fn path_from_bytes(p: &[u8]) -> Option<PathBuf> {
    std::str::from_utf8(p).ok().map(PathBuf::from)
}

/// The walk outside git: `.gitignore`-aware, in file-name order.
fn walk_ignoring(root: &Path) -> impl Iterator<Item = Walked> {
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(|entry| match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    return None;
                }
                let kind = FileKind::of(e.path(), false)?;
                Some(Walked::File(e.into_path(), kind))
            }
            Err(err) => Some(Walked::Error(error_path(&err), err.to_string())),
        })
}

/// The path an [`ignore::Error`] is about, when it says.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}
