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
pub fn tag_list(path: &str) -> io::Result<Vec<String>> {
    tag_list_max(path, DEFAULT_MAX_FILE_SIZE)
}

/// [`tag_list`], reading at most `max` bytes: a larger list, or a file that
/// is not a regular file (a named pipe, a device), is an error naming it.
pub fn tag_list_max(path: &str, max: u64) -> io::Result<Vec<String>> {
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
    let text = String::from_utf8(text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "cannot read {path}: not UTF-8 text: invalid byte at offset {}",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

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
    let mut errors = Vec::new();
    let images: Vec<Image> = names
        .into_iter()
        .filter_map(|n| {
            Image::parse_as(n.as_ref(), scheme)
                .map_err(|e| errors.push(e))
                .ok()
        })
        .collect();
    (Catalog::from_images(images), errors)
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
        None => l.as_str().into(),
    });
    let (catalog, errors) = catalog_of(names, scheme);
    for e in errors {
        eprintln!("imagetag {command}: skipping: {e}");
    }
    Some(catalog)
}
