//! The files under a directory that the finder reads.

use std::path::{Path, PathBuf};

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

/// The Dockerfiles and YAML files under `root`, in file-name order.
///
/// Honours `.gitignore` (also outside a git checkout), `.ignore` and git's
/// global excludes; looks into hidden directories (`.github/workflows`) but
/// not into `.git`; does not follow symbolic links, so a link loop cannot
/// hang it. Name lists (`*.txt`) are never picked up here: they are read
/// only when named explicitly.
pub fn walk(root: &Path) -> impl Iterator<Item = Walked> {
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
