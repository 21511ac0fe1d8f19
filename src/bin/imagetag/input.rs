//! Reading names from arguments, stdin or files.

use std::io::{self, BufRead, Read, Seek};
use std::path::Path;

use imagetag::{Catalog, Error, Image, Scheme};

use crate::files;

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

/// The names of the tag list at `path` (a file, or stdin for `-`; see
/// [`TagList`]), at most `max` bytes of it, each its own `String`.
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

/// The bounds of a tag list that `sort`, `latest` and `resolve` read with
/// `--tags`: at most `max_tags` names (`--max-tags`, the flag that bounds a
/// registry's listing) and `max_bytes` bytes of text.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most names the list may hold.
    pub max_tags: usize,
    /// The most bytes the list may hold, comments and blank lines included.
    pub max_bytes: u64,
}

/// The bytes a tag list may hold for each tag it may hold: a full name is
/// at most 255 bytes of domain and path and 128 of tag, and real ones are
/// a fifth of that.
pub const LIST_BYTES_PER_TAG: u64 = 256;

/// The fewest bytes a tag list may hold, whatever `--max-tags` says: the
/// limit of a file `check` reads.
pub const MIN_LIST_BYTES: u64 = files::DEFAULT_MAX_FILE_SIZE;

impl Limits {
    /// At most `max_tags` names, and [`LIST_BYTES_PER_TAG`] bytes a name
    /// (at least [`MIN_LIST_BYTES`]).
    pub fn for_tags(max_tags: usize) -> Limits {
        Limits {
            max_tags,
            max_bytes: (max_tags as u64)
                .saturating_mul(LIST_BYTES_PER_TAG)
                .max(MIN_LIST_BYTES),
        }
    }

    #[cold]
    fn too_many(&self, path: &str) -> io::Error {
        io::Error::other(format!(
            "cannot read {path}: more than {} names, the limit of --max-tags (raise it with --max-tags N)",
            self.max_tags
        ))
    }

    #[cold]
    fn too_large(&self, path: &str, len: Option<u64>) -> io::Error {
        let what = match len {
            Some(len) => format!("{len} bytes, more"),
            None => "more".to_owned(),
        };
        io::Error::other(format!(
            "cannot read {path}: {what} than the limit of {} bytes for {} names \
             ({LIST_BYTES_PER_TAG} bytes a name, at least {MIN_LIST_BYTES}; raise it with --max-tags N)",
            self.max_bytes, self.max_tags
        ))
    }
}

/// Calls `each` with every name of the tag list at `path` (a file, or
/// stdin for `-`), as [`TagList`] reads them, without keeping the text: the
/// file is read a line at a time into one reused buffer. Before that, a
/// regular file is read once to count its names, so that the error for
/// too many comes before any work and `room` (called once, with the
/// count) can reserve what the names need. More names or bytes than
/// `limits` allow, a line that is not UTF-8 or a file that cannot be read
/// is an error naming the file.
pub fn stream(
    path: &str,
    limits: Limits,
    room: impl FnOnce(usize),
    mut each: impl FnMut(&str),
) -> io::Result<()> {
    if path == "-" {
        return read_names(io::stdin().lock(), path, limits, each);
    }
    let (mut file, meta) = files::open_regular(Path::new(path))
        .map_err(|e| io::Error::other(format!("cannot read {path}: {e}")))?;
    if meta.len() > limits.max_bytes {
        return Err(limits.too_large(path, Some(meta.len())));
    }
    let mut count = 0;
    read_names(
        io::BufReader::with_capacity(1 << 16, &file),
        path,
        limits,
        |_| count += 1,
    )?;
    room(count);
    file.rewind()
        .map_err(|e| io::Error::other(format!("cannot read {path}: {e}")))?;
    let mut left = count;
    read_names(
        io::BufReader::with_capacity(1 << 16, &file),
        path,
        limits,
        |n| {
            // A file that grew between the two reads is held to its count.
            if left > 0 {
                left -= 1;
                each(n);
            }
        },
    )
}

/// The names of `reader`'s lines (see [`stream`]).
fn read_names(
    reader: impl BufRead,
    path: &str,
    limits: Limits,
    mut each: impl FnMut(&str),
) -> io::Result<()> {
    let mut reader = reader.take(limits.max_bytes.saturating_add(1));
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut names = 0usize;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io::Error::other(format!("cannot read {path}: {e}")))?;
        if n == 0 {
            return Ok(());
        }
        if offset + n as u64 > limits.max_bytes {
            return Err(limits.too_large(path, None));
        }
        let text = std::str::from_utf8(&line).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "cannot read {path}: not UTF-8 text: invalid byte at offset {}",
                    offset + e.valid_up_to() as u64
                ),
            )
        })?;
        offset += n as u64;
        let name = text.split('#').next().unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        names += 1;
        if names > limits.max_tags {
            return Err(limits.too_many(path));
        }
        each(name);
    }
}

/// Calls `each` with the image of every name of the tag list at `path`
/// (see [`stream`]): bare tags are tags of `repository`. Lines that are not
/// valid names are reported on stderr as they come and skipped: the
/// answer is how many, or `None` (after a message) when the list cannot
/// be read. `room` is called once, with the number of names, before the
/// first.
///
/// Nothing outlives a line: a bare tag is qualified in one reused buffer.
pub fn each_image(
    path: &str,
    repository: Option<&str>,
    command: &str,
    scheme: Option<Scheme>,
    limits: Limits,
    room: impl FnOnce(usize),
    mut each: impl FnMut(Image),
) -> Option<usize> {
    let mut full = String::new();
    let mut skipped = 0;
    let read = stream(path, limits, room, |line| {
        let name = match repository {
            Some(r) if !line.contains(['/', ':', '@']) => {
                full.clear();
                full.push_str(r);
                full.push(':');
                full.push_str(line);
                &full
            }
            _ => line,
        };
        match image(name, scheme) {
            Ok(img) => each(img),
            Err(e) => {
                skipped += 1;
                eprintln!("imagetag {command}: skipping: {e}");
            }
        }
    });
    match read {
        Ok(()) => Some(skipped),
        Err(e) => {
            eprintln!("imagetag {command}: {e}");
            None
        }
    }
}

/// A catalog of the tag list at `path` (see [`each_image`]), its room
/// reserved once for the names the file holds; `None` (after a message)
/// when the list cannot be read.
pub fn catalog(
    path: &str,
    repository: Option<&str>,
    command: &str,
    scheme: Option<Scheme>,
    limits: Limits,
    skipped: &mut usize,
) -> Option<Catalog> {
    let mut catalog = Catalog::new();
    let room = std::cell::Cell::new(0);
    let read = each_image(
        path,
        repository,
        command,
        scheme,
        limits,
        |n| room.set(n),
        |img| {
            if room.get() > 0 {
                catalog = Catalog::with_capacity(room.replace(0));
            }
            catalog.insert(img);
        },
    );
    *skipped += read?;
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
