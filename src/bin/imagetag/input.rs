//! Reading names from arguments, stdin or files.

use std::io::{self, BufRead, Read};
use std::path::Path;

use imagetag::{Catalog, Error, Image, Scheme};

use crate::files::{self, DEFAULT_MAX_FILE_SIZE};

/// The names to work on: the arguments, or one per line from stdin when
/// there are none or the only one is `-`. Lines are kept as bytes, so that
/// text that is not UTF-8 is reported by the parser, not lost here. Blank
/// lines are skipped.
pub fn names(args: &[String]) -> io::Result<Vec<Vec<u8>>> {
    if !(args.is_empty() || args == ["-"]) {
        return Ok(args.iter().map(|a| a.as_bytes().to_vec()).collect());
    }
    let mut out = Vec::new();
    for line in io::stdin().lock().split(b'\n') {
        let mut line = line?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push(line);
        }
    }
    Ok(out)
}

/// The lines of a tag list: a file, or stdin for `-`. `#` starts a comment;
/// blank lines are skipped; surrounding whitespace is trimmed. At most
/// [`DEFAULT_MAX_FILE_SIZE`] bytes are read (see [`tag_list_max`]).
pub fn tag_list(path: &str) -> io::Result<TagList> {
    tag_text(path, DEFAULT_MAX_FILE_SIZE).map(TagList::new)
}

/// [`tag_list`], reading at most `max` bytes, each line its own `String`.
pub fn tag_list_max(path: &str, max: u64) -> io::Result<Vec<String>> {
    Ok(TagList::new(tag_text(path, max)?)
        .iter()
        .map(str::to_owned)
        .collect())
}

/// The text of a tag list, at most `max` bytes of it: a larger list, or a
/// file that is not a regular file (a named pipe, a device), is an error
/// naming it.
fn tag_text(path: &str, max: u64) -> io::Result<String> {
    let text = if path == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().take(max + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > max {
            return Err(io::Error::other(format!(
                "cannot read stdin: more than {max} bytes (raise the limit with --max-file-size)"
            )));
        }
        bytes
    } else {
        files::read_bytes(Path::new(path), max)
            .map_err(|e| io::Error::other(format!("cannot read {path}: {e}")))?
            .0
    };
    String::from_utf8(text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "cannot read {path}: not UTF-8 text: invalid byte at offset {}",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A tag list, kept as the text it was read as: its names are slices of
/// it, so a million tags cost their bytes and no `String` each.
pub struct TagList {
    text: String,
    /// How many names it holds.
    len: usize,
}

impl TagList {
    fn new(text: String) -> TagList {
        let len = names_of(&text).count();
        TagList { text, len }
    }

    /// The names, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        Counted {
            inner: names_of(&self.text),
            left: self.len,
        }
    }
}

/// The names of a tag list's text: each line up to a `#`, trimmed, when
/// that leaves anything.
fn names_of(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// An iterator that knows how many items it has left, so that a catalog
/// built from it reserves its room once.
struct Counted<I> {
    inner: I,
    left: usize,
}

impl<'a, I: Iterator<Item = &'a str>> Iterator for Counted<I> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let n = self.inner.next()?;
        self.left = self.left.saturating_sub(1);
        Some(n)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'a, I: Iterator<Item = &'a str>> ExactSizeIterator for Counted<I> {}

/// Reads a name: its scheme detected (`None`), or as a name of `scheme`
/// (`--scheme`), which makes a name that does not fit an error.
pub fn image(name: &str, scheme: Option<Scheme>) -> Result<Image, Error> {
    match scheme {
        Some(s) => Image::parse_as(name, s),
        None => Image::parse(name),
    }
}

/// A catalog of `names`, each read with [`image`]; the errors of those
/// that cannot be read.
pub fn catalog_of<I>(names: I, scheme: Option<Scheme>) -> (Catalog, Vec<Error>)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let Some(scheme) = scheme else {
        return Catalog::from_names_lossy(names);
    };
    let names = names.into_iter();
    let mut catalog = Catalog::with_capacity(names.size_hint().0);
    let mut errors = Vec::new();
    for n in names {
        match Image::parse_as(n.as_ref(), scheme) {
            Ok(img) => {
                catalog.insert(img);
            }
            Err(e) => errors.push(e),
        }
    }
    (catalog, errors)
}

/// A catalog of the tag list at `path` (see [`tag_list`]): bare tags are
/// tags of `repository`. Lines that are not valid names are reported on
/// stderr and skipped; `None` (after a message) when the list cannot be read.
pub fn catalog(
    path: &str,
    repository: Option<&str>,
    command: &str,
    scheme: Option<Scheme>,
) -> Option<Catalog> {
    let lines = match tag_list(path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("imagetag {command}: {e}");
            return None;
        }
    };
    let names = lines.iter().map(|l| match repository {
        Some(r) => Catalog::qualify(r, l),
        None => l.into(),
    });
    let (catalog, errors) = catalog_of(names, scheme);
    for e in errors {
        eprintln!("imagetag {command}: skipping: {e}");
    }
    Some(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tag list's names are its lines up to a `#`, trimmed, blank ones
    /// left out, and the iterator knows how many there are (so a catalog
    /// reserves its room once).
    #[test]
    fn tag_list_names() {
        let list = TagList::new(
            "# tags\n3.10-r1\n\n  3.10-r2  # the newest\r\n#\n\tquay.io/vessl-ai/python:3.11 \n"
                .to_owned(),
        );
        let names: Vec<&str> = list.iter().collect();
        assert_eq!(
            names,
            ["3.10-r1", "3.10-r2", "quay.io/vessl-ai/python:3.11"]
        );
        let mut it = list.iter();
        assert_eq!(it.len(), 3);
        it.next();
        assert_eq!(it.size_hint(), (2, Some(2)));
    }
}
